"""Recompute the kept dashboard figures (participants.CohortFigures) from the routes:

    python manage.py cohort_figures_rebuild

Run it after a bulk load that passed the services by, after a release that changes what the
dashboard counts, or whenever the figures are in doubt. Idempotent: a second run writes the
same rows. Prints the number of rows and the time taken.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from participants.figures import cohort_figures_rebuild


class Command(BaseCommand):
    help = "Recompute the kept dashboard figures from the routes (idempotent)."

    def handle(self, *args, **options) -> None:
        began = time.perf_counter()
        rows = cohort_figures_rebuild()
        self.stdout.write(f"{rows} rows of kept figures in {time.perf_counter() - began:.1f} s")
