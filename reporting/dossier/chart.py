"""The well-being chart of the dossier as SVG, drawn on the server (no script, no image
service): the average score (1-5) per month as a line with dots, a grid line per score and
the month under each dot. WeasyPrint draws the SVG inline in the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from django.utils.formats import date_format

WIDTH = 680
HEIGHT = 230
LEFT = 120  # room for the score labels
RIGHT = 36  # half a month label fits beside the last dot
TOP = 14
BOTTOM = 40  # room for the month labels
MIN_SCORE, MAX_SCORE = 1, 5


def _y(score: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (MAX_SCORE - score) / (MAX_SCORE - MIN_SCORE)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + span / 2
    return LEFT + span * index / (count - 1)


def _month_label(month: date) -> str:
    return date_format(month, "M Y")


def wellbeing_svg(points: Sequence[dict], *, score_labels: dict[int, str], title: str) -> str:
    """An SVG document for ``points`` ({"month": date, "score": float}, oldest first).
    ``score_labels`` names the scores 1-5 (already translated); ``title`` is the SVG's
    accessible title. Every text is escaped."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">',
        f"<title>{escape(title)}</title>",
    ]
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
    count = len(points)
    # At most about twelve month labels, so they never run into each other.
    step = max(1, -(-count // 12))
    coordinates = []
    for i, point in enumerate(points):
        x, y = _x(i, count), _y(point["score"])
        coordinates.append(f"{x:.1f},{y:.1f}")
        if i % step == 0 or i == count - 1:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                f'font-size="11" fill="#475467">{escape(_month_label(point["month"]))}</text>'
            )
    if count > 1:
        parts.append(
            f'<polyline points="{" ".join(coordinates)}" fill="none" stroke="#1d4ed8" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    for coordinate in coordinates:
        x, y = coordinate.split(",")
        parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="#1d4ed8"/>')
    parts.append("</svg>")
    return "".join(parts)
