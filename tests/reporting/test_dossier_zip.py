"""A cohort's internal dossiers as one ZIP: one safely named PDF per member, a bar that moves
after each dossier, for the academy's regisseur only (after the password again)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maatwerq.accounts.models import Role
from maatwerq.audit.models import AuditEvent
from reporting.dossier import kinds
from reporting.dossier.services import cohort_dossiers_request
from reporting.models import ReportRun, RunStatus
from reporting.registry import ReportUnavailable
from tests.factories import (
    PASSWORD,
    CohortFactory,
    MembershipFactory,
    ProgrammeFactory,
    ReportRunFactory,
    UserFactory,
    participant_in,
)

from .conftest_dossier import SECRET_CARE, act_as, build_route, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world):
    """The world's Groep 27 (Daan, Noor) with namesakes and a name full of path characters."""
    build_route(world.participant, goals=2, entries=3, evaluations=1, weeks=2)
    for first, last in [("Jan", "de Vries"), ("Jan", "de Vries"), ("x", "../../etc/pass wd\\..")]:
        participant_in(world.cohort, first_name=first, last_name=last, coach=world.users["coach"])
    return world.cohort


def zip_run(world, cohort, user=None, role=Role.REGISSEUR):
    return ReportRunFactory(
        kind="cohort_dossiers_zip",
        parameters={"cohort": cohort.pk, "language": "en"},
        requested_by=user or world.users["regisseur"],
        academy=world.academy,
        role=role,
    )


def test_zip_holds_one_safely_named_internal_dossier_per_member(world, cohort, tmp_path):
    name, path = kinds.cohort_dossiers_zip(zip_run(world, cohort), lambda *args: None)
    assert name.startswith("dossiers-binq-groep-27-")
    assert name.endswith(".zip")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pdfs = {n: archive.read(n) for n in names}
    path.unlink()
    assert sorted(names) == [
        "dossier-anderman-noor.pdf",
        "dossier-de-vries-jan-2.pdf",
        "dossier-de-vries-jan.pdf",
        "dossier-etcpass-wd-x.pdf",
        "dossier-zichtbaar-daan.pdf",
    ]
    for entry in names:
        assert "/" not in entry
        assert "\\" not in entry
        assert ".." not in entry
    daan_text = pdf_text(pdfs["dossier-zichtbaar-daan.pdf"], tmp_path)
    assert "Progress dossier (internal)" in daan_text
    assert "Daan Zichtbaar" in daan_text
    assert "Analyse: motivatie is hoog" in daan_text
    noor_text = pdf_text(pdfs["dossier-anderman-noor.pdf"], tmp_path)
    assert "Noor Anderman" in noor_text
    assert "Zichtbaar" not in noor_text
    for pdf in pdfs.values():
        assert pdf.startswith(b"%PDF")
        assert SECRET_CARE not in pdf_text(pdf, tmp_path)
        assert "ZORG-GEHEIM" not in pdf_text(pdf, tmp_path)


def test_zip_progress_rises_after_each_dossier(world, cohort):
    progress = []
    _name, path = kinds.cohort_dossiers_zip(
        zip_run(world, cohort), lambda p, *m: progress.append(p)
    )
    path.unlink()
    assert len(progress) == 5  # one call per dossier
    assert progress == sorted(progress)
    assert len(set(progress)) == len(progress)  # strictly rising
    assert progress[0] == pytest.approx(20)
    assert progress[-1] == pytest.approx(100)


def test_zip_of_another_academys_cohort_is_refused(world):
    foreign = CohortFactory(programme=ProgrammeFactory(academy=world.other_academy))
    with pytest.raises(ReportUnavailable):
        kinds.cohort_dossiers_zip(zip_run(world, foreign), lambda *a: None)


def test_zip_only_for_the_regisseur(world, cohort):
    run = zip_run(world, cohort, user=world.users["coach"], role=Role.COACH)
    with pytest.raises(ReportUnavailable):
        kinds.cohort_dossiers_zip(run, lambda *a: None)


def test_cohort_page_and_request_for_the_regisseur_after_the_password(
    world, cohort, client_for, django_capture_on_commit_callbacks
):
    client = client_for("regisseur")
    page = client.get(reverse("reporting:cohort_dossiers"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Groep 27" in body
    assert "Zichtbaar" not in body  # groups and counts, no names
    url = reverse("reporting:cohort_dossiers_request", args=[cohort.pk])
    assert url in body

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ReportRun.objects.exists()  # nothing before the password
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    run = ReportRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reporting:run_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.message
    assert run.progress == 100

    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 5
    event = AuditEvent.objects.get(action="export")
    assert event.detail["kind"] == "cohort_dossiers_zip"
    assert event.detail["parameters"]["cohort"] == cohort.pk
    assert event.participant is None  # a whole group: the cohort is in the detail


@pytest.mark.parametrize("persona", ["coach", "projectleider", "employer", "beheerder"])
def test_cohort_zip_is_closed_to_everyone_else(world, cohort, client_for, persona):
    client = client_for(persona)
    assert client.get(reverse("reporting:cohort_dossiers")).status_code == 403
    url = reverse("reporting:cohort_dossiers_request", args=[cohort.pk])
    assert client.post(url).status_code == 403
    assert not ReportRun.objects.exists()


def test_regisseur_of_another_academy_gets_no_zip_of_this_cohort(world, cohort, client_for):
    foreign = UserFactory(email="regisseur-twente@example.test")
    MembershipFactory(user=foreign, academy=world.other_academy, role=Role.REGISSEUR)
    client = client_for("anonymous")
    client.force_login(foreign)
    page = client.get(reverse("reporting:cohort_dossiers"))
    assert page.status_code == 200
    assert "Groep 27" not in page.content.decode()
    response = client.post(reverse("reporting:cohort_dossiers_request", args=[cohort.pk]))
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        cohort_dossiers_request(cohort=cohort, by=act_as(foreign), language="en")
    assert not ReportRun.objects.exists()


def test_cohort_page_lists_running_groups_first_then_those_to_start_then_ended(world, client_for):
    """Issue 17: the ZIP page lists the current groups first."""
    from datetime import date, timedelta

    from django.utils import timezone

    from reporting.dossier.views import cohorts_current_first

    today = timezone.localdate()
    programme = world.programme
    ended = CohortFactory(programme=programme, name="Oud", start_date=date(2015, 2, 1))
    later = CohortFactory(programme=programme, name="Straks", start_date=today + timedelta(60))
    running = CohortFactory(programme=programme, name="Nu", start_date=today - timedelta(30))
    older_running = CohortFactory(
        programme=programme, name="Sinds vorig jaar", start_date=today - timedelta(400)
    )
    ordered = cohorts_current_first([ended, later, older_running, running], today)
    assert [c.name for c in ordered] == ["Nu", "Sinds vorig jaar", "Straks", "Oud"]
    assert [c.phase for c in ordered] == ["running", "running", "upcoming", "ended"]
    body = client_for("regisseur").get(reverse("reporting:cohort_dossiers")).content.decode()
    assert body.index(">Nu<") < body.index(">Straks<") < body.index(">Oud<")


def test_dashboard_links_the_zip_page_for_the_regisseur_only(world, client_for):
    link = 'id="cohort-dossiers-link"'
    dashboard = reverse("reporting:dashboard")
    assert link in client_for("regisseur").get(dashboard).content.decode()
    assert link not in client_for("projectleider").get(dashboard).content.decode()
