"""The first beheerder of a new installation, from the command line:

    python manage.py create_beheerder --email a@academie.nl --academy "Academie Salland"

The password comes from stdin (asked for twice on a terminal), never from an argument, so it
stays out of the shell history and the process list. It is chosen over a printed invitation
link because it works before outgoing mail is set up. In production the beheerder sets up
two-factor authentication at the first login; from then on they invite everyone else in the app.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from maatwerq.accounts.models import Academy, Membership, Role, User
from maatwerq.accounts.services import login_address_confirm
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log


def _read_password(stdin) -> str:
    if stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password
    return stdin.readline().rstrip("\r\n")


@transaction.atomic
def beheerder_create(
    *, email: str, academy_name: str, full_name: str, read_password
) -> tuple[Membership, bool, bool]:
    """Make ``email`` a beheerder of the academy called ``academy_name``.

    Side effects: creates the Academy when no academy has that name; creates the User with a
    validated password (asked for only then) when the email is new, else leaves the user and
    their password as they are; creates the Membership (role beheerder, active) or makes an
    inactive one active again, with one CREATE or UPDATE audit event (no actor: the command
    line). Returns (membership, academy created, user created).
    """
    academy, academy_created = Academy.objects.get_or_create(name=academy_name)
    user = User.objects.filter(email__iexact=email).first()
    user_created = user is None
    if user_created:
        password = read_password()
        user = User(email=email.lower(), full_name=full_name)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        login_address_confirm(user)
    membership, membership_created = Membership.objects.get_or_create(
        user=user, academy=academy, role=Role.BEHEERDER
    )
    reactivated = not membership.is_active
    if reactivated:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    if membership_created or reactivated:
        audit_log(
            actor=None, action=Action.CREATE if membership_created else Action.UPDATE,
            obj=membership, academy=academy, detail={"event": "create_beheerder command"},
        )  # fmt: skip
    return membership, academy_created, user_created


class Command(BaseCommand):
    help = (
        "Make someone beheerder of an academy (created when new). A new user's password is "
        "read from stdin."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--academy", required=True, help="The academy's name.")
        parser.add_argument("--name", default="", help="The person's full name.")

    def handle(self, *args, **options):
        email, academy_name = options["email"].strip(), options["academy"].strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {email!r}") from None
        if not academy_name:
            raise CommandError("Give the academy's name.")
        stdin = options.get("stdin") or sys.stdin
        try:
            membership, academy_created, user_created = beheerder_create(
                email=email,
                academy_name=academy_name,
                full_name=options["name"].strip(),
                read_password=lambda: _read_password(stdin),
            )
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        if academy_created:
            self.stdout.write(f"Academy created: {membership.academy.name}")
        self.stdout.write(
            f"{'User created' if user_created else 'Existing user, password unchanged'}: "
            f"{membership.user.email}"
        )
        self.stdout.write(f"{membership.user.email} is beheerder of {membership.academy.name}.")
