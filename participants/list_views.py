"""The participant list, its Excel export, and importing an existing list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from maatwerq import web
from maatwerq.accounts.models import User
from maatwerq.audit.services import PathOnly

from .exports import XLSX_CONTENT_TYPE, participants_export
from .filters import ParticipantFilter
from .imports import (
    COLUMNS,
    MAX_ROWS,
    ParticipantImportForm,
    import_template_bytes,
    participants_import,
)
from .models import Participant, Status

PAGE_SIZE = 50
# The import report lists at most this many problems; the count says how many there were.
REPORT_LIMIT = 500
SORTABLE = [
    ("name", _("Name")),
    ("programme", _("Programme")),
    ("cohort", _("Group")),
    ("status", _("Status")),
]


def _sort_headers(current: str) -> dict[str, dict]:
    """Per sortable column: the parameter a click sets and the current direction, if any."""
    headers = {}
    for key, label in SORTABLE:
        state = "asc" if current == key else "desc" if current == f"-{key}" else ""
        headers[key] = {
            "label": label,
            "next": f"-{key}" if state == "asc" else key,
            "state": state,
        }
    return headers


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"  # personal data: never from a shared cache
    return response


# What one row of the list reads: plain values, not five model objects per row.
ROW_FIELDS = ("pk", "first_name", "last_name")
ROW_VALUES = {
    "status": F("current_route__status"),
    "route_type": F("current_route__route_type"),
    "programme": F("current_route__programme__name"),
    "cohort": F("current_route__cohort__name"),
    "coach_name": F("coach__full_name"),
    "coach_email": F("coach__email"),
}
STATUS_LABELS = dict(Status.choices)


def _rows(page) -> list[dict]:
    """The page's participants as the table shows them, so the template does one dictionary
    look-up per cell instead of trying each dotted name on a model first."""
    return [
        {
            "url": reverse("participants:participant_detail", args=[p["pk"]]),
            "name": Participant.name_of(p["first_name"], p["last_name"]),
            "programme": p["programme"] or "",
            "cohort": p["cohort"] or "",
            "status": STATUS_LABELS.get(p["status"], p["status"] or ""),
            "route_type": p["route_type"] or "",
            "coach": User.label(p["coach_name"] or "", p["coach_email"] or ""),
        }
        for p in page
    ]


@web.view("participants.list_participants")
def participant_list(request):
    """The participants the user may see, filtered, searched, sorted and paginated (50)."""
    participants = ParticipantFilter(request.GET or None, user=request.user)
    rows = participants.qs.values(*ROW_FIELDS, **ROW_VALUES)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # One event for the page, naming the people shown (not the search: the path only).
    web.audit_list(
        request, [p["pk"] for p in page], path_only=True, what="participant_list", page=page.number
    )
    return render(
        request,
        "participants/participant_list.html",
        {
            "filter": participants,
            "page_obj": page,
            "rows": _rows(page),
            "headers": _sort_headers(participants.ordering),
            "show_details": web.may(request, "participants.list_personal_details"),
            "can_export": web.may(request, "participants.export_participants"),
            "can_import": web.may(request, "participants.import_participants"),
            "can_refer": web.may(request, "participants.refer_participant"),
        },
    )


@web.view("participants.export_participants")
def participant_export(request):
    """The list as filtered on screen (all pages), as .xlsx, with the role's columns."""
    participants = ParticipantFilter(request.GET or None, user=request.user)
    filters = {
        key: value
        for key, value in request.GET.items()
        if key in participants.filters and key not in {"q", "o"} and value
    }
    content = participants_export(
        participants=participants.qs, by=request.user, request=PathOnly(request), filters=filters
    )
    filename = f"{gettext('participants')}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return xlsx_response(content, filename)


@web.view("participants.import_participants")
def participant_import(request):
    """Upload a list; every row is checked, and nothing is imported unless all rows are right."""
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        table = form.cleaned_data["file"]
        result = participants_import(table=table, by=request.user, request=request)
        if not result.errors:
            count = len(result.created)
            messages.success(
                request,
                ngettext(
                    "%(count)d participant imported, each with a route in status Referred.",
                    "%(count)d participants imported, each with a route in status Referred.",
                    count,
                )
                % {"count": count},
            )
            if table.ignored:
                messages.info(
                    request,
                    gettext("These columns were not imported: %(names)s.")
                    % {"names": ", ".join(table.ignored)},
                )
            return redirect("participants:participant_list")
    errors = result.errors if result else []
    return render(
        request,
        "participants/participant_import.html",
        {
            "form": form,
            "columns": COLUMNS,
            "max_rows": MAX_ROWS,
            "errors": errors[:REPORT_LIMIT],
            "error_count": len(errors),
            "more_errors": max(0, len(errors) - REPORT_LIMIT),
        },
    )


@web.view("participants.import_participants")
def participant_import_template(request):
    """An empty .xlsx with the column names the import expects, and their explanation."""
    return xlsx_response(import_template_bytes(), f"{gettext('participants-import')}.xlsx")
