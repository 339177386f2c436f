"""Start the background jobs: queue the first run of the daily end-of-funding warnings and of
the monthly horizon scan, unless each is already waiting. Each run queues the next, so this is
needed once (`make demo` runs it)."""

from typing import Any

from django.core.management.base import BaseCommand

from cocommission.agreements.tasks import start_daily_tasks
from cocommission.deciding.tasks import start_monthly_tasks


class Command(BaseCommand):
    help = "Queue the daily end-of-funding warnings job and the monthly horizon scan unless already queued."

    def handle(self, *args: Any, **options: Any) -> None:
        if start_daily_tasks():
            self.stdout.write(self.style.SUCCESS("The daily end-of-funding warnings job is queued."))
        else:
            self.stdout.write("The daily end-of-funding warnings job is already queued.")
        if start_monthly_tasks():
            self.stdout.write(self.style.SUCCESS("The monthly horizon scan is queued."))
        else:
            self.stdout.write("The monthly horizon scan is already queued.")
