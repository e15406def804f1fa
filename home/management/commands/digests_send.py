"""Send today's daily digests now, as the beat task does at 06:30 (in the demo the email
backend prints them to the console)."""

from django.core.management.base import BaseCommand

from home.services import digests_send


class Command(BaseCommand):
    help = "Send today's daily digest to every user who did not turn it off."

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"{sent} digest(s) sent.")
