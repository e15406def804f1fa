"""The participant's own view: what Daan sees, what never reaches him, his voice and his
consents, and how long his access lasts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leerroutes.models import ProgressEntry, Reflection, SelfReportedWellbeing
from maatwerq.audit.models import Action, AuditEvent
from participants.models import Consent, Status
from tests.conftest import module_data

from .conftest import (
    GOAL_TEXT,
    HW_TEXT,
    PERSPECTIVE,
    SECRETS,
    SHARED_LOG,
    make_deelnemer,
    plant_route,
)

pytestmark = pytest.mark.django_db


def _deelnemer_and_route(world):
    return make_deelnemer(world), plant_route(world)


# Daan's login and planted route, built once for the module (tests/conftest.py, module_data):
# each test reads them, or writes what its savepoint undoes.
_shared = module_data(_deelnemer_and_route)


@pytest.fixture
def world(_shared, db):
    """With Daan read afresh: the tests of leaving change his route's object."""
    world = _shared[0]
    return replace(world, participant=type(world.participant).objects.get(pk=world.participant.pk))


@pytest.fixture
def deelnemer(_shared, db):
    return _shared[1][0]


@pytest.fixture
def planted(_shared, db):
    return _shared[1][1]


PAGES = ["portal:home", "portal:goals", "portal:evaluations", "portal:results", "portal:privacy",
         "portal:dossier"]  # fmt: skip


def _body(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_portal_page_shows_nothing_planted(name, world, planted, deelnemer_client):
    response = deelnemer_client.get(reverse(name))
    assert response.status_code == 200
    body = _body(response)
    for secret in SECRETS:
        assert secret not in body, (name, secret)


def test_portal_shows_own_route_in_plain_view(world, planted, deelnemer_client):
    home = _body(deelnemer_client.get(reverse("portal:home")))
    assert planted.phases[1].name in home  # the step after the last talk
    assert 'id="goal-progress"' in home
    assert 'value="0" max="1"' in home  # no goal reached yet, of one
    goals = _body(deelnemer_client.get(reverse("portal:goals")))
    assert GOAL_TEXT in goals
    assert PERSPECTIVE in goals
    results = _body(deelnemer_client.get(reverse("portal:results")))
    assert SHARED_LOG.replace("!", "") in results
    assert "VCA Basis" in results
    assert 'id="hours-practice">24' in results
    talks = _body(deelnemer_client.get(reverse("portal:evaluations")))
    assert f'id="talk-{planted.evaluation.pk}"' in talks


def test_portal_page_writes_one_read_event(world, planted, deelnemer, deelnemer_client):
    before = AuditEvent.objects.count()
    deelnemer_client.get(reverse("portal:goals"))
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.action, event.participant) == (
        deelnemer,
        Action.READ,
        world.participant,
    )


def test_home_sends_a_deelnemer_to_the_portal(deelnemer_client):
    response = deelnemer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_deelnemer_without_a_linked_record_gets_404(world):
    from maatwerq.accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="los@example.test")
    MembershipFactory(user=user, academy=world.academy, role=Role.DEELNEMER)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 404


@pytest.mark.parametrize("persona", ["coach", "regisseur", "employer", "beheerder"])
def test_staff_get_nothing_from_the_portal(persona, world, planted, client_for):
    response = client_for(persona).get(reverse("portal:goals"))
    assert response.status_code == 404
    assert GOAL_TEXT not in _body(response)


# --- another participant's data: 404, nothing written ------------------------------------------


def test_reflection_on_another_participants_goal_is_404(planted, deelnemer_client):
    url = reverse("portal:goal_reflect", args=[planted.other_goal.pk])
    response = deelnemer_client.post(url, {f"goal-{planted.other_goal.pk}-text": "Hoi"})
    assert response.status_code == 404
    assert not Reflection.objects.exists()


def test_reflection_on_another_participants_evaluation_is_404(planted, deelnemer_client):
    evaluation = planted.other_evaluation
    url = reverse("portal:evaluation_reflect", args=[evaluation.pk])
    response = deelnemer_client.post(url, {f"talk-{evaluation.pk}-text": "Hoi"})
    assert response.status_code == 404
    assert not Reflection.objects.exists()


def test_withdrawing_another_participants_consent_is_404(world, planted, deelnemer_client):
    theirs = Consent.objects.create(
        participant=world.other_participant, scope="foto", given_on=date(2025, 9, 1),
        given_by="deelnemer",
    )  # fmt: skip
    response = deelnemer_client.post(reverse("portal:consent_withdraw", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_on is None


# --- my voice ----------------------------------------------------------------------------------


def test_reflection_on_a_goal_is_saved_and_escaped(planted, deelnemer, deelnemer_client):
    goal = planted.goal
    text = "<script>alert('x')</script> Ik vind het <b>moeilijk</b>"
    response = deelnemer_client.post(
        reverse("portal:goal_reflect", args=[goal.pk]), {f"goal-{goal.pk}-text": text}
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get()
    assert (reflection.goal, reflection.written_by, reflection.text) == (goal, deelnemer, text)
    body = _body(deelnemer_client.get(reverse("portal:goals")))
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="leerroutes.Reflection")


def test_reflection_on_an_evaluation_is_saved(planted, deelnemer_client):
    evaluation = planted.evaluation
    response = deelnemer_client.post(
        reverse("portal:evaluation_reflect", args=[evaluation.pk]),
        {f"talk-{evaluation.pk}-text": "Het gesprek ging goed."},
    )
    assert response.status_code == 302
    assert Reflection.objects.get().evaluation == evaluation


def test_reflection_longer_than_1000_characters_is_refused(planted, deelnemer_client):
    goal = planted.goal
    response = deelnemer_client.post(
        reverse("portal:goal_reflect", args=[goal.pk]), {f"goal-{goal.pk}-text": "a" * 1001}
    )
    assert response.status_code == 400
    assert "1000" in _body(response)
    assert not Reflection.objects.exists()


def test_reflection_service_refuses_anyone_but_the_participant(world, planted):
    from django.core.exceptions import PermissionDenied

    from portal.services import reflection_add

    with pytest.raises(PermissionDenied):
        reflection_add(
            participant=world.participant, text="Namens Daan", goal=planted.goal,
            by=world.users["coach"],
        )  # fmt: skip


def test_wellbeing_is_kept_apart_from_the_coachs_scores(world, planted, deelnemer_client):
    coach_scores = list(ProgressEntry.objects.values_list("wellbeing", flat=True))
    deelnemer_client.post(reverse("portal:wellbeing"), {"score": "2"})
    deelnemer_client.post(reverse("portal:wellbeing"), {"score": "5"})
    answer = SelfReportedWellbeing.objects.get()  # one per week: the second replaced the first
    assert answer.score == 5
    assert answer.route == world.participant.current_route
    assert list(ProgressEntry.objects.values_list("wellbeing", flat=True)) == coach_scores
    home = _body(deelnemer_client.get(reverse("portal:home")))
    assert 'id="id_score_5" value="5" checked' in home


def test_wellbeing_outside_the_scale_is_refused(planted, deelnemer_client):
    deelnemer_client.post(reverse("portal:wellbeing"), {"score": "9"})
    assert not SelfReportedWellbeing.objects.exists()


# --- consents: withdrawal takes effect at once --------------------------------------------------


def test_withdrawal_hides_the_handelingswijzer_from_the_employer_at_once(
    world, planted, deelnemer_client, client_for
):
    employer = client_for("employer")
    trainee_url = reverse("employers:workplace_trainee", args=[world.participant.pk])
    assert HW_TEXT in _body(employer.get(trainee_url))
    consent = Consent.objects.get(participant=world.participant, scope="handelingswijzer")

    response = deelnemer_client.post(reverse("portal:consent_withdraw", args=[consent.pk]))

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert HW_TEXT not in _body(employer.get(trainee_url))
    logged = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="participants.Consent", object_id=str(consent.pk)
    ).get()
    assert logged.detail["withdrawn"] is True


def test_participant_gives_a_consent(world, planted, deelnemer, deelnemer_client):
    response = deelnemer_client.post(reverse("portal:consent_give"), {"scope": "foto"})
    assert response.status_code == 302
    consent = Consent.objects.get(participant=world.participant, scope="foto")
    assert (consent.given_by, consent.recorded_by) == ("deelnemer", deelnemer)
    assert consent.given_on == timezone.localdate()


def test_a_second_active_consent_is_refused(planted, deelnemer_client):
    response = deelnemer_client.post(reverse("portal:consent_give"), {"scope": "handelingswijzer"})
    assert response.status_code == 400
    assert Consent.objects.filter(scope="handelingswijzer").count() == 1


# --- who sees my data ---------------------------------------------------------------------------


def test_privacy_page_names_who_sees_what_and_why(world, planted, deelnemer_client):
    body = _body(deelnemer_client.get(reverse("portal:privacy")))
    for name in ("coach", "regisseur", "projectleider"):  # the world's staff, by full name
        assert f": {name}</strong>" in body
    assert "Nijland Infra" in body  # the employer of the running placement
    assert "Van der Wal Transport" not in body  # Noor's employer
    assert "1 september 2025" in body  # the date the handelingswijzer consent was given


def test_privacy_page_lists_the_employer_that_sees_daan_as_a_candidate(
    world, planted, deelnemer_client
):
    """Issue 17: an employer to whom Daan's work profile is shown (proposed for its open
    vacancy, his consent "kandidaatprofiel" holding) is listed with what it sees; not without
    the consent, not for a closed vacancy, not another young person's candidacy."""
    from tests.factories import CandidateFactory, ConsentFactory, VacancyFactory

    daan, noor = world.participant, world.other_participant
    other = world.other_employer_org
    shown = VacancyFactory(employer=other, programme=world.programme, function="Heftruckrijder")
    closed = VacancyFactory(
        employer=other, programme=world.programme, function="GESLOTEN-VACATURE", is_open=False
    )
    only_noor = VacancyFactory(
        employer=world.employer_org, programme=world.programme, function="NOOR-VACATURE"
    )
    for vacancy in (shown, closed):
        CandidateFactory(vacancy=vacancy, participant=daan)
    CandidateFactory(vacancy=only_noor, participant=noor)
    ConsentFactory(participant=noor, scope="kandidaatprofiel")

    def viewers() -> str:
        body = _body(deelnemer_client.get(reverse("portal:privacy")))
        return body.split('id="viewers"')[1].split("</ul>")[0]

    assert "Heftruckrijder" not in viewers()  # no consent: the employer sees nothing
    ConsentFactory(participant=daan, scope="kandidaatprofiel", given_on=date(2025, 9, 1))
    listed = viewers()
    assert "portal-viewer-candidate_employer" in listed
    assert f"{other.name} (Heftruckrijder)" in listed
    assert "je voornaam" in listed
    assert "werkdoelen" in listed
    assert "GESLOTEN-VACATURE" not in listed
    assert "NOOR-VACATURE" not in listed


def test_audit_list_shows_who_opened_the_record(world, planted, deelnemer_client, client_for):
    client_for("regisseur").get(
        reverse("participants:participant_detail", args=[world.participant.pk])
    )
    client_for("other_coach").get(reverse("home"))  # about nobody in particular
    body = _body(deelnemer_client.get(reverse("portal:privacy")))
    openings = body.split('id="opening-list"')[1]
    assert "<strong>regisseur</strong> · Regisseur" in openings
    assert "other coach" not in openings
    assert "participant_detail" not in openings  # the event's detail is not shown
    assert "<strong>Daan</strong>" not in openings  # one's own visits are left out


def test_lists_and_exports_with_the_name_show_who_and_when(
    world, planted, deelnemer_client, client_for
):
    """Issue 14: a list read and a bulk export that named Daan among others are on his page,
    one line each with who and in what role; one that did not name him is not."""
    client_for("projectleider").get(reverse("participants:participant_list"))
    client_for("regisseur").get(reverse("participants:participant_export"))
    client_for("other_coach").get(reverse("participants:participant_list"))  # Noor only
    body = _body(deelnemer_client.get(reverse("portal:privacy")))
    listings = body.split('id="listing-list"')[1].split("</ul>")[0]
    assert listings.count("<li") == 2
    assert "Opgenomen in een lijst door <strong>projectleider</strong> · Projectleider" in listings
    assert "Opgenomen in een export door <strong>regisseur</strong> · Regisseur" in listings
    assert "other coach" not in listings
    openings = body.split('id="opening-list"')[1].split("</ul>")[0]
    assert "projectleider" not in openings  # a list is not an opening of the record


# --- access after leaving -----------------------------------------------------------------------


def _leave(participant, end_date: date) -> None:
    route = participant.current_route
    route.status = Status.AFGEROND
    route.start_date = min(route.start_date, end_date)
    route.end_date = end_date
    route.save(update_fields=["status", "start_date", "end_date"])


def test_access_stays_open_within_the_years_after_leaving(world, planted, deelnemer_client):
    _leave(world.participant, timezone.localdate() - timedelta(days=365))
    response = deelnemer_client.get(reverse("portal:goals"))
    assert response.status_code == 200
    assert GOAL_TEXT in _body(response)


def test_access_ends_after_the_years_after_leaving(world, planted, deelnemer_client, settings):
    settings.PORTAL_ACCESS_YEARS_AFTER_LEAVING = 1
    _leave(world.participant, timezone.localdate() - timedelta(days=367))
    for name in ("portal:home", "portal:goals", "portal:privacy", "portal:dossier"):
        response = deelnemer_client.get(reverse(name))
        assert response.status_code == 403
        assert GOAL_TEXT not in _body(response)
    response = deelnemer_client.post(reverse("portal:wellbeing"), {"score": "3"})
    assert response.status_code == 403
    assert not SelfReportedWellbeing.objects.exists()


def test_access_years_default_to_two(world, planted, deelnemer_client, settings):
    del settings.PORTAL_ACCESS_YEARS_AFTER_LEAVING  # not set: the default of 2 years holds
    _leave(world.participant, timezone.localdate() - timedelta(days=700))
    assert deelnemer_client.get(reverse("portal:home")).status_code == 200
    _leave(world.participant, timezone.localdate() - timedelta(days=740))
    assert deelnemer_client.get(reverse("portal:home")).status_code == 403


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["portal:goals", "portal:evaluations", "portal:privacy"])
def test_portal_page_queries_do_not_grow_with_rows(
    name, world, planted, deelnemer_client, client_for
):
    from leerroutes.models import Evaluation, Goal
    from portal.services import reflection_add

    deelnemer = world.participant.user
    reflection_add(participant=world.participant, text="Eerste", goal=planted.goal, by=deelnemer)
    few = _queries(deelnemer_client, reverse(name))
    coach = client_for("coach")
    detail = reverse("participants:participant_detail", args=[world.participant.pk])
    route = world.participant.current_route
    for i in range(8):
        goal = Goal.objects.create(
            route=route, description=f"Doel {i}", target_date=date(2026, 3, 1),
            created_in=planted.goal.created_in,
        )  # fmt: skip
        evaluation = Evaluation.objects.create(
            route=route, held_on=date(2025, 11, i + 1), summary="x"
        )
        reflection_add(participant=world.participant, text=f"R{i}", goal=goal, by=deelnemer)
        reflection_add(
            participant=world.participant, text=f"E{i}", evaluation=evaluation, by=deelnemer
        )
        coach.get(detail)  # more openings to list
        coach.get(reverse("participants:participant_list"))  # and lists with his name
    assert _queries(deelnemer_client, reverse(name)) == few
