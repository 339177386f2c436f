"""Add this month's horizon scans now, once (the monthly task does the same on the 1st).

python manage.py horizon_scan [--today 2027-03-01]
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cocommission.deciding.services.horizon import run_horizon_scans


class Command(BaseCommand):
    help = "Add a horizon scan to each partnership's next meeting, once a month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), for checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Give --today as a date like 2027-03-01.") from exc
        added = run_horizon_scans(today=today)
        for item in added:
            meeting = item.meeting
            starts = timezone.localtime(meeting.starts_at)
            self.stdout.write(f"{meeting.partnership.name}: added to “{meeting.title}” on {starts.day} {starts:%B %Y}")
        scans = f"{len(added)} horizon scan{'' if len(added) == 1 else 's'} added"
        self.stdout.write(self.style.SUCCESS(f"{scans} for {today:%B %Y}."))
