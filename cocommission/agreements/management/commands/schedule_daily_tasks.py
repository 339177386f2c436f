"""Start the daily background jobs: queue the first run of the end-of-funding warnings unless
one is already waiting. Each run queues the next, so this is needed once (`make demo` runs it)."""

from typing import Any

from django.core.management.base import BaseCommand

from cocommission.agreements.tasks import start_daily_tasks


class Command(BaseCommand):
    help = "Queue the daily end-of-funding warnings job unless it is already queued."

    def handle(self, *args: Any, **options: Any) -> None:
        if start_daily_tasks():
            self.stdout.write(self.style.SUCCESS("The daily end-of-funding warnings job is queued."))
        else:
            self.stdout.write("The daily end-of-funding warnings job is already queued.")
