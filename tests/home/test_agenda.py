"""The agenda (issue 17, item 2): the week list, the calendar feed (a secret, revocable
address; first name and initial only; the user's scope only) and the daily digest."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from home import services, tasks
from home.agenda import agenda_for, week_of
from home.models import CalendarFeed, DigestSetting
from maatwerq.accounts.access import set_active_membership
from maatwerq.accounts.models import Membership, Role, User
from maatwerq.audit.models import Action, AuditEvent
from participants.models import Status
from tests.factories import (
    EvaluationFactory,
    FollowUpFactory,
    ParticipantFactory,
    RouteFactory,
    participant_in,
)


@pytest.fixture
def dated(world):
    """Hand-counted: for Daan (coach's, at Nijland) an evaluation in 2 days, a trial end in 5
    and a follow-up check in 6; for Noor (other coach's, at Van der Wal) an evaluation in 2
    days and a trial end in 5; an intake for a referred young person in 3 days (no coach)."""
    today = timezone.localdate()
    daan, noor = world.participant, world.other_participant
    EvaluationFactory(route=daan.current_route, held_on=today, next_on=today + timedelta(days=2))
    EvaluationFactory(route=noor.current_route, held_on=today, next_on=today + timedelta(days=2))
    daan.placements.update(trial_ends_on=today + timedelta(days=5))
    noor.placements.update(trial_ends_on=today + timedelta(days=5))
    FollowUpFactory(route=daan.current_route, due_on=today + timedelta(days=6))
    referred = ParticipantFactory(academy=world.academy, first_name="Rik", last_name="Nieuw")
    route = RouteFactory(
        participant=referred,
        programme=world.programme,
        status=Status.INTAKE,
        intake_date=today + timedelta(days=3),
        start_date=None,
    )
    referred.current_route = route
    referred.save()
    return today


def kinds_and_names(user, today):
    return [(e.kind, e.name) for e in agenda_for(user, today, today + timedelta(days=7))]


def test_agenda_of_each_role_is_its_scope(world, dated):
    today = dated
    assert kinds_and_names(world.users["coach"], today) == [
        ("evaluation", "Daan Zichtbaar"),
        ("trial_end", "Daan Zichtbaar"),
        ("follow_up", "Daan Zichtbaar"),
    ]
    assert kinds_and_names(world.users["regisseur"], today) == [
        ("evaluation", "Noor Anderman"),
        ("evaluation", "Daan Zichtbaar"),
        ("intake", "Rik Nieuw"),
        ("trial_end", "Noor Anderman"),
        ("trial_end", "Daan Zichtbaar"),
        ("follow_up", "Daan Zichtbaar"),
    ]
    # The projectleider has no follow-up checks to do; the employer only its own trial ends.
    assert ("follow_up", "Daan Zichtbaar") not in kinds_and_names(
        world.users["projectleider"], today
    )
    assert kinds_and_names(world.users["employer"], today) == [("trial_end", "Daan Zichtbaar")]
    assert kinds_and_names(world.users["beheerder"], today) == []
    assert kinds_and_names(world.users["landelijk"], today) == []


def test_agenda_page_shows_the_week_with_links_to_act(world, dated, client_for):
    url = reverse("home:agenda") + f"?week={dated.isoformat()}"
    html = client_for("coach").get(url).content.decode()
    assert "Evaluatie</span>: Daan Zichtbaar" in html
    assert reverse("leerroutes:evaluations", args=[world.participant.pk]) in html
    assert "Anderman" not in html
    monday = week_of(dated)
    assert f'data-day="{monday.isoformat()}"' in html
    assert html.count("data-day=") == 7
    trial_week = reverse("home:agenda") + f"?week={(dated + timedelta(days=5)).isoformat()}"
    employer = client_for("employer").get(trial_week).content.decode()
    assert "Evaluatie" not in employer
    assert reverse("employers:workplace_trainee", args=[world.participant.pk]) in employer


def test_agenda_page_names_the_people_of_its_week_in_one_read(world, dated, client_for):
    url = reverse("home:agenda") + f"?week={(dated + timedelta(days=2)).isoformat()}"
    client_for("coach").get(url)
    (event,) = AuditEvent.objects.filter(detail__page="agenda")
    assert event.action == Action.READ
    assert event.detail["participant_ids"] == [str(world.participant.pk)]


def test_agenda_page_takes_a_bad_week_as_this_week(world, client_for):
    html = client_for("coach").get(reverse("home:agenda") + "?week=gisteren").content.decode()
    assert f'data-day="{week_of(timezone.localdate()).isoformat()}"' in html


def test_agenda_queries_do_not_grow_with_the_people(world, dated):
    regisseur = world.users["regisseur"]
    set_active_membership(regisseur, Membership.objects.get(user=regisseur))

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            found = agenda_for(regisseur, dated, dated + timedelta(days=7))
        return len(captured), len(found)

    queries()  # once first: the first run also loads what a process caches
    few, events = queries()
    for number in range(5):
        trainee = participant_in(world.cohort, first_name=f"T{number}", last_name="Leerling")
        EvaluationFactory(route=trainee.current_route, held_on=dated, next_on=dated + timedelta(1))
    assert queries() == (few, events + 5)


# --- the calendar feed -------------------------------------------------------------------------


def make_feed(client) -> str:
    """Make an address on the settings page; the URL shown once, after the redirect."""
    settings_url = reverse("home:day_settings")
    response = client.post(settings_url, {"action": "feed_new"})
    assert response.status_code == 302
    html = client.get(settings_url).content.decode()
    start = html.index("/agenda/feed/")
    url = html[start : html.index('"', start)]
    assert "/agenda/feed/" not in client.get(settings_url).content.decode()  # only once
    return url


def events_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return response.content.decode(), [
        (c.get("dtstart").dt, str(c.get("summary"))) for c in calendar.walk("VEVENT")
    ]


def test_feed_parses_and_names_first_name_and_initial_only(world, dated, client_for, client):
    url = make_feed(client_for("coach"))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == services.token_hash(token)
    assert token not in feed.token_hash
    raw, events = events_of(client, url)  # no login: the address is the key
    assert events == [
        (dated + timedelta(days=2), "Evaluatie: Daan Z."),
        (dated + timedelta(days=5), "Einde proefperiode: Daan Z."),
        (dated + timedelta(days=6), "Nazorgcontrole: Daan Z."),
    ]
    for leak in ("Zichtbaar", "Noor", "Anderman", "Rik", "ZORG-GEHEIM", "Nijland", "BinQ"):
        assert leak not in raw
    (event,) = AuditEvent.objects.filter(detail__page="calendar_feed")
    assert event.action == Action.READ
    assert event.actor == world.users["coach"]
    assert event.detail["participant_ids"] == [str(world.participant.pk)]
    assert token not in str(event.__dict__)


def test_employer_feed_holds_its_own_trainees_trial_end_only(world, dated, client_for, client):
    _, events = events_of(client, make_feed(client_for("employer")))
    assert events == [(dated + timedelta(days=5), "Einde proefperiode: Daan Z.")]


def test_feed_stops_when_revoked_renewed_or_the_user_is_deactivated(world, client_for, client):
    coach = client_for("coach")
    first = make_feed(coach)
    second = make_feed(coach)  # the old address stops
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    coach.post(reverse("home:day_settings"), {"action": "feed_stop"})
    assert client.get(second).status_code == 404
    third = make_feed(coach)
    User.objects.filter(pk=world.users["coach"].pk).update(is_active=False)
    assert client.get(third).status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_role_without_agenda_cannot_make_a_feed(world, client_for):
    response = client_for("beheerder").post(reverse("home:day_settings"), {"action": "feed_new"})
    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


def test_feed_follows_the_scope_of_today(world, dated, client_for, client):
    url = make_feed(client_for("coach"))
    world.participant.coach = world.users["other_coach"]
    world.participant.save(update_fields=["coach"])
    try:
        assert events_of(client, url)[1] == []
    finally:
        world.participant.coach = world.users["coach"]


# --- the daily digest --------------------------------------------------------------------------


def test_digest_one_email_per_user_with_what_falls_due_today(world, settings):
    today = timezone.localdate()
    route = world.participant.current_route
    EvaluationFactory(route=route, held_on=today - timedelta(days=30), next_on=today)
    # A second membership: the same person as regisseur in the academy.
    Membership.objects.create(user=world.users["coach"], academy=world.academy, role=Role.REGISSEUR)
    DigestSetting.objects.create(user=world.users["other_coach"], receive=False)
    sent = tasks.digests_send_task.delay().get()

    to = sorted(m.to[0] for m in mail.outbox)
    assert sent == len(mail.outbox)
    assert to.count("coach@example.test") == 1
    assert "other_coach@example.test" not in to  # turned it off
    assert "landelijk@example.test" not in to
    coach_mail = next(m for m in mail.outbox if m.to == ["coach@example.test"])
    assert "Evaluatie: Daan Z." in coach_mail.body
    assert "Regisseur" in coach_mail.body
    assert "Leerroutecoach" in coach_mail.body
    assert "Zichtbaar" not in coach_mail.body
    assert "Anderman" not in coach_mail.body
    assert settings.MAATWERQ_BASE_URL + reverse("home:day_settings") in coach_mail.body


def test_digest_is_not_sent_when_nothing_is_due(world):
    assert services.digest_send(user=world.users["landelijk"]) is False
    assert mail.outbox == []


def test_digest_setting_is_the_users_own_choice(world, client_for):
    client = client_for("coach")
    client.post(reverse("home:day_settings"), {"action": "digest_off"})
    assert DigestSetting.objects.get(user=world.users["coach"]).receive is False
    assert (
        "Je ontvangt de dagelijkse e-mail niet."
        in client.get(reverse("home:day_settings")).content.decode()
    )
    assert world.users["coach"] not in services.digest_recipients()
    client.post(reverse("home:day_settings"), {"action": "digest_on"})
    assert world.users["coach"] in services.digest_recipients()


def test_digest_runs_daily_from_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["digests-send"]
    assert entry["task"] == "home.tasks.digests_send_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {30})


def test_the_agenda_and_its_settings_mark_agenda_in_the_menu(world, client_for):
    client = client_for("coach")
    for url in (reverse("home:agenda"), reverse("home:day_settings")):
        body = client.get(url).content.decode()
        marked = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', body)
        assert marked == [reverse("home:agenda")]


def test_every_agenda_link_opens_for_its_role(world, dated, client_for):
    """Each event links to a page its reader may open (the projectleider's evaluation goes
    to the route's overview, not to the evaluations the coach and regisseur keep)."""
    for persona in ("coach", "regisseur", "projectleider", "employer"):
        client = client_for(persona)
        user = world.users[persona]
        set_active_membership(user, Membership.objects.get(user=user))
        events = agenda_for(user, dated, dated + timedelta(days=7))
        assert events
        for event in events:
            assert client.get(event.url).status_code == 200, (persona, event.url)
