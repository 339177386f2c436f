"""Importing population indicators from CSV files. The upload page, the task worker and
`manage.py import_indicators` all go through here.

An import is stored first (the file and an IndicatorImport), then run: small files at once,
large ones on the task worker. Running checks every row (indicator_csv), then the rows against
what is stored, and saves them all in one transaction, or nothing when any line has a problem.
Checking commits its progress as it goes, so the progress page can show it while it runs.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.organisations.uploads import size_limit_text
from cocommission.partnerships.models import Partnership

from .. import indicator_csv
from ..indicator_csv import FileChecker, FileProblem, Problem, Row, Stored
from ..models import Indicator, IndicatorImport, IndicatorValue

logger = logging.getLogger(__name__)

# Files with up to this many rows are imported while the person waits; larger ones by the worker.
INLINE_ROWS = 500
# How often (in rows) checking records its progress.
PROGRESS_EVERY = 100
# A file that is wrong throughout lists its first problems, not thousands.
MAX_PROBLEMS = 500
# Slugs that would collide with the fixed paths under partnerships/<slug>/indicators/.
RESERVED_SLUGS = frozenset({"upload", "imports"})
RACE_MESSAGE = (
    "Some of these values were saved by another import at the same moment. Nothing was imported from this file: "
    "upload it again to see which lines are already stored."
)


def max_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def _too_big() -> ValidationError:
    return ValidationError({"file": f"The selected file must be smaller than {size_limit_text(max_bytes())}"})


def check_file(data: bytes) -> int:
    """How many rows of values the file has, or a ValidationError on `file` saying why it
    cannot be read at all (empty, not CSV UTF-8, a bad first line)."""
    if len(data) > max_bytes():
        raise _too_big()
    try:
        return indicator_csv.count_rows(indicator_csv.decode(data))
    except FileProblem as exc:
        raise ValidationError({"file": exc.messages}) from exc


@transaction.atomic
def create_import(*, actor: User | None, partnership: Partnership, upload: File, name: str = "") -> IndicatorImport:
    """Store the file as an import waiting to run. Refuses a file that cannot be read at all."""
    if upload.size is not None and upload.size > max_bytes():
        raise _too_big()
    upload.seek(0)
    data = upload.read()
    total = check_file(data)
    original = PurePath(name or upload.name or "indicators.csv").name[:255]
    record = IndicatorImport(
        partnership=partnership,
        original_name=original,
        total_rows=total,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record.file.save(original, ContentFile(data), save=False)
    record.save()
    audit.record_create(actor=actor, instance=record, partnership_id=partnership.pk)
    return record


def start_import(
    *,
    actor: User | None,
    partnership: Partnership,
    upload: File,
    name: str = "",
    in_background: bool | None = None,
    demo: bool = False,
) -> IndicatorImport:
    """Store the file and import it: at once for up to INLINE_ROWS rows, otherwise on the
    task worker (after this transaction commits). Returns the import, run or waiting."""
    record = create_import(actor=actor, partnership=partnership, upload=upload, name=name)
    background = record.total_rows > INLINE_ROWS if in_background is None else in_background
    if background:
        from ..tasks import import_indicators_task

        import_id = record.pk
        transaction.on_commit(lambda: import_indicators_task.enqueue(import_id=import_id, demo=demo))
        return record
    return run_import(import_id=record.pk, demo=demo) or record


def _claim(import_id: int) -> IndicatorImport | None:
    """Mark a waiting import as being checked, so a second run of the same task does nothing."""
    with transaction.atomic():
        record = (
            IndicatorImport.objects.select_for_update(of=("self",))
            .select_related("partnership")
            .filter(pk=import_id)
            .first()
        )
        if record is None or record.status != IndicatorImport.Status.WAITING:
            return None
        record.status = IndicatorImport.Status.CHECKING
        record.processed_rows = 0
        record.save(update_fields=["status", "processed_rows", "updated_at"])
        return record


def _progress(record: IndicatorImport, done: int) -> None:
    IndicatorImport.objects.filter(pk=record.pk).update(processed_rows=done)


def _stored(partnership: Partnership) -> Stored:
    """Each stored indicator's unit and every stored value's indicator, place and period."""
    indicators = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    by_id = {i.pk: key for key, i in indicators.items()}
    keys = frozenset(
        (by_id[indicator_id], code.upper(), period)
        for indicator_id, code, period in IndicatorValue.objects.filter(indicator__partnership=partnership).values_list(
            "indicator_id", "geography_code", "period"
        )
    )
    return Stored(units={k: i.unit for k, i in indicators.items()}, keys=keys)


def _finish(
    record: IndicatorImport, *, status: str, processed: int, problems: list[Problem] | None = None, imported: int = 0
) -> IndicatorImport:
    before = audit.snapshot(record, ["status", "processed_rows", "imported_rows"])
    record.status = status
    record.processed_rows = processed
    record.imported_rows = imported
    listed = [p.as_dict() for p in (problems or [])[:MAX_PROBLEMS]]
    if problems and len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        listed.append({"line": None, "message": f"And {more:,} more problem{'s' if more != 1 else ''}", "more": more})
    record.errors = listed
    record.save(update_fields=["status", "processed_rows", "imported_rows", "errors", "updated_at"])
    audit.record_update(actor=record.uploaded_by, instance=record, before=before, partnership_id=record.partnership_id)
    return record


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:200].strip("-") or "indicator"
    candidate, n = base, 1
    while candidate in taken or candidate in RESERVED_SLUGS:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _save(record: IndicatorImport, rows: list[Row], *, demo: bool) -> IndicatorImport:
    """Every row in one transaction; an indicator is created for each new name."""
    actor = record.uploaded_by
    try:
        with transaction.atomic():
            locked = IndicatorImport.objects.select_for_update().get(pk=record.pk)
            indicators = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=locked.partnership_id)}
            taken = set(Indicator.objects.filter(partnership=locked.partnership_id).values_list("slug", flat=True))
            for row in rows:
                if row.indicator.casefold() in indicators:
                    continue
                indicator = Indicator.objects.create(
                    partnership_id=locked.partnership_id,
                    name=row.indicator,
                    slug=_unique_slug(row.indicator, taken),
                    source=row.source,
                    unit=row.unit,
                    is_demo=demo,
                )
                audit.record_create(actor=actor, instance=indicator, partnership_id=locked.partnership_id)
                indicators[row.indicator.casefold()] = indicator
            IndicatorValue.objects.bulk_create(
                [
                    IndicatorValue(
                        indicator=indicators[row.indicator.casefold()],
                        geography_code=row.geography_code,
                        geography_name=row.geography_name,
                        period=row.period,
                        value=row.value,
                        lower_ci=row.lower_ci,
                        upper_ci=row.upper_ci,
                        imported_by=locked,
                    )
                    for row in rows
                ],
                batch_size=1000,
            )
            return _finish(locked, status=IndicatorImport.Status.DONE, processed=len(rows), imported=len(rows))
    except IntegrityError:
        # Another import saved the same indicator, place and period between our check and now.
        with transaction.atomic():
            locked = IndicatorImport.objects.select_for_update().get(pk=record.pk)
            return _finish(
                locked,
                status=IndicatorImport.Status.FAILED,
                processed=len(rows),
                problems=[Problem(0, RACE_MESSAGE)],
            )


def _check(record: IndicatorImport, text: str) -> tuple[list[Row], list[Problem], int]:
    """Every row checked, against the file and what is stored, with progress recorded."""
    stored = _stored(record.partnership)
    checker = FileChecker()
    rows: list[Row] = []
    problems: list[Problem] = []
    done = 0
    try:
        header, records = indicator_csv.split(text)
        for line, cells in records:
            parsed = indicator_csv.parse_row(line, cells, header)
            if isinstance(parsed, list):
                problems += parsed
            else:
                found = checker.check(parsed) + indicator_csv.check_against_stored(parsed, stored)
                problems += found
                if not found:
                    rows.append(parsed)
            done += 1
            if done % PROGRESS_EVERY == 0:
                _progress(record, done)
    except FileProblem as exc:
        problems += [Problem(0, message) for message in exc.messages]
    return rows, problems, done


def run_import(*, import_id: int, demo: bool = False) -> IndicatorImport | None:
    """Check and import a waiting import. Returns it when it has run; None when it was not
    waiting (already run, or running elsewhere).

    Not one transaction on purpose: checking commits its progress as it goes so people can
    watch it; the values themselves are saved in one transaction, or not at all.
    """
    record = _claim(import_id)
    if record is None:
        return None
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
        text = indicator_csv.decode(data)
    except FileProblem as exc:
        problems = [Problem(0, m) for m in exc.messages]
        with transaction.atomic():
            return _finish(record, status=IndicatorImport.Status.FAILED, processed=0, problems=problems)
    except OSError:
        logger.exception("Indicator import %s: the stored file cannot be read", import_id)
        problems = [Problem(0, "The stored file cannot be read. Upload it again.")]
        with transaction.atomic():
            return _finish(record, status=IndicatorImport.Status.FAILED, processed=0, problems=problems)
    rows, problems, done = _check(record, text)
    if problems:
        with transaction.atomic():
            return _finish(record, status=IndicatorImport.Status.FAILED, processed=done, problems=problems)
    return _save(record, rows, demo=demo)
