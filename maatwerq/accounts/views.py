from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from . import services
from .access import SESSION_KEY, memberships_of
from .forms import InvitationAcceptForm, InvitationForm
from .home import home_context
from .models import Role
from .selectors import memberships_managed_by, open_invitations_managed_by

HOME_TEMPLATES = {
    Role.COACH: "accounts/home/coach.html",
    Role.REGISSEUR: "accounts/home/regisseur.html",
    Role.PROJECTLEIDER: "accounts/home/projectleider.html",
    Role.WERKGEVER: "accounts/home/werkgever.html",
    Role.BEHEERDER: "accounts/home/beheerder.html",
    Role.LANDELIJK: "accounts/home/landelijk.html",
}


@login_required
def home(request):
    """The start page of the acting role; a clear message for a user without a role."""
    membership = request.membership
    if membership is not None and membership.role == Role.DEELNEMER:
        return redirect("portal:home")  # the participant's own view
    if membership is None or membership.role not in HOME_TEMPLATES:
        return render(request, "accounts/home/no_role.html", status=403)
    return render(request, HOME_TEMPLATES[membership.role], home_context(request.user, membership))


@login_required
@require_POST
def membership_switch(request):
    """Act in another of one's own memberships (another academy or role)."""
    wanted = request.POST.get("membership", "")
    mine = {str(m.pk): m for m in memberships_of(request.user)}
    if wanted not in mine:
        raise Http404
    request.session[SESSION_KEY] = mine[wanted].pk
    return redirect("home")


@login_required
@permission_required("accounts.manage_members", raise_exception=True)
def member_list(request):
    form = InvitationForm(request.POST or None, academy=request.membership.academy)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                email=form.cleaned_data["email"],
                academy=request.membership.academy,
                role=form.cleaned_data["role"],
                employer=form.cleaned_data["employer"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:member_list")
    return render(
        request,
        "accounts/member_list.html",
        {
            "form": form,
            "memberships": memberships_managed_by(request.user),
            "invitations": open_invitations_managed_by(request.user),
        },
    )


def invitation_accept(request, token: str):
    """Open to anyone holding the link; the token decides. Nothing is created on a bad link."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"error": error.messages[0]}, status=410
        )
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"error": error.messages[0]},
                status=410,
            )
        login(request, user, backend="maatwerq.accounts.backends.StaffModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "form": form,
            "invitation": invitation,
        },
    )
