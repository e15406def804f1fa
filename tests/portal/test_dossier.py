"""My dossier: the participant's own copy of the PDF dossier through the ReportRun machinery
(reporting.dossier, kind dossier_participant)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.views import PARTICIPANT_DOSSIER_KIND
from reporting.models import ReportRun
from tests.factories import ReportRunFactory

from .conftest import GOAL_TEXT, SECRET_ANALYSIS, SECRET_OTHER_GOAL, SECRET_PRIVATE_LOG

pytestmark = pytest.mark.django_db


def test_participant_dossier_text_holds_nothing_planted(world, planted):
    """The participant variant's own text (the PDF is rendered from this HTML)."""
    from reporting.dossier.content import PARTICIPANT_SPEC, dossier_build
    from reporting.dossier.render import dossier_html

    daan = world.participant
    html = dossier_html(
        dossier_build(
            participant=daan,
            route=daan.current_route,
            spec=PARTICIPANT_SPEC,
            today=timezone.localdate(),
        )
    )
    assert GOAL_TEXT in html
    for secret in ("ZORG-GEHEIM", SECRET_ANALYSIS, SECRET_PRIVATE_LOG, SECRET_OTHER_GOAL,
                   "Anderman"):  # fmt: skip
        assert secret not in html, secret


def test_dossier_page_lists_own_runs_only(world, planted, deelnemer, deelnemer_client):
    mine = ReportRunFactory(
        kind=PARTICIPANT_DOSSIER_KIND, requested_by=deelnemer, academy=world.academy,
        role="deelnemer", status="running", progress=40,
    )  # fmt: skip
    theirs = ReportRunFactory(
        kind=PARTICIPANT_DOSSIER_KIND, requested_by=world.users["coach"], academy=world.academy,
        role="leerroutecoach",
    )  # fmt: skip
    body = deelnemer_client.get(reverse("portal:dossier")).content.decode()
    assert f'id="run-{mine.pk}"' in body
    assert 'value="40" max="100"' in body
    assert reverse("portal:dossier_status", args=[mine.pk]) in body  # polled while running
    assert str(theirs.pk) not in body
    other = deelnemer_client.get(reverse("portal:dossier_status", args=[theirs.pk]))
    assert other.status_code == 404


def test_dossier_request_without_the_kind_open_to_participants_creates_nothing(
    planted, deelnemer_client, monkeypatch
):
    """Until the kind admits the participant, the button answers kindly and makes no run."""
    monkeypatch.setattr("portal.views.PARTICIPANT_DOSSIER_KIND", "no_such_kind")
    response = deelnemer_client.post(reverse("portal:dossier"), follow=True)
    assert response.status_code == 200
    assert not ReportRun.objects.exists()


def test_participant_downloads_own_dossier(
    world, planted, deelnemer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deelnemer_client.post(reverse("portal:dossier"))
    run = ReportRun.objects.get(kind=PARTICIPANT_DOSSIER_KIND)
    run.refresh_from_db()
    assert run.status == "done", run.message
    response = deelnemer_client.get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
