from .access import memberships_of


def membership(request) -> dict:
    """The acting membership and the others the user may switch to (for the navigation)."""
    acting = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    others = []
    if acting is not None:
        others = [m for m in memberships_of(user) if m.pk != acting.pk]
    return {"acting_membership": acting, "other_memberships": others}
