"""The demo's ESF+ data (issue 18): a record for most started routes, so the ESF+
indicators, the split by sex on the results page and the regisseur's ESF+ form show
something. Deterministic per route (a seeded random), rebuilt on every load."""

from __future__ import annotations

import random
from datetime import date

from participants.models import Destination, FollowUpSituation, Route, Status
from reporting.models import EsfAnswer, EsfRecord, EsfSex, IscedLevel, LabourMarketStatus
from reporting.results.outcomes import add_months

JOBS = {Destination.JOB_HOST, Destination.JOB_ELSEWHERE}
WORK = {FollowUpSituation.WORK, FollowUpSituation.WORK_AND_SCHOOL}
SCHOOL = {FollowUpSituation.SCHOOL, FollowUpSituation.WORK_AND_SCHOOL}


def _answer(rng: random.Random, yes: float) -> str:
    roll = rng.random()
    if roll < yes:
        return EsfAnswer.YES
    if roll < yes + 0.1:
        return EsfAnswer.DECLINED
    if roll < yes + 0.15:
        return ""  # not asked
    return EsfAnswer.NO


def _record(route: Route, today: date) -> EsfRecord | None:
    rng = random.Random(f"esf|{route.pk}")
    if rng.random() < 0.1:
        return None  # not every route has its ESF+ data recorded
    record = EsfRecord(
        route=route,
        entry_on=route.start_date,
        sex=rng.choices(
            [EsfSex.MAN, EsfSex.WOMAN, EsfSex.NON_BINARY, EsfSex.DECLINED], [55, 38, 3, 4]
        )[0],
        labour_market_status=rng.choices([*LabourMarketStatus.values, ""], [30, 25, 15, 22, 3, 5])[
            0
        ],
        isced_level=rng.choices([IscedLevel.LOW, IscedLevel.MIDDLE, ""], [80, 12, 8])[0],
        disability=_answer(rng, 0.3),
        foreign_background=_answer(rng, 0.2),
        minority=_answer(rng, 0.05),
        homeless=_answer(rng, 0.05),
    )
    if route.status in (Status.AFGEROND, Status.UITGEVALLEN) and route.end_date:
        record.exit_on = route.end_date
        record.exit_employed = route.destination in JOBS
        record.exit_education = route.destination == Destination.EDUCATION
        record.exit_qualification = route.status == Status.AFGEROND
        record.exit_better = route.outcome_category == "succesvol"
        six = add_months(route.end_date, 6)
        check = next((f for f in route.follow_ups.all() if f.months_after == 6), None)
        if six <= today and check is not None and check.situation:
            record.m6_on = check.done_on or six
            record.m6_employed = check.situation in WORK
            record.m6_education = check.situation in SCHOOL
            record.m6_better = check.situation != FollowUpSituation.NEITHER
    return record


def build_esf(organisation, today: date) -> None:
    """Rebuild the ESF+ records of the demo academy's started routes."""
    routes = list(
        Route.objects.filter(
            participant__academy=organisation.academy,
            start_date__isnull=False,
            start_date__lte=today,
        ).prefetch_related("follow_ups")
    )
    EsfRecord.objects.filter(route__in=routes).delete()
    EsfRecord.objects.bulk_create(
        record for route in routes if (record := _record(route, today)) is not None
    )
