"""Refused looks at a young person's data in the audit log (issue 14): a 403 (visible, not
allowed) or 404 (outside one's scope, or no such record) on a URL that names a participant
(their uuid), a placement or a candidate (its public id), by any logged-in role. A view that
refuses does not need to remember to log it; the id in the URL says whose record was tried."""

from __future__ import annotations

import uuid

from .services import audit_refused

# URL namespaces whose ``<uuid:pk>`` is a participant's (the route pages use the participant's
# uuid too; the portal's staff pages, e.g. a guardian's access, too; its runs are ``run_pk``).
# The reporting namespace's uuids are runs, except the dossier request's and the ESF+ form's.
PARTICIPANT_NAMESPACES = {"participants", "leerroutes", "employers", "portal"}
PARTICIPANT_VIEWS = {"reporting:dossier_request", "reporting:esf_record_edit"}
REFUSED_STATUSES = {403, 404}


def _subject(match) -> tuple[str, uuid.UUID] | None:
    """(object type, id) of the participant or placement the URL names, or None."""
    if match is None:
        return None
    kwargs = match.kwargs
    if isinstance(kwargs.get("public_id"), uuid.UUID) and match.namespace == "employers":
        return "employers.Placement", kwargs["public_id"]
    if isinstance(kwargs.get("candidate_id"), uuid.UUID) and match.namespace == "employers":
        return "employers.Candidate", kwargs["candidate_id"]
    if isinstance(kwargs.get("participant_id"), uuid.UUID) and match.namespace == "employers":
        return "participants.Participant", kwargs["participant_id"]
    pk = kwargs.get("pk")
    if isinstance(pk, uuid.UUID) and (
        match.namespace in PARTICIPANT_NAMESPACES or match.view_name in PARTICIPANT_VIEWS
    ):
        return "participants.Participant", pk
    return None


class RefusedAccessAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES and request.user.is_authenticated:
            subject = _subject(getattr(request, "resolver_match", None))
            if subject is not None:
                audit_refused(request=request, status=response.status_code, subject=subject)
        return response
