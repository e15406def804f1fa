"""factory_boy factories for the domain models."""

from datetime import date

import factory
from django.contrib.auth.hashers import make_password

from employers.models import Employer, Placement
from leerroutes.services import route_summaries_refresh
from maatwerq.accounts.models import Academy, Membership, Programme, Role, User
from participants.figures import cohort_figures_refresh
from participants.models import CareNote, Cohort, Participant, Route, RouteType, Status

PASSWORD = "Test-password-123"


def reauthenticated(client, password: str = PASSWORD):
    """The client after its user gave the password again (allauth's reauthentication), as a
    person does before an inspection export, anonymisation or a bulk export."""
    from django.urls import reverse

    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.status_code
    return client


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is PASSWORD (or the `password=` given), hashed before the insert:
    one query less per user than setting it after."""

    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="nl_NL")
    password = PASSWORD

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        kwargs["password"] = make_password(kwargs["password"] or PASSWORD)
        return kwargs


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


def _kept_figures_refresh(obj, create, extracted, **kwargs) -> None:
    """Keep the dashboard's kept figures as the services do: route, follow-up and
    certificate factories save past them. Data changed afterwards with .update() or
    .objects.create() needs participants.figures.cohort_figures_rebuild()."""
    if create:
        route = obj if isinstance(obj, Route) else obj.route
        cohort_figures_refresh([(route.programme_id, route.cohort_id)])


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    route_type = RouteType.GROUP
    status = Status.PROEFPERIODE
    referral_date = date(2025, 6, 1)
    referral_source = "vso"
    start_date = date(2025, 9, 1)
    kept_figures = factory.PostGeneration(_kept_figures_refresh)


def participant_in(cohort, **kwargs):
    """A participant with a running route in the cohort (current_route set)."""
    participant = ParticipantFactory(academy=cohort.programme.academy, **kwargs)
    route = RouteFactory(
        participant=participant,
        programme=cohort.programme,
        cohort=cohort,
        start_date=cohort.start_date,
    )
    participant.current_route = route
    participant.save(update_fields=["current_route"])
    return participant


# --- the participant record (tests/participants) ---------------------------------------------


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.StatusChange"

    route = factory.SubFactory(RouteFactory)
    from_status = Status.GESTART
    to_status = Status.PROEFPERIODE
    on_date = date(2025, 10, 1)


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Handover"

    participant = factory.SubFactory(ParticipantFactory)
    on_date = date(2025, 8, 1)
    from_organisation = "school"
    to_organisation = "academy"


class NetworkContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.NetworkContact"

    participant = factory.SubFactory(ParticipantFactory)
    role = "ouder"
    name = factory.Faker("name", locale="nl_NL")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Consent"

    participant = factory.SubFactory(ParticipantFactory)
    scope = "contact_ouders"
    given_on = date(2025, 9, 1)
    given_by = "deelnemer"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.FollowUp"
        skip_postgeneration_save = True

    route = factory.SubFactory(RouteFactory)
    months_after = 6
    due_on = date(2026, 3, 1)
    kept_figures = factory.PostGeneration(_kept_figures_refresh)


# --- the route (tests/leerroutes) ------------------------------------------------------------

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Plan"

    route = factory.SubFactory(RouteFactory)
    number = 1
    plan_date = date(2025, 9, 1)
    perspective = "Vaste baan als straatmaker"
    support_plan = "Coach twee keer per week op de bouwplaats"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Goal"

    created_in = factory.SubFactory(PlanFactory)
    route = factory.SelfAttribute("created_in.route")
    description = factory.Sequence(lambda n: f"Werkdoel {n}")
    # The factory's goals are work goals (as their text says); the model's default is a
    # support goal, the safe side for a goal nobody classified.
    kind = "werkdoel"
    target_date = date(2026, 3, 1)


def _route_summary_refresh(obj, create, extracted, **kwargs) -> None:
    """Keep the route summary as the services do: entry and evaluation factories save past
    them."""
    if create:
        route_summaries_refresh([obj.route_id])


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.ProgressEntry"
        skip_postgeneration_save = True

    route = factory.SubFactory(RouteFactory)
    on = date(2025, 10, 1)
    text = factory.Sequence(lambda n: f"Logregel {n}")
    wellbeing = 4

    route_summary = factory.PostGeneration(_route_summary_refresh)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Certificate"
        skip_postgeneration_save = True

    route = factory.SubFactory(RouteFactory)
    kind = "branche"
    title = "VCA Basis"
    issued_on = date(2025, 11, 1)
    issuer = "SSVV"
    kept_figures = factory.PostGeneration(_kept_figures_refresh)


def certificate_with_evidence(route):
    """A certificate whose evidence is one small, fixed PDF in the private storage (written
    once, under a fixed name, so repeated runs leave no trail of files)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = "evidence/test-fixture.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(TINY_PDF))
    return CertificateFactory(route=route, evidence=name, evidence_content_type="application/pdf")


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_fixture_file() -> str:
    """One small fixed file under MEDIA_ROOT/reports/ (written once, under a fixed name, so
    repeated runs leave no trail of files); returns its path under MEDIA_ROOT."""
    from pathlib import Path

    from django.conf import settings

    name = "reports/test-fixture.xlsx"
    path = Path(settings.MEDIA_ROOT) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK fixture, not a real workbook")
    return name


class ReportRunFactory(factory.django.DjangoModelFactory):
    """A background export, queued; ``done=True`` gives it a finished file."""

    class Meta:
        model = "reporting.ReportRun"

    class Params:
        done = factory.Trait(
            status="done",
            progress=100,
            file=factory.LazyFunction(report_fixture_file),
            filename="prognose.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )

    kind = "forecast_xlsx"
    parameters = factory.Dict({"programme": 0, "from": "2025-09", "to": "2027-02"})
    requested_by = factory.SubFactory(UserFactory)
    academy = factory.SubFactory(AcademyFactory)
    role = Role.PROJECTLEIDER
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")


# --- employers and the employer's workplace pages (tests/employers) -------------------------------


class EmployerLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.EmployerLocation"

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Werf {n}")
    city = "Raalte"


class EmployerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.EmployerContact"

    employer = factory.SubFactory(EmployerFactory)
    role = "leermeester"
    name = factory.Sequence(lambda n: f"Leermeester {n}")


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.Vacancy"

    employer = factory.SubFactory(EmployerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    function = "Medewerker GWW"
    level = 2
    starts_on = date(2026, 9, 1)
    places = 2


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.Candidate"

    vacancy = factory.SubFactory(VacancyFactory)
    participant = factory.SubFactory(ParticipantFactory)


class PlacementArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.PlacementArrangement"

    placement = factory.SubFactory(PlacementFactory)
    kind = "loonkostensubsidie"
    starts_on = date(2025, 12, 1)


class AnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Analysis"

    route = factory.SubFactory(RouteFactory)
    number = 1
    made_on = date(2025, 9, 15)
    summary = factory.Sequence(lambda n: f"Analyse {n}")


class HoursWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.HoursWeek"

    route = factory.SubFactory(RouteFactory)
    week_start = date(2025, 10, 6)
    practice_hours = 24
    theory_hours = 8


class LeermeesterAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.LeermeesterAssessment"

    route = factory.SubFactory(RouteFactory)
    assessed_on = date(2025, 12, 1)
    leermeester_name = "Gerrit Nijland"
    work_attitude = 3
    professional_skills = 3
    cooperation = 3
    safety = 3


class HandelingswijzerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Handelingswijzer"

    participant = factory.SubFactory(ParticipantFactory)
    about_me = "Harde werker"
    written_on = date(2025, 10, 1)


# --- the progress dossier (tests/reporting/test_dossier*) ------------------------------------


class AnalysisDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.AnalysisDomain"

    analysis = factory.SubFactory(AnalysisFactory)
    domain = None  # a LifeDomain of the analysis' academy (leerroutes.services.life_domains_ensure)
    talents = "Handig met gereedschap"
    support_questions = "Plannen van de week"
    support_need = 1


class ArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Arrangement"

    route = factory.SubFactory(RouteFactory)
    number = 1
    decided_on = date(2025, 9, 20)


class ArrangementDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.ArrangementDomain"

    arrangement = factory.SubFactory(ArrangementFactory)
    domain = None  # a LifeDomain of the arrangement's academy
    intensity = "licht"
    supporters = factory.List(["coach"])
    hours_per_week = 2


class GoalStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.GoalStatusChange"

    goal = factory.SubFactory(GoalFactory)
    from_status = "open"
    to_status = "bezig"
    on = date(2025, 10, 15)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.Evaluation"
        skip_postgeneration_save = True

    route = factory.SubFactory(RouteFactory)
    held_on = date(2025, 12, 1)
    summary = factory.Sequence(lambda n: f"Evaluatie {n}: het gaat goed op de werf")

    route_summary = factory.PostGeneration(_route_summary_refresh)


class RocResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerroutes.RocResult"

    route = factory.SubFactory(RouteFactory)
    kind = "toets"
    title = "Toets grondwerk"
    on = date(2025, 11, 20)
    grade = "7,5"
    passed = True
