"""Past routes in the participant import (issue 15): a row may carry its route's history.

The optional columns below describe how far the route got and how it ended. Each row is first
checked on its own (codes, dates present for its status and in order, a known employer); then,
in the import's transaction, its history is built through the very services the participant
page uses (participants.services: intake, start, trial, contract, completion, drop-out), with
the row's dates, so an imported route meets the same rules as one recorded by hand. The
outcome is derived by those services (outcomes.outcome_derive), never imported.

Employers are read and created through the employers app, imported inside the functions:
employers sits above participants (see employers.route_placements).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Academy, User

from . import services
from .models import (
    ContractType,
    Destination,
    DropoutReason,
    IntakeOutcome,
    Route,
    Status,
)

# (header, help, example) of the optional history columns, in the order the template shows.
HISTORY_COLUMNS = [
    (
        "status",
        _(
            "For a past or running route: how far it got. aangemeld, intake, gestart, "
            "proefperiode, contract, afgerond, uitgevallen or niet_toegelaten. Empty means "
            "aangemeld."
        ),
        "afgerond",
    ),
    ("intakedatum", _("Date of the intake conversation."), "2023-01-16"),
    ("startdatum", _("Start date of the route."), "2023-02-01"),
    ("proefperiode_start", _("First day of the trial period."), "2023-02-06"),
    (
        "werkgever_kvk",
        _(
            "KvK number (8 digits) of the employer of the trial and contract: an employer of "
            "your academy, or a new one named in the column werkgever."
        ),
        "12345678",
    ),
    (
        "werkgever",
        _("Name of the employer, only to add an employer whose KvK number is not known yet."),
        "",
    ),
    ("contractdatum", _("First day of the contract after the trial period."), "2023-05-08"),
    ("contracturen", _("Contract hours per week, 1 to 40. Empty means 32."), "32"),
    ("einddatum", _("End date, for a route that was completed or dropped out."), "2025-01-31"),
    (
        "bestemming",
        _(
            "Where the person went: werk_leerbedrijf, werk_elders, opleiding, dagbesteding, "
            "uitkering or onbekend. Needed for afgerond."
        ),
        "werk_leerbedrijf",
    ),
    (
        "uitvalreden",
        _(
            "Reason of a drop-out: motivatie, problematiek, ontslag, gezondheid, verhuisd, "
            "ander_werk, zwangerschap, detentie or anders. Needed for uitgevallen."
        ),
        "",
    ),
    (
        "contractsoort",
        _("Contract at the end: vast, jaar, tijdelijk, met_aanvulling or geen."),
        "jaar",
    ),
    ("wajong", _("ja when a Wajong benefit was granted, else nee or empty."), "nee"),
]
HISTORY_HEADERS = [name for name, _help, _example in HISTORY_COLUMNS]

# The date columns in the order a route passes them (the referral date comes first).
DATE_COLUMNS = ["aanmelddatum", "intakedatum", "startdatum", "proefperiode_start"]
DATE_COLUMNS += ["contractdatum", "einddatum"]
# What each status needs besides the referral.
NEEDED = {
    Status.AANGEMELD: [],
    Status.INTAKE: ["intakedatum"],
    Status.NIET_TOEGELATEN: ["intakedatum"],
    Status.GESTART: ["intakedatum", "startdatum"],
    Status.PROEFPERIODE: ["intakedatum", "startdatum", "proefperiode_start", "werkgever_kvk"],
    Status.CONTRACT: [
        "intakedatum",
        "startdatum",
        "proefperiode_start",
        "werkgever_kvk",
        "contractdatum",
    ],
    Status.AFGEROND: ["intakedatum", "startdatum", "einddatum", "bestemming"],
    Status.UITGEVALLEN: ["einddatum", "uitvalreden"],
}
# Dates a running status cannot have yet.
NOT_YET = {
    Status.AANGEMELD: ["intakedatum", "startdatum", "proefperiode_start", "contractdatum"],
    Status.INTAKE: ["startdatum", "proefperiode_start", "contractdatum"],
    Status.NIET_TOEGELATEN: ["startdatum", "proefperiode_start", "contractdatum"],
    Status.GESTART: ["proefperiode_start", "contractdatum"],
    Status.PROEFPERIODE: ["contractdatum"],
}
# Where a service's complaint about a field lands: the column that holds it.
FIELD_COLUMNS = {
    "intake_date": "intakedatum",
    "intake_outcome": "status",
    "intake_outcome_reason": "status",
    "start_date": "startdatum",
    "cohort": "groep",
    "trial_start_date": "proefperiode_start",
    "employer": "werkgever_kvk",
    "hours_per_week": "werkgever_kvk",
    "contract_date": "contractdatum",
    "contract_hours": "contracturen",
    "end_date": "einddatum",
    "destination": "bestemming",
    "contract_type": "contractsoort",
    "dropout_reason": "uitvalreden",
    "kvk_number": "werkgever_kvk",
    "name": "werkgever",
}


@dataclass
class RouteHistory:
    """A row's route history as read: the status and the facts that back it."""

    status: str
    dates: dict[str, date | None]
    employer_kvk: str = ""
    employer_name: str = ""
    contract_hours: int | None = None
    destination: str = ""
    dropout_reason: str = ""
    contract_type: str = ""
    wajong: bool = False

    @property
    def ended(self) -> bool:
        return self.status in {Status.AFGEROND, Status.UITGEVALLEN}


def history_read(checker: Any, referral_date: date | None, employers: dict) -> RouteHistory | None:
    """Read and check a row's history columns (``checker`` is the import's row checker, which
    collects errors per column). None when the row has no history: a plain referral.
    ``employers`` maps KvK numbers to the academy's employers and to names of new ones; a new
    one is added to it, so later rows may use it too."""
    status = checker.choice("status", Status, default="")
    dates = {"aanmelddatum": referral_date}
    for column in DATE_COLUMNS[1:]:
        dates[column] = checker.optional_date(column)
    history = RouteHistory(status=status or Status.AANGEMELD, dates=dates)
    history.employer_kvk = checker.text("werkgever_kvk").replace(" ", "")
    history.employer_name = checker.text("werkgever", max_length=160)
    history.contract_hours = _hours(checker)
    history.destination = checker.choice("bestemming", Destination)
    history.dropout_reason = checker.choice("uitvalreden", DropoutReason)
    history.contract_type = checker.choice("contractsoort", ContractType)
    history.wajong = _yes_no(checker)
    has_facts = any(dates[c] for c in DATE_COLUMNS[1:]) or history.employer_kvk
    if not status and not has_facts:
        return None
    if not status:
        checker.error("status", gettext("Give the status of the route these dates belong to."))
        return history
    _check_needed(checker, history)
    _check_order(checker, dates)
    _check_employer(checker, history, employers)
    return history


def _hours(checker: Any) -> int | None:
    raw = checker.text("contracturen")
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 40:
        checker.error("contracturen", gettext("Give the hours per week, from 1 to 40."))
        return None
    return int(raw)


def _yes_no(checker: Any) -> bool:
    raw = checker.text("wajong").lower()
    if raw in {"", "nee", "n", "no"}:
        return False
    if raw in {"ja", "j", "yes"}:
        return True
    checker.error("wajong", gettext("Fill in ja or nee."))
    return False


def _check_needed(checker: Any, history: RouteHistory) -> None:
    values = {
        **history.dates,
        "werkgever_kvk": history.employer_kvk,
        "bestemming": history.destination,
        "uitvalreden": history.dropout_reason,
    }
    label = Status(history.status).label
    already = {e.column for e in checker.errors}  # an unreadable value was reported as such
    for column in NEEDED[history.status]:
        if not values.get(column) and column not in already:
            checker.error(
                column, gettext("Needed for the status “%(status)s”.") % {"status": label}
            )
    for column in NOT_YET.get(history.status, []):
        if values.get(column):
            checker.error(
                column, gettext("Not possible with the status “%(status)s”.") % {"status": label}
            )
    if values["einddatum"] and not history.ended:
        checker.error(
            "einddatum", gettext("Not possible with the status “%(status)s”.") % {"status": label}
        )
    if history.dropout_reason and history.status != Status.UITGEVALLEN:
        checker.error("uitvalreden", gettext("Only for the status uitgevallen."))
    if values["contractdatum"] and not values["proefperiode_start"]:
        checker.error(
            "proefperiode_start", gettext("Needed with a contract: the trial period comes first.")
        )
    if values["proefperiode_start"] and not history.employer_kvk:
        checker.error(
            "werkgever_kvk", gettext("Needed with a trial period: the employer of the placement.")
        )


def _check_order(checker: Any, dates: dict[str, date | None]) -> None:
    previous: tuple[str, date] | None = None
    for column in DATE_COLUMNS:
        day = dates.get(column)
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            checker.error(
                column,
                gettext("This date is before %(column)s (%(date)s).")
                % {"column": previous[0], "date": previous[1].isoformat()},
            )
        previous = (column, day)


def _check_employer(checker: Any, history: RouteHistory, employers: dict) -> None:
    kvk = history.employer_kvk
    if not kvk:
        return
    if not (len(kvk) == 8 and kvk.isdigit()):
        checker.error("werkgever_kvk", gettext("A KvK number is exactly 8 digits."))
    elif kvk not in employers:
        if history.employer_name:
            employers[kvk] = history.employer_name  # created on import
        else:
            checker.error(
                "werkgever_kvk",
                gettext(
                    "No employer of your academy has KvK number %(kvk)s. Give its name in the "
                    "column werkgever to add it."
                )
                % {"kvk": kvk},
            )


def employers_by_kvk(academy: Academy) -> dict:
    """The academy's employers by KvK number (one query)."""
    from employers.models import Employer

    return {
        e.kvk_number: e for e in Employer.objects.filter(academy=academy).exclude(kvk_number="")
    }


def history_apply(
    *, route: Route, history: RouteHistory, employers: dict, academy: Academy, by: User
) -> None:
    """Build a row's history through the pipeline services, step by step with its dates.

    Side effects: those of each service (status changes, placements, follow-up checks, audit
    events), and a new Employer (employers.services.employer_save) for a KvK number the
    academy does not know yet. Raises ValidationError keyed to the row's column.
    """
    try:
        _apply(route, history, employers, academy, by)
    except ValidationError as error:
        raise _by_column(error) from error


def _employer(history: RouteHistory, employers: dict, academy: Academy, by: User):
    from employers.services import employer_save

    found = employers.get(history.employer_kvk)
    if isinstance(found, str):
        found = employer_save(academy=academy, name=found, kvk_number=history.employer_kvk, by=by)
        employers[history.employer_kvk] = found
    return found


def _apply(route, history, employers, academy, by) -> None:
    dates, status = history.dates, history.status
    if dates["intakedatum"]:
        admitted = status != Status.NIET_TOEGELATEN
        route = services.route_intake_record(
            route=route,
            intake_date=dates["intakedatum"],
            intake_outcome=IntakeOutcome.ADMITTED if admitted else IntakeOutcome.NOT_ADMITTED,
            intake_outcome_reason="" if admitted else gettext("Imported from a participant list"),
            by=by,
        )
    if dates["startdatum"]:
        route = services.route_start(
            route=route, start_date=dates["startdatum"], cohort=route.cohort, by=by
        )
    if dates["proefperiode_start"]:
        route = services.route_trial_start(
            route=route,
            trial_start_date=dates["proefperiode_start"],
            employer=_employer(history, employers, academy, by),
            by=by,
        )
    if dates["contractdatum"]:
        route = services.route_contract_record(
            route=route,
            contract_date=dates["contractdatum"],
            contract_hours=Decimal(history.contract_hours) if history.contract_hours else None,
            by=by,
        )
    if history.ended:
        _end(route, history, by)


def _end(route: Route, history: RouteHistory, by: User) -> None:
    outflow = {
        "route": route,
        "end_date": history.dates["einddatum"],
        "destination": history.destination or Destination.UNKNOWN,
        "contract_type": history.contract_type,
        "contract_hours": history.contract_hours if history.contract_type else None,
        "wajong_granted": history.wajong,
        "by": by,
    }
    if history.status == Status.AFGEROND:
        services.route_complete(**outflow)
    else:
        services.route_drop_out(dropout_reason=history.dropout_reason, **outflow)


def _by_column(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return ValidationError({"status": error.messages})
    by_column: dict[str, list[str]] = {}
    for field, errors in error.error_dict.items():
        column = FIELD_COLUMNS.get(field, "status")
        for item in errors:
            by_column.setdefault(column, []).extend(item.messages)
    return ValidationError(by_column)
