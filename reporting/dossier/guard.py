"""The release check: before a dossier leaves the academy's team, the text of the produced PDF
(what a reader or a copy-paste would get) is checked against what must never be in it.

The secrets of a participant: the text of every care note, the analysis texts of every route
(summary, talents, support questions) and the BSN, also written with spaces, dots or dashes.
A hit stops the release (reporting.dossier.kinds): the run fails, no file is kept, and one
audit event records the blocked release, naming the kind of data found, never the text.

Matching is on words, not characters: both sides are normalised (Unicode NFKC, case-folded,
every run of non-letters and non-digits one space), so a line break, a hyphen at the end of
a line or a typographic quote does not hide a hit. A long secret counts as found when any
run of WINDOW consecutive words of it is in the PDF, so a care note split over a page break,
or one sentence of it, is found too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_noop

from leerroutes.models import Analysis, AnalysisDomain
from participants.models import CareNote, Participant

from .content import GUARD_ANALYSIS, GUARD_BSN, GUARD_CARE_NOTES

# Dutch: "Vrijgave gestopt: het dossier bevat gegevens die niet gedeeld mogen worden."
MSG_BLOCKED = gettext_noop("Release stopped: the dossier contains data that may not be shared.")

PDFTOTEXT = "pdftotext"
PDFTOTEXT_TIMEOUT = 60
WINDOW = 6  # words
MIN_SECRET_CHARS = 8  # shorter texts ("ok", "zie boven") would only make false alarms

_NON_WORD = re.compile(r"[\W_]+")


class GuardUnavailableError(RuntimeError):
    """The PDF's text could not be read: nothing is released unchecked."""


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, by poppler's pdftotext. Raises GuardUnavailableError when the tool is
    missing or fails: the check fails closed."""
    executable = shutil.which(PDFTOTEXT)
    if executable is None:
        raise GuardUnavailableError("pdftotext (poppler-utils) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        try:
            result = subprocess.run(  # noqa: S603 - a fixed tool and our own temp file
                [executable, "-q", "-enc", "UTF-8", handle.name, "-"],
                capture_output=True,
                check=True,
                timeout=PDFTOTEXT_TIMEOUT,
            )
        except (subprocess.SubprocessError, OSError) as error:
            raise GuardUnavailableError(f"pdftotext failed: {error}") from error
    return result.stdout.decode("utf-8", errors="replace")


def words(text: str) -> list[str]:
    """Normalised words: NFKC (ligatures apart), case-folded, split on anything not a
    letter or digit."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _NON_WORD.split(normal) if w]


def _runs(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


class TextIndex:
    """The PDF's words as sets of runs of 1..WINDOW words, for quick lookups."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFKC", text)
        tokens = words(text)
        self._runs = {size: _runs(tokens, size) for size in range(1, WINDOW + 1)}

    def contains(self, secret: str) -> bool:
        tokens = words(secret)
        if not tokens or len("".join(tokens)) < MIN_SECRET_CHARS:
            return False
        size = min(len(tokens), WINDOW)
        wanted = self._runs[size]
        return any(run in wanted for run in _runs(tokens, size))


def bsn_pattern(bsn: str) -> re.Pattern[str] | None:
    """The nine digits with optional spaces, dots or dashes between them, not part of a
    longer number."""
    if len(bsn) != 9 or not bsn.isdigit():
        return None
    separator = r"[\s.\-]?"
    return re.compile(r"(?<!\d)" + separator.join(bsn) + r"(?!\d)")


def _care_note_texts(participant: Participant) -> Iterable[str]:
    return CareNote.objects.filter(participant=participant).values_list("text", flat=True)


def _analysis_texts(participant: Participant) -> Iterable[str]:
    yield from Analysis.objects.filter(traject__participant=participant).values_list(
        "summary", flat=True
    )
    for talents, questions in (
        AnalysisDomain.objects.filter(analysis__traject__participant=participant)
        .filter(~Q(talents="") | ~Q(support_questions=""))
        .values_list("talents", "support_questions")
    ):
        yield talents
        yield questions


def release_check(*, participant: Participant, pdf: bytes, checks: Iterable[str]) -> list[str]:
    """The kinds of secret found in the PDF's text (empty when it may be released), of the
    ``checks`` asked for: care_notes, analysis, bsn. Never returns the secret itself."""
    index = TextIndex(pdf_text(pdf))
    found = []
    checks = tuple(checks)
    if GUARD_CARE_NOTES in checks and any(map(index.contains, _care_note_texts(participant))):
        found.append(GUARD_CARE_NOTES)
    if GUARD_ANALYSIS in checks and any(map(index.contains, _analysis_texts(participant))):
        found.append(GUARD_ANALYSIS)
    if GUARD_BSN in checks and participant.bsn:
        pattern = bsn_pattern(participant.bsn)
        if pattern is not None and pattern.search(index.text):
            found.append(GUARD_BSN)
    return found
