"""The denominators written under the dashboard's charts (issue 18): a share in work or
school is of those whose situation is known at that moment, and those who left without a
known destination (many drop-outs) fall outside it. So the line under the chart says both:
the share of the known, and the share of everyone who left after starting."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from reporting.dashboard.metrics import WORK_OR_SCHOOL, small_cell

from .dashboard_charts import percent

register = template.Library()


@register.simple_tag
def survival_denominators(points, left, suppress=False) -> list[str]:
    """One sentence per moment (at leaving, 6 and 12 months)."""
    lines = []
    for point in points:
        part = point.counts[WORK_OR_SCHOOL]
        moment = (
            _("%(months)d months after leaving") % {"months": point.months}
            if point.months
            else _("At leaving")
        )
        lines.append(
            _(
                "%(moment)s: %(part)s in work or school of %(known)s whose situation is known "
                "(%(share)s); of all %(left)s who left after starting that is %(all_share)s."
            )
            % {
                "moment": moment,
                "part": small_cell(part, suppress=bool(suppress)),
                "known": small_cell(point.known, suppress=bool(suppress)),
                "share": percent(part, point.known, suppress, False),
                "left": small_cell(left, suppress=bool(suppress)),
                "all_share": percent(part, left, suppress, False),
            }
        )
    return lines
