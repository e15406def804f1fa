"""Hostile input for the bad-input tests: hypothesis strategies, a black-box reader of the
form fields a page offers, and a fingerprint of the database.

The strategies mix a field's own valid values (the page's options, its initial value, a good
date or number for its type) with hostile ones, so that a submit often gets past the form into
the service with one hostile value in it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.db import connection, transaction
from hypothesis import strategies as st

# --- payloads --------------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "javascript:alert(1)//<script>alert(1)</script>",
]
# What must never appear raw in a page (searched case-insensitively: a form may upper-case).
RAW_MARKUP = ("<script>alert(", "<img src=x onerror", "<svg onload")
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    '=HYPERLINK("http://example.test/x","klik")',
    "\t=1+1",
    "\r=1+1",
]
TEMPLATE_LIKE = ["{{ request }}", "{% debug %}", "%(name)s", "%s%s%d", "{0}", "${7*7}", "\\"]
UNICODE = [
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "e\u0301",
    "\ufeffbom",
    "\ufb01",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "line\u2028sep\u2029",
    "\u0130stanbul",
    "\U0001f600" * 40,
    "\u05e9\u05dc\u05d5\u05dd",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e308",
    "1e-308",
    "99999999999999999999999",
    "-99999999999999999999999",
    "NaN",
    "Infinity",
    "0x10",
    "\u0661\u0662\u0663",
    "1,5",
    "3.14159265358979",
    "  7  ",
    "1_000",
    "32768",
    "2147483648",
    "9223372036854775808",
    "\u00b2",
    "\u2460",
]
DATES = [
    "2025-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "31/12/2025",
    "2025-13-01",
    "10000-01-01",
    "2025-1-1",
    "2025-10-01T00:00",
    "1-1-1",
    "morgen",
    "2025\u201010\u201001",
    "1900-01-01",
    "2099-12-31",
]
CONTROL = [chr(c) for c in range(0x20)] + ["\x7f"]

control_text = st.lists(
    st.one_of(st.sampled_from(CONTROL), st.sampled_from(["a", "Z", " ", "<", "&"])),
    min_size=1,
    max_size=12,
).map("".join)

LONG_UNITS = ["A", "\u00e9", "<script>alert(1)</script>", "\U0001f600", "a\x01", "=1+"]
long_text = st.tuples(st.sampled_from(LONG_UNITS), st.integers(10_000, 100_000)).map(
    lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]]
)

hostile_text = st.one_of(
    st.sampled_from(XSS),
    st.sampled_from(FORMULAS),
    st.sampled_from(TEMPLATE_LIKE),
    st.sampled_from(UNICODE),
    st.sampled_from(NUMBERS),
    st.sampled_from(DATES),
    control_text,
    long_text,
    st.just(""),
    st.just(" "),
    st.text(max_size=30),  # any valid unicode (hypothesis leaves out lone surrogates)
    st.tuples(st.sampled_from(XSS), st.sampled_from(CONTROL)).map("".join),
)


# --- a page's form fields, read from its HTML ------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "textarea" / "select"
    values: list[str] = field(default_factory=list)  # options, or the value it carries
    multiple: bool = False


class _FormReader(HTMLParser):
    """The fields of every form of one method on a page, per form action."""

    def __init__(self, method: str):
        super().__init__(convert_charrefs=True)
        self.method = method
        self.forms: list[tuple[str | None, dict[str, Field]]] = []
        self._fields: dict[str, Field] | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == self.method:
                self._fields = {}
                self.forms.append((attrs.get("action"), self._fields))
            return
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image"}:
                return
            known = self._fields.setdefault(name, Field(name, kind))
            value = attrs.get("value")
            if kind in {"checkbox", "radio"}:
                known.values.append(value if value is not None else "on")
                known.multiple = known.multiple or (kind == "checkbox" and len(known.values) > 1)
            elif value is not None:
                known.values.append(value)
        elif tag == "select" and name:
            self._select = self._fields.setdefault(
                name, Field(name, "select", multiple="multiple" in attrs)
            )
        elif tag == "option" and self._select is not None:
            self._select.values.append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = self._fields.setdefault(name, Field(name, "textarea"))

    def handle_data(self, data):
        if self._textarea is not None and data.strip():
            self._textarea.values.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, path: str | None, method: str = "post") -> dict[str, Field]:
    """The fields of the page's forms that submit to ``path`` (or to the page itself); of
    all its forms of that method when ``path`` is None."""
    reader = _FormReader(method)
    reader.feed(html)
    found: dict[str, Field] = {}
    for action, fields in reader.forms:
        target = urlsplit(action).path if action else path
        if path is None or target == path:
            found.update(fields)
    return found


# --- values for a field ----------------------------------------------------------------------

GOOD_BY_KIND = {
    "date": ["2025-10-01", "2026-01-15", "2027-06-01"],
    "password": ["Een-sterk-wachtwoord-42"],
    "month": ["2025-09", "2026-02"],
    "number": ["3", "1.5", "0"],
    "email": ["iemand@example.test"],
    "tel": ["0612345678"],
    "checkbox": ["on"],
}


# Valid values for fields whose page offers none and whose plain text would not do.
GOOD_BY_NAME = {
    "postcode": ["8102 AB", ""],
    "kvk_number": ["12345678"],
    "bsn": ["", "111222333"],
    "end_date": [""],
    "trial_ends_on": [""],
    "ends_on": [""],
    "next_on": [""],
    "email": ["iemand@example.test"],
}


def _good_values(spec: Field) -> list[str]:
    if spec.name in GOOD_BY_NAME:
        return GOOD_BY_NAME[spec.name]
    given = [v for v in spec.values if v] or list(spec.values)
    good = given + GOOD_BY_KIND.get(spec.kind, [])
    if not good and spec.kind in {"text", "textarea", "search"}:
        good = ["Gewone tekst"]
    return good


def valid_strategy(spec: Field, override: list[str] | None = None) -> st.SearchStrategy:
    """A value the page itself offers (an option, the initial value, a good date...)."""
    good = override or _good_values(spec)
    one = st.sampled_from(good) if good else st.just("")
    if spec.multiple or spec.kind == "checkbox":
        return st.lists(one, max_size=2, unique=True)
    return one


def first_valid(spec: Field, override: list[str] | None = None):
    """The first value the page itself offers: the base of a one-field-at-a-time sweep."""
    good = override or _good_values(spec)
    value = good[0] if good else ""
    return [value] if spec.multiple or spec.kind == "checkbox" else value


# Values at the edges, per kind of field, for the deterministic sweep (test_boundaries.py).
_CHOICE_EDGES = ["a\x00b", "\u00b2", "99999999999999999999"]
EDGES_BY_KIND = {
    "date": ["9999-12-31", "0001-01-01"],
    "month": ["9999-12", "0000-01"],
    "number": ["32768", "2147483648", "-1"],
    "hidden": ["\u00b2", "-1", "a\x00b"],
    "select": _CHOICE_EDGES,
    "radio": _CHOICE_EDGES,
    "checkbox": _CHOICE_EDGES,
}
TEXT_EDGES = ["a\x00b", "\x01\x0b\x1f<script>alert(1)</script>", "\u00e9" * 100_000]


def edge_values(spec: Field) -> list:
    values = EDGES_BY_KIND.get(spec.kind, TEXT_EDGES)
    return [[v] for v in values] if spec.multiple or spec.kind == "checkbox" else values


def hostile_strategy(spec: Field) -> st.SearchStrategy:
    if spec.multiple or spec.kind == "checkbox":
        return st.lists(hostile_text, min_size=1, max_size=3)
    return hostile_text


def _avoiding(strategy: st.SearchStrategy, avoid) -> st.SearchStrategy:
    if avoid is None:
        return strategy
    return strategy.filter(lambda v: not any(avoid(x) for x in (v if isinstance(v, list) else [v])))


def form_values(data, fields: dict[str, Field], good=None, avoid=None) -> dict:
    """Draw one submit: mostly valid values with one hostile field (so the submit gets past
    the form into the service), sometimes every field a coin toss between the two. ``avoid``
    maps a field (or "*", every field) to a predicate of values left out (a known defect,
    tested on its own)."""
    good, avoid = good or {}, avoid or {}
    names = sorted(fields)
    if not names:
        return {}
    everywhere = data.draw(st.sampled_from([True, False, False]), label="every field hostile")
    target = None if everywhere else data.draw(st.sampled_from(names), label="hostile field")
    values = {}
    for name in names:
        spec, valid = fields[name], valid_strategy(fields[name], good.get(name))
        if everywhere:
            strategy = st.one_of(valid, hostile_strategy(spec))
        else:
            strategy = hostile_strategy(spec) if name == target else valid
        left_out = avoid.get(name, avoid.get("*"))
        values[name] = data.draw(_avoiding(strategy, left_out), label=name)
    return within_budget(values)


MAX_BODY = 4 * 1024 * 1024  # below DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB), which is not our test


def within_budget(data: dict) -> dict:
    """Empty the values that would take the request body past MAX_BODY (counted as the
    urlencoded size, an upper bound of the multipart body the test client sends)."""
    used, kept = 0, {}
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        size = sum(len(quote(v.encode("utf-8"))) for v in values)
        kept[name] = value if used + size <= MAX_BODY else ""
        used += size if used + size <= MAX_BODY else 0
    return kept


def short(data: dict) -> dict:
    """The submitted data, each value cut to 60 characters, for an assertion message."""
    return {k: (v[:60] if isinstance(v, str) else v) for k, v in data.items()}


# --- what a response must never hold --------------------------------------------------------


def raw_markup_in(response) -> list[str]:
    """The hostile markup that appears unescaped in a text response (escaped is fine)."""
    if response.get("Content-Type", "").split(";")[0] not in {"text/html", "text/plain", ""}:
        return []
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", errors="replace").lower()
    return [marker for marker in RAW_MARKUP if marker in body]


# --- the database, as one fingerprint --------------------------------------------------------

# Sessions change with every request; the audit trail gets a READ event for every page shown
# (a re-rendered form too; a list's event with a row per person shown), so of the audit trail
# only the other events count.
NOT_DATA = {"django_session"}
ONLY_ROWS = {
    "audit_auditevent": "WHERE x.action <> 'read'",
    "audit_auditeventparticipant": "WHERE x.event_id IN "
    "(SELECT id FROM audit_auditevent WHERE action <> 'read')",
}


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: its row count and an md5 over all its rows, in one query."""
    tables = sorted(set(connection.introspection.table_names()) - NOT_DATA)
    parts = [  # table names from the schema itself, not from input
        f"SELECT '{t}', count(*), coalesce(md5(string_agg(md5(x::text), '' "  # noqa: S608
        f"ORDER BY md5(x::text))), '') FROM {connection.ops.quote_name(t)} x "
        + ONLY_ROWS.get(t, "")
        for t in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is rolled back, so examples do not pile up."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
