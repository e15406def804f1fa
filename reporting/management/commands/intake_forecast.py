"""The intake forecast as CSV, for planners and scripts.

    python manage.py intake_forecast --plan PLAN.csv --from YYYY-MM --to YYYY-MM [--months 2,9]
    python manage.py intake_forecast --programme BinQ [--academy NAME] --from ... --to ...

PLAN.csv has the header ``group,start,size,duration`` (start as YYYY-MM, duration in
half-years), separated by commas or, as Dutch Excel saves CSV, semicolons; UTF-8 or
Windows-1252. Output: a header ``group,<YYYY-MM>,...``, one row per group (0 where the group is
not present) and a last row ``Totaal``. Bad input gets a message on stderr naming the line, and
exit status 2. Messages are Dutch: this is a tool for Dutch planners.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand

from maatwerq.accounts.models import Programme
from reporting import forecast as fc
from reporting.selectors import forecast_inputs

PLAN_HEADER = ["group", "start", "size", "duration"]
PLAN_ERRORS = {
    "group": "groepsnaam ontbreekt",
    "start": "start moet een maand zijn als JJJJ-MM",
    "size": "grootte moet een positief getal zijn",
    "duration": f"duur moet een geheel aantal halfjaren zijn (1 tot en met {fc.MAX_DURATION})",
}


class InputError(Exception):
    """Bad input: printed on stderr, exit status 2."""


def _plan_text(path: str) -> str:
    """The plan's text: UTF-8 (with or without BOM), else Windows-1252 as Dutch Excel saves
    CSV. Every failure is a Dutch message, never a Python error."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or "onleesbaar"
        raise InputError(f"kan het plan {path} niet lezen: {reason}") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"kan het plan {path} niet lezen: het is geen tekstbestand (UTF-8 of Windows-1252)"
    )


def read_plan(path: str) -> list[fc.PlannedGroup]:
    text = _plan_text(path)
    first_line = text.lstrip().split("\n", 1)[0]
    # A comma as Python writes CSV, a semicolon as Dutch Excel does.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != PLAN_HEADER:
        raise InputError(
            "regel 1: de kopregel moet group,start,size,duration zijn "
            "(kolommen gescheiden door komma's of puntkomma's)"
        )
    groups: list[fc.PlannedGroup] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(PLAN_HEADER):
            raise InputError(f"regel {line}: verwacht 4 kolommen (group,start,size,duration)")
        try:
            group = fc.parse_plan_row(*row)
        except fc.PlanError as error:
            shown = f" (niet '{error.value}')" if error.code == "start" and error.value else ""
            raise InputError(f"regel {line}: {PLAN_ERRORS[error.code]}{shown}") from None
        if group.name in seen:
            raise InputError(f"regel {line}: groep '{group.name}' staat al eerder in het plan")
        seen.add(group.name)
        groups.append(group)
    return groups


def parse_month_option(option: str, value: str):
    try:
        return fc.parse_month(value or "")
    except ValueError:
        raise InputError(f"{option}: onbekende maand '{value}' (verwacht JJJJ-MM)") from None


def parse_months_option(value: str) -> list[int]:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.isdigit() and 1 <= int(part) <= 12 for part in parts):
        raise InputError(
            f"--months: geef maanden als getallen van 1 tot en met 12, gescheiden door "
            f"komma's, niet '{value}'"
        )
    return sorted({int(part) for part in parts})


def find_programme(name: str, academy: str | None) -> Programme:
    found = Programme.objects.filter(name__iexact=name).select_related("academy")
    if academy:
        found = found.filter(academy__name__iexact=academy)
    found = list(found)
    if not found:
        where = f" in academie '{academy}'" if academy else ""
        raise InputError(f"--programme: onbekend programma '{name}'{where}")
    if len(found) > 1:
        academies = ", ".join(sorted(p.academy.name for p in found))
        raise InputError(
            f"--programme: '{name}' bestaat in meer academies ({academies}); geef --academy"
        )
    return found[0]


class Command(BaseCommand):
    help = "Print the intake forecast (trainees per group per intake moment) as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--plan", metavar="PLAN.csv", help="group,start,size,duration")
        parser.add_argument("--from", required=True, metavar="YYYY-MM")
        parser.add_argument("--to", required=True, metavar="YYYY-MM")
        parser.add_argument(
            "--months", help="intake months, e.g. 2,9 (default: the programme's, else 2,9)"
        )
        parser.add_argument("--programme", help="use this programme's cohorts instead of a plan")
        parser.add_argument("--academy", help="the programme's academy, if its name is shared")

    def handle(self, *args, **options):
        try:
            table = self.table(options)
        except InputError as error:
            self.stderr.write(str(error))
            raise SystemExit(2) from None
        self.stdout.write(self.csv(table), ending="")

    def table(self, options) -> fc.Table:
        first = parse_month_option("--from", options["from"])
        last = parse_month_option("--to", options["to"])
        if last < first:
            raise InputError(
                f"--to {fc.format_month(last)} ligt voor --from {fc.format_month(first)}"
            )
        months = parse_months_option(options["months"]) if options.get("months") else None
        if options.get("plan") and options.get("programme"):
            raise InputError("geef --plan of --programme, niet allebei")
        if options.get("plan"):
            groups = read_plan(options["plan"])
            months = months or [2, 9]
        elif options.get("programme"):
            programme = find_programme(options["programme"], options.get("academy"))
            groups = [g for g in forecast_inputs(programme)[0] if g.overlaps(first, last)]
            months = months or programme.intake_months
        else:
            raise InputError("geef --plan PLAN.csv of --programme NAAM")
        return fc.planned_table(groups, fc.intake_moments(first, last, months))

    @staticmethod
    def csv(table: fc.Table) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["group", *(fc.format_month(m) for m in table.moments)])
        for name, cells in table.rows:
            writer.writerow([name, *cells])
        writer.writerow(["Totaal", *table.totals])
        return buffer.getvalue()
