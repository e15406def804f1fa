from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from allauth.account.views import EmailView as AllauthEmailView
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maatwerq import web

from . import services
from .access import SESSION_KEY, memberships_of
from .forms import InvitationAcceptForm, InvitationForm, RoleChangeForm
from .selectors import (
    invitation_get_managed,
    membership_get_managed,
    memberships_managed_by,
    open_invitations_managed_by,
    user_get_managed,
)

# The beheerder's objects, in their acting academy only (404 outside it).
MEMBERSHIP = web.Scope("membership", fetch=membership_get_managed)
INVITATION = web.Scope("invitation", fetch=invitation_get_managed)
MANAGED_USER = web.Scope("user", fetch=user_get_managed)


@web.view(methods=["POST"])
def membership_switch(request):
    """Act in another of one's own memberships (another academy or role)."""
    wanted = request.POST.get("membership", "")
    mine = {str(m.pk): m for m in memberships_of(request.user)}
    if wanted not in mine:
        raise Http404
    request.session[SESSION_KEY] = mine[wanted].pk
    return redirect("home")


@web.view("accounts.manage_members")
def member_list(request):
    form = InvitationForm(request.POST or None, academy=request.membership.academy)
    done = web.submit(
        request,
        form,
        save=lambda: services.invitation_create(
            email=form.cleaned_data["email"],
            academy=request.membership.academy,
            role=form.cleaned_data["role"],
            employer=form.cleaned_data["employer"],
            by=request.user,
            base_url=request.build_absolute_uri("/"),
        ),
        done=reverse("accounts:member_list"),
        message=lambda invitation: _("Invitation sent to %(email)s.") % {"email": invitation.email},
    )
    if done is not None:
        return done
    return render(
        request,
        "accounts/member_list.html",
        {
            "form": form,
            "memberships": memberships_managed_by(request.user),
            "invitations": open_invitations_managed_by(request.user),
            "me": request.user.pk,
        },
    )


MEMBERS_URL = "accounts:member_list"


@web.view("accounts.manage_members", scope=MEMBERSHIP)
def membership_change(request, membership):
    """Change someone's role (among coach, projectleider and werkgever)."""
    form = RoleChangeForm(
        web.form_data(request),
        academy=membership.academy,
        roles=services.CHANGEABLE_ROLES,
        initial={"role": membership.role, "employer": membership.employer_id},
    )
    return web.form_page(
        request,
        form,
        save=lambda: services.membership_role_change(
            membership=membership, by=request.user, **form.cleaned_data
        ),
        done=reverse(MEMBERS_URL),
        message=_("Role changed."),
        template="form_page.html",
        context={
            "title": _("Change role"),
            "cancel_url": reverse(MEMBERS_URL),
            "intro": _(
                "%(user)s, now %(role)s. Regisseur, administrator and national are given by "
                "invitation, so the other administrators are told."
            )
            % {"user": membership.user, "role": membership.get_role_display()},
        },
    )


@web.view("accounts.manage_members", scope=MEMBERSHIP, methods=["POST"])
def membership_remove(request, membership):
    return web.act(
        request,
        lambda: services.membership_remove(membership=membership, by=request.user),
        done=reverse(MEMBERS_URL),
        message=_("Role removed."),
    )


@web.view("accounts.manage_members", scope=MANAGED_USER, methods=["POST"])
def user_deactivate(request, user):
    """Deactivate someone in this academy: their sessions end at once."""
    return web.act(
        request,
        lambda: services.user_deactivate(
            user=user, academy=request.membership.academy, by=request.user
        ),
        done=reverse(MEMBERS_URL),
        message=_("%(user)s is deactivated and logged out everywhere.") % {"user": user},
    )


@web.view("accounts.manage_members", scope=MANAGED_USER, methods=["POST"])
def user_reactivate(request, user):
    """Let a deactivated person in this academy log in again (sessions stay ended)."""
    return web.act(
        request,
        lambda: services.user_reactivate(
            user=user, academy=request.membership.academy, by=request.user
        ),
        done=reverse(MEMBERS_URL),
        # The service opens the account only when this academy's deactivation closed it.
        message=lambda _roles: (
            (
                _("%(user)s is active again and can log in.")
                if user.is_active
                else _("%(user)s has their roles here again; the account itself stays locked.")
            )
            % {"user": user}
        ),
    )


@web.view("accounts.manage_members", scope=INVITATION, methods=["POST"])
def invitation_resend(request, invitation):
    return web.act(
        request,
        lambda: services.invitation_resend(
            invitation=invitation, by=request.user, base_url=request.build_absolute_uri("/")
        ),
        done=reverse(MEMBERS_URL),
        message=_("Invitation sent again to %(email)s.") % {"email": invitation.email},
    )


@web.view("accounts.manage_members", scope=INVITATION, methods=["POST"])
def invitation_revoke(request, invitation):
    return web.act(
        request,
        lambda: services.invitation_revoke(invitation=invitation, by=request.user),
        done=reverse(MEMBERS_URL),
        message=_("Invitation to %(email)s revoked.") % {"email": invitation.email},
    )


def _invitation_refused(request, error: ValidationError):
    return render(
        request, "accounts/invitation_invalid.html", {"error": error.messages[0]}, status=410
    )


@web.public(refused=_invitation_refused)
def invitation_accept(request, token: str):
    """Open to anyone holding the link; the token decides what is offered, and the link never
    logs anybody in (services.invitation_accept):
    - a new address: choose a name and password, then log in through the ordinary login;
    - an address with an account: log in as that account (password, second factor), then accept
      with one button; any other logged-in account is refused.
    Nothing is created on a bad link: the services refuse it (ValidationError), and the
    declaration answers with _invitation_refused."""
    invitation = services.invitation_for_token(token)
    owner = services.user_for_email(invitation.email)
    if owner is not None:
        return _invitation_for_existing_account(request, token, invitation, owner)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(
            token=token,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        if request.user.is_authenticated:
            logout(request)  # whoever was logged in here is not the new account
        messages.success(
            request, _("Your account is ready. Log in with your email address and password.")
        )
        return redirect("account_login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _invitation_for_existing_account(request, token: str, invitation, owner):
    here = reverse("accounts:invitation_accept", args=[token])
    if not request.user.is_authenticated:
        login_url = f"{reverse('account_login')}?{urlencode({'next': here})}"
        return render(
            request,
            "accounts/invitation_login.html",
            {"invitation": invitation, "login_url": login_url},
        )
    if request.user != owner:
        return render(
            request,
            "accounts/invitation_login.html",
            {"invitation": invitation, "other_account": True},
            status=403,
        )
    if request.method == "POST":
        services.invitation_accept_as(token=token, user=request.user)
        messages.success(
            request,
            _("You now also work in %(academy)s as %(role)s.")
            % {"academy": invitation.academy, "role": invitation.get_role_display()},
        )
        return redirect("home")
    return render(request, "accounts/invitation_confirm.html", {"invitation": invitation})


class ConfirmedEmailView(AllauthEmailView):
    """allauth's email page with one door shut: an address becomes the login only by the
    confirmation link sent to that mailbox (ACCOUNT_CHANGE_EMAIL), never by "make primary".
    Without this, an account whose address was never confirmed could make any address it
    typed its login, and so take an invitation meant for that address."""

    def dispatch(self, request, *args, **kwargs):
        # allauth's own dispatch records the login address as an unconfirmed row when it has
        # none, and its change flow then treats that row as the pending change and removes it,
        # leaving the account without a login. The login address the academy set is the
        # confirmed one (as every account-creating service records it); an account made
        # elsewhere (createsuperuser) gets the same here, as allauth's sync writes too.
        if (
            request.user.is_authenticated
            and not EmailAddress.objects.filter(
                user=request.user, email__iexact=request.user.email, verified=True
            ).exists()
        ):
            services.login_address_confirm(request.user)
        return super().dispatch(request, *args, **kwargs)

    def _action_primary(self, request, *args, **kwargs):
        messages.error(
            request, _("Your new address becomes your login once you confirm it from that mailbox.")
        )
        return redirect("account_email")


email_manage = web.view()(ConfirmedEmailView.as_view())
