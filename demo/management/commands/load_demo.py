from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.accounts import build_organisation, login_lines
from demo.day import build_day
from demo.employers import build_employers
from demo.leerroutes import build_leerroutes
from demo.participants import build_participants
from demo.portal import build_portal
from demo.results import build_esf
from participants.figures import cohort_figures_rebuild


class Command(BaseCommand):
    help = "Build (or bring back) the demo academy and print one login per role."

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            organisation = build_organisation(today)
            build_participants(organisation, today)
            build_leerroutes(organisation, today)
            build_employers(organisation, today)
            build_portal(organisation)
            build_day(organisation, today)
            build_esf(organisation, today)
            # The demo writes routes, follow-ups and certificates past the services.
            cohort_figures_rebuild()
        self.stdout.write("Demo logins (one per role):")
        for line in login_lines():
            self.stdout.write(line)
