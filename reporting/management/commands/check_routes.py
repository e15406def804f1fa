"""List every route whose status, placements, dates or plan disagree.

    python manage.py check_routes [--academy NAME] [--today YYYY-MM-DD]

One line per finding (English, ids only, never a name: see reporting.route_checks). A
``problem`` makes the exit status 1; a ``warning`` (a started route without a signed plan after
settings.PLAN_UNSIGNED_WARNING_WEEKS) is listed but leaves it at 0. With no problem the last
line says so.
"""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from maatwerq.accounts.models import Academy
from participants.models import Route
from reporting.route_checks import routes_check


class Command(BaseCommand):
    help = "List every route whose status, placements, dates or plan disagree (exit 1 if any)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--academy", help="Only the routes of this academy (its name).")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Check as on this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, academy: str | None = None, today=None, **options) -> None:
        routes = Route.objects.all()
        if academy:
            if not Academy.objects.filter(name=academy).exists():
                raise CommandError(f"No academy named {academy!r}.")
            routes = routes.filter(participant__academy__name=academy)
        findings = routes_check(routes, today=today)
        for finding in findings:
            self.stdout.write(finding.line())
        problems = sum(1 for f in findings if not f.warning)
        warnings = len(findings) - problems
        if problems:
            self.stdout.write(f"{problems} problem(s), {warnings} warning(s).")
            sys.exit(1)
        self.stdout.write(f"No problems found ({warnings} warning(s)).")
