"""Who people are (User), where they work (Academy, Programme) and in what role (Membership)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of architecture.md, by the Dutch names users say."""

    COACH = "leerroutecoach", _("Learning-route coach")
    REGISSEUR = "regisseur", _("Regisseur")
    PROJECTLEIDER = "projectleider", _("Project leader")
    WERKGEVER = "werkgever", _("Employer / leermeester")
    BEHEERDER = "beheerder", _("Administrator")
    LANDELIJK = "landelijk", _("MaatwerQ national")
    DEELNEMER = "deelnemer", _("Participant")


# Roles whose grant is shown to the academy's other beheerders: care data (regisseur), all
# accounts (beheerder), and the national view across academies (landelijk).
SENSITIVE_ROLES = frozenset({Role.REGISSEUR, Role.BEHEERDER, Role.LANDELIJK})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


# Titles written before a name (with or without their dot), left out of the greeting.
NAME_TITLES = {"dr", "drs", "mr", "ir", "ing", "prof", "dhr", "mw", "mevr", "bc", "ds"}


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, by email. What they may see comes from their memberships."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.label(self.full_name, self.email)

    @staticmethod
    def label(full_name: str, email: str) -> str:
        """How a user is shown, from plain values too (lists that read values, not objects)."""
        return full_name or email

    def get_full_name(self) -> str:
        return self.label(self.full_name, self.email)

    def get_short_name(self) -> str:
        """The first name: the first word of the full name after any titles ("Dr.", "mr.",
        "ing."), so "Dr. Pieter Bosman" is greeted as Pieter; the email without a name."""
        words = self.full_name.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
            words = words[1:]
        return words[0] if words else self.email


class Academy(models.Model):
    """A regional MaatwerQ academy: the unit that owns participants and staff."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.CharField(_("region"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("academy")
        verbose_name_plural = _("academies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def default_intake_months() -> list[int]:
    return [2, 9]


class Programme(models.Model):
    """A branch project of an academy, such as BinQ (civil engineering, GWW level 2)."""

    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("academy")
    )
    name = models.CharField(_("name"), max_length=80)
    branch = models.CharField(_("branch"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    roc = models.CharField(_("ROC (vocational college)"), max_length=120, blank=True)
    qualification = models.CharField(_("qualification"), max_length=160, blank=True)
    level = models.PositiveSmallIntegerField(
        _("MBO level"), default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    intake_months = models.JSONField(
        _("intake months"),
        default=default_intake_months,
        help_text=_("Months in which groups start, e.g. [2, 9] for February and September."),
    )
    duration_half_years = models.PositiveSmallIntegerField(
        _("course length in half-years"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    # The group route's age range for this programme (seed: 16-27 for BinQ); outside it the
    # referral form warns. 16-27 stays the academy's hard rule.
    min_age = models.PositiveSmallIntegerField(
        _("group route from age"),
        default=16,
        validators=[MinValueValidator(16), MaxValueValidator(27)],
    )
    max_age = models.PositiveSmallIntegerField(
        _("group route up to age"),
        default=27,
        validators=[MinValueValidator(16), MaxValueValidator(27)],
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["academy__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["academy", "name"], name="programme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        months = self.intake_months
        if (
            not isinstance(months, list)
            or not months
            or not all(isinstance(m, int) and 1 <= m <= 12 for m in months)
        ):
            raise ValidationError(
                {"intake_months": _("Give one or more months as numbers from 1 to 12.")}
            )
        if self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The upper age is below the lower one.")})


class Membership(models.Model):
    """A user's role in an academy. An employer user is tied to one employer."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    academy = models.ForeignKey(
        Academy, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("academy")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("employer"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["academy__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "academy", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.WERKGEVER, employer__isnull=False)
                | (~Q(role=Role.WERKGEVER) & Q(employer__isnull=True)),
                name="membership_employer_iff_werkgever",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.academy}"


class Invitation(models.Model):
    """An invitation by email into an academy and role. Only a hash of the token is stored."""

    email = models.EmailField(_("email address"))
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, verbose_name=_("academy"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("employer"),
    )
    # For the role deelnemer: the participant record the new login belongs to (their own
    # plain view); accepting links participant.user (portal.services).
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # A beheerder took the invitation back: its link no longer works (the row stays, with the
    # audit, as the record that it was sent).
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
