from .access import request_memberships


def membership(request) -> dict:
    """The acting membership and the others the user may switch to (for the navigation)."""
    acting = getattr(request, "membership", None)
    others = []
    if acting is not None:
        others = [m for m in request_memberships(request) if m.pk != acting.pk]
    return {"acting_membership": acting, "other_memberships": others}
