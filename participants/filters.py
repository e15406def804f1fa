"""The participant list's filters, name search and sorting, over participants_visible_to(user).

Route attributes (programme, group, status, route type, referral source) are read from the
participant's current route, so one join filters them and the list needs no subquery.
"""

from __future__ import annotations

import django_filters
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Programme, Role, User
from maatwerq.forms import FastSelect

from .models import Cohort, FundingStream, Participant, ReferralSource, RouteType, Status
from .selectors import cohorts_visible_to, participants_visible_to

# Pipeline order for sorting by status (alphabetical order of the codes means nothing).
STATUS_RANK = Case(
    *[When(current_route__status=s.value, then=Value(i)) for i, s in enumerate(Status)],
    default=Value(len(Status)),
    output_field=IntegerField(),
)

ALL = _("All")

# Filters that reveal sensitive attributes of a person (a Wajong benefit, youth care as the
# referrer): only for those who see participants fully, never for a projectleider.
PERSONAL_FILTERS = ("route_type", "referral_source", "funding_stream")


class ParticipantOrderingFilter(django_filters.OrderingFilter):
    """Sort by a column; every column falls back on the name and the id, so pages are stable."""

    SORTS = {
        "name": ("last_name", "first_name"),
        "programme": ("current_route__programme__name", "last_name", "first_name"),
        "cohort": ("current_route__cohort__start_date", "last_name", "first_name"),
        "status": ("status_rank", "last_name", "first_name"),
    }

    def __init__(self, **kwargs):
        super().__init__(
            fields={key: key for key in self.SORTS},
            field_labels={
                "name": _("Name"),
                "programme": _("Programme"),
                "cohort": _("Group start"),
                "status": _("Status"),
            },
            **kwargs,
        )

    def filter(self, qs: QuerySet, value) -> QuerySet:
        params = [p for p in (value or []) if p]
        if not params:
            return qs  # the filter set's default: by name
        ordering: list[str] = []
        for param in params:
            descending = param.startswith("-")
            first, *rest = self.SORTS[param.lstrip("-")]
            ordering += [f"-{first}" if descending else first, *rest]
        if any("status_rank" in field for field in ordering):
            qs = qs.annotate(status_rank=STATUS_RANK)
        return qs.order_by(*ordering, "pk")


def search_words(value: str) -> Q:
    """Every word must be in the first or last name: "daan", "de vries", "daan de vries"."""
    query = Q()
    for word in value.split()[:6]:
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return query


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Name"))
    # Programme, group and coach list their options from one values query each (set in
    # __init__): a select of a hundred groups and hundreds of coaches builds no model objects.
    # Every select is a FastSelect: no template per option.
    programme = django_filters.ChoiceFilter(
        field_name="current_route__programme",
        label=_("Programme"),
        empty_label=ALL,
        widget=FastSelect,
    )
    cohort = django_filters.ChoiceFilter(
        field_name="current_route__cohort",
        label=_("Group"),
        empty_label=ALL,
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        field_name="current_route__status",
        choices=Status.choices,
        label=_("Status"),
        empty_label=ALL,
        widget=FastSelect,
    )
    coach = django_filters.ChoiceFilter(
        field_name="coach",
        label=_("Coach"),
        empty_label=ALL,
        widget=FastSelect,
    )
    route_type = django_filters.ChoiceFilter(
        field_name="current_route__route_type",
        choices=RouteType.choices,
        label=_("Route type"),
        empty_label=ALL,
        widget=FastSelect,
    )
    referral_source = django_filters.ChoiceFilter(
        field_name="current_route__referral_source",
        choices=ReferralSource.choices,
        label=_("Referred by"),
        empty_label=ALL,
        widget=FastSelect,
    )
    funding_stream = django_filters.ChoiceFilter(
        choices=FundingStream.choices, label=_("Funding stream"), empty_label=ALL, widget=FastSelect
    )
    o = ParticipantOrderingFilter(label=_("Sort by"))

    class Meta:
        model = Participant
        fields: list[str] = []

    def __init__(self, data=None, *, user, **kwargs):
        queryset = (
            participants_visible_to(user)
            .select_related("coach", "current_route__programme", "current_route__cohort")
            .order_by("last_name", "first_name", "pk")
        )
        super().__init__(data, queryset=queryset, **kwargs)
        membership = active_membership(user)
        academy_id = membership.academy_id if membership else None
        self.filters["programme"].extra["choices"] = list(
            Programme.objects.filter(academy_id=academy_id)
            .order_by("name")
            .values_list("pk", "name")
        )
        self.filters["cohort"].extra["choices"] = [
            (pk, Cohort.label(programme, name))
            for pk, programme, name in cohorts_visible_to(user)
            .order_by("programme__name", "-start_date")
            .values_list("pk", "programme__name", "name")
        ]
        role = membership.role if membership else None
        if role == Role.COACH:
            del self.filters["coach"]  # a coach's list is their own caseload
        else:
            self.filters["coach"].extra["choices"] = [
                (pk, User.label(full_name, email))
                for pk, full_name, email in User.objects.filter(
                    memberships__academy_id=academy_id,
                    memberships__role=Role.COACH,
                    memberships__is_active=True,
                )
                .distinct()
                .order_by("full_name", "email")
                .values_list("pk", "full_name", "email")
            ]
        if role not in {Role.COACH, Role.REGISSEUR}:
            for name in PERSONAL_FILTERS:
                del self.filters[name]

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(search_words(value)) if value.strip() else queryset

    @property
    def active_count(self) -> int:
        """How many filters (not the sort) are in use: the phone's "Filters (2)" button."""
        if not self.is_bound or not self.form.is_valid():
            return 0
        return sum(1 for name, value in self.form.cleaned_data.items() if name != "o" and value)

    @property
    def ordering(self) -> str:
        """The current sort parameter, e.g. "-status", or "" for the default (by name)."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        value = self.form.cleaned_data.get("o") or []
        return value[0] if value else ""
