"""The well-being chart of the dossier as SVG, drawn on the server (no script, no image
service): per line the average score (1-5) per month with dots, a grid line per score, the
month under each dot and a legend on top. Two lines at most: what the young person said
themselves (their weekly check-ins) and the coach's scores (the progress log). WeasyPrint
draws the SVG inline in the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext

WIDTH = 680
HEIGHT = 250
LEFT = 120  # room for the score labels
RIGHT = 36  # half a month label fits beside the last dot
TOP = 34  # room for the legend
BOTTOM = 40  # room for the month labels
MIN_SCORE, MAX_SCORE = 1, 5
# Per line: colour and dash pattern ("" for a solid line), in the order lines are given.
STYLES = (("#1d4ed8", ""), ("#b45309", "6 4"))


def _y(score: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (MAX_SCORE - score) / (MAX_SCORE - MIN_SCORE)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + span / 2
    return LEFT + span * index / (count - 1)


def _month_label(month: date) -> str:
    return date_format(month, gettext("M Y"))


def _grid(score_labels: dict[int, str]) -> list[str]:
    parts = []
    for score in range(MIN_SCORE, MAX_SCORE + 1):
        y = _y(score)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#d0d5dd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#475467">{score} · {escape(score_labels.get(score, ""))}</text>'
        )
    return parts


def _line(points: Sequence[dict], months: list[date], colour: str, dash: str) -> list[str]:
    position = {month: i for i, month in enumerate(months)}
    coordinates = [
        (_x(position[p["month"]], len(months)), _y(p["score"]))
        for p in sorted(points, key=lambda p: p["month"])
    ]
    parts = []
    if len(coordinates) > 1:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        parts.append(
            f'<polyline points="{joined}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5" stroke-linejoin="round"{dashes}/>'
        )
    for x, y in coordinates:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
    return parts


def wellbeing_svg(series: Sequence[dict], *, score_labels: dict[int, str], title: str) -> str:
    """An SVG document for ``series``: each {"label": str, "points": [{"month": date,
    "score": float}, ...]}, drawn in STYLES' order on one month axis. ``score_labels`` names
    the scores 1-5 (already translated); ``title`` is the SVG's accessible title. Every text
    is escaped."""
    series = [s for s in series if s["points"]][: len(STYLES)]
    months = sorted({p["month"] for s in series for p in s["points"]})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">',
        f"<title>{escape(title)}</title>",
        *_grid(score_labels),
    ]
    # At most about twelve month labels, so they never run into each other.
    step = max(1, -(-len(months) // 12))
    for i, month in enumerate(months):
        if i % step == 0 or i == len(months) - 1:
            parts.append(
                f'<text x="{_x(i, len(months)):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle" font-size="11" fill="#475467">'
                f"{escape(_month_label(month))}</text>"
            )
    legend_x = LEFT
    for line, (colour, dash) in zip(series, STYLES, strict=False):
        parts += _line(line["points"], months, colour, dash)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{legend_x}" y1="12" x2="{legend_x + 24}" y2="12" stroke="{colour}" '
            f'stroke-width="2.5"{dashes}/>'
        )
        parts.append(
            f'<text x="{legend_x + 30}" y="16" font-size="11" fill="#101828">'
            f"{escape(line['label'])}</text>"
        )
        legend_x += 260
    parts.append("</svg>")
    return "".join(parts)
