"""Dates and numbers as Dutch writes them (issue 17): "3 dec 2026", "1 mrt", "60.495,4";
English keeps its own ("3 Dec 2026", "60,495.4")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "node_modules", ".cache"}


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load i18n %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "3 dec 2026 · 1 mrt"), ("en", "3 Dec 2026 · 1 Mar")]
)
def test_short_dates_as_each_language_writes_them(language, expected):
    source = '{{ a|date:_("j M Y") }} · {{ b|date:_("j M") }}'
    assert render(source, language, a=date(2026, 12, 3), b=date(2027, 3, 1)) == expected


@pytest.mark.parametrize(("language", "expected"), [("nl", "60.495,4"), ("en", "60,495.4")])
def test_numbers_with_the_languages_separators(language, expected):
    assert render('{{ n|floatformat:"1g" }}', language, n=60495.4) == expected


def test_no_template_writes_a_short_month_without_translating_the_format():
    """`|date:"j M Y"` gives "3 Dec 2026" in Dutch too; `|date:_("j M Y")` lets the Dutch
    catalogue make it "3 dec 2026"."""
    offenders = []
    for path in ROOT.rglob("*.html"):
        if SKIP.intersection(path.parts):
            continue
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text()):
            if "M" in fmt:
                offenders.append(f"{path.relative_to(ROOT)}: {fmt}")
    assert not offenders


def test_no_python_code_formats_a_short_month_without_translating_the_format():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if SKIP.intersection(path.parts) or "tests" in path.parts:
            continue
        for fmt in re.findall(r'date_format\([^,()]+, "([^"]*)"\)', path.read_text()):
            if "M" in fmt:
                offenders.append(f"{path.relative_to(ROOT)}: {fmt}")
    assert not offenders


@pytest.mark.django_db
def test_a_participant_page_shows_dutch_month_abbreviations(world, client_for):
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    body = client_for("coach").get(url).content.decode()
    months = "jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec"
    assert re.search(rf"\b\d{{1,2}} ({months}) \d{{4}}\b", body)
    assert not re.search(
        r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b", body
    )
