"""Send today's end-of-funding warnings now, once (the daily task does the same each morning).

python manage.py send_ending_warnings [--today 2027-01-01]
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cocommission.agreements.services.renewals import send_ending_warnings


class Command(BaseCommand):
    help = "Send the end-of-funding warnings that are due (9, 6 and 3 months before agreements end)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), for checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Give --today as a date like 2027-01-31.") from exc
        notices = send_ending_warnings(today=today)
        for notice in notices:
            self.stdout.write(
                f"{notice.agreement.reference}: {notice.months_before}-month warning sent to {notice.recipients} people"
            )
        sent = f"{len(notices)} warning{'' if len(notices) == 1 else 's'} sent"
        self.stdout.write(self.style.SUCCESS(f"{sent} for {today.day} {today:%B %Y}."))
