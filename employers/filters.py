"""The staff lists' filters (django-filter): employers and placements."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Programme

from .models import Employer, ParticipationWay, Placement, PlacementKind
from .selectors import running_on

ALL = _("All")


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    way = django_filters.ChoiceFilter(
        field_name="commitments__way",
        choices=ParticipationWay.choices,
        label=_("Way of taking part"),
        empty_label=ALL,
        distinct=True,
    )
    programme = django_filters.ModelChoiceFilter(
        field_name="commitments__programme",
        queryset=Programme.objects.none(),
        label=_("Programme"),
        empty_label=ALL,
        distinct=True,
    )
    sbb_valid = django_filters.ChoiceFilter(
        method="filter_sbb_valid",
        choices=[("yes", _("Valid")), ("no", _("Not valid or none"))],
        label=_("SBB recognition"),
        empty_label=ALL,
    )

    class Meta:
        model = Employer
        fields = ["q", "way", "programme", "sbb_valid"]

    def __init__(self, *args, academy, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = Programme.objects.filter(academy=academy)

    def filter_sbb_valid(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        valid = ~Q(sbb_number="") & Q(sbb_valid_until__gte=timezone.localdate())
        return queryset.filter(valid) if value == "yes" else queryset.exclude(valid)


class PlacementFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[("running", _("Running")), ("ended", _("Ended")), ("future", _("Not started"))],
        label=_("State"),
        empty_label=ALL,
    )
    kind = django_filters.ChoiceFilter(
        choices=PlacementKind.choices, label=_("Type"), empty_label=ALL
    )
    employer = django_filters.ModelChoiceFilter(
        queryset=Employer.objects.none(), label=_("Employer"), empty_label=ALL
    )

    class Meta:
        model = Placement
        fields = ["state", "kind", "employer"]

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["employer"].queryset = employers

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "running":
            return queryset.filter(running_on(today))
        if value == "ended":
            return queryset.filter(end_date__lt=today)
        return queryset.filter(start_date__gt=today)
