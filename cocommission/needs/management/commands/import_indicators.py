"""Import a CSV file of population indicator values into a partnership, now.

python manage.py import_indicators FILE --partnership SLUG [--by EMAIL]

Every line is checked first; when any line has a problem, nothing is imported, each problem is
printed with its line number and the command exits with status 1.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocommission.needs.models import IndicatorImport
from cocommission.needs.selectors.indicators import importer_for_command, partnership_for_command
from cocommission.needs.services.indicators import start_import


class Command(BaseCommand):
    help = "Import a CSV file of indicator values (checked line by line; nothing is imported if a line is wrong)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument("--partnership", required=True, help="The slug of the partnership the values are for.")
        parser.add_argument("--by", default="", help="The email of the coordinator or platform admin importing it.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        partnership = partnership_for_command(options["partnership"])
        if partnership is None:
            raise CommandError(f"There is no partnership {options['partnership']}.")
        actor = None
        if options["by"]:
            actor = importer_for_command(options["by"], partnership)
            if actor is None:
                raise CommandError(f"{options['by']} is not a coordinator of {partnership.name} or a platform admin.")
        try:
            with path.open("rb") as handle:
                record = start_import(
                    actor=actor, partnership=partnership, upload=File(handle, name=path.name), in_background=False
                )
        except OSError as exc:
            raise CommandError(f"{path} cannot be read: {exc.strerror or exc}") from exc
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"Nothing was imported from {path.name}.") from exc
        if record.status != IndicatorImport.Status.DONE:
            for problem in record.errors:
                self.stderr.write(str(problem.get("message", "")))
            count = sum(int(p.get("more") or 1) for p in record.errors)
            raise CommandError(f"Nothing was imported from {path.name}: {count} problem{'' if count == 1 else 's'}.")
        self.stdout.write(
            self.style.SUCCESS(f"Imported {record.imported_rows:,} values from {path.name} into {partnership.name}.")
        )
