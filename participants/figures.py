"""The kept dashboard figures (``CohortFigures``): derived data, recomputed per cohort by the
writes that change what the dashboard counts (docs/architecture.md, "Derived data").

What is counted is defined above this layer (reporting.dashboard.metrics); reporting
registers its counter here in its AppConfig.ready(), as it registers its report kinds. A
counter takes a Q over routes and answers, per slice (programme, cohort, period day,
started, route type), a dict of counts by key. This module stores what the counters answer,
one row per slice, and knows nothing of the keys.

A unit of refresh is a (programme, cohort) pair; cohort None is the programme's routes
without a group. ``cohort_figures_refresh`` locks the unit's programme row so that two
transactions never write the same unit (nor the programme's rolled-up rows) from two
snapshots, deletes its rows and writes them again: idempotent, so running it again over any
unit is always safe. Then it hands the (programme, period day) pairs whose rows changed to
the registered roll-ups (reporting's per-academy-and-month figures), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import TypeAlias

from django.db import transaction
from django.db.models import Q

from maatwerq.accounts.models import Programme

from .models import CohortFigures, Route

# (programme id, cohort id or None, period day, started, route type)
FiguresKey: TypeAlias = tuple[int, int | None, date, bool, str]
FiguresCounter: TypeAlias = Callable[[Q], dict[FiguresKey, dict[str, int]]]
Unit: TypeAlias = tuple[int, int | None]
# Told which (programme, period day) pairs changed, or None after a rebuild of everything.
FiguresRollup: TypeAlias = Callable[[set[tuple[int, date]] | None], None]

_COUNTERS: list[FiguresCounter] = []
_ROLLUPS: list[FiguresRollup] = []
# Inside cohort_figures_deferred(): the units to recount once at its end, instead of per write.
_DEFERRED: ContextVar[set[Unit] | None] = ContextVar("cohort_figures_deferred", default=None)


def cohort_figures_counter_register(counter: FiguresCounter) -> None:
    """Register what the kept figures count (reporting does, in its AppConfig.ready())."""
    if counter not in _COUNTERS:
        _COUNTERS.append(counter)


def cohort_figures_rollup_register(rollup: FiguresRollup) -> None:
    """Register what is kept from the kept rows in turn (reporting's national figures per
    academy and month): called in the same transaction after every refresh and rebuild."""
    if rollup not in _ROLLUPS:
        _ROLLUPS.append(rollup)


def _rolled_up(touched: set[tuple[int, date]] | None) -> None:
    for rollup in _ROLLUPS:
        rollup(touched)


def route_unit(route: Route) -> Unit:
    """The unit whose figures a route counts in."""
    return (route.programme_id, route.cohort_id)


def _units_q(units: list[Unit]) -> Q:
    q = Q(pk__in=[])
    for programme, cohort in units:
        q |= (
            Q(programme_id=programme, cohort_id=cohort)
            if cohort
            else Q(programme_id=programme, cohort__isnull=True)
        )
    return q


def _count(route_q: Q) -> dict[FiguresKey, dict[str, int]]:
    merged: dict[FiguresKey, dict[str, int]] = {}
    for counter in _COUNTERS:
        for key, counts in counter(route_q).items():
            merged.setdefault(key, {}).update(counts)
    return merged


def _write(merged: dict[FiguresKey, dict[str, int]]) -> list[CohortFigures]:
    academies = dict(
        Programme.objects.filter(pk__in={key[0] for key in merged})
        .order_by()
        .values_list("pk", "academy_id")
    )
    rows = [
        CohortFigures(
            academy_id=academies[programme],
            programme_id=programme,
            cohort_id=cohort,
            period=period,
            started=started,
            route_type=route_type,
            counts={k: n for k, n in counts.items() if n},
        )
        for (programme, cohort, period, started, route_type), counts in merged.items()
    ]
    CohortFigures.objects.bulk_create(rows, batch_size=2000)
    return rows


def cohort_figures_refresh(units: Iterable[Unit]) -> int:
    """Recompute the kept figures of these (programme, cohort) units from their routes, their
    follow-up checks and certificates. Side effects: locks the units' programme rows (FOR NO
    KEY UPDATE: a route insert beside it still passes), replaces their CohortFigures rows,
    calls the roll-ups with the (programme, period day) pairs whose rows changed. Called in
    the transaction of every write that changes a counted fact; idempotent. Returns the
    number of rows written."""
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.update(units)
        return 0
    wanted = sorted(set(units), key=lambda unit: (unit[0], unit[1] or 0))
    if not wanted or not _COUNTERS:
        return 0
    with transaction.atomic():
        # One lock per programme, always in the same order: the roll-up per month adds up
        # every cohort of the programme, so two cohorts of one programme wait for each other.
        programmes = sorted({programme for programme, _cohort in wanted})
        list(
            Programme.objects.select_for_update(no_key=True)
            .filter(pk__in=programmes)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        route_q = _units_q(wanted)
        old = CohortFigures.objects.filter(route_q)
        touched = set(old.values_list("programme_id", "period"))
        old.delete()
        written = _write(_count(route_q))
        _rolled_up(touched | {(row.programme_id, row.period) for row in written})
        return len(written)


@contextmanager
def cohort_figures_deferred() -> Iterator[None]:
    """Inside this block every cohort_figures_refresh only notes its units; they are recounted
    once when the block ends (in the caller's transaction, so still all or nothing). For a
    write of many routes at once (the participant import): hundreds of route steps on one
    group would otherwise recount that group after every step."""
    if _DEFERRED.get() is not None:  # already deferred further out: that block recounts
        yield
        return
    units: set[Unit] = set()
    token = _DEFERRED.set(units)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    if not (transaction.get_connection().in_atomic_block and transaction.get_rollback()):
        cohort_figures_refresh(units)  # (nothing to keep when the caller rolls back)


def cohort_figures_rebuild() -> int:
    """Recompute every kept figure from scratch (after a bulk load past the services, a
    change of what is counted, or to repair): the operator's ``cohort_figures_rebuild``.
    Side effects: replaces all CohortFigures rows, in one transaction that holds the table
    against concurrent refreshes. Idempotent. Returns the number of rows written."""
    from django.db import connection

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f'LOCK TABLE "{CohortFigures._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE'
                )
        CohortFigures.objects.all().delete()
        written = _write(_count(Q()))
        _rolled_up(None)
        return len(written)


def cohort_figures_fresh() -> dict[FiguresKey, dict[str, int]]:
    """A fresh count of every slice, without writing: what the kept rows must equal (the
    property tests compare the two after every service)."""
    return {key: {k: n for k, n in counts.items() if n} for key, counts in _count(Q()).items()}


def cohort_figures_kept() -> dict[FiguresKey, dict[str, int]]:
    """The kept rows, by slice, in the shape of ``cohort_figures_fresh``."""
    return {
        (row.programme_id, row.cohort_id, row.period, row.started, row.route_type): row.counts
        for row in CohortFigures.objects.order_by()
    }
