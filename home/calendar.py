"""The agenda as an iCalendar feed (RFC 5545, written with the ``icalendar`` package).

What a feed carries, and why: a phone's calendar syncs the feed to the phone maker's cloud and
shows it on a locked screen, beside private appointments, outside our audit and access rules.
So an event says what and when, and names the young person by first name and the initial of
the last name only ("Evaluatie: Daan Z."): enough for the coach who knows the caseload, too
little for anyone else to identify someone. No programme, group, employer, status or notes;
the link in it leads to our page, behind the login, where the rest is. Events are whole days
(the dates we keep have no time of day).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.utils import timezone
from django.utils.translation import override
from icalendar import Calendar, Event

from maatwerq.accounts.access import set_active_membership

from .agenda import agenda_for

if TYPE_CHECKING:
    from .models import CalendarFeed

FEED_DAYS_BACK = 14
FEED_DAYS_AHEAD = 120


def agenda_ical(feed: CalendarFeed, *, base_url: str) -> tuple[bytes, list[UUID]]:
    """The feed's calendar in the scope of its membership as it is today, and the ids of the
    young people it names (for the audit)."""
    user = feed.user
    set_active_membership(user, feed.membership)
    today = timezone.localdate()
    events = agenda_for(
        user, today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
    )
    stamp = datetime.now(tz=timezone.get_current_timezone())
    calendar = Calendar()
    calendar.add("prodid", "-//MaatwerQ//Agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "MaatwerQ")
    base = base_url.rstrip("/")
    with override("nl"):
        for item in events:
            event = Event()
            event.add("uid", f"{item.uid}@maatwerq")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.on)
            event.add("dtend", item.on + timedelta(days=1))
            event.add("summary", f"{item.label}: {item.short_name}")
            event.add("url", base + item.url)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical(), list(dict.fromkeys(e.participant_id for e in events))
