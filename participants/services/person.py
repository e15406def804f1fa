"""The person and their routes: registering a referred young person, changing their details,
and a new route for someone who comes back. The route type's age range is a warning here
(route_type_age_warning); the academy's 16-27 is a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from maatwerq.accounts.models import Academy, Membership, Programme, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..figures import cohort_figures_refresh, route_unit
from ..models import ROUTE_TYPE_AGES, Participant, Route, RouteType, Status, StatusChange
from ._common import (
    MAX_AGE,
    MIN_AGE,
    age_on,
    check_age,
    check_not_future,
    format_day,
    refuse,
    values_of,
)


@dataclass(frozen=True, kw_only=True)
class PersonData:
    """The person's own details, as the referral and the edit form give them."""

    first_name: str
    last_name: str
    date_of_birth: date
    email: str = ""
    phone: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    prior_education: str = ""
    funding_stream: str = "none"
    bsn: str = ""


@dataclass(frozen=True, kw_only=True)
class ReferralData:
    """What a referral of a route records: programme, route type and who referred."""

    programme: Programme
    route_type: str
    referral_date: date
    referral_source: str
    school: str = ""
    referring_organisation: str = ""
    referrer_contact: str = ""


def route_type_age_warning(
    *, date_of_birth: date, route_type: str, on: date, programme: Programme | None = None
) -> str:
    """A warning (not an error) when the age on a day is outside the route type's usual
    range; an empty string when it is inside, or outside 16-27 (that is an error elsewhere).
    The group route's range is the programme's own (16-27 when no programme is given)."""
    if route_type == RouteType.GROUP:
        low, high = (programme.min_age, programme.max_age) if programme else (MIN_AGE, MAX_AGE)
    elif route_type in ROUTE_TYPE_AGES:
        low, high = ROUTE_TYPE_AGES[route_type]
    else:
        return ""
    age = age_on(date_of_birth, on)
    if low <= age <= high or not MIN_AGE <= age <= MAX_AGE:
        return ""
    return _("Age %(age)s is outside the usual %(low)s-%(high)s for this route type.") % {
        "age": age,
        "low": low,
        "high": high,
    }


def _check_coach(coach: User | None, academy: Academy) -> None:
    if coach is None:
        return
    is_coach_here = Membership.objects.filter(
        user=coach, academy=academy, role=Role.COACH, is_active=True
    ).exists()
    if not is_coach_here:
        raise refuse("coach", _("Choose a coach of this academy."))


def _build_route(participant: Participant, referral: ReferralData) -> Route:
    """A new route in memory, fully validated against the referral rules."""
    if referral.programme.academy_id != participant.academy_id:
        raise refuse("programme", _("Choose a programme of this academy."))
    route = Route(participant=participant, status=Status.AANGEMELD, **values_of(referral))
    route.full_clean(exclude=["participant", "cohort"])
    check_not_future("referral_date", referral.referral_date)
    return route


def _save_new_route(route: Route, *, by: User) -> None:
    route.save()
    cohort_figures_refresh([route_unit(route)])
    StatusChange.objects.create(
        route=route, to_status=Status.AANGEMELD, on_date=route.referral_date, by=by
    )
    participant = route.participant
    participant.current_route = route
    participant.save(update_fields=["current_route"])


def participant_create(
    *,
    academy: Academy,
    person: PersonData,
    referral: ReferralData,
    coach: User | None,
    by: User,
) -> Participant:
    """Register a referred young person with their first route.

    Side effects: creates the Participant, its first Route (status aangemeld, set as the
    current route) and the StatusChange of the referral; writes one CREATE audit event.
    Refuses an invalid BSN (11-test), an age outside 16-27 on the referral date, a programme
    of another academy and a coach who is not a coach in the academy. The route type's own age
    range is only a warning (route_type_age_warning), for the form to show.
    """
    participant = Participant(academy=academy, coach=coach, **values_of(person))
    participant.full_clean(exclude=["current_route", "coach"])
    _check_coach(coach, academy)
    check_age(person.date_of_birth, referral.referral_date, "date_of_birth")
    route = _build_route(participant, referral)
    with transaction.atomic():
        participant.save()
        _save_new_route(route, by=by)
        audit_log(actor=by, action=Action.CREATE, obj=participant, detail={"route": str(route.pk)})
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, person: PersonData, coach: User | None, by: User
) -> Participant:
    """Change the person's details and (for the regisseur's form) the coach.

    Side effects: saves the Participant; writes one UPDATE audit event naming the changed
    fields (never their values). Refuses what participant_create refuses; the age rule is
    checked on the current route's referral date.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    new_values = {**values_of(person), "coach_id": coach.pk if coach else None}
    changed = [name for name, value in new_values.items() if getattr(participant, name) != value]
    for name, value in new_values.items():
        setattr(participant, name, value)
    participant.full_clean(exclude=["current_route", "coach"])
    if "coach_id" in changed:
        _check_coach(coach, participant.academy)
    current = participant.current_route
    if current is not None:
        check_age(person.date_of_birth, current.referral_date, "date_of_birth")
    participant.save()
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=participant,
        detail={"fields": [name.removesuffix("_id") for name in changed]},
    )
    return participant


@transaction.atomic
def route_create(*, participant: Participant, referral: ReferralData, by: User) -> Route:
    """A new route for a person who comes back; it becomes their current route.

    Side effects: creates the Route (status aangemeld) and its StatusChange (and its cohort's
    kept dashboard figures), points
    participant.current_route at it; writes one CREATE audit event. Refuses while another
    route runs, and a referral dated before the previous route ended.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    previous = participant.current_route
    if previous is not None and not previous.is_ended:
        raise refuse(None, _("This person still has a running route. End it first."))
    if previous is not None and previous.end_date and referral.referral_date < previous.end_date:
        raise refuse(
            "referral_date",
            _("The previous route ended on %(date)s; the new referral can't be earlier.")
            % {"date": format_day(previous.end_date)},
        )
    check_age(participant.date_of_birth, referral.referral_date, "referral_date")
    route = _build_route(participant, referral)
    _save_new_route(route, by=by)
    audit_log(actor=by, action=Action.CREATE, obj=route)
    return route
