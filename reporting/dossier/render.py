"""A dossier's data through its HTML template into an A4 PDF (WeasyPrint).

The print stylesheet is a static file of this app, read from disk once per process and
reused; the HTML loads nothing else: the fetcher refuses every URL (no CDN, no network, and
no text of a participant can make WeasyPrint fetch something). The well-being chart is SVG
drawn on the server and embedded inline.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from leerroutes.models import Wellbeing

from .chart import wellbeing_svg
from .content import Dossier

TEMPLATE = "reporting/dossier/dossier.html"
STYLESHEET = Path(__file__).resolve().parent.parent / "static/reporting/dossier/dossier.css"
STATIC_DIR = STYLESHEET.parent


class _NoFetching(URLFetcher):
    """The dossier is self-contained: any attempt to load a URL stops the rendering."""

    def fetch(self, url, headers=None):
        raise ValueError(f"The dossier loads no outside resources ({url[:80]})")


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    return CSS(filename=str(STYLESHEET), url_fetcher=_NoFetching(fail_on_errors=True))


def _page_label_parts() -> tuple[str, str, str]:
    """The translated "Page X of Y" around its two numbers, for the footer's CSS counters."""
    marked = gettext("Page %(page)s of %(pages)s") % {"page": "\x00", "pages": "\x01"}
    before, _sep, rest = marked.partition("\x00")
    between, _sep, after = rest.partition("\x01")
    return before, between, after


def dossier_html(dossier: Dossier) -> str:
    """The HTML WeasyPrint renders. Call it inside the dossier's language."""
    before, between, after = _page_label_parts()
    chart = ""
    if dossier.sections.get("wellbeing"):
        chart = wellbeing_svg(
            dossier.sections["wellbeing"],
            score_labels={value: str(label) for value, label in Wellbeing.choices},
            title=dossier.headings["wellbeing"],
        )
    return render_to_string(
        TEMPLATE,
        {
            "dossier": dossier,
            "language": get_language() or "nl",
            "issued": date_format(dossier.issued_on, "j F Y"),
            "page_before": before,
            "page_between": between,
            "page_after": after,
            # Built from numbers, dates and escaped labels only (chart.wellbeing_svg).
            "chart": mark_safe(chart),  # noqa: S308
        },
    )


def dossier_pdf(dossier: Dossier) -> bytes:
    """The dossier as PDF bytes, A4, with page numbers, the academy and the date of issue
    in the footer."""
    document = HTML(
        string=dossier_html(dossier),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=_NoFetching(fail_on_errors=True),
    )
    return document.write_pdf(stylesheets=[_stylesheet()])
