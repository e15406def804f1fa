"""A hand-counted academy for the dashboard tests (imported explicitly by test_dashboard,
test_funder and test_national, which each wrap it in a fixture; tests/reporting/conftest.py
belongs to the forecast tests).

Twelve routes of BinQ in the world's academy, built field by field so every number of the
dashboard can be counted by hand (see the table in test_dashboard), and one route in the
other academy that must never be counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from participants.figures import cohort_figures_rebuild
from participants.models import FollowUp, Route
from tests.factories import (
    CertificateFactory,
    CohortFactory,
    MembershipFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RouteFactory,
    UserFactory,
)

JULY = date(2025, 7, 1)
SEPT = date(2025, 9, 1)


@dataclass
class DashboardWorld:
    world: object
    g27: object
    g28: object
    routes: dict  # short name -> Route
    foreign_route: object


def make_route(world, name: str, *, cohort, **fields) -> Route:
    """A participant called ``name`` with one route in the world's programme."""
    first, last = name.split(" ", 1)
    participant = ParticipantFactory(academy=world.academy, first_name=first, last_name=last)
    values = {
        "route_type": "2",
        "referral_source": "vso",
        "referral_date": date(2025, 6, 1),
        "intake_date": JULY,
        "start_date": SEPT,
        **fields,
    }
    route = RouteFactory(
        participant=participant, programme=world.programme, cohort=cohort, **values
    )
    participant.current_route = route
    participant.save(update_fields=["current_route"])
    return route


def follow_up(route, months: int, situation: str = "") -> FollowUp:
    return FollowUp.objects.create(
        route=route,
        months_after=months,
        due_on=date(2027, 1, 1),
        situation=situation,
        done_on=date(2026, 10, 1) if situation else None,
    )


def build_dashboard_world(world) -> DashboardWorld:
    g27 = world.cohort
    g28 = CohortFactory(programme=world.programme, name="Groep 28", start_date=date(2026, 2, 2))
    routes = {}
    # The world's own two, made consistent: in their trial period since October.
    for key, participant in (("daan", world.participant), ("noor", world.other_participant)):
        route = participant.current_route
        Route.objects.filter(pk=route.pk).update(
            intake_date=JULY, trial_start_date=date(2025, 10, 1), status="proefperiode"
        )
        routes[key] = route
    routes["anna"] = make_route(
        world,
        "Anna Contractueel",
        cohort=g27,
        referral_source="gemeente",
        status="contract",
        trial_start_date=SEPT,
        contract_date=date(2025, 12, 1),
    )
    routes["bram"] = make_route(
        world,
        "Bram Afgerond",
        cohort=g27,
        route_type="1b",
        referral_source="uwv",
        status="afgerond",
        trial_start_date=SEPT,
        contract_date=date(2025, 12, 1),
        end_date=date(2026, 3, 31),
        destination="werk_leerbedrijf",
        outcome_category="succesvol",
        outcome_reason="werk",
    )
    routes["chris"] = make_route(
        world,
        "Chris Uitval",
        cohort=g27,
        referral_source="jeugdzorg",
        status="uitgevallen",
        trial_start_date=date(2025, 9, 15),
        end_date=date(2025, 11, 15),
        dropout_reason="motivatie",
        dropout_phase="proefperiode",
        destination="uitkering",
        outcome_category="negatief",
        outcome_reason="motivatie",
    )
    routes["dewi"] = make_route(
        world,
        "Dewi Onbekend",
        cohort=g27,
        route_type="1a",
        status="uitgevallen",
        end_date=date(2025, 10, 1),
        dropout_phase="gestart",
    )
    routes["eva"] = make_route(
        world,
        "Eva Verhuisd",
        cohort=g28,
        referral_source="reintegratie",
        referral_date=date(2026, 1, 5),
        intake_date=date(2026, 1, 10),
        start_date=None,
        status="uitgevallen",
        end_date=date(2026, 1, 20),
        dropout_reason="verhuisd",
        dropout_phase="intake",
        destination="onbekend",
        outcome_category="overig",
        outcome_reason="verhuisd",
    )
    routes["fleur"] = make_route(
        world,
        "Fleur Afgewezen",
        cohort=g28,
        route_type="1b",
        referral_source="zelf",
        referral_date=date(2026, 1, 5),
        intake_date=date(2026, 1, 10),
        intake_outcome="niet_toegelaten",
        start_date=None,
        status="niet_toegelaten",
        end_date=date(2026, 1, 10),
    )
    routes["gijs"] = make_route(
        world,
        "Gijs Aangemeld",
        cohort=g28,
        route_type="",
        referral_source="pro",
        referral_date=date(2026, 1, 5),
        intake_date=None,
        start_date=None,
        status="aangemeld",
    )
    routes["hamza"] = make_route(
        world,
        "Hamza Zondergroep",
        cohort=None,
        route_type="1b",
        referral_source="mbo1",
        referral_date=date(2024, 12, 1),
        intake_date=date(2025, 1, 10),
        start_date=date(2025, 2, 1),
        trial_start_date=date(2025, 2, 1),
        status="afgerond",
        end_date=date(2025, 6, 30),
        destination="opleiding",
        outcome_category="succesvol",
        outcome_reason="opleiding",
    )
    routes["ivo"] = make_route(
        world,
        "Ivo Gestart",
        cohort=g28,
        referral_source="",
        referral_date=date(2025, 12, 1),
        intake_date=date(2026, 1, 10),
        start_date=date(2026, 2, 2),
        status="gestart",
    )
    routes["julia"] = make_route(
        world,
        "Julia Elderswerk",
        cohort=g27,
        referral_source="gemeente",
        status="uitgevallen",
        trial_start_date=SEPT,
        contract_date=date(2025, 12, 1),
        end_date=date(2026, 2, 28),
        dropout_reason="ontslag",
        dropout_phase="contract",
        destination="werk_elders",
        outcome_category="succesvol",
        outcome_reason="werk",
    )
    CertificateFactory(route=routes["anna"], kind="branche")
    CertificateFactory(route=routes["bram"], kind="diploma", title="GWW niveau 2")
    CertificateFactory(route=routes["bram"], kind="deelcertificaat", title="Bestraten")
    CertificateFactory(route=routes["hamza"], kind="deelcertificaat", title="Grondwerk")
    CertificateFactory(route=routes["ivo"], kind="q", title="SOVA")
    follow_up(routes["bram"], 6, "werk")
    follow_up(routes["bram"], 12)
    follow_up(routes["chris"], 6, "geen")
    follow_up(routes["chris"], 12, "onbekend")
    follow_up(routes["hamza"], 6, "school")
    follow_up(routes["hamza"], 12, "werk_school")
    follow_up(routes["julia"], 6, "werk")
    follow_up(routes["julia"], 12)
    # The other academy: a contract, a diploma and a follow-up that must never count here.
    tanq = ProgrammeFactory(academy=world.other_academy, name="TanQ")
    foreign = RouteFactory(
        participant=world.foreign_participant,
        programme=tanq,
        status="afgerond",
        contract_date=date(2025, 12, 1),
        end_date=date(2026, 3, 1),
        destination="werk_leerbedrijf",
        outcome_category="succesvol",
        outcome_reason="werk",
    )
    CertificateFactory(route=foreign, kind="diploma")
    follow_up(foreign, 6, "werk")
    cohort_figures_rebuild()  # the routes above were written field by field, past the services
    return DashboardWorld(world, g27, g28, routes, foreign)


def person_with_role(academy, role, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, academy=academy, role=role)
    return user


def refer_through_the_service(world, last_name: str) -> None:
    """One more referral in the world's academy and programme, made as the regisseur makes
    it (participants.services.participant_create): the kept figures follow."""
    from participants import services
    from participants.models import RouteType

    services.participant_create(
        academy=world.academy,
        person=services.PersonData(
            first_name="Nieuw", last_name=last_name, date_of_birth=date(2004, 5, 6)
        ),
        referral=services.ReferralData(
            programme=world.programme,
            route_type=RouteType.GROUP,
            referral_date=date(2025, 6, 2),
            referral_source="vso",
        ),
        coach=None,
        by=world.users["regisseur"],
    )
