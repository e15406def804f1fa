"""Outcomes as shares (issue 18): the routes' results as count and percentage of one stated
denominator, per group, route type, start year and the equal-chances categories (sex, age
band, education level, referrer), and per academy and branch for the national comparison.

Each table splits one denominator into columns that add up to it (an unexplained remainder is
a defect of the report, domain.md): where the started routes are now, the outcome of those
who left, "in work within 3 months of the start", and "in work or school 6 and 12 months
after leaving" (the follow-up checks). A column that cannot be known yet ("not 3 months yet",
"check not due yet") is a column of its own, not a gap.

Counting: one query reads the few fields of each route in scope, one the follow-up checks; the
folding into tables is plain Python over those rows (a few thousand per academy), so the
query count does not grow with the routes or the number of tables. The dashboard's counts
(reporting.dashboard) are not touched by this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maatwerq.accounts.models import Academy
from participants.models import (
    Cohort,
    Destination,
    FollowUp,
    OutcomeCategory,
    PriorEducation,
    ReferralSource,
    Route,
    RouteType,
    Status,
)
from participants.services import add_months

from ..dashboard.metrics import (
    MIN_SHARE_BASE,
    OUTFLOW,
    RUNNING,
    SITUATION_BUCKETS,
    SMALL_CELL,
    published_count,
)
from ..dashboard.metrics import share_text as metrics_share_text
from ..models import EsfSex

UNKNOWN = "unknown"
UNKNOWN_LABEL = _("Unknown")
JOBS = (Destination.JOB_HOST, Destination.JOB_ELSEWHERE)
WORK_WINDOW = 3  # months


# --- one route as the tables see it ---------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the tables need of one route, read once."""

    keys: dict[str, Any]  # dimension -> the route's value on it
    started: bool
    status: str
    outcome: str  # an OutcomeCategory value or UNKNOWN; "" while running
    work3: str  # "yes" / "no" / "pending"; "" when not started
    after: dict[int, str]  # months -> follow-up bucket; only for those who left after starting


def age_band(born: date | None, on: date | None) -> str:
    """The equal-chances age band at the start (or referral): 16-17, 18-20, 21-23, 24+."""
    if born is None or on is None:
        return UNKNOWN
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < 18:
        return "16-17"
    if age <= 20:
        return "18-20"
    if age <= 23:
        return "21-23"
    return "24+"


def work_within_three_months(row: dict[str, Any], today: date) -> str:
    """In work within 3 calendar months of the start: a contract (the 32-hour contract after
    the trial) that began by then, or a route that ended by then in a job. "pending" while
    those 3 months have not passed; "no" after."""
    start = row["start_date"]
    if start is None:
        return ""
    limit = add_months(start, WORK_WINDOW)
    contract = row["contract_date"]
    if contract is not None and contract <= limit:
        return "yes"
    end = row["end_date"]
    if row["destination"] in JOBS and end is not None and end <= limit:
        return "yes"
    return "pending" if limit > today else "no"


def _follow_up_bucket(situation: str | None, due: bool) -> str:
    for bucket, values in SITUATION_BUCKETS.items():
        if situation in values:
            return bucket
    return "not_checked" if due else "not_due"


ROUTE_FIELDS = (
    "pk",
    "programme_id",
    "programme__name",
    "programme__academy_id",
    "cohort_id",
    "route_type",
    "referral_source",
    "referral_date",
    "status",
    "start_date",
    "contract_date",
    "end_date",
    "destination",
    "outcome_category",
    "participant__date_of_birth",
    "participant__prior_education",
    "esf_record__sex",
)


def route_facts(scope: Q, *, today: date) -> list[Facts]:
    """The facts of every route in ``scope``: two queries."""
    rows = list(Route.objects.filter(scope).values(*ROUTE_FIELDS).order_by())
    checks: dict[tuple[Any, int], str] = {
        (route, months): situation
        for route, months, situation in FollowUp.objects.filter(
            route__in=[row["pk"] for row in rows], months_after__in=(6, 12)
        ).values_list("route_id", "months_after", "situation")
    }
    return [_facts(row, checks, today) for row in rows]


def _facts(row: dict[str, Any], checks: dict[tuple[Any, int], str], today: date) -> Facts:
    start, end, status = row["start_date"], row["end_date"], row["status"]
    left = status in OUTFLOW
    outcome = ""
    if left:
        category = row["outcome_category"]
        outcome = category if category in OutcomeCategory.values else UNKNOWN
    after = {}
    if left and start is not None:
        for months in (6, 12):
            due = end is None or add_months(end, months) <= today
            after[months] = _follow_up_bucket(checks.get((row["pk"], months)), due)
    moment = start or row["referral_date"]
    keys = {
        "cohort": (row["programme_id"], row["cohort_id"]),
        "route_type": row["route_type"],
        "year": moment.year if moment else UNKNOWN,
        "sex": row["esf_record__sex"] or UNKNOWN,
        "age": age_band(row["participant__date_of_birth"], moment),
        "education": row["participant__prior_education"] or UNKNOWN,
        "source": row["referral_source"],
        "academy": row["programme__academy_id"],
        "branch": row["programme__name"],
    }
    return Facts(
        keys=keys,
        started=start is not None,
        status=status,
        outcome=outcome,
        work3=work_within_three_months(row, today),
        after=after,
    )


# --- the tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableKind:
    """One table: which routes make its denominator and which column each falls in."""

    key: str
    title: Promise
    denominator: Promise
    columns: tuple[tuple[str, Promise], ...]
    within: Callable[[Facts], bool]
    column: Callable[[Facts], str]


def _progress(f: Facts) -> str:
    if f.status in RUNNING:
        return "running"
    if f.status == Status.AFGEROND:
        return "completed"
    if f.status == Status.UITGEVALLEN:
        return "dropped_out"
    return UNKNOWN


def _after(months: int, title: Promise) -> TableKind:
    return TableKind(
        f"after{months}",
        title,
        _("Left after starting"),
        (
            ("work_school", _("In work or school")),
            ("neither", _("Neither work nor school")),
            (UNKNOWN, _("Unknown / not reached")),
            ("not_checked", _("Due, not checked")),
            ("not_due", _("Not due yet")),
        ),
        lambda f: bool(f.after),
        lambda f: f.after[months],
    )


TABLES: dict[str, TableKind] = {
    t.key: t
    for t in [
        TableKind(
            "progress",
            _("Where the started routes are now"),
            _("Started"),
            (
                ("running", _("Still running")),
                ("completed", _("Completed")),
                ("dropped_out", _("Dropped out")),
                (UNKNOWN, _("Other status")),
            ),
            lambda f: f.started,
            _progress,
        ),
        TableKind(
            "outcome",
            _("Outcome of those who left"),
            _("Left (completed or dropped out)"),
            (
                (OutcomeCategory.SUCCESSFUL.value, OutcomeCategory.SUCCESSFUL.label),
                (OutcomeCategory.NEGATIVE.value, OutcomeCategory.NEGATIVE.label),
                (OutcomeCategory.OTHER.value, OutcomeCategory.OTHER.label),
                (UNKNOWN, _("Outcome unknown")),
            ),
            lambda f: bool(f.outcome),
            lambda f: f.outcome,
        ),
        TableKind(
            "work3",
            _("In work within 3 months of the start"),
            _("Started"),
            (
                ("yes", _("In work within 3 months")),
                ("no", _("Not in work within 3 months")),
                ("pending", _("Less than 3 months since the start")),
            ),
            lambda f: f.started,
            lambda f: f.work3,
        ),
        _after(6, _("In work or school 6 months after leaving")),
        _after(12, _("In work or school 12 months after leaving")),
    ]
}


@dataclass(frozen=True)
class Dimension:
    """A way to split the routes. ``codes``: a fixed list of values, each a row, and one
    "Unknown" row for anything else (so the rows always add up); without it, ``labels``
    names the values present."""

    key: str
    title: Promise
    codes: tuple[tuple[str, Any], ...] = ()
    labels: Callable[[set[Any]], list[tuple[Any, str]]] | None = None

    def bucket(self, value: Any) -> Any:
        if not self.codes:
            return value
        return value if value in {code for code, _label in self.codes} else UNKNOWN

    def rows(self, present: set[Any]) -> list[tuple[Any, str]]:
        if self.labels is not None:
            return self.labels(present)
        return [(code, str(label)) for code, label in self.codes] + [(UNKNOWN, str(UNKNOWN_LABEL))]


def _cohort_labels(present: set[Any]) -> list[tuple[Any, str]]:
    cohorts = {
        pk: (start, f"{programme} {name}")
        for pk, name, start, programme in Cohort.objects.filter(
            pk__in={c for _p, c in present if c}
        ).values_list("pk", "name", "start_date", "programme__name")
    }
    ordered = sorted(present, key=lambda key: cohorts.get(key[1], (date.max, str(_("No group")))))
    return [(key, cohorts.get(key[1], (None, str(_("No group"))))[1]) for key in ordered]


def _years(present: set[Any]) -> list[tuple[Any, str]]:
    years = sorted(year for year in present if year != UNKNOWN)
    return [(year, str(year)) for year in years]


def _academy_labels(present: set[Any]) -> list[tuple[Any, str]]:
    return list(Academy.objects.filter(pk__in=present).order_by("name").values_list("pk", "name"))


def _branch_labels(present: set[Any]) -> list[tuple[Any, str]]:
    return [(name, name) for name in sorted(present)]


AGE_BANDS = (("16-17", "16-17"), ("18-20", "18-20"), ("21-23", "21-23"), ("24+", "24+"))

DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension("cohort", _("Group"), labels=_cohort_labels),
        Dimension("route_type", _("Route type"), RouteType.choices),
        Dimension("year", pgettext_lazy("start year", "Year"), labels=_years),
        Dimension("sex", _("Sex (ESF+ data, self-declared)"), EsfSex.choices),
        Dimension("age", _("Age at the start"), AGE_BANDS),
        Dimension("education", _("Prior education"), PriorEducation.choices),
        Dimension("source", _("Referred by"), ReferralSource.choices),
        Dimension("academy", _("Academy"), labels=_academy_labels),
        Dimension("branch", _("Project (branch)"), labels=_branch_labels),
    ]
}
# The academy's results page offers these; the equal-chances categories are the last five.
ACADEMY_DIMENSIONS = ("cohort", "route_type", "year", "sex", "age", "education", "source")
EQUAL_CHANCES = ("sex", "age", "education", "route_type", "source")


@dataclass
class TableRow:
    key: Any
    label: str
    total: int
    counts: dict[str, int]
    cells: list[str] = field(default_factory=list)  # "count (share)" per column, as shown

    @property
    def adds_up(self) -> bool:
        return sum(self.counts.values()) == self.total


@dataclass
class ShareTable:
    kind: TableKind
    dimension: Dimension
    rows: list[TableRow]
    total: TableRow
    protected: bool

    @property
    def title(self) -> str:
        return str(self.kind.title)

    @property
    def columns(self) -> list[str]:
        return [str(label) for _key, label in self.kind.columns]

    def row(self, key: Any) -> TableRow:
        return next(row for row in self.rows if row.key == key)


def share_text(part: int, whole: int, *, protected: bool = False) -> str:
    """A share as shown in a cell beside its count (the table's n column holds the whole):
    no share of nothing; with the small-number rule (counts rounded already) none when the
    part or the whole stands for fewer than 5; of fewer than MIN_SHARE_BASE "3 of 4"."""
    return metrics_share_text(part, whole, suppress=protected, with_n=False)


def count_text(value: int, *, protected: bool = False) -> str:
    if protected and value < SMALL_CELL:
        return f"<{SMALL_CELL}"
    return str(value)


def _cell(count: int, total: int, protected: bool) -> str:
    """ "count (share)"; of fewer than MIN_SHARE_BASE routes the count of the n, "3 of 4"."""
    if not protected and 0 < total < MIN_SHARE_BASE:
        return share_text(count, total)
    share = share_text(count, total, protected=protected)
    return f"{count_text(count, protected=protected)} ({share})"


def _present(row: TableRow, kind: TableKind, protected: bool) -> TableRow:
    if protected:
        row.total = published_count(row.total)
        row.counts = {key: published_count(n) for key, n in row.counts.items()}
    row.cells = [_cell(row.counts[key], row.total, protected) for key, _label in kind.columns]
    return row


def share_table(
    facts: list[Facts],
    kind: TableKind,
    dimension: Dimension,
    *,
    protected: bool = False,
    every: Iterable[Any] = (),
    labels: list[tuple[Any, str]] | None = None,
) -> ShareTable:
    """``kind`` per value of ``dimension``: a row per value (and for ``every`` value, even
    when empty), and the total. With ``protected`` (the national view, and any table of
    sensitive data) every count is rounded by the small-number rule before a share is made.
    ``labels``: the rows, when the caller named them already (one query for several tables)."""
    columns = [key for key, _label in kind.columns]
    per: dict[Any, dict[str, int]] = {key: dict.fromkeys(columns, 0) for key in every}
    total = dict.fromkeys(columns, 0)
    for f in facts:
        if kind.within(f):
            column = kind.column(f)
            key = dimension.bucket(f.keys[dimension.key])
            per.setdefault(key, dict.fromkeys(columns, 0))[column] += 1
            total[column] += 1
    rows = [
        _present(TableRow(key, label, sum(counts.values()), counts), kind, protected)
        for key, label in (labels if labels is not None else dimension.rows(set(per)))
        for counts in [per.get(key, dict.fromkeys(columns, 0))]
    ]
    total_row = _present(
        TableRow("total", str(_("Total")), sum(total.values()), total), kind, protected
    )
    return ShareTable(kind, dimension, rows, total_row, protected)


def share_tables(
    facts: list[Facts], dimension: str, *, protected: bool = False, every: Iterable[Any] = ()
) -> list[ShareTable]:
    """Every table of TABLES for one dimension, all with the same rows: every value a route
    has (or ``every`` names), named once."""
    split = DIMENSIONS[dimension]
    keys = list(dict.fromkeys([*every, *(split.bucket(f.keys[dimension]) for f in facts)]))
    labels = split.rows(set(keys))
    return [
        share_table(facts, kind, split, protected=protected, every=keys, labels=labels)
        for kind in TABLES.values()
    ]
