"""Follow-up (nazorg): the checks 6 and 12 months after a started route ended. The route's
end (pipeline) plans them; here they are put on the coach's list and recorded."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..figures import cohort_figures_refresh, route_unit
from ..models import FollowUp, FollowUpSituation
from ._common import check_not_future, format_day, refuse

FOLLOW_UP_MONTHS = (6, 12)


@transaction.atomic
def follow_up_record(
    *, follow_up: FollowUp, situation: str, done_on: date, notes: str = "", by: User
) -> FollowUp:
    """Record a follow-up check: is the person in work or school? May correct an earlier
    record. Side effects: saves the FollowUp (done, so it leaves the coach's list) and the
    kept dashboard figures of its route's cohort; one
    UPDATE audit event."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("route__participant")
        .get(pk=follow_up.pk)
    )
    if situation not in FollowUpSituation.values:
        raise refuse("situation", _("Choose the situation."))
    ended = follow_up.route.end_date
    if ended is not None and done_on < ended:
        raise refuse(
            "done_on",
            _("The route ended on %(date)s; the check can't be earlier.")
            % {"date": format_day(ended)},
        )
    check_not_future("done_on", done_on)
    follow_up.situation = situation
    follow_up.done_on = done_on
    follow_up.notes = notes.strip()
    follow_up.recorded_by = by
    follow_up.save(update_fields=["situation", "done_on", "notes", "recorded_by"])
    cohort_figures_refresh([route_unit(follow_up.route)])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=follow_up,
        participant=follow_up.route.participant,
        detail={"months_after": follow_up.months_after},
    )
    return follow_up


def follow_ups_mark_due(*, today: date | None = None) -> int:
    """Put the checks that fell due on their coach's list; idempotent (a listed check keeps
    its first listing date). Returns how many were listed now.

    No audit event: no person reads or changes participant data here, only a list flag.
    """
    today = today or timezone.localdate()
    return FollowUp.objects.filter(
        due_on__lte=today, done_on__isnull=True, listed_for_coach_on__isnull=True
    ).update(listed_for_coach_on=today)
