"""Server-made SVG charts of the dashboard: the geometry is computed here and drawn as SVG
markup with presentation attributes only (no script, no style attribute: the CSP holds).

The markup is built in Python rather than in template loops: the dashboard draws a chart per
cohort, and a hundred cohorts through template loops cost more than all its queries. Every
text is escaped; numbers are written unlocalised (an SVG coordinate takes no decimal comma).
"""

from __future__ import annotations

from itertools import pairwise

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reporting.dashboard.metrics import (
    MIN_SHARE_BASE,
    SMALL_CELL,
    n_caption,
    share_text,
    small_cell,
)

register = template.Library()

BAR_VIEW_WIDTH = 320
BAR_MAX = 250
BAR_ROW = 34
AXIS_HEIGHT = 16
LABEL_CHARS = 46

PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 46, 176, 22, 92
MAX_MONTHS = 12


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@register.filter
def cell(value, suppress=False) -> str:
    """A count as shown; in the national view rounded to a multiple of 5, "<5" for 0 to 4."""
    return small_cell(value, suppress=bool(suppress))


@register.simple_tag
def percent(part, whole, suppress=False, with_n=True) -> str:
    """A share as shown, with its n; a count ("3 of 4") under MIN_SHARE_BASE; hidden in the
    national view when the part or the whole is small (there 0 stands for 0 to 4: the counts
    come rounded, reporting.small_numbers). See metrics.share_text."""
    return share_text(part, whole, suppress=bool(suppress), with_n=bool(with_n))


@register.simple_tag
def n_of(whole, suppress=False) -> str:
    """The n under a chart or above a column of shares: "n = 19"."""
    return n_caption(whole, suppress=bool(suppress))


def bar_scale(rows, suppress=False, scale=0) -> int:
    """The count a full bar stands for: ``scale`` when the chart shares it with the charts
    beside it (metrics.Dashboard.compared), else the largest bar drawn."""
    drawn = [row.count for row in rows if not (suppress and row.count < SMALL_CELL)]
    return max([scale or 0, *drawn])


@register.simple_tag
def bar_chart(rows, suppress=False, scale=0) -> dict:
    """Horizontal bars, one per row, the label above its bar, every bar against one scale
    (0 to ``bar_scale``, drawn as an axis under the bars). Rows of zero are left out of the
    picture (the table behind it has them), except "unknown", which is always drawn. A
    suppressed (small) count gets no bar at all, since its length would tell the number."""
    rows = [row for row in rows if row.count or row.key == "unknown"]
    hidden = [bool(suppress) and row.count < SMALL_CELL for row in rows]
    largest = bar_scale(rows, suppress, scale)
    bars = []
    for index, (row, is_hidden) in enumerate(zip(rows, hidden, strict=True)):
        top = index * BAR_ROW
        width = 0 if is_hidden or not largest else round(BAR_MAX * row.count / largest, 1)
        bars.append(
            {
                "label": _short(row.label),
                "label_y": top + 12,
                "bar_y": top + 16,
                "width": max(width, 1 if row.count and not is_hidden else 0),
                "value": small_cell(row.count, suppress=bool(suppress)),
                "value_x": width + 4,
                "value_y": top + 26,
                "unknown": row.key == "unknown",
            }
        )
    bars_height = max(len(rows) * BAR_ROW, BAR_ROW)
    return {
        "view_width": BAR_VIEW_WIDTH,
        "height": bars_height + AXIS_HEIGHT,
        "bars": bars,
        "axis_y": bars_height + 2,
        "axis_max": BAR_MAX,
        "scale": small_cell(largest, suppress=bool(suppress)),
    }


def _x(months: int) -> float:
    return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * months / MAX_MONTHS, 1)


def _y(share: float) -> float:
    return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * share, 1)


@register.simple_tag
def survival_chart(points, suppress=False) -> dict:
    """Share still in work or school at 0, 6 and 12 months (of those whose situation is
    known), on a 0-100% axis shared by every such chart. A moment with fewer than
    MIN_SHARE_BASE known gets no point (no percentage of so few; the line breaks there)."""
    drawn = []
    for point in points:
        share = point.share
        if share is None or point.known < MIN_SHARE_BASE:
            drawn.append(None)
            continue
        drawn.append(
            {
                "x": _x(point.months),
                "y": _y(share),
                "label": f"{round(100 * share)}%",
                # Near the top the label goes under its point, clear of the axis text.
                "label_y": _y(share) - 5 if share < 0.85 else _y(share) + 14,
            }
        )
    segments = [
        {"x1": a["x"], "y1": a["y"], "x2": b["x"], "y2": b["y"]}
        for a, b in pairwise(drawn)
        if a is not None and b is not None
    ]
    return {
        "points": [p for p in drawn if p is not None],
        "segments": segments,
        "grid": [{"y": _y(share), "label": f"{round(share * 100)}%"} for share in (0, 0.5, 1)],
        "ticks": [{"x": _x(m), "label": str(m)} for m in (0, 6, 12)],
        "left": PLOT_LEFT,
        "right": PLOT_RIGHT,
        "bottom": PLOT_BOTTOM,
    }


@register.simple_tag
def bar_chart_svg(rows, suppress=False, scale=0):
    """The bar chart of a breakdown as inline SVG with its scale as an axis (0 to the count
    of a full bar), hidden from screen readers (the table behind it is what they read)."""
    chart = bar_chart(rows, suppress, scale)
    parts = [
        f'<svg viewBox="0 0 {chart["view_width"]} {chart["height"]}" '
        'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">'
    ]
    for bar in chart["bars"]:
        kind = "dash-bar dash-bar-unknown" if bar["unknown"] else "dash-bar"
        parts.append(
            f'<text x="0" y="{bar["label_y"]}" class="dash-label">{escape(bar["label"])}</text>'
            f'<rect x="0" y="{bar["bar_y"]}" width="{bar["width"]}" height="12" rx="2" '
            f'class="{kind}"></rect>'
            f'<text x="{bar["value_x"]}" y="{bar["value_y"]}" class="dash-value">'
            f"{escape(bar['value'])}</text>"
        )
    axis_y, axis_max = chart["axis_y"], chart["axis_max"]
    if chart["bars"] and any(bar["width"] for bar in chart["bars"]):  # no scale of nothing
        parts.append(
            f'<line x1="0" y1="{axis_y}" x2="{axis_max}" y2="{axis_y}" class="dash-grid">'
            f'</line><text x="0" y="{axis_y + 11}" class="dash-axis">0</text>'
            f'<text x="{axis_max}" y="{axis_y + 11}" text-anchor="end" class="dash-axis">'
            f"{escape(chart['scale'])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@register.simple_tag
def survival_svg(points, suppress=False):
    """The survival curve (0, 6, 12 months) as inline SVG, hidden from screen readers."""
    chart = survival_chart(points, suppress)
    left, right, bottom = chart["left"], chart["right"], chart["bottom"]
    parts = [
        '<svg viewBox="0 0 200 112" preserveAspectRatio="xMinYMin meet" aria-hidden="true" '
        'focusable="false">'
    ]
    for line in chart["grid"]:
        parts.append(
            f'<line x1="{left}" y1="{line["y"]}" x2="{right}" y2="{line["y"]}" '
            'class="dash-grid"></line>'
            f'<text x="{left - 4}" y="{line["y"]}" dy="3" text-anchor="end" class="dash-axis">'
            f"{line['label']}</text>"
        )
    for tick in chart["ticks"]:
        parts.append(
            f'<text x="{tick["x"]}" y="{bottom + 12}" text-anchor="middle" class="dash-axis">'
            f"{tick['label']}</text>"
        )
    for seg in chart["segments"]:
        parts.append(
            f'<line x1="{seg["x1"]}" y1="{seg["y1"]}" x2="{seg["x2"]}" y2="{seg["y2"]}" '
            'class="dash-line"></line>'
        )
    for point in chart["points"]:
        parts.append(
            f'<circle cx="{point["x"]}" cy="{point["y"]}" r="3.5" class="dash-point"></circle>'
            f'<text x="{point["x"]}" y="{point["label_y"]}" text-anchor="middle" '
            f'class="dash-point-label">{point["label"]}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and fixed labels only


# --- the per-group table: a row per cohort (or academy, branch), built here for speed -------


def _group_name(group, *, muted_sublabel: bool = True) -> str:
    if not group.sublabel:
        return escape(group.label)
    css = "text-muted small" if muted_sublabel else "text-muted fw-normal"
    return f'{escape(group.label)} <span class="{css}">· {escape(group.sublabel)}</span>'


def _linked(text: str, url: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)


@register.simple_tag
def group_rows(groups, export_form="", export_label="", excel_label=""):
    """The body rows of the per-group table: counts (linked to the names where allowed), the
    share in work or school after 6 and 12 months, and for cohorts the Excel list button
    (it submits the one form ``export_form`` to the group's own address)."""
    from django.urls import reverse

    rows = []
    for group in groups:
        cells = "".join(f"<td>{_linked(text, url)}</td>" for text, url in group.cells)
        shares = "".join(f"<td>{escape(share)}</td>" for share in group.shares[1:])
        export = ""
        if export_form:
            button = ""
            if group.export_cohort:
                action = reverse("reporting:cohort_participants_export", args=[group.export_cohort])
                button = (
                    f'<button class="btn btn-link btn-sm p-0" form="{escape(export_form)}" '
                    f'formaction="{action}" data-export-group="{group.export_cohort}" '
                    f'aria-label="{escape(excel_label)}, '
                    f'{escape(export_label)} {escape(group.label)}">'
                    f"{escape(excel_label)}</button>"
                )
            export = f"<td>{button}</td>"
        rows.append(
            f'<tr data-group="{escape(group.key or group.label)}">'
            f'<th scope="row" class="fw-normal">{_group_name(group)}</th>'
            f"{cells}{shares}{export}</tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped


@register.simple_tag
def survival_grid(groups, suppress=False):
    """A small survival chart per group that has people who left after starting."""
    cards = []
    for group in groups:
        if not group.counts.get("left_after_start"):
            continue
        cards.append(
            '<div class="col"><figure class="border rounded p-2 mb-0 h-100">'
            '<figcaption class="small fw-semibold text-truncate">'
            f"{_group_name(group, muted_sublabel=False)}</figcaption>"
            f"{survival_svg(group.survival, suppress)}"
            f'<p class="small text-muted mb-0">{escape(_survival_n(group.survival, suppress))}'
            "</p></figure></div>"
        )
    return mark_safe("".join(cards))  # noqa: S308 - every text above is escaped


def _survival_n(points, suppress) -> str:
    """The n of each point of a survival chart (those whose situation is known)."""
    return n_caption_many([small_cell(p.known, suppress=bool(suppress)) for p in points])


def n_caption_many(values: list[str]) -> str:
    return gettext("n = %(n)s") % {"n": " · ".join(values)}


@register.simple_tag
def survival_rows(groups, detailed=False, suppress=False):
    """The table behind the survival charts: per group the share at 0, 6 and 12 months
    (detailed: with the number who left); each share with its n."""
    rows = []
    for group in groups:
        if detailed:
            left = small_cell(group.counts.get("left_after_start", 0), suppress=bool(suppress))
            cells = f"<td>{left}</td>{''.join(f'<td>{escape(d)}</td>' for d in group.shares)}"
            name = escape(f"{group.label} · {group.sublabel}" if group.sublabel else group.label)
            rows.append(f'<tr><th scope="row" class="fw-normal">{name}</th>{cells}</tr>')
        else:
            cells = "".join(f"<td>{escape(s)}</td>" for s in group.shares)
            rows.append(f'<tr><th scope="row">{escape(group.label)}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped
