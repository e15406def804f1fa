import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_email", lookup_expr="icontains", label=_("Who (email)")
    )
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("Action"))
    participant = django_filters.UUIDFilter(field_name="participant_id", label=_("Participant id"))
    since = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "participant", "since", "until"]
