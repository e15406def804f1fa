"""factory_boy factories for the domain models."""

from datetime import date

import factory

from employers.models import Employer, Placement
from maatwerq.accounts.models import Academy, Membership, Programme, Role, User
from participants.models import CareNote, Cohort, Participant, RouteType, Status, Traject

PASSWORD = "Test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="nl_NL")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class AcademyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academy

    name = factory.Sequence(lambda n: f"Academie {n}")
    region = "Salland"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    academy = factory.SubFactory(AcademyFactory)
    name = factory.Sequence(lambda n: f"BinQ-{n}")
    branch = "GWW"
    level = 2


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    start_date = date(2025, 9, 1)
    planned_size = 12


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    academy = factory.SubFactory(AcademyFactory)
    name = factory.Sequence(lambda n: f"Werkgever {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    academy = factory.SubFactory(AcademyFactory)
    role = Role.COACH


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    academy = factory.SubFactory(AcademyFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = date(2006, 5, 17)


class CareNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareNote

    participant = factory.SubFactory(ParticipantFactory)
    text = factory.Sequence(lambda n: f"Zorgnotitie geheim-{n}")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    participant = factory.SubFactory(ParticipantFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = date(2025, 9, 1)


class TrajectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Traject

    participant = factory.SubFactory(ParticipantFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    route_type = RouteType.GROUP
    status = Status.PROEFPERIODE
    referral_date = date(2025, 6, 1)
    referral_source = "vso"
    start_date = date(2025, 9, 1)


def participant_in(cohort, **kwargs):
    """A participant with a running route in the cohort (current_traject set)."""
    participant = ParticipantFactory(academy=cohort.programme.academy, **kwargs)
    traject = TrajectFactory(
        participant=participant,
        programme=cohort.programme,
        cohort=cohort,
        start_date=cohort.start_date,
    )
    participant.current_traject = traject
    participant.save(update_fields=["current_traject"])
    return participant
