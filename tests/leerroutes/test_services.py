"""The route's services, called directly: versions, history, refusals (nothing written)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leerroutes import selectors, services
from leerroutes.diffs import plan_diff
from leerroutes.models import (
    Analysis,
    Certificate,
    Evaluation,
    Goal,
    GoalStatus,
    HoursWeek,
    Plan,
    ProgressEntry,
    RouteSummary,
)
from participants.models import Consent, ConsentScope
from tests.factories import (
    TINY_PDF,
    EvaluationFactory,
    GoalFactory,
    PlanFactory,
    ProgrammeFactory,
    participant_in,
)

from .conftest import audit_count, plan_with_goal

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _error_fields(error: ValidationError) -> set:
    return set(error.error_dict) if hasattr(error, "error_dict") else {None}


# --- analysis ------------------------------------------------------------------------------


def test_analysis_new_version_keeps_the_old_one(route, regisseur):
    first = services.analysis_create(
        participant=route.participant,
        made_on=date(2025, 8, 1),
        summary="Eerste beeld",
        domains=[services.DomainAnalysis(domain=route.domains[0], support_need=2)],
        by=regisseur,
    )
    second = services.analysis_create(
        participant=route.participant,
        made_on=date(2025, 12, 1),
        summary="Tweede beeld",
        domains=[services.DomainAnalysis(domain=route.domains[0], support_need=1)],
        by=regisseur,
    )
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.summary == "Eerste beeld"
    assert first.domains.get().support_need == 2
    assert selectors.analysis_get(route.route).pk == second.pk
    assert selectors.analysis_get(route.route, 1).summary == "Eerste beeld"


def test_analysis_support_need_outside_the_scale_is_refused(route, regisseur):
    before = audit_count()
    with pytest.raises(ValidationError):
        services.analysis_create(
            participant=route.participant,
            made_on=date(2025, 8, 1),
            summary="Beeld",
            domains=[services.DomainAnalysis(domain=route.domains[0], support_need=4)],
            by=regisseur,
        )
    assert not Analysis.objects.exists()
    assert audit_count() == before


# --- plan ----------------------------------------------------------------------------------


def test_changed_plan_is_a_new_version_and_the_old_one_reads_as_it_was(route, coach):
    first = plan_with_goal(route, coach, description="Op tijd komen")
    goal = Goal.objects.get()
    second = services.plan_save(
        participant=route.participant,
        based_on=1,
        plan_date=date(2025, 12, 1),
        perspective="Vaste baan als machinist",
        support_plan=first.support_plan,
        goals=[
            services.GoalData(
                pk=goal.pk, description="Elke dag om 7.00 uur", target_date=goal.target_date
            ),
            services.GoalData(description="VCA halen", target_date=date(2026, 2, 1)),
        ],
        by=coach,
    )
    assert second.number == 2
    first.refresh_from_db()
    assert first.perspective == "Vaste baan als straatmaker"
    assert [g["description"] for g in first.goals_snapshot] == ["Op tijd komen"]
    assert [g["description"] for g in second.goals_snapshot] == [
        "Elke dag om 7.00 uur",
        "VCA halen",
    ]
    diff = plan_diff(first, second)
    kinds = sorted(change.kind for change in diff.goals)
    assert kinds == ["added", "changed"]
    perspective = diff.texts[0]
    assert perspective.changed
    assert ("removed", "straatmaker") in [(s.kind, s.text) for s in perspective.segments]
    assert not diff.texts[1].changed


def test_goal_without_description_is_refused_and_nothing_written(route, coach):
    before = audit_count()
    with pytest.raises(ValidationError) as caught:
        services.plan_save(
            participant=route.participant,
            based_on=0,
            plan_date=date(2025, 9, 1),
            perspective="Vaste baan",
            support_plan="",
            goals=[services.GoalData(description="  ", target_date=date(2026, 1, 1), row=0)],
            by=coach,
        )
    assert _error_fields(caught.value) == {"goals-0-description"}
    assert not Plan.objects.exists()
    assert not Goal.objects.exists()
    assert audit_count() == before


def test_target_date_before_the_plan_date_is_refused(route, coach):
    with pytest.raises(ValidationError) as caught:
        services.plan_save(
            participant=route.participant,
            based_on=0,
            plan_date=date(2025, 9, 1),
            perspective="Vaste baan",
            support_plan="",
            goals=[services.GoalData(description="VCA", target_date=date(2025, 8, 31), row=1)],
            by=coach,
        )
    assert _error_fields(caught.value) == {"goals-1-target_date"}
    assert not Plan.objects.exists()


def test_second_save_on_a_stale_version_is_refused_not_lost(route, coach, regisseur):
    """Two people opened version 1; the first save wins, the second is refused with a
    message and writes nothing."""
    plan_with_goal(route, coach)
    services.plan_save(
        participant=route.participant,
        based_on=1,
        plan_date=date(2025, 10, 1),
        perspective="Eerste wijziging",
        support_plan="",
        goals=[],
        by=coach,
    )
    before = audit_count()
    with pytest.raises(ValidationError) as caught:
        services.plan_save(
            participant=route.participant,
            based_on=1,
            plan_date=date(2025, 10, 1),
            perspective="Tweede wijziging",
            support_plan="",
            goals=[],
            by=regisseur,
        )
    assert "versie 2" in caught.value.messages[0]
    assert Plan.objects.count() == 2
    assert selectors.plan_get(route.route).perspective == "Eerste wijziging"
    assert audit_count() == before


def test_saving_an_unchanged_plan_makes_no_version(route, coach):
    first = plan_with_goal(route, coach)
    with pytest.raises(ValidationError):
        services.plan_save(
            participant=route.participant,
            based_on=1,
            plan_date=first.plan_date,
            perspective=first.perspective,
            support_plan=first.support_plan,
            goals=[],
            by=coach,
        )
    assert Plan.objects.count() == 1


def test_plan_signed_off_twice_is_refused(route, coach, regisseur):
    plan = plan_with_goal(route, coach)
    services.plan_sign_off(participant=route.participant, plan=plan, by=regisseur)
    before = audit_count()
    with pytest.raises(ValidationError) as caught:
        services.plan_sign_off(participant=route.participant, plan=plan, by=regisseur)
    assert "al vastgesteld" in caught.value.messages[0]
    plan.refresh_from_db()
    assert plan.signed_off_by == regisseur
    assert audit_count() == before


def test_only_the_latest_version_can_be_signed_off(route, coach, regisseur):
    first = plan_with_goal(route, coach)
    services.plan_save(
        participant=route.participant,
        based_on=1,
        plan_date=first.plan_date,
        perspective="Anders",
        support_plan="",
        goals=[],
        by=coach,
    )
    with pytest.raises(ValidationError):
        services.plan_sign_off(participant=route.participant, plan=first, by=regisseur)
    first.refresh_from_db()
    assert not first.is_signed_off


def test_under_18_a_parent_agrees_as_well(world, route, coach):
    participant = route.participant
    participant.date_of_birth = timezone.localdate() - timedelta(days=17 * 365)
    participant.save(update_fields=["date_of_birth"])
    plan = plan_with_goal(route, coach)
    with pytest.raises(ValidationError) as caught:
        services.plan_agreement_record(
            participant=participant, plan=plan, agreed_on=timezone.localdate(), by=coach
        )
    assert _error_fields(caught.value) == {"parent_name"}
    services.plan_agreement_record(
        participant=participant,
        plan=plan,
        agreed_on=timezone.localdate(),
        parent_name="Moeder",
        parent_agreed_on=timezone.localdate(),
        by=coach,
    )
    plan.refresh_from_db()
    assert (plan.parent_name, plan.agreed_on) == ("Moeder", timezone.localdate())


def test_goal_status_keeps_its_history(route, coach):
    plan_with_goal(route, coach)
    goal = Goal.objects.get()
    services.goal_status_change(
        participant=route.participant,
        goal=goal,
        to_status=GoalStatus.IN_PROGRESS,
        on=date(2025, 10, 1),
        by=coach,
    )
    services.goal_status_change(
        participant=route.participant,
        goal=goal,
        to_status=GoalStatus.REACHED,
        on=date(2025, 12, 1),
        note="Drie weken op tijd",
        by=coach,
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED
    history = list(goal.status_changes.values_list("from_status", "to_status", "on"))
    assert history == [
        ("open", "bezig", date(2025, 10, 1)),
        ("bezig", "behaald", date(2025, 12, 1)),
    ]
    with pytest.raises(ValidationError):
        services.goal_status_change(
            participant=route.participant,
            goal=goal,
            to_status=GoalStatus.REACHED,
            on=date(2025, 12, 2),
            by=coach,
        )
    assert goal.status_changes.count() == 2


# --- phases --------------------------------------------------------------------------------


def test_phase_moves_only_by_an_evaluation_decision(route, coach):
    first, second = route.phases[0], route.phases[1]
    assert selectors.current_phase(route.route) == first
    # Time passing, log entries, hours and a plan do not move it.
    plan_with_goal(route, coach)
    services.progress_entry_add(
        participant=route.participant, on=date(2026, 6, 1), text="Goed", wellbeing=5, by=coach
    )
    services.hours_record(
        participant=route.participant,
        week_start=date(2026, 6, 1),
        practice_hours=Decimal(24),
        theory_hours=Decimal(8),
        by=coach,
    )
    assert selectors.current_phase(route.route) == first
    # An evaluation that decides to stay keeps it; one that decides to move, moves it.
    services.evaluation_record(
        participant=route.participant, held_on=date(2025, 12, 1), summary="Blijft", by=coach
    )
    assert selectors.current_phase(route.route) == first
    moved = services.evaluation_record(
        participant=route.participant,
        held_on=date(2026, 3, 1),
        summary="Klaar voor de werkelijkheid",
        phase_decision=second,
        next_on=date(2026, 6, 1),
        by=coach,
    )
    assert moved.phase_before == first
    assert moved.moved_phase
    assert selectors.current_phase(route.route) == second


def test_evaluation_with_a_phase_of_another_programme_is_refused(route, coach):
    other = services.phases_ensure(programme=ProgrammeFactory(academy=route.participant.academy))
    with pytest.raises(ValidationError) as caught:
        services.evaluation_record(
            participant=route.participant,
            held_on=date(2025, 12, 1),
            summary="Besproken",
            phase_decision=other[1],
            by=coach,
        )
    assert _error_fields(caught.value) == {"phase_decision"}
    assert not Evaluation.objects.exists()


# --- progress log --------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 6, -1])
def test_wellbeing_outside_the_scale_is_refused(route, coach, score):
    with pytest.raises(ValidationError) as caught:
        services.progress_entry_add(
            participant=route.participant,
            on=date(2025, 10, 1),
            text="Goed gewerkt",
            wellbeing=score,
            by=coach,
        )
    assert _error_fields(caught.value) == {"wellbeing"}
    assert not ProgressEntry.objects.exists()


def test_entry_with_a_goal_of_another_route_is_refused(world, route, coach):
    foreign_goal = GoalFactory(created_in=PlanFactory(route=world.other_participant.current_route))
    with pytest.raises(ValidationError):
        services.progress_entry_add(
            participant=route.participant,
            on=date(2025, 10, 1),
            text="Goed",
            wellbeing=4,
            goals=[foreign_goal],
            by=coach,
        )
    assert not ProgressEntry.objects.exists()


def test_entry_writes_one_audit_event_without_its_text(route, coach):
    before = audit_count()
    entry = services.progress_entry_add(
        participant=route.participant,
        on=date(2025, 10, 1),
        text="Geheime tekst",
        wellbeing=4,
        hours_present=Decimal("7.5"),
        shareable=True,
        by=coach,
    )
    assert audit_count() == before + 1
    from maatwerq.audit.models import AuditEvent

    event = AuditEvent.objects.order_by("-id").first()
    assert event.object_id == str(entry.pk)
    assert event.participant_id == route.participant.pk
    assert "Geheime" not in str(event.detail)


# --- hours ---------------------------------------------------------------------------------


def test_hours_over_60_a_week_are_refused(route, coach):
    with pytest.raises(ValidationError) as caught:
        services.hours_record(
            participant=route.participant,
            week_start=date(2025, 10, 6),
            practice_hours=Decimal(52),
            theory_hours=Decimal("8.5"),
            by=coach,
        )
    assert _error_fields(caught.value) == {"practice_hours"}
    assert not HoursWeek.objects.exists()


def test_hours_are_kept_per_week_and_summed_per_month(route, coach):
    def record(day, practice, theory):
        services.hours_record(
            participant=route.participant,
            week_start=day,
            practice_hours=Decimal(practice),
            theory_hours=Decimal(theory),
            by=coach,
        )

    record(date(2025, 10, 8), 20, 8)  # a Wednesday: stored as the Monday, 6 October
    record(date(2025, 10, 6), 24, 8)  # the same week again: a correction
    record(date(2025, 10, 13), 26, 6)
    record(date(2025, 11, 3), 25, 7)
    assert HoursWeek.objects.count() == 3
    assert HoursWeek.objects.filter(week_start=date(2025, 10, 6), practice_hours=24).exists()
    months = selectors.hours_per_month(route.route)
    assert [(m.month, m.practice, m.theory, m.total) for m in months] == [
        (date(2025, 11, 1), 25, 7, 32),
        (date(2025, 10, 1), 50, 14, 64),
    ]


# --- certificates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(TINY_PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_evidence_is_judged_by_its_content(route, coach, settings, content, content_type):
    upload = SimpleUploadedFile("Daan Zichtbaar diploma.bin", content, "text/plain")
    certificate = services.certificate_add(
        participant=route.participant,
        kind="branche",
        title="VCA Basis",
        issued_on=date(2025, 11, 1),
        issuer="SSVV",
        evidence=upload,
        by=coach,
    )
    assert certificate.evidence_content_type == content_type
    assert "Zichtbaar" not in certificate.evidence.name  # no name of a person on disk
    stored = settings.MEDIA_ROOT / certificate.evidence.name
    assert stored.read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("diploma.pdf", b"<html><script>alert(1)</script></html>"),
        ("foto.png", b"GIF89a" + b"\x00" * 20),
        ("leeg.pdf", b""),
    ],
)
def test_evidence_that_is_not_a_pdf_or_image_is_refused(route, coach, name, content):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.certificate_add(
            participant=route.participant,
            kind="branche",
            title="VCA Basis",
            issued_on=date(2025, 11, 1),
            issuer="SSVV",
            evidence=upload,
            by=coach,
        )
    assert _error_fields(caught.value) == {"evidence"}
    assert not Certificate.objects.exists()


def test_evidence_over_5_mb_is_refused(route, coach, settings):
    upload = SimpleUploadedFile("groot.pdf", TINY_PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.certificate_add(
            participant=route.participant,
            kind="branche",
            title="VCA Basis",
            issued_on=date(2025, 11, 1),
            issuer="SSVV",
            evidence=upload,
            by=coach,
        )
    assert "5 MB" in caught.value.messages[0]
    assert not Certificate.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


# --- handelingswijzer ----------------------------------------------------------------------


def _write_handelingswijzer(route, coach):
    return services.handelingswijzer_save(
        participant=route.participant,
        written_on=date(2025, 10, 1),
        about_me="Harde werker, trots op zijn werk",
        instructions="Kort en concreet",
        by=coach,
    )


def _consent(participant, given_on, withdrawn_on=None):
    return Consent.objects.create(
        participant=participant,
        scope=ConsentScope.HANDELINGSWIJZER,
        given_on=given_on,
        given_by="deelnemer",
        withdrawn_on=withdrawn_on,
    )


def test_handelingswijzer_reaches_the_employer_only_with_an_active_consent(world, route, coach):
    note = _write_handelingswijzer(route, coach)
    employer = world.users["employer"]
    today = timezone.localdate()
    assert selectors.handelingswijzer_for_employer(employer, route.participant) is None
    consent = _consent(route.participant, today - timedelta(days=30))
    assert selectors.handelingswijzer_for_employer(employer, route.participant) == note
    # Withdrawn today: checked at the moment of showing, so gone at once.
    consent.withdrawn_on = today
    consent.save(update_fields=["withdrawn_on"])
    assert selectors.handelingswijzer_for_employer(employer, route.participant) is None


def test_handelingswijzer_consent_of_another_scope_or_in_the_future_does_not_count(
    world, route, coach
):
    _write_handelingswijzer(route, coach)
    today = timezone.localdate()
    Consent.objects.create(
        participant=route.participant,
        scope=ConsentScope.EMPLOYER_WORK_STATUS,
        given_on=today - timedelta(days=30),
        given_by="deelnemer",
    )
    _consent(route.participant, today + timedelta(days=3))
    employer = world.users["employer"]
    assert selectors.handelingswijzer_for_employer(employer, route.participant) is None


@pytest.mark.parametrize("persona", ["other_employer", "coach", "regisseur", "projectleider"])
def test_handelingswijzer_for_employer_is_for_the_placing_employer_only(
    world, route, coach, persona
):
    _write_handelingswijzer(route, coach)
    _consent(route.participant, timezone.localdate() - timedelta(days=30))
    user = world.users[persona]
    assert selectors.handelingswijzer_for_employer(user, route.participant) is None


# --- configuration -------------------------------------------------------------------------


def test_defaults_are_given_once_and_an_academy_keeps_its_own_list(world):
    first = services.life_domains_ensure(academy=world.academy)
    assert len(first) == 8
    first[0].name = "Vakmanschap"
    first[0].save()
    again = services.life_domains_ensure(academy=world.academy)
    assert [d.pk for d in again] == [d.pk for d in first]
    assert again[0].name == "Vakmanschap"


def test_caseload_marks_silent_logs_overdue_goals_and_evaluations_due(world, route, coach):
    today = timezone.localdate()
    plan_with_goal(route, coach)  # target 15 January 2026: past
    services.progress_entry_add(
        participant=route.participant,
        on=today - timedelta(days=20),
        text="Goed",
        wellbeing=4,
        by=coach,
    )
    other = participant_in(world.cohort, coach=coach)
    services.progress_entry_add(participant=other, on=today, text="Vandaag", wellbeing=5, by=coach)
    rows = {r.participant_id: r for r in selectors.caseload_for(coach)}
    assert set(rows) == {route.participant.pk, other.pk}
    mine = rows[route.participant.pk]
    assert mine.is_silent
    assert mine.overdue_goals == 1
    assert mine.evaluation_due  # started 1 September 2025, no evaluation yet
    assert mine.phase_name == route.phases[0].name
    assert not rows[other.pk].is_silent
    assert rows[other.pk].last_wellbeing == 5


# --- the caseload's route summary ----------------------------------------------------------


def _summary(route) -> tuple:
    row = RouteSummary.objects.filter(route=route).first()
    if row is None:
        return (None, None, None, None, None)
    return (
        row.last_entry_on,
        row.last_wellbeing,
        row.last_evaluation_on,
        row.next_evaluation_on,
        row.phase_id,
    )


def test_route_summary_keeps_the_latest_entry_evaluation_and_decision(world, route, coach):
    today = timezone.localdate()
    add = services.progress_entry_add
    add(
        participant=route.participant, on=today - timedelta(days=5), text="A", wellbeing=3, by=coach
    )
    assert _summary(route.route)[:2] == (today - timedelta(days=5), 3)
    # A late-written entry about an earlier day does not replace the latest one ...
    add(
        participant=route.participant,
        on=today - timedelta(days=30),
        text="B",
        wellbeing=1,
        by=coach,
    )
    assert _summary(route.route)[:2] == (today - timedelta(days=5), 3)
    # ... a second one on the same day does: it was recorded later.
    add(
        participant=route.participant, on=today - timedelta(days=5), text="C", wellbeing=5, by=coach
    )
    assert _summary(route.route)[:2] == (today - timedelta(days=5), 5)

    second = route.phases[1]
    services.evaluation_record(
        participant=route.participant,
        held_on=today - timedelta(days=10),
        summary="Door naar fase 2",
        phase_decision=second,
        next_on=today + timedelta(days=20),
        by=coach,
    )
    assert _summary(route.route)[2:] == (
        today - timedelta(days=10),
        today + timedelta(days=20),
        second.pk,
    )
    # A later evaluation without a decision (as an import could leave) keeps the decided
    # phase and brings its own dates.
    EvaluationFactory(route=route.route, held_on=today - timedelta(days=2), next_on=None)
    assert _summary(route.route)[2:] == (today - timedelta(days=2), None, second.pk)

    row = next(r for r in selectors.caseload_for(coach) if r.participant_id == route.participant.pk)
    assert (row.last_entry_on, row.last_wellbeing) == (today - timedelta(days=5), 5)
    assert (row.phase_name, row.next_evaluation_on) == (second.name, None)
    assert not row.evaluation_due  # evaluated two days ago, no next date set


def test_route_summaries_refresh_rebuilds_what_a_bulk_load_passed_by(world, route):
    today = timezone.localdate()
    other = world.other_participant.current_route
    ProgressEntry.objects.bulk_create(
        [
            ProgressEntry(route=route.route, on=today - timedelta(days=3), text="x", wellbeing=2),
            ProgressEntry(route=route.route, on=today - timedelta(days=9), text="y", wellbeing=4),
        ]
    )
    Evaluation.objects.bulk_create(
        [Evaluation(route=route.route, held_on=today - timedelta(days=1), summary="z")]
    )
    assert _summary(route.route) == (None, None, None, None, None)  # bulk_create passed by

    assert services.route_summaries_refresh([route.route, other.pk, route.route.pk]) == 2
    assert _summary(route.route) == (
        today - timedelta(days=3),
        2,
        today - timedelta(days=1),
        None,
        None,
    )
    assert _summary(other) == (None, None, None, None, None)
    assert services.route_summaries_refresh([route.route]) == 1  # idempotent
    assert RouteSummary.objects.count() == 2
