import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Action, AuditEvent, AuditEventParticipant


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_email", lookup_expr="icontains", label=_("Who (email)")
    )
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("Action"))
    participant = django_filters.UUIDFilter(method="about_participant", label=_("Participant id"))
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

    def about_participant(self, queryset, name, value):
        """Events about the participant: their own, and the lists and exports naming them."""
        named = AuditEventParticipant.objects.filter(participant_id=value).values("event_id")
        return queryset.filter(Q(participant_id=value) | Q(pk__in=named))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "participant", "since", "until"]
