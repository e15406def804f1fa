"""Who may ask for and download which dossier copy, through the views: 404 outside the scope,
403 when the participant is visible but the copy is not theirs, a clear refusal for the
employer's copy without consent; every download one audit event naming the participant."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from maatwerq.accounts.models import Role
from maatwerq.audit.models import AuditEvent
from reporting.dossier.content import EMPLOYER_SPEC, PARTICIPANT_SPEC
from reporting.dossier.services import MSG_NO_CONSENT
from reporting.models import ReportRun, RunStatus
from tests.conftest import module_data
from tests.factories import MembershipFactory, UserFactory

from .conftest_dossier import (
    act_as,
    build_daan,
    consent,
    request_dossier,
)

pytestmark = pytest.mark.django_db


# Daan's full route, built once for the module (tests/conftest.py, module_data): each test
# reads it, or writes what its savepoint undoes.
_shared = module_data(build_daan)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def daan(_shared, db):
    """Read afresh for each test: a test may change the object (its coach, say)."""
    return type(_shared[1]).objects.get(pk=_shared[1].pk)


PDF = "application/pdf"


def dossier_url(participant, slug: str) -> str:
    return reverse("reporting:dossier_request", args=[participant.pk, slug])


# persona -> variant slug -> expected answer: "run" (queued and redirected to its page) or a
# status code. With the participant's consent to share their work status.
EXPECTED = {
    "regisseur": {"intern": "run", "deelnemer": "run", "werkgever": "run"},
    "coach": {"intern": 403, "deelnemer": "run", "werkgever": "run"},
    "other_coach": {"intern": 404, "deelnemer": 404, "werkgever": 404},
    "projectleider": {"intern": 403, "deelnemer": 403, "werkgever": 403},
    "employer": {"intern": 403, "deelnemer": 403, "werkgever": "run"},
    "other_employer": {"intern": 404, "deelnemer": 404, "werkgever": 404},
    "beheerder": {"intern": 404, "deelnemer": 404, "werkgever": 404},
    "landelijk": {"intern": 404, "deelnemer": 404, "werkgever": 404},
}


@pytest.mark.parametrize("slug", ["intern", "deelnemer", "werkgever"])
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_who_may_ask_for_which_copy(
    world, daan, client_for, django_capture_on_commit_callbacks, persona, slug
):
    consent(daan)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(persona).post(dossier_url(daan, slug))
    expected = EXPECTED[persona][slug]
    if expected == "run":
        run = ReportRun.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
        assert run.parameters["participant"] == str(daan.pk)
        assert run.requested_by == world.users[persona]
        assert "Zichtbaar" not in str(run.parameters)  # ids only
    else:
        assert response.status_code == expected
        assert not ReportRun.objects.exists()
        assert "Zichtbaar" not in response.content.decode()


def test_anonymous_is_sent_to_log_in_and_get_is_refused(world, daan, client_for):
    response = client_for("anonymous").post(dossier_url(daan, "intern"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client_for("regisseur").get(dossier_url(daan, "intern")).status_code == 405
    assert client_for("regisseur").post(dossier_url(daan, "alles")).status_code == 404
    assert not ReportRun.objects.exists()


def test_regisseur_gets_nothing_of_another_academys_participant(world, client_for):
    foreign = world.foreign_participant
    for slug in ("intern", "deelnemer", "werkgever"):
        assert client_for("regisseur").post(dossier_url(foreign, slug)).status_code == 404
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("persona", ["coach", "regisseur"])
def test_employer_copy_without_consent_is_refused_with_a_clear_message(
    world, daan, client_for, persona
):
    response = client_for(persona).post(dossier_url(daan, "werkgever"), follow=True)
    assert response.redirect_chain == [
        (reverse("participants:participant_detail", args=[daan.pk]), 302)
    ]
    with translation.override("nl"):
        expected = gettext(MSG_NO_CONSENT)
    assert [m.message for m in response.context["messages"]] == [expected]
    assert escape(expected) in response.content.decode()
    assert not ReportRun.objects.exists()


def test_werkgever_without_consent_gets_nothing(world, daan, client_for):
    response = client_for("employer").post(dossier_url(daan, "werkgever"))
    assert response.status_code == 403
    assert not ReportRun.objects.exists()
    withdrawn = consent(daan, withdrawn_on=timezone.localdate())
    assert withdrawn.withdrawn_on is not None
    assert client_for("employer").post(dossier_url(daan, "werkgever")).status_code == 403
    assert not ReportRun.objects.exists()


def test_a_consent_withdrawn_before_the_worker_runs_fails_the_run(
    world, daan, django_capture_on_commit_callbacks
):
    given = consent(daan)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        from reporting.dossier.services import dossier_run_request

        run = dossier_run_request(
            participant=daan, spec=EMPLOYER_SPEC, by=act_as(world.users["coach"]), language="en"
        )
    given.withdrawn_on = timezone.localdate()
    given.save()
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.message == MSG_NO_CONSENT
    assert run.file == ""


# --- downloads ---------------------------------------------------------------------------


def test_download_writes_one_audit_event_naming_the_participant(
    world, daan, client_for, django_capture_on_commit_callbacks
):
    run = request_dossier(
        world.users["coach"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    before = AuditEvent.objects.count()
    response = client_for("coach").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert "dossier-zichtbaar-daan-deelnemer-" in response["Content-Disposition"]
    events = list(AuditEvent.objects.order_by("-at", "-id")[: AuditEvent.objects.count() - before])
    assert len(events) == 1
    event = events[0]
    assert event.action == "export"
    assert event.participant == daan
    assert event.actor == world.users["coach"]
    assert event.detail["kind"] == "dossier_participant"


def test_download_is_refused_once_the_participant_left_the_coachs_caseload(
    world, daan, client_for, django_capture_on_commit_callbacks
):
    run = request_dossier(
        world.users["coach"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    daan.coach = world.users["other_coach"]
    daan.save(update_fields=["coach"])
    before = AuditEvent.objects.count()
    response = client_for("coach").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_werkgever_downloads_the_employer_copy_while_the_consent_holds(
    world, daan, client_for, django_capture_on_commit_callbacks
):
    given = consent(daan)
    run = request_dossier(
        world.users["employer"], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
    )
    assert run.status == RunStatus.DONE
    client = client_for("employer")
    url = reverse("reporting:run_download", args=[run.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export", participant=daan).count() == 1
    # Withdrawn: the file is no longer theirs, at once.
    given.withdrawn_on = timezone.localdate()
    given.save()
    assert client.get(url).status_code == 404
    # Another employer never sees it at all.
    assert client_for("other_employer").get(url).status_code == 404


def test_runs_of_others_stay_theirs(world, daan, client_for, django_capture_on_commit_callbacks):
    run = request_dossier(
        world.users["regisseur"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    url = reverse("reporting:run_download", args=[run.pk])
    for persona in ("coach", "projectleider", "employer"):
        assert client_for(persona).get(url).status_code == 404
    colleague = UserFactory(email="regisseur2@example.test")
    MembershipFactory(user=colleague, academy=world.academy, role=Role.REGISSEUR)
    client = client_for("anonymous")
    client.force_login(colleague)
    assert client.get(url).status_code == 404  # not shared with the role: personal files


# --- the buttons partial -------------------------------------------------------------------


def buttons(world, persona, participant) -> str:
    request = RequestFactory().get("/")
    request.user = act_as(world.users[persona])
    return render_to_string(
        "reporting/dossier/_buttons.html", {"participant": participant}, request=request
    )


def test_buttons_show_what_the_user_may_ask_for(world, daan):
    html = buttons(world, "regisseur", daan)
    assert 'data-dossier="internal"' in html
    assert 'data-dossier="participant"' in html
    assert 'data-dossier="employer"' not in html
    assert 'id="dossier-employer-needs-consent"' in html
    assert dossier_url(daan, "intern") in html

    html = buttons(world, "coach", daan)
    assert 'data-dossier="internal"' not in html
    assert 'data-dossier="participant"' in html

    consent(daan)
    html = buttons(world, "coach", daan)
    assert 'data-dossier="employer"' in html
    assert "needs-consent" not in html
    assert 'data-dossier="employer"' in buttons(world, "employer", daan)
    assert 'data-dossier="participant"' not in buttons(world, "employer", daan)
    for persona in ("projectleider", "other_coach", "beheerder"):
        assert "dossier-buttons" not in buttons(world, persona, daan)
    assert "style=" not in html
    assert "<script" not in html


def test_a_participant_without_a_route_gets_a_message_not_a_run(world, client_for):
    from tests.factories import ParticipantFactory

    newcomer = ParticipantFactory(academy=world.academy, coach=world.users["coach"])
    response = client_for("coach").post(dossier_url(newcomer, "deelnemer"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "participants:participant_detail", args=[newcomer.pk]
    )
    assert len(list(response.context["messages"])) == 1
    assert not ReportRun.objects.exists()


def test_one_rule_admits_a_new_requester_to_the_file_and_its_download(
    world, daan, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    """The kind's permission carries the scope: the portal can later admit the participant to
    their own copy with one rule. Shown here with the projectleider."""
    import rules

    from maatwerq.accounts.rules import is_projectleider

    name = "reporting.dossier_participant"
    admitted = rules.permissions.permissions[name] | is_projectleider
    monkeypatch.setitem(rules.permissions.permissions, name, admitted)
    run = request_dossier(
        world.users["projectleider"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    assert run.status == RunStatus.DONE, run.message
    response = client_for("projectleider").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="export").participant == daan
