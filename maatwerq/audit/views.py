from django.core.paginator import Paginator
from django.shortcuts import render

from maatwerq import web

from .filters import AuditEventFilter
from .selectors import audit_events_visible_to


@web.view("accounts.view_audit")
def event_list(request):
    """The academy's audit log, filterable, for the beheerder and the regisseur."""
    events = AuditEventFilter(request.GET or None, queryset=audit_events_visible_to(request.user))
    page = Paginator(events.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "filter": events,
            "page_obj": page,
            "paginator": page.paginator,
            "object_list": page.object_list,
            # The beheerder audits access but sees no participant: short ids, not names.
            "show_names": web.may(request, "accounts.view_audit_names"),
        },
    )
