"""The Dutch catalogue is complete: no empty or fuzzy entry, and every translation keeps the
%(name)s placeholders of its source string.

The .po file is read with a small parser here on purpose: polib is not a project dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PO_FILE = Path(__file__).resolve().parents[1] / "locale" / "nl" / "LC_MESSAGES" / "django.po"

KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
CONTINUATION = re.compile(r'^"(.*)"\s*$')
ESCAPE = re.compile(r"\\(.)")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
NAMED_PLACEHOLDER = re.compile(r"%\(([^)]+)\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unescape(text: str) -> str:
    return ESCAPE.sub(lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(text: str) -> list[Entry]:
    """The live (not obsolete) entries of a .po file, header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def put(kind: str, index: int | None, value: str) -> None:
        if kind == "msgstr":
            entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + value
        else:
            setattr(entry, kind, (getattr(entry, kind) or "") + value)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#~"):
            target = None  # obsolete entries do not count
            continue
        if line.startswith("#"):
            if entry is None or target is not None:
                entry, target = Entry(line=number), None
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            kind = "msgstr" if keyword.startswith("msgstr") else keyword
            if entry is None or (
                kind in ("msgctxt", "msgid")
                and target is not None
                and (target[0] == "msgstr" or kind == "msgctxt")
            ):
                entry = Entry(line=number)
                entries.append(entry)
            target = (kind, int(index) if index is not None else None)
            put(kind, target[1], _unescape(value))
            continue
        match = CONTINUATION.match(line)
        if match and entry is not None and target is not None:
            put(target[0], target[1], _unescape(match.group(1)))
            continue
        raise AssertionError(f"{PO_FILE.name} line {number}: cannot read {raw!r}")
    return [e for e in entries if e.msgid or e.msgid_plural or e.msgctxt is not None]


def placeholders(text: str) -> set[str]:
    return set(NAMED_PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


def test_the_parser_reads_plural_and_multiline_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hoi %(name)s"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr "Twee regels"\n\n'
        'msgid "%(counter)s goal"\nmsgid_plural "%(counter)s goals"\n'
        'msgstr[0] "%(counter)s doel"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n'
    )
    parsed = parse_po(sample)
    assert [e.msgid for e in parsed] == ["Hi %(name)s", "Two lines", "%(counter)s goal"]
    assert parsed[0].flags == {"fuzzy", "python-format"}
    assert parsed[1].msgstr == {0: "Twee regels"}
    assert parsed[2].msgid_plural == "%(counter)s goals"
    assert parsed[2].msgstr == {0: "%(counter)s doel", 1: ""}


def test_the_dutch_catalogue_has_entries(entries):
    assert len(entries) > 100


def test_every_dutch_entry_is_translated(entries):
    empty = [str(e) for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert not empty, f"{len(empty)} untranslated entries in {PO_FILE.name}: {empty[:20]}"


def test_no_dutch_entry_is_fuzzy(entries):
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {PO_FILE.name}: {fuzzy[:20]}"


def test_translations_keep_the_named_placeholders(entries):
    wrong = []
    for e in entries:
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if text and placeholders(text) != placeholders(source):
                wrong.append(f"{e} [{index}] -> {text!r}")
    assert not wrong, f"placeholders differ in {PO_FILE.name}: {wrong}"
