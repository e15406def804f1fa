"""Importing an existing participant list (.xlsx or .csv), all or nothing, with past routes
(import_history) when the optional history columns are filled in.

Reading is done with openpyxl and the csv module directly: that keeps every problem tied to
a row number and a column, which is what a person fixing their spreadsheet needs. Every row
is validated first; only when all rows are right is anything written, in one transaction.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Academy, Programme, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from maatwerq.uploads import UnpackTooLargeError, zip_unpacked_check

from . import import_history
from .exports import workbook_bytes
from .figures import cohort_figures_deferred
from .models import (
    Cohort,
    FundingStream,
    Participant,
    ReferralSource,
    Route,
    RouteType,
    Status,
    StatusChange,
    validate_bsn,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_SCANNED_ROWS = 20 * MAX_ROWS  # blank rows included: a bound on the work per upload
MIN_AGE, MAX_AGE = 16, 27
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass(frozen=True)
class ImportColumn:
    name: str  # the header in the file, as Dutch lists name it
    required: bool
    help: Any  # a lazy translation, shown on the import page and in the template
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS = [
    ImportColumn("voornaam", True, _("First name."), "Daan", ("first name", "first_name")),
    ImportColumn(
        "achternaam",
        True,
        _("Last name, with any prefix (van, de)."),
        "de Vries",
        ("last name", "last_name"),
    ),
    ImportColumn(
        "geboortedatum",
        True,
        _("Date of birth, as YYYY-MM-DD or DD-MM-YYYY."),
        "2007-03-14",
        ("date of birth", "date_of_birth"),
    ),
    ImportColumn(
        "e-mail",
        False,
        _("Email address."),
        "daan@example.nl",
        ("email", "e-mailadres", "emailadres"),
    ),
    ImportColumn("telefoon", False, _("Phone number."), "06 12345678", ("telefoonnummer", "phone")),
    ImportColumn(
        "programma", True, _("A programme of your academy, e.g. BinQ."), "BinQ", ("programme",)
    ),
    ImportColumn(
        "groep",
        False,
        _("A group of that programme, e.g. Groep 12. Leave empty for an individual route."),
        "Groep 30",
        ("group", "cohort"),
    ),
    ImportColumn(
        "routetype",
        True,
        _("1a (werkschool), 1b (lateral entry) or 2 (group route)."),
        "2",
        ("route type", "route_type", "route"),
    ),
    ImportColumn(
        "verwijzer",
        True,
        _("Who referred: vso, pro, mbo1, jeugdzorg, gemeente, uwv, reintegratie or zelf."),
        "vso",
        ("referral source", "referral_source", "verwezen door"),
    ),
    ImportColumn(
        "aanmelddatum",
        True,
        _(
            "Referral date, as YYYY-MM-DD or DD-MM-YYYY. The participant must be 16 to 27 "
            "years old on this date."
        ),
        "2026-06-01",
        ("referral date", "referral_date", "datum aanmelding"),
    ),
    ImportColumn(
        "financiering",
        False,
        _(
            "Funding stream: wajong, participatiewet, uwv, jeugdzorg, werkschool, esf or none. "
            "Empty means none."
        ),
        "participatiewet",
        ("funding stream", "funding_stream", "funding"),
    ),
    ImportColumn(
        "bsn", False, _("Citizen service number: 9 digits that pass the 11-test."), "", ()
    ),
    ImportColumn(
        "coach",
        False,
        _("Email address of the participant's coach (a leerroutecoach of your academy)."),
        "",
        (),
    ),
]
COLUMNS += [
    ImportColumn(name, False, help_text, example)
    for name, help_text, example in import_history.HISTORY_COLUMNS
]
COLUMN_BY_HEADER = {
    header: column.name for column in COLUMNS for header in (column.name, *column.aliases)
}

# Accepted spellings besides the codes and the labels of the choices.
EXTRA_SPELLINGS = {
    "referral_source": {
        "re-integratie": ReferralSource.REINTEGRATION,
        "reïntegratie": ReferralSource.REINTEGRATION,
        "ouders": ReferralSource.SELF,
        "mbo": ReferralSource.MBO1,
        "entree": ReferralSource.MBO1,
    },
    "funding_stream": {"geen": FundingStream.NONE, "gemeente": FundingStream.PARTICIPATIEWET},
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, empty, too large, no usable header."""


@dataclass
class Table:
    """What was read from the file: the known columns and the data rows with their row
    number as the spreadsheet shows it (the header is row 1)."""

    columns: list[str | None]  # per position: our column name, or None (ignored)
    rows: list[tuple[int, list[Any]]]
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[Participant] = field(default_factory=list)
    rows: int = 0


# --- reading -------------------------------------------------------------------------------


def read_table(upload) -> Table:
    """Read an uploaded .xlsx or .csv, judged by its content, not by its name."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportFileError(_too_large())
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_too_large())
    if not data.strip():
        raise ImportFileError(gettext("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        try:
            zip_unpacked_check(data)  # before openpyxl unpacks anything: no zip bombs
        except UnpackTooLargeError as error:
            raise ImportFileError(str(error)) from None
        raw_rows = _xlsx_rows(data)
    elif data.startswith(OLE2_MAGIC):
        raise ImportFileError(
            gettext("This is an old Excel file (.xls). Save it as .xlsx or .csv and try again.")
        )
    else:
        raw_rows = _csv_rows(data)
    return _table(raw_rows)


def _too_large() -> str:
    return gettext("The file is larger than 2 MB. Split it into smaller files.")


def _not_a_table() -> str:
    return gettext("This is not an Excel (.xlsx) or CSV file.")


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (
        zipfile.BadZipFile,
        SyntaxError,  # xml.etree's ParseError: a workbook part that is not well-formed XML
        InvalidFileException,
        KeyError,
        ValueError,
        OSError,
        IndexError,
        AttributeError,
        TypeError,
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # A damaged sheet fails while it is being read, so the loop is inside the try.
        yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    except broken:
        raise ImportFileError(_not_a_table()) from None


def _csv_rows(data: bytes) -> Iterator[Sequence[Any]]:
    text = _decode(data)
    if text is None:
        raise ImportFileError(_not_a_table())
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield row[:MAX_COLUMNS]
    except csv.Error:
        raise ImportFileError(_not_a_table()) from None


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel saves CSV; None for binary."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
            return None
        return text
    return None


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _numbered_rows(raw_rows: Iterator[Sequence[Any]]) -> list[tuple[int, list[Any]]]:
    """The non-blank rows with their row number in the file; stops (with an error) past the
    row limit, so a huge file is never read to its end."""
    numbered: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(raw_rows, start=1):
        if number > MAX_SCANNED_ROWS or len(numbered) > MAX_ROWS:  # header + MAX_ROWS
            raise ImportFileError(
                gettext("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        if not _is_blank(row):
            numbered.append((number, list(row)))
    return numbered


def _table(raw_rows: Iterator[Sequence[Any]]) -> Table:
    numbered = _numbered_rows(raw_rows)
    if not numbered:
        raise ImportFileError(gettext("The file is empty."))
    header_row, header = numbered[0]
    if header_row != 1:
        raise ImportFileError(gettext("The first row must hold the column names."))
    columns: list[str | None] = []
    ignored: list[str] = []
    for value in header:
        label = _text(value).lower().rstrip("*").strip()
        name = COLUMN_BY_HEADER.get(label)
        if name is not None and name in columns:
            raise ImportFileError(gettext("The column “%(name)s” appears twice.") % {"name": label})
        columns.append(name)
        if name is None and label:
            ignored.append(label)
    if not any(columns):
        raise ImportFileError(
            gettext("The first row holds no known column names. Download the template to see them.")
        )
    missing = [c.name for c in COLUMNS if c.required and c.name not in columns]
    if missing:
        raise ImportFileError(
            gettext("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    rows = numbered[1:]
    if not rows:
        raise ImportFileError(gettext("The file has column names but no participants."))
    return Table(columns=columns, rows=rows, ignored=ignored)


# --- validating ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Our own exports put an apostrophe before text a spreadsheet would run as a formula.
    if text.startswith("'") and text[1:2] in {"=", "+", "-", "@"}:
        text = text[1:]
    return text


def parse_date(value: Any) -> date | None:
    """A date from a spreadsheet cell or text: YYYY-MM-DD or DD-MM-YYYY; None if unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-")
    if " " in text:  # "2026-06-01 00:00:00" from a spreadsheet saved as CSV
        text = text.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _choice(value: str, choices, extra: dict | None = None) -> str | None:
    wanted = value.strip().lower()
    for code, label in choices.choices:
        if wanted in {code.lower(), str(label).lower()}:
            return code
    return (extra or {}).get(wanted)


def _bsn(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):09d}"  # a spreadsheet drops the leading zero
    return _text(value).replace(" ", "").replace(".", "")


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class _Lookups:
    """Everything rows are checked against, read once (the query count does not grow with
    the rows)."""

    programmes: dict[str, Programme]
    cohorts: dict[tuple[int, str], Cohort]
    coaches: dict[str, User]
    existing_people: set[tuple[str, str, date]]
    existing_bsns: set[str]
    employers: dict  # KvK number -> Employer, or the name of one the import adds

    @classmethod
    def for_academy(cls, academy: Academy) -> _Lookups:
        programmes = {p.name.lower(): p for p in Programme.objects.filter(academy=academy)}
        cohorts = {
            (c.programme_id, c.name.lower()): c
            for c in Cohort.objects.filter(programme__academy=academy)
        }
        coaches = {
            u.email.lower(): u
            for u in User.objects.filter(
                memberships__academy=academy,
                memberships__role=Role.COACH,
                memberships__is_active=True,
                is_active=True,
            )
        }
        in_academy = Participant.objects.filter(academy=academy)
        people = {
            (first.lower(), last.lower(), born)
            for first, last, born in in_academy.values_list(
                "first_name", "last_name", "date_of_birth"
            )
        }
        bsns = set(in_academy.exclude(bsn="").values_list("bsn", flat=True))
        employers = import_history.employers_by_kvk(academy)
        return cls(programmes, cohorts, coaches, people, bsns, employers)


class _RowChecker:
    """Turns one row into an unsaved Participant and Route, collecting every problem."""

    def __init__(self, *, number: int, record: dict[str, Any], lookups: _Lookups, today: date):
        self.number = number
        self.record = record
        self.lookups = lookups
        self.today = today
        self.errors: list[RowError] = []
        self.history: import_history.RouteHistory | None = None

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, max_length: int | None = None) -> str:
        value = _text(self.record.get(column))
        spec = next(c for c in COLUMNS if c.name == column)
        if spec.required and not value:
            self.error(column, gettext("This field is required."))
        elif max_length and len(value) > max_length:
            self.error(
                column,
                gettext("At most %(n)s characters, this has %(len)s.")
                % {"n": max_length, "len": len(value)},
            )
        return value

    def date_value(self, column: str) -> date | None:
        raw = self.record.get(column)
        if _text(raw) == "":
            self.error(column, gettext("This field is required."))
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.error(
                column,
                gettext("“%(value)s” is not a date; use YYYY-MM-DD or DD-MM-YYYY.")
                % {"value": _text(raw)[:40]},
            )
        return parsed

    def optional_date(self, column: str) -> date | None:
        raw = self.record.get(column)
        return None if _text(raw) == "" else self.date_value(column)

    def choice(self, column: str, choices, extra_key: str = "", default: str = "") -> str:
        value = self.text(column)
        if not value:
            return default
        code = _choice(value, choices, EXTRA_SPELLINGS.get(extra_key))
        if code is None:
            allowed = ", ".join(c for c, _label in choices.choices)
            self.error(
                column,
                gettext("“%(value)s” is not one of: %(allowed)s.")
                % {"value": value[:40], "allowed": allowed},
            )
            return default
        return code

    def check(self) -> tuple[Participant, Route, tuple[str, str, date] | None]:
        first = self.text("voornaam", max_length=80)
        last = self.text("achternaam", max_length=120)
        born = self.date_value("geboortedatum")
        email = self.text("e-mail", max_length=254)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error("e-mail", gettext("This is not a valid email address."))
        phone = self.text("telefoon", max_length=30)
        programme, cohort = self._programme_and_cohort()
        route_type = self.choice("routetype", RouteType)
        referral_source = self.choice("verwijzer", ReferralSource, "referral_source")
        referred = self.date_value("aanmelddatum")
        if referred and referred > self.today:
            self.error("aanmelddatum", gettext("The referral date lies in the future."))
        if born and referred and not MIN_AGE <= _age_on(born, referred) <= MAX_AGE:
            self.error(
                "geboortedatum",
                gettext("Aged %(age)s on the referral date; the academy is for ages 16 to 27.")
                % {"age": _age_on(born, referred)},
            )
        funding = self.choice(
            "financiering", FundingStream, "funding_stream", default=FundingStream.NONE
        )
        bsn = self._bsn()
        coach = self._coach()
        self.history = import_history.history_read(self, referred, self.lookups.employers)
        key = (first.lower(), last.lower(), born) if first and last and born else None
        participant = Participant(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            email=email,
            phone=phone,
            funding_stream=funding,
            bsn=bsn,
            coach=coach,
        )
        route = Route(
            programme=programme,
            cohort=cohort,
            route_type=route_type,
            status=Status.AANGEMELD,
            referral_date=referred,
            referral_source=referral_source,
        )
        return participant, route, key

    def _programme_and_cohort(self) -> tuple[Programme | None, Cohort | None]:
        name = self.text("programma")
        programme = self.lookups.programmes.get(name.lower()) if name else None
        if name and programme is None:
            known = ", ".join(sorted(p.name for p in self.lookups.programmes.values()))
            self.error(
                "programma",
                gettext("There is no programme “%(name)s” in your academy (known: %(known)s).")
                % {"name": name[:40], "known": known},
            )
        group = self.text("groep")
        cohort = None
        if group and programme is not None:
            cohort = self.lookups.cohorts.get((programme.pk, group.lower()))
            if cohort is None:
                self.error(
                    "groep",
                    gettext("Programme %(programme)s has no group “%(name)s”.")
                    % {"programme": programme.name, "name": group[:40]},
                )
        return programme, cohort

    def _bsn(self) -> str:
        raw = self.record.get("bsn")
        bsn = _bsn(raw) if _text(raw) else ""
        if not bsn:
            return ""
        try:
            validate_bsn(bsn)
        except ValidationError as error:
            self.error("bsn", " ".join(error.messages))
            return ""
        if bsn in self.lookups.existing_bsns:
            self.error(
                "bsn",
                gettext("A participant with this BSN is already registered, or is in the file."),
            )
        self.lookups.existing_bsns.add(bsn)
        return bsn

    def _coach(self) -> User | None:
        email = self.text("coach").lower()
        if not email:
            return None
        coach = self.lookups.coaches.get(email)
        if coach is None:
            self.error(
                "coach", gettext("%(email)s is not a coach of your academy.") % {"email": email}
            )
        return coach


@dataclass
class _Checked:
    number: int
    participant: Participant
    route: Route
    history: import_history.RouteHistory | None = None


def validate_rows(
    *, table: Table, academy: Academy, today: date
) -> tuple[list[_Checked], list[RowError]]:
    """Check every row; return the unsaved objects and every problem (row, column, message)."""
    lookups = _Lookups.for_academy(academy)
    checked: list[_Checked] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        record = {name: value for name, value in zip(table.columns, values, strict=False) if name}
        checker = _RowChecker(number=number, record=record, lookups=lookups, today=today)
        participant, route, key = checker.check()
        if key is not None and key in lookups.existing_people:
            checker.error(
                "achternaam",
                gettext(
                    "Someone with this name and date of birth is already registered, "
                    "or is in the file twice."
                ),
            )
        if key is not None:
            lookups.existing_people.add(key)
        participant.academy = academy
        errors += checker.errors
        checked.append(_Checked(number, participant, route, checker.history))
    return checked, errors


# --- writing -------------------------------------------------------------------------------


def participants_import(*, table: Table, by, request=None) -> ImportResult:
    """Import a read table into the acting academy of ``by``, all or nothing.

    Every row is validated first; if any row has a problem nothing is written and the result
    lists every problem. Otherwise, in one transaction: per row a Participant, their first
    Route (status aangemeld) as current route and its first StatusChange, and one audit event
    (action create) per participant; then a row with a past route (the history columns) has
    its history built through the pipeline services (import_history.history_apply), with
    their side effects. A row the services refuse is reported at its column, and then nothing
    at all is kept.
    """
    membership = active_membership(by)
    if membership is None:
        raise PermissionError("No acting academy")
    checked, errors = validate_rows(
        table=table, academy=membership.academy, today=timezone.localdate()
    )
    # The rows that are right on their own are written and their histories built even when
    # other rows are wrong, so that the report also holds what the services refuse; any
    # problem rolls everything back.
    bad_rows = {e.row for e in errors}
    good = [item for item in checked if item.number not in bad_rows]
    # The histories step hundreds of routes on a few groups: their kept figures are recounted
    # once at the end, still inside this transaction.
    with transaction.atomic(), cohort_figures_deferred():
        people = _create(good, by=by, request=request) if good else []
        errors += _histories_apply(good, academy=membership.academy, by=by)
        if errors:
            transaction.set_rollback(True)
            errors.sort(key=lambda e: e.row)
            return ImportResult(errors=errors, rows=len(checked))
    return ImportResult(created=people, rows=len(people))


def _histories_apply(checked: list[_Checked], *, academy: Academy, by) -> list[RowError]:
    """Build every row's history through the pipeline services, each row in its own
    savepoint so that every bad row is reported; the caller rolls all back on any error."""
    employers = import_history.employers_by_kvk(academy)
    for item in checked:  # the employers rows add: by name, created by their first row
        history = item.history
        if history and history.employer_kvk and history.employer_kvk not in employers:
            employers[history.employer_kvk] = history.employer_name
    errors: list[RowError] = []
    for item in checked:
        if item.history is None:
            continue
        known = dict(employers)
        try:
            with transaction.atomic():
                import_history.history_apply(
                    route=item.route,
                    history=item.history,
                    employers=employers,
                    academy=academy,
                    by=by,
                )
        except ValidationError as error:
            employers = known  # an employer this row added was rolled back with it
            errors += [
                RowError(item.number, column, message)
                for column, messages in error.message_dict.items()
                for message in messages
            ]
    return errors


def _create(checked: list[_Checked], *, by, request) -> list[Participant]:
    """Per row a Participant, their first Route (status aangemeld) as current route and its
    first StatusChange, and one CREATE audit event."""
    people = Participant.objects.bulk_create([c.participant for c in checked])
    for person, item in zip(people, checked, strict=True):
        item.route.participant = person
    routes = Route.objects.bulk_create([c.route for c in checked])
    for person, route in zip(people, routes, strict=True):
        person.current_route = route
    Participant.objects.bulk_update(people, ["current_route"])
    reason = gettext("Imported from a participant list")
    StatusChange.objects.bulk_create(
        StatusChange(
            route=route,
            from_status="",
            to_status=Status.AANGEMELD,
            on_date=route.referral_date,
            reason=reason,
            by=by,
        )
        for route in routes
    )
    for person, route in zip(people, routes, strict=True):
        audit_log(
            actor=by,
            action=Action.CREATE,
            obj=person,
            request=request,
            detail={"source": "import", "route": str(route.pk)},
        )
    return people


def import_template_bytes() -> bytes:
    """An empty list with the right column names, plus a sheet that explains each column."""
    from openpyxl import load_workbook

    content = workbook_bytes(
        title=gettext("Participants"),
        headers=[c.name for c in COLUMNS],
        rows=[],
        widths=[max(12, len(c.name) + 4) for c in COLUMNS],
    )
    workbook = load_workbook(io.BytesIO(content))
    help_sheet = workbook.create_sheet(gettext("Explanation"))
    help_sheet.append([gettext("Column"), gettext("Required"), gettext("What to fill in")])
    for column in COLUMNS:
        help_sheet.append(
            [column.name, gettext("yes") if column.required else gettext("no"), str(column.help)]
        )
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("At most 2 MB and 2000 participants. The first row holds the column names."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Table:
        try:
            return read_table(self.cleaned_data["file"])
        except ImportFileError as error:
            raise ValidationError(str(error), code="unreadable") from None
