"""The drill-down of the dashboard: which routes stand behind a number.

A number's token names the same Q object that counted it (reporting.dashboard.figures), so
the list of names always matches its count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from leerroutes.models import Certificate, CertificateKind
from participants.models import FollowUp

from .metrics import (
    BUCKET_LABELS,
    DIMENSIONS,
    LEFT_AFTER_START,
    METRICS,
    MOMENTS,
    NOT_CHECKED,
    REASON_DIMENSIONS,
    RECORDED_SITUATIONS,
    SITUATION_BUCKETS,
    UNKNOWN,
    UNKNOWN_LABEL,
)


@dataclass(frozen=True)
class DrillTarget:
    label: str
    q: Q
    sensitive: bool


_TOKEN = re.compile(r"^[a-z0-9_]{1,20}(:[a-z0-9_]{1,30}){1,2}$")
_GROUP = re.compile(r"^p(\d{1,9})c(\d{1,9})$")


def _follow_up_q(months: int, bucket: str) -> Q | None:
    if months == 0:
        metric = METRICS.get(f"m0_{bucket}")
        return metric.q if metric else None
    checks = FollowUp.objects.filter(route=OuterRef("pk"), months_after=months)
    if bucket == NOT_CHECKED:
        return LEFT_AFTER_START & ~Exists(checks.filter(situation__in=RECORDED_SITUATIONS))
    if bucket not in SITUATION_BUCKETS:
        return None
    return LEFT_AFTER_START & Exists(checks.filter(situation__in=SITUATION_BUCKETS[bucket]))


def _certificate_q(kind: str) -> Q | None:
    certificates = Certificate.objects.filter(route=OuterRef("pk"))
    if kind not in CertificateKind.values:
        return None
    return Q(Exists(certificates.filter(kind=kind)))


def drill_target(token: str) -> DrillTarget | None:
    """What a number on the dashboard stands for, from its token: ``m:<metric>``,
    ``<dimension>:<value>``, ``reason_<category>:<reason>``, ``rt:<route type>:<metric>``,
    ``fu<months>:<bucket>`` or ``cert:<kind>``. None for anything else."""
    if not token or not _TOKEN.match(token):
        return None
    kind, _sep, rest = token.partition(":")
    if kind == "m" and rest in METRICS:
        metric = METRICS[rest]
        return DrillTarget(str(metric.label), metric.q, metric.sensitive)
    if kind == "rt":
        code, _sep, key = rest.partition(":")
        dimension = DIMENSIONS["route_type"]
        if key in METRICS and (code in dimension.known or code == UNKNOWN):
            label = dict(dimension.choices).get(code, UNKNOWN_LABEL)
            return DrillTarget(
                f"{label} · {METRICS[key].label}", dimension.q(code) & METRICS[key].q, True
            )
        return None
    dimension = DIMENSIONS.get(kind) or next(
        (d for d in REASON_DIMENSIONS.values() if d.key == kind), None
    )
    if dimension is not None and (rest in dimension.known or rest == UNKNOWN):
        label = dict(dimension.choices).get(rest, UNKNOWN_LABEL)
        return DrillTarget(f"{dimension.title}: {label}", dimension.q(rest), dimension.sensitive)
    if kind in {f"fu{m}" for m in MOMENTS}:
        q = _follow_up_q(int(kind[2:]), rest)
        if q is None:
            return None
        return DrillTarget(str(BUCKET_LABELS[rest]), q, True)
    if kind == "cert":
        q = _certificate_q(rest)
        if q is None:
            return None
        return DrillTarget(str(CertificateKind(rest).label), q, False)
    return None


def drill_group(value: str) -> Q | None:
    """The ``group`` parameter of a per-cohort cell, as a filter; None when malformed."""
    match = _GROUP.match(value or "")
    if match is None:
        return None
    programme, cohort = int(match[1]), int(match[2])
    return Q(programme_id=programme) & (Q(cohort_id=cohort) if cohort else Q(cohort__isnull=True))
