"""Which participants are past the retention period and may be anonymised, by id only:

    python manage.py retention_report [--academy "Academie Salland"] [--date 2028-01-01]

Prints one line per person, "<participant id> <academy id> <anonymisable from>", and no name,
so the list can go to a regisseur by any channel. Anonymising stays a person's decision: the
regisseur does it in the app (participant -> Anonymiseren), after entering their password again.
The rule is participants.privacy's own (RETENTION_YEARS after the last route ended).

An operations task, kept in participants beside the rule it reads.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone

from participants.models import ENDED_STATUSES, Participant
from participants.privacy import RETENTION_YEARS, anonymisable_from


def participants_past_retention(*, today: date, academy_name: str | None = None):
    """(participant, anonymisable from) for everyone not yet anonymised whose last route
    ended RETENTION_YEARS or more before ``today``. Those with a running route are left out in
    the database; the date of the rest comes from privacy.anonymisable_from, one query each,
    so this list and the app's anonymise button can never disagree."""
    candidates = (
        Participant.objects.filter(anonymised_at__isnull=True)
        .annotate(running=Count("routes", filter=~Q(routes__status__in=ENDED_STATUSES)))
        .filter(running=0)
        .only("pk", "academy_id", "created_at")
        .order_by("academy_id", "pk")
    )
    if academy_name:
        candidates = candidates.filter(academy__name=academy_name)
    for participant in candidates.iterator(chunk_size=500):
        allowed_from = anonymisable_from(participant)
        if allowed_from is not None and allowed_from <= today:
            yield participant, allowed_from


class Command(BaseCommand):
    help = (
        f"List (ids only) the participants whose last route ended more than {RETENTION_YEARS} "
        "years ago and who are not anonymised yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--academy", help="Only this academy (its name).")
        parser.add_argument("--date", help="Count to this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("Give --date as YYYY-MM-DD.") from None
        today = today or timezone.localdate()
        count = 0
        for participant, allowed_from in participants_past_retention(
            today=today, academy_name=options["academy"]
        ):
            self.stdout.write(f"{participant.pk} {participant.academy_id} {allowed_from}")
            count += 1
        self.stderr.write(f"{count} participant(s) past the retention period on {today}.")
