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

# The life domains whose goals are work goals (what the employer and the leermeester work on).
# Goals in any other domain, or in none, are support goals: they stay in the academy.
WORK_LIFE_DOMAINS = frozenset(
    ["Werkvaardigheden", "Leren leren", "Sociale vaardigheden en arbeidshouding"]
)
GOAL_KIND_WORK = "werkdoel"
GOAL_KIND_SUPPORT = "ondersteuningsdoel"


def goal_kind_for_domain(name: str | None) -> str:
    """The kind a goal of life domain ``name`` gets when nobody chose one: work for the work
    domains, support for the rest and for an unknown or missing domain (the safe side)."""
    return GOAL_KIND_WORK if name in WORK_LIFE_DOMAINS else GOAL_KIND_SUPPORT
