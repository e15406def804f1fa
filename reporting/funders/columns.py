"""The fields the per-person funder reports declare, each read from what the routes hold:
the person (name, date of birth, BSN), the route (start, end, type, status, outcome), the
period's hours, the benefit at exit, the first placement during the route and the nazorg
check six months after leaving."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from participants.models import FollowUpSituation

from .shares import FunderRow, ShareColumn


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _outcome(row: FunderRow) -> str:
    route = row.route
    return route.get_outcome_category_display() if route.is_ended else pgettext("route", "Running")


def _six_months(row: FunderRow) -> str:
    """In work or school six months after leaving, from the nazorg check: its situation once
    recorded; empty while the route runs or the check is not done."""
    check = row.follow_up(6)
    if check is None or not check.situation:
        return ""
    return str(FollowUpSituation(check.situation).label)


FIRST_NAME = ShareColumn(gettext_lazy("First name"), 16, lambda r: r.route.participant.first_name)
LAST_NAME = ShareColumn(gettext_lazy("Last name"), 22, lambda r: r.route.participant.last_name)
BORN = ShareColumn(gettext_lazy("Date of birth"), 14, lambda r: r.route.participant.date_of_birth)
BSN = ShareColumn(gettext_lazy("BSN"), 12, lambda r: r.route.participant.bsn)
TARGET_GROUP = ShareColumn(
    gettext_lazy("Target group (funding stream)"),
    24,
    lambda r: r.route.participant.get_funding_stream_display(),
)
START = ShareColumn(gettext_lazy("Start date"), 12, lambda r: r.route.start_date)
END = ShareColumn(gettext_lazy("End date"), 12, lambda r: r.route.end_date)
ROUTE_TYPE = ShareColumn(gettext_lazy("Route type"), 30, lambda r: r.route.get_route_type_display())
SHARE = ShareColumn(gettext_lazy("Share"), 10, lambda r: r.share, share=True)
PRACTICE = ShareColumn(
    gettext_lazy("Practice hours"), 12, lambda r: r.route.practice or 0, weighted=True
)
THEORY = ShareColumn(gettext_lazy("Theory hours"), 12, lambda r: r.route.theory or 0, weighted=True)
HOURS = ShareColumn(gettext_lazy("Total hours"), 12, lambda r: r.hours, weighted=True)
STATUS = ShareColumn(gettext_lazy("Status"), 14, lambda r: r.route.get_status_display())
OUTCOME = ShareColumn(gettext_lazy("Result"), 18, _outcome)
OUTCOME_REASON = ShareColumn(
    gettext_lazy("Result reason"),
    22,
    lambda r: r.route.get_outcome_reason_display() if r.route.is_ended else "",
)
DESTINATION = ShareColumn(
    gettext_lazy("Destination"), 22, lambda r: r.route.get_destination_display()
)
BENEFIT_AT_EXIT = ShareColumn(
    gettext_lazy("Still on a benefit at exit"), 14, lambda r: _yes_no(r.route.still_on_benefit)
)
CONTRACT_TYPE = ShareColumn(
    gettext_lazy("Contract at exit"), 22, lambda r: r.route.get_contract_type_display()
)
CONTRACT_HOURS = ShareColumn(
    gettext_lazy("Contract hours per week"), 12, lambda r: r.route.contract_hours
)
WORK_OR_SCHOOL_6 = ShareColumn(
    gettext_lazy("In work or school 6 months after leaving"), 22, _six_months
)
PLACEMENT_EMPLOYER = ShareColumn(
    gettext_lazy("Placement (employer)"),
    24,
    lambda r: r.placement.employer.name if r.placement else "",
)
PLACEMENT_KIND = ShareColumn(
    gettext_lazy("Placement type"),
    22,
    lambda r: r.placement.get_kind_display() if r.placement else "",
)
PLACEMENT_START = ShareColumn(
    gettext_lazy("Placement start"), 12, lambda r: r.placement.start_date if r.placement else None
)
PLACEMENT_HOURS = ShareColumn(
    gettext_lazy("Placement hours per week"),
    12,
    lambda r: r.placement.hours_per_week if r.placement else None,
)
