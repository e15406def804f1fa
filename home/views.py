"""The start page (what the acting role has to do today), the week's agenda, the calendar
feed and the settings of one's own day."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq import web
from maatwerq.accounts.models import Role

from . import services
from .agenda import AGENDA_ROLES, agenda_week, week_of
from .calendar import agenda_ical
from .models import CalendarFeed, DigestSetting
from .selectors import home_context, queue_participant_ids

HOME_TEMPLATES = {
    Role.COACH: "home/coach.html",
    Role.REGISSEUR: "home/regisseur.html",
    Role.PROJECTLEIDER: "home/projectleider.html",
    Role.WERKGEVER: "home/werkgever.html",
    Role.BEHEERDER: "home/beheerder.html",
    Role.LANDELIJK: "home/landelijk.html",
}
FEED_TOKEN_SESSION_KEY = "calendar_feed_new_token"  # noqa: S105 -- a session key, not a secret


@web.view()
def home(request):
    """The start page of the acting role, its work queue first; a clear message for a user
    without a role."""
    membership = request.membership
    if membership is not None and membership.role == Role.DEELNEMER:
        return redirect("portal:home")  # the participant's own view
    if membership is None or membership.role not in HOME_TEMPLATES:
        return render(request, "home/no_role.html", status=403)
    context = home_context(request.user, membership)
    named = queue_participant_ids(context["queue"]) + [t.pk for t in context.get("trainees", [])]
    if named:
        # The start page lists people by name: one event naming those shown.
        web.audit_list(request, named, page="home")
    return render(request, HOME_TEMPLATES[membership.role], context)


def _monday(request) -> date:
    try:
        return week_of(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return week_of(timezone.localdate())


@web.view("home.view_agenda")
def agenda(request):
    """A week of dated work (evaluations, intakes, trial ends, follow-up checks), a day per
    card: the phone's week list."""
    monday = _monday(request)
    days = agenda_week(request.user, monday)
    named = [e.participant_id for d in days for e in d.events]
    if named:
        web.audit_list(request, named, page="agenda")
    return render(
        request,
        "home/agenda.html",
        {
            "days": days,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "this_week": week_of(timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@web.view("home.change_own_day")
def day_settings(request):
    """The calendar feed's secret address (make, make anew, stop) and the daily digest
    (on, off). A new address is shown once, right after it is made."""
    membership = request.membership
    settings_url = reverse("home:day_settings")
    if request.method == "POST":
        return _day_settings_act(request, membership, settings_url)
    token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    feed = CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).first()
    setting = DigestSetting.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("home:calendar_feed", args=[token])) if token else ""
    )
    return render(
        request,
        "home/day_settings.html",
        {
            "has_agenda": membership.role in AGENDA_ROLES,
            "feed": feed,
            "feed_url": feed_url,
            # webcal:// opens the phone's calendar app with the subscription filled in.
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1] if feed_url else "",
            "receives_digest": setting is None or setting.receive,
        },
    )


def _day_settings_act(request, membership, settings_url: str):
    action = request.POST.get("action")
    if action == "feed_new":
        web.require(request, "home.view_agenda")

        def make() -> str:
            token = services.calendar_feed_create(membership=membership, by=request.user)
            request.session[FEED_TOKEN_SESSION_KEY] = token  # shown once, on the next page
            return token

        return web.act(
            request, make, done=settings_url, message=_("A new calendar address was made.")
        )
    if action == "feed_stop":
        return web.act(
            request,
            lambda: services.calendar_feed_revoke(membership=membership, by=request.user),
            done=settings_url,
            message=_("The calendar address no longer works."),
        )
    if action in {"digest_on", "digest_off"}:
        return web.act(
            request,
            lambda: services.digest_setting_change(receive=action == "digest_on", by=request.user),
            done=settings_url,
            message=_("Your choice about the daily email was saved."),
        )
    raise Http404


@web.public
def calendar_feed(request, token: str):
    """The agenda as iCalendar for the phone's own calendar, by the secret address alone (a
    calendar app sends no login). A revoked, unknown or deactivated address gets a 404."""
    feed = services.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    body, named = agenda_ical(feed, base_url=request.build_absolute_uri("/"))
    services.calendar_feed_read_log(feed=feed, participant_ids=named)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
