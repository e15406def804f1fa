"""What the cohort dashboard counts (domain.md, "What is counted"): its metrics and
dimensions, each one Q object over a route, and the shapes of the figures. The counting itself
is in reporting.dashboard.figures.

Everything counts routes (routes), not people: a person who comes back has two routes and
counts in both. Every breakdown has an explicit "unknown" row, so it sums to its total (an
unexplained remainder is a defect of the report). The drill-down selects the routes behind a
number with the very same Q objects, so a list of names always matches its count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerroutes.models import Certificate
from participants.models import (
    Destination,
    DropoutReason,
    FollowUpSituation,
    OutcomeCategory,
    OutcomeReason,
    ReferralSource,
    RouteType,
    Status,
)

UNKNOWN = "unknown"
UNKNOWN_LABEL = _("Unknown")

RUNNING = [Status.GESTART, Status.PROEFPERIODE, Status.CONTRACT]
OUTFLOW = [Status.AFGEROND, Status.UITGEVALLEN]
PIPELINE = [Status.AANGEMELD, Status.INTAKE, *RUNNING]

# Durable placement: the moments (months after leaving) and how a situation counts there.
MOMENTS = (0, 6, 12)
WORK_OR_SCHOOL = "work_school"
NEITHER = "neither"
NOT_CHECKED = "not_checked"
BUCKETS = (WORK_OR_SCHOOL, NEITHER, UNKNOWN, NOT_CHECKED)
BUCKET_LABELS = {
    WORK_OR_SCHOOL: _("In work or school"),
    NEITHER: _("Neither work nor school"),
    UNKNOWN: _("Unknown / not reached"),
    NOT_CHECKED: _("Not checked yet"),
}
DESTINATION_BUCKETS = {
    WORK_OR_SCHOOL: [Destination.JOB_HOST, Destination.JOB_ELSEWHERE, Destination.EDUCATION],
    NEITHER: [Destination.DAY_ACTIVITIES, Destination.BENEFIT],
}
SITUATION_BUCKETS = {
    WORK_OR_SCHOOL: [
        FollowUpSituation.WORK,
        FollowUpSituation.SCHOOL,
        FollowUpSituation.WORK_AND_SCHOOL,
    ],
    NEITHER: [FollowUpSituation.NEITHER],
    UNKNOWN: [FollowUpSituation.UNKNOWN],
}
RECORDED_SITUATIONS = [s for values in SITUATION_BUCKETS.values() for s in values]

# Below this, the national view shows "<5" instead of a count (no re-identification), and
# it rounds every other count to a multiple of it (reporting.small_numbers).
SMALL_CELL = 5
NO_VALUE = "\u2013"  # an en dash: no figure
# A share of fewer than this many is no percentage (one person moves it by 20 points or
# more): the count is shown instead, "3 of 4". Apart from the small-number rule above, which
# hides counts (the national view); this one holds everywhere.
MIN_SHARE_BASE = 5


# --- metrics: one Q each, used by the counts and by the drill-down alike ---------------------


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    q: Q
    # Sensitive: the names behind it say something personal (an outcome, a benefit, where
    # someone went); only those who see participants fully get them (the regisseur).
    sensitive: bool = False


LEFT_AFTER_START = Q(status__in=OUTFLOW, start_date__isnull=False)

METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric("referred", _("Referred"), Q(pk__isnull=False)),
        Metric("intake", _("Intake held"), Q(intake_date__isnull=False)),
        Metric("not_admitted", _("Not admitted"), Q(status=Status.NIET_TOEGELATEN)),
        Metric("started", _("Started"), Q(start_date__isnull=False)),
        Metric("trial", _("Trial period started"), Q(trial_start_date__isnull=False)),
        Metric(
            "trial_passed",
            _("Trial period passed"),
            Q(trial_start_date__isnull=False)
            & (Q(contract_date__isnull=False) | Q(status=Status.AFGEROND)),
        ),
        Metric("contract", _("Contract"), Q(contract_date__isnull=False)),
        Metric("active", _("Active now"), Q(status__in=RUNNING)),
        Metric("completed", _("Completed"), Q(status=Status.AFGEROND)),
        Metric("dropped_out", _("Dropped out"), Q(status=Status.UITGEVALLEN)),
        Metric("outflow", _("Left (completed or dropped out)"), Q(status__in=OUTFLOW)),
        Metric("left_after_start", _("Left after starting"), LEFT_AFTER_START),
        Metric(
            "certified",
            _("Routes with at least one certificate"),
            Q(Exists(Certificate.objects.filter(route=OuterRef("pk")))),
        ),
        *(
            Metric(
                f"outcome_{c.value}",
                c.label,
                Q(status__in=OUTFLOW, outcome_category=c.value),
                sensitive=True,
            )
            for c in OutcomeCategory
        ),
        Metric(
            "outcome_unknown",
            _("Outcome unknown"),
            Q(status__in=OUTFLOW) & ~Q(outcome_category__in=OutcomeCategory.values),
            sensitive=True,
        ),
        *(
            Metric(
                f"m0_{bucket}",
                BUCKET_LABELS[bucket],
                LEFT_AFTER_START & Q(destination__in=values),
                sensitive=True,
            )
            for bucket, values in DESTINATION_BUCKETS.items()
        ),
        Metric(
            f"m0_{UNKNOWN}",
            BUCKET_LABELS[UNKNOWN],
            LEFT_AFTER_START
            & ~Q(destination__in=[d for v in DESTINATION_BUCKETS.values() for d in v]),
            sensitive=True,
        ),
    ]
}
FUNNEL = ["referred", "intake", "started", "trial", "trial_passed", "contract"]
HEADLINE = ["referred", "started", "active", "contract", "completed", "dropped_out"]
ROUTE_TYPE_COLUMNS = [
    "referred",
    "started",
    "contract",
    "active",
    "completed",
    "dropped_out",
    "outcome_succesvol",
    "outcome_negatief",
    "outcome_overig",
    "outcome_unknown",
]
GROUP_COLUMNS = [
    "referred",
    "started",
    "trial_passed",
    "active",
    "completed",
    "dropped_out",
    "outcome_succesvol",
    "outcome_negatief",
    "outcome_overig",
    "outcome_unknown",
]


# --- dimensions: a field of the route, its known values and "unknown" --------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    title: Promise
    field: str
    within: str  # the metric whose routes it splits
    choices: tuple[tuple[str, Promise], ...]
    # Known codes that mean "unknown" anyway (Destination.UNKNOWN): one row, not two.
    as_unknown: frozenset[str] = frozenset()
    sensitive: bool = True

    @property
    def known(self) -> list[str]:
        return [code for code, _label in self.choices if code not in self.as_unknown]

    def bucket(self, value: str) -> str:
        return value if value in self.known else UNKNOWN

    def holds(self, row: dict) -> bool:
        """Whether a grouped row (by status and outcome category) lies within the metric this
        dimension splits: the Python twin of that metric's Q, for the one query that counts
        every dimension at once (the drill-down tests hold the two together)."""
        within = self.within
        if within == "referred":
            return True
        if within == "dropped_out":
            return row["status"] == Status.UITGEVALLEN
        if within == "outflow":
            return row["status"] in OUTFLOW
        if within.startswith("outcome_"):
            return row["status"] in OUTFLOW and row["outcome_category"] == within[8:]
        raise ValueError(f"No row test for {within!r}")

    def q(self, bucket: str) -> Q:
        within = METRICS[self.within].q
        if bucket == UNKNOWN:
            return within & ~Q(**{f"{self.field}__in": self.known})
        return within & Q(**{self.field: bucket})


def _choices(enum, only: Iterable[str] | None = None) -> tuple[tuple[str, Promise], ...]:
    wanted = set(only) if only is not None else None
    return tuple((c.value, c.label) for c in enum if wanted is None or c.value in wanted)


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension(
            "status",
            _("Where the routes are now"),
            "status",
            "referred",
            _choices(Status),
            sensitive=False,
        ),
        Dimension(
            "source", _("Referred by"), "referral_source", "referred", _choices(ReferralSource)
        ),
        Dimension("route_type", _("Route type"), "route_type", "referred", _choices(RouteType)),
        Dimension(
            "reason",
            _("Drop-out by reason"),
            "dropout_reason",
            "dropped_out",
            _choices(DropoutReason),
        ),
        Dimension(
            "phase",
            _("Drop-out by phase"),
            "dropout_phase",
            "dropped_out",
            _choices(Status, PIPELINE),
            sensitive=False,
        ),
        Dimension(
            "destination",
            _("Outflow by destination"),
            "destination",
            "outflow",
            _choices(Destination),
            as_unknown=frozenset({Destination.UNKNOWN.value}),
        ),
        Dimension(
            "outcome",
            _("Outcome"),
            "outcome_category",
            "outflow",
            _choices(OutcomeCategory),
        ),
    ]
}


def _reason_dimension(category: str) -> Dimension:
    """The reasons within one outcome category, as a dimension of its own."""
    return Dimension(
        f"reason_{category}",
        OutcomeCategory(category).label,
        "outcome_reason",
        f"outcome_{category}",
        _choices(OutcomeReason),
        as_unknown=frozenset({OutcomeReason.UNKNOWN.value}),
    )


REASON_DIMENSIONS = {c.value: _reason_dimension(c.value) for c in OutcomeCategory}


# --- the figures ---------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    count: int
    drill: str = ""  # what the drill-down shows: a token for drill_target
    sensitive: bool = False
    url: str = ""  # set by the view when the person may see the names


@dataclass
class Breakdown:
    key: str
    title: str
    total_label: str
    total: int
    rows: list[Row]
    total_drill: str = ""
    total_url: str = ""
    # The count a full bar stands for when this chart is compared with the charts beside it
    # (Dashboard.scales_share); 0: its own largest bar.
    scale: int = 0

    @property
    def sums_to_total(self) -> bool:
        return sum(row.count for row in self.rows) == self.total

    def count(self, key: str) -> int:
        return next((row.count for row in self.rows if row.key == key), 0)


@dataclass
class SurvivalPoint:
    months: int
    counts: dict[str, int]  # bucket -> routes

    @property
    def known(self) -> int:
        return self.counts[WORK_OR_SCHOOL] + self.counts[NEITHER]

    @property
    def share(self) -> float | None:
        """In work or school, of those whose situation is known at this moment."""
        return self.counts[WORK_OR_SCHOOL] / self.known if self.known else None


@dataclass
class Group:
    """One row of the per-group table: a cohort (academy dashboard), an academy or a
    branch (national view)."""

    key: str
    label: str
    sublabel: str
    counts: dict[str, int]
    survival: list[SurvivalPoint]
    rows: list[Row] = field(default_factory=list)  # the cells of GROUP_COLUMNS
    export_cohort: int | None = None
    order: tuple = ()
    # As shown (reporting.dashboard.views.groups_present): (text, url) per cell of ``rows``,
    # and the share in work or school per moment with its n.
    cells: list[tuple[str, str]] = field(default_factory=list)
    shares: list[str] = field(default_factory=list)


@dataclass
class Dashboard:
    totals: dict[str, int]
    headline: list[Row]
    # Nested counts (each a part of the one before), so no total row: the funnel, and the
    # routes with a certificate.
    funnel: Breakdown
    breakdowns: dict[str, Breakdown]
    outcome_reasons: list[Breakdown]
    route_types: list[Group]
    route_type_totals: list[Row]
    certificates: Breakdown
    certificate_routes: Breakdown
    durable: list[Breakdown]  # one per moment
    survival: list[SurvivalPoint]
    groups: list[Group]

    def compared(self) -> list[list[Breakdown]]:
        """The charts drawn side by side to be compared, which share one scale: those that
        split the same routes (intake, drop-out, and outflow with its reasons per outcome).
        The certificates count certificates, not routes: each keeps its own scale."""
        b = self.breakdowns
        return [
            [self.funnel, b["status"], b["source"]],
            [b["reason"], b["phase"]],
            [b["destination"], b["outcome"], *self.outcome_reasons],
        ]

    def scales_share(self) -> None:
        """Give each set of compared charts one scale, its largest count (after any
        rounding: call it on the figures as shown)."""
        for charts in self.compared():
            largest = max((row.count for chart in charts for row in chart.rows), default=0)
            for chart in charts:
                chart.scale = largest

    def all_breakdowns(self) -> list[Breakdown]:
        """The breakdowns that split a total: each sums to it."""
        return [*self.breakdowns.values(), *self.outcome_reasons, self.certificates, *self.durable]

    @property
    def durable_rows(self) -> list[tuple[str, list[Row]]]:
        """The durable placement as one table: a bucket per row, a moment per column."""
        return [
            (row.label, [breakdown.rows[index] for breakdown in self.durable])
            for index, row in enumerate(self.durable[0].rows)
        ]

    def all_rows(self) -> Iterable[tuple[Row, Group | None]]:
        """Every number with a drill-down token, and the group its cell belongs to."""
        shared = [*self.headline, *self.funnel.rows, *self.certificate_routes.rows]
        for row in [*shared, *self.route_type_totals]:
            yield row, None
        for breakdown in self.all_breakdowns():
            for row in breakdown.rows:
                yield row, None
        for group in self.route_types:
            for row in group.rows:
                yield row, None
        for group in self.groups:
            for row in group.rows:
                yield row, group


# --- small cells ---------------------------------------------------------------------------


def published_count(value: int) -> int:
    """A count as the national view publishes it: 0 for 0 to 4 (shown as "<5"), else rounded
    to the nearest multiple of 5 (7 -> 5, 8 -> 10, 12 -> 10, 13 -> 15). See
    reporting.small_numbers for why."""
    if value < SMALL_CELL:
        return 0
    return SMALL_CELL * ((value + SMALL_CELL // 2) // SMALL_CELL)


def small_cell(value: int | None, *, suppress: bool) -> str:
    """A count as shown. When suppressing (the national view): "<5" for 0 to 4, since telling
    a true zero from a small count tells something about those few, and every other count
    rounded to a multiple of 5 (the figures come rounded already; this is the second lock)."""
    if value is None:
        return NO_VALUE
    if not suppress:
        return str(value)
    shown = published_count(value)
    return f"<{SMALL_CELL}" if shown < SMALL_CELL else str(shown)


def share_text(part: int, whole: int, *, suppress: bool = False, with_n: bool = True) -> str:
    """A share as shown, with the n it rests on: "53% (n = 19)"; of fewer than
    MIN_SHARE_BASE the count instead, "3 of 4"; of nothing "- (n = 0)" (a dash). When suppressing
    (counts come rounded, small_cell) no share where the part or the whole stands for fewer
    than 5, and its n as published ("- (n = <5)"). ``with_n=False`` where the n is written
    once for a whole column or chart (its caption says "n = 19")."""
    n = small_cell(whole, suppress=suppress)
    if not whole or (suppress and (part < SMALL_CELL or whole < SMALL_CELL)):
        shown = NO_VALUE
    elif whole < MIN_SHARE_BASE:
        return gettext("%(part)s of %(whole)s") % {"part": part, "whole": whole}
    else:
        shown = f"{round(100 * part / whole)}%"
    return n_text(shown, n) if with_n else shown


def n_text(shown: str, n: str | int) -> str:
    """A figure with the n behind it: "53% (n = 19)"."""
    return gettext("%(shown)s (n = %(n)s)") % {"shown": shown, "n": n}


def n_caption(whole: int, *, suppress: bool = False) -> str:
    """The n under a chart or column: "n = 19"."""
    return gettext("n = %(n)s") % {"n": small_cell(whole, suppress=suppress)}
