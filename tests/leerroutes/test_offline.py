"""The offline log (issue 20), server side: a change from a phone's queue is taken once per
id (a resend never makes a second entry), a goal status made on an old version of the goal
is held for the coach to choose, the audit names when it was made on the phone and when it
arrived, and logout wipes what the browser kept. The browser side is
tests/browser/test_offline_journey.py."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from leerroutes import services
from leerroutes.models import Goal, GoalStatus, GoalStatusChange, ProgressEntry, RouteSummary
from maatwerq.audit.models import Action, AuditEvent
from tests.factories import MembershipFactory

from .conftest import plan_with_goal

pytestmark = pytest.mark.django_db

MADE = datetime(2025, 10, 6, 9, 14, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(module_world, db):
    return module_world


@pytest.fixture
def goal(route, regisseur) -> Goal:
    plan_with_goal(route, regisseur)
    return Goal.objects.get(route=route.route)


def _entry(route, coach, client_uuid, text="Banden gesteld, netjes gewerkt"):
    return services.progress_entry_receive(
        participant=route.participant,
        on=date(2025, 10, 6),
        text=text,
        wellbeing=4,
        client_uuid=client_uuid,
        made_at=MADE,
        by=coach,
    )


# --- the services ----------------------------------------------------------------------------


def test_entry_sent_twice_is_made_once(route, coach):
    sent = uuid.uuid4()
    first, created = _entry(route, coach, sent)
    again, created_again = _entry(route, coach, sent, text="Anders verstuurd")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert list(ProgressEntry.objects.values_list("text", flat=True)) == [
        "Banden gesteld, netjes gewerkt"
    ]
    assert RouteSummary.objects.get(route=route.route).last_wellbeing == 4


def test_entry_from_the_phone_audits_when_made_and_when_arrived(route, coach):
    sent = uuid.uuid4()
    before = timezone.now()
    entry, _created = _entry(route, coach, sent)
    _entry(route, coach, sent)  # a resend writes nothing
    events = AuditEvent.objects.filter(action=Action.CREATE, object_id=str(entry.pk))
    assert events.count() == 1
    detail = events.get().detail
    assert detail["client_uuid"] == str(sent)
    assert datetime.fromisoformat(detail["made_at"]) == MADE
    assert datetime.fromisoformat(detail["arrived_at"]) >= before
    entry.refresh_from_db()
    assert (entry.client_uuid, entry.made_at) == (sent, MADE)


def test_entry_id_of_another_route_is_refused(route, coach, world):
    sent = uuid.uuid4()
    _entry(route, coach, sent)
    other = world.other_participant
    with pytest.raises(ValidationError):
        services.progress_entry_receive(
            participant=other,
            on=date(2025, 10, 6),
            text="Zelfde id, andere deelnemer",
            wellbeing=3,
            client_uuid=sent,
            by=world.users["other_coach"],
        )
    assert ProgressEntry.objects.count() == 1


def test_entry_made_online_has_no_phone_time(route, coach):
    entry = services.progress_entry_add(
        participant=route.participant, on=date(2025, 10, 6), text="Gewoon", wellbeing=3, by=coach
    )
    assert (entry.client_uuid, entry.made_at) == (None, None)
    assert not AuditEvent.objects.get(object_id=str(entry.pk), action=Action.CREATE).detail


def _status(route, coach, goal, to_status, *, version, client_uuid=None):
    return services.goal_status_receive(
        participant=route.participant,
        goal=goal,
        to_status=to_status,
        on=date(2025, 10, 6),
        version=version,
        client_uuid=client_uuid,
        made_at=MADE,
        by=coach,
    )


def test_goal_status_moves_the_version(route, coach, goal):
    assert goal.version == 1
    changed, created = _status(route, coach, goal, GoalStatus.IN_PROGRESS, version=1)
    assert created
    assert (changed.status, changed.version) == (GoalStatus.IN_PROGRESS, 2)
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.IN_PROGRESS, 2)


def test_goal_status_on_an_old_version_is_held_not_applied(route, coach, regisseur, goal):
    # The regisseur changes the goal while the coach's phone has no signal.
    _status(route, regisseur, goal, GoalStatus.DROPPED, version=1)
    with pytest.raises(services.GoalVersionMovedError) as held:
        _status(route, coach, goal, GoalStatus.REACHED, version=1, client_uuid=uuid.uuid4())
    assert (held.value.goal.status, held.value.goal.version) == (GoalStatus.DROPPED, 2)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED
    assert GoalStatusChange.objects.filter(goal=goal).count() == 1
    # The coach chooses their own, knowingly, on the version as it is now.
    _status(route, coach, goal, GoalStatus.REACHED, version=2, client_uuid=uuid.uuid4())
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.REACHED, 3)


def test_goal_status_resent_after_it_moved_the_version_is_no_conflict(route, coach, goal):
    sent = uuid.uuid4()
    _status(route, coach, goal, GoalStatus.IN_PROGRESS, version=1, client_uuid=sent)
    _changed, created = _status(
        route, coach, goal, GoalStatus.IN_PROGRESS, version=1, client_uuid=sent
    )
    assert not created
    assert GoalStatusChange.objects.filter(goal=goal).count() == 1
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(goal.pk))
    assert event.detail["client_uuid"] == str(sent)
    assert event.detail["to"] == GoalStatus.IN_PROGRESS


def test_a_plan_change_of_the_goal_moves_its_version(route, coach, regisseur, goal):
    services.plan_save(
        participant=route.participant,
        based_on=1,
        plan_date=date(2025, 9, 2),
        perspective="Vaste baan als straatmaker",
        support_plan="Coach twee keer per week",
        goals=[
            services.GoalData(
                description="Elke dag om 7.00 uur op de bouwplaats",
                target_date=date(2026, 1, 15),
                domain=route.domains[0],
                pk=goal.pk,
            )
        ],
        by=regisseur,
    )
    goal.refresh_from_db()
    assert goal.version == 2
    with pytest.raises(services.GoalVersionMovedError):
        _status(route, coach, goal, GoalStatus.REACHED, version=1)


# --- the endpoints -----------------------------------------------------------------------


def _send_entry(client, participant, sent, **fields):
    data = {
        "on": "2025-10-06",
        "wellbeing": "4",
        "text": "Offline genoteerd op de bouwplaats",
        "client_uuid": str(sent),
        "made_at": MADE.isoformat(),
        **fields,
    }
    return client.post(reverse("leerroutes:progress_entry_send", args=[participant.pk]), data)


def test_entry_endpoint_answers_created_then_already_received(route, coach, client_for):
    client = client_for("coach")
    sent = uuid.uuid4()
    first = _send_entry(client, route.participant, sent, account=str(coach.pk))
    second = _send_entry(client, route.participant, sent, account=str(coach.pk))
    assert (first.status_code, first.json()["result"]) == (201, "created")
    assert (second.status_code, second.json()["result"]) == (200, "already_received")
    assert first.json()["id"] == second.json()["id"]
    assert ProgressEntry.objects.filter(client_uuid=sent).count() == 1


def test_entry_endpoint_refuses_bad_input_in_dutch_and_writes_nothing(route, client_for):
    answer = _send_entry(client_for("coach"), route.participant, uuid.uuid4(), text="  ")
    assert answer.json() == {"result": "refused", "errors": ["Schrijf op wat er is gebeurd."]}
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    answer = _send_entry(client_for("coach"), route.participant, uuid.uuid4(), on=future)
    assert answer.json() == {"result": "refused", "errors": ["Deze datum ligt in de toekomst."]}
    assert not ProgressEntry.objects.exists()


def test_entry_endpoint_refuses_a_queue_of_another_account(route, world, client_for):
    made_by_other = str(world.users["other_coach"].pk)
    answer = _send_entry(
        client_for("coach"), route.participant, uuid.uuid4(), account=made_by_other
    )
    assert answer.json()["result"] == "refused"
    assert "ander account" in answer.json()["errors"][0]
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_coach", 404), ("projectleider", 403), ("employer", 404), ("anonymous", 302)],
)
def test_entry_endpoint_gives_nothing_to_others(route, client_for, persona, status):
    answer = _send_entry(client_for(persona), route.participant, uuid.uuid4())
    assert answer.status_code == status
    assert not ProgressEntry.objects.exists()


def _send_status(client, participant, goal, to_status, version, sent):
    return client.post(
        reverse("leerroutes:goal_status_send", args=[participant.pk, goal.pk]),
        {
            "to_status": to_status,
            "on": "2025-10-06",
            "version": str(version),
            "client_uuid": str(sent),
            "made_at": MADE.isoformat(),
        },
    )


def test_goal_endpoint_shows_the_goal_as_it_is_now_on_a_conflict(
    route, regisseur, goal, client_for
):
    _status(route, regisseur, goal, GoalStatus.DROPPED, version=1)
    answer = _send_status(client_for("coach"), route.participant, goal, "behaald", 1, uuid.uuid4())
    assert answer.status_code == 200
    body = answer.json()
    assert (body["result"], body["status"], body["version"]) == ("conflict", "vervallen", 2)
    assert body["status_display"] == "Vervallen"
    assert body["changed_by"] == str(regisseur)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED


def test_goal_endpoint_applies_once_and_answers_the_new_version(route, goal, client_for):
    client, sent = client_for("coach"), uuid.uuid4()
    first = _send_status(client, route.participant, goal, "bezig", 1, sent)
    second = _send_status(client, route.participant, goal, "bezig", 1, sent)
    assert (first.status_code, second.status_code) == (201, 200)
    assert (first.json()["version"], second.json()["version"]) == (2, 2)
    assert GoalStatusChange.objects.filter(goal=goal).count() == 1


@pytest.mark.parametrize(("persona", "status"), [("other_coach", 404), ("projectleider", 403)])
def test_goal_endpoint_gives_nothing_to_others(route, goal, client_for, persona, status):
    answer = _send_status(client_for(persona), route.participant, goal, "bezig", 1, uuid.uuid4())
    assert answer.status_code == status
    assert b"DOEL" not in answer.content
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN


def test_goal_page_refuses_a_save_over_a_change_meanwhile_and_keeps_the_input(
    route, regisseur, goal, client_for
):
    url = reverse("leerroutes:goal_status", args=[route.participant.pk, goal.pk])
    _status(route, regisseur, goal, GoalStatus.DROPPED, version=1)
    data = {"to_status": "behaald", "on": "2025-10-06", "note": "Mijn notitie", "version": "1"}
    page = client_for("coach").post(url, data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Iemand anders wijzigde dit doel intussen" in body
    assert "Mijn notitie" in body
    assert 'name="version" value="2"' in body  # a second save is made on the goal as it is now
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED


def test_plan_saved_over_a_version_meanwhile_shows_both_and_lets_the_coach_choose(
    route, coach, regisseur, goal, client_for
):
    services.plan_save(
        participant=route.participant,
        based_on=1,
        plan_date=date(2025, 9, 2),
        perspective="THEIRS: vaste baan bij de aannemer",
        support_plan="",
        goals=[],
        by=regisseur,
    )
    url = reverse("leerroutes:plan_edit", args=[route.participant.pk])
    mine = {
        "version": "1",
        "plan_date": "2025-09-03",
        "perspective": "MINE: eigen bedrijf als stratenmaker",
        "support_plan": "",
        "goals-TOTAL_FORMS": "0",
        "goals-INITIAL_FORMS": "0",
    }
    client = client_for("coach")
    body = client.post(url, mine).content.decode()
    assert "Intussen opgeslagen: versie 2" in body
    assert "THEIRS: vaste baan bij de aannemer" in body
    assert "MINE: eigen bedrijf als stratenmaker" in body  # the input kept
    assert 'name="version" value="2"' in body
    assert route.route.plans.count() == 2
    # Saving again is the coach's choice: theirs stays as version 2, mine becomes 3.
    client.post(url, {**mine, "version": "2"})
    assert list(route.route.plans.order_by("number").values_list("perspective", flat=True)) == [
        "Vaste baan als straatmaker",
        "THEIRS: vaste baan bij de aannemer",
        "MINE: eigen bedrijf als stratenmaker",
    ]


# --- what the phone may keep, and logout -----------------------------------------------------


def test_only_the_own_coachs_pages_are_marked_to_keep(route, client_for):
    log = reverse("leerroutes:progress_log", args=[route.participant.pk])
    caseload = reverse("leerroutes:caseload")
    assert client_for("coach").get(log)["X-MaatwerQ-Offline"] == "keep"
    assert client_for("coach").get(caseload)["X-MaatwerQ-Offline"] == "keep"
    assert "X-MaatwerQ-Offline" not in client_for("regisseur").get(log)
    assert "X-MaatwerQ-Offline" not in client_for("regisseur").get(caseload)
    care = reverse("participants:participant_care_notes", args=[route.participant.pk])
    assert "X-MaatwerQ-Offline" not in client_for("coach").get(care)


def test_logout_wipes_what_the_browser_kept(client_for):
    answer = client_for("coach").post(reverse("account_logout"))
    assert answer.status_code == 302
    assert answer["Clear-Site-Data"] == '"cache", "storage"'


def test_role_switch_wipes_the_caches_but_not_the_queue(world, client_for):
    second = MembershipFactory(user=world.users["coach"], academy=world.other_academy)
    client = client_for("coach")
    answer = client.post(reverse("accounts:membership_switch"), {"membership": second.pk})
    assert answer.status_code == 302
    assert answer["Clear-Site-Data"] == '"cache"'
    refused = client.post(reverse("accounts:membership_switch"), {"membership": "0"})
    assert "Clear-Site-Data" not in refused


def test_service_worker_is_served_from_the_root_with_local_workbox(client):
    answer = client.get("/sw.js")
    script = answer.content.decode()
    assert answer["Content-Type"].startswith("text/javascript")
    assert "/static/vendor/workbox-routing/workbox-routing.prod.js" in script
    assert "/static/js/offline-queue.js" in script
    assert "X-MaatwerQ-Offline" in script
    assert "https://" not in script  # nothing from another host


def test_manifest_names_the_app_and_its_icons(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert (body["name"], body["scope"], body["display"]) == ("MaatwerQ", "/", "standalone")
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200
