"""The starting lists an academy and a programme get: life domains and route phases.

They are data the academy owns and may change afterwards (Django admin), so they are stored in
Dutch, the language the academies work in, rather than translated UI strings. Plain data only:
the data migration imports this module too.
"""

LIFE_DOMAINS = [
    "Werkvaardigheden",
    "Leren leren",
    "Sociale vaardigheden en arbeidshouding",
    "Persoonlijk functioneren",
    "Wonen",
    "Geld en schulden",
    "Gezondheid",
    "Netwerk",
]

# name, description
PHASES = [
    (
        "Samen in veiligheid",
        "In de eigen groep, met de leermeester en coach dichtbij; de proefperiode.",
    ),
    (
        "Samen in de werkelijkheid",
        "Met de groep op echte projecten en bouwplaatsen, steeds minder beschermd.",
    ),
    (
        "Zelfstandig in de werkelijkheid",
        "Zelfstandig aan het werk in een gewoon team; de coach bouwt af.",
    ),
]
