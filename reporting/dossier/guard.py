"""The release check: before a dossier leaves the academy's team, the text of the produced PDF
(what a reader or a copy-paste would get) is checked against what must never be in it.

The secrets of a participant: the text of every care note, the analysis texts of every route
(summary, talents, support questions), for the employer's copy also the texts of the support
goals and everything the young person wrote (reflections), and the BSN in any notation
(spaces, dots, dashes, slashes: any separator between its digits).
A hit stops the release (reporting.dossier.kinds): the run fails, no file is kept, and one
audit event records the blocked release, naming the kind of data found, never the text.

Matching is on words, not characters: both sides are normalised (Unicode NFKC, case-folded,
every run of non-letters and non-digits one space), so a line break, a hyphen at the end of
a line or a typographic quote does not hide a hit. A long secret counts as found when any
run of WINDOW consecutive words of it is in the PDF, so a care note split over a page break,
or one sentence or fragment of it, is found too. A secret shorter than WINDOW words counts as
found when all its words stand in the PDF in a row, as whole words ("Zwanger" is found in
"is zwanger." but not in "zwangerschapsverlof"). Runs made of common function words only ("en
hij was op tijd") say nothing about the person and would flag ordinary text: they are skipped,
as are secrets under MIN_SECRET_CHARS letters ("ok").
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

from leerroutes.models import Analysis, AnalysisDomain, Goal, GoalKind, Reflection
from participants.models import CareNote, Participant

from .content import (
    GUARD_ANALYSIS,
    GUARD_BSN,
    GUARD_CARE_NOTES,
    GUARD_SUPPORT_GOALS,
    GUARD_VOICE,
)

# Dutch: "Vrijgave gestopt: het dossier bevat gegevens die niet gedeeld mogen worden."
MSG_BLOCKED = gettext_noop("Release stopped: the dossier contains data that may not be shared.")

PDFTOTEXT = "pdftotext"
PDFTOTEXT_TIMEOUT = 60
WINDOW = 5  # words: a fragment of five words of a secret is a hit
MIN_SECRET_CHARS = 3  # letters and digits; "ok" would only make false alarms
# Dutch function words. A run of only these ("en dat hij het niet") is no sign of a secret.
# A short hand-kept list: no stop-word package is installed and the set is small and stable.
COMMON_WORDS = frozenset(
    """
    de het een en of maar want dus dat die dit deze wat wie waar wanneer hoe om te tot
    van voor in op aan bij met door naar uit over onder na als dan toen ook nog al wel
    niet geen er hier daar is was zijn waren ben bent wordt werd worden kan kon kunnen
    moet moest moeten wil wilde willen zal zou zullen heeft had hebben heb hij zij ze
    hem haar hun ik je jij jou jouw u we wij ons onze mijn zijn zich zelf men iets niets
    veel meer minder zo heel erg nu weer af mee toe tegen zonder
    """.split()  # noqa: SIM905 - a word list reads better as text
)

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

    def contains(self, secret: str, min_words: int = 1) -> bool:
        tokens = words(secret)
        if len(tokens) < min_words or len("".join(tokens)) < MIN_SECRET_CHARS:
            return False
        size = min(len(tokens), WINDOW)
        wanted = self._runs[size]
        return any(run in wanted for run in _runs(tokens, size) if _telling(run))


def _telling(run: tuple[str, ...]) -> bool:
    """A run says something about the person unless it is made of function words only."""
    return any(token not in COMMON_WORDS for token in run)


def bsn_pattern(bsn: str) -> re.Pattern[str] | None:
    """The nine digits with any separators or spacing between them (up to three characters
    that are not letters or digits: "908/687/230", "908 - 687 - 230"), not part of a longer
    number."""
    if len(bsn) != 9 or not bsn.isdigit():
        return None
    separator = r"[^0-9A-Za-z]{0,3}"
    return re.compile(r"(?<!\d)" + separator.join(bsn) + r"(?!\d)")


def _care_note_texts(participant: Participant) -> Iterable[str]:
    return CareNote.objects.filter(participant=participant).values_list("text", flat=True)


def _analysis_texts(participant: Participant) -> Iterable[str]:
    yield from Analysis.objects.filter(route__participant=participant).values_list(
        "summary", flat=True
    )
    for talents, questions in (
        AnalysisDomain.objects.filter(analysis__route__participant=participant)
        .filter(~Q(talents="") | ~Q(support_questions=""))
        .values_list("talents", "support_questions")
    ):
        yield talents
        yield questions


def _support_goal_texts(participant: Participant) -> Iterable[str]:
    return Goal.objects.filter(route__participant=participant, kind=GoalKind.SUPPORT).values_list(
        "description", flat=True
    )


def _voice_texts(participant: Participant) -> Iterable[str]:
    return Reflection.objects.filter(route__participant=participant).values_list("text", flat=True)


# The texts each check reads, in the order they are reported, and the fewest words a text
# needs to be looked for. A one-word care note ("Zwanger") is a secret on its own; a one-word
# talent, support goal or reflection ("Plannen", "goed") is an ordinary word that a work goal
# or handelingswijzer may well use, and would stop every copy for good.
SECRET_TEXTS = {
    GUARD_CARE_NOTES: (_care_note_texts, 1),
    GUARD_ANALYSIS: (_analysis_texts, 2),
    GUARD_SUPPORT_GOALS: (_support_goal_texts, 2),
    GUARD_VOICE: (_voice_texts, 2),
}


def release_check(*, participant: Participant, pdf: bytes, checks: Iterable[str]) -> list[str]:
    """The kinds of secret found in the PDF's text (empty when it may be released), of the
    ``checks`` asked for: care_notes, analysis, support_goals, participant_voice, bsn. Never
    returns the secret itself."""
    index = TextIndex(pdf_text(pdf))
    found = []
    checks = tuple(checks)
    for check, (texts, min_words) in SECRET_TEXTS.items():
        if check in checks and any(index.contains(t, min_words) for t in texts(participant)):
            found.append(check)
    if GUARD_BSN in checks and participant.bsn:
        pattern = bsn_pattern(participant.bsn)
        if pattern is not None and pattern.search(index.text):
            found.append(GUARD_BSN)
    return found
