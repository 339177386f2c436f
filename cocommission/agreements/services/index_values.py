"""Writes for the published index values (CPI and CPIH 12-month rates) platform admins keep.

A new or changed value can change the uplifts of every agreement indexed to that index, so
each such agreement's schedule is recomputed in the same transaction (paid instalments kept).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.versioning import ensure_unchanged

from ..models import Agreement, IndexValue
from ..permissions import ensure_platform_admin
from . import guards
from .schedule import recompute_schedule

INDEX_VALUE_FIELDS = ("index", "month", "rate", "source")
RATE_LIMIT = Decimal("99.99")
CLOSED = (Agreement.Status.ENDED, Agreement.Status.TERMINATED)


def duplicate_message(index: str, month: datetime.date) -> str:
    return f"There is already a {IndexValue.Index(index).label} value for {month:%B %Y}"


def _check(
    *,
    index: str,
    month: datetime.date | None,
    rate: Decimal | None,
    source: str,
    exclude_pk: int | None = None,
) -> tuple[datetime.date, Decimal]:
    errors: dict[str, str] = {}
    if index not in IndexValue.Index.values:
        errors["index"] = "Choose the index: CPI or CPIH"
    if month is None:
        errors["month"] = "Enter the month the rate is for"
    else:
        month = month.replace(day=1)
        this_month = timezone.localdate().replace(day=1)
        if month >= this_month:
            errors["month"] = (
                f"Enter a month that has ended: a rate is published after its month, so before {this_month:%B %Y}"
            )
        elif "index" not in errors:
            others = IndexValue.objects.filter(index=index, month=month)
            if exclude_pk is not None:
                others = others.exclude(pk=exclude_pk)
            if others.exists():
                errors["month"] = duplicate_message(index, month)
    if rate is None:
        errors["rate"] = "Enter the 12-month rate as a percentage, like 3.2"
    elif not (-RATE_LIMIT <= rate <= RATE_LIMIT):
        errors["rate"] = "The rate must be between -99.99% and 99.99%"
    if not source.strip():
        errors["source"] = "Enter where the rate was published, like ONS, CPI annual rate 00: all items"
    if errors:
        raise ValidationError(errors)
    assert month is not None and rate is not None
    return month, rate


def _save(value: IndexValue, *, creating: bool) -> None:
    """Save inside a savepoint: a value saved for the same month at the same moment by someone
    else is caught by the database and told apart from other failures."""
    try:
        with transaction.atomic():
            value.save(force_insert=creating)
    except IntegrityError as exc:
        if IndexValue.objects.filter(index=value.index, month=value.month).exclude(pk=value.pk).exists():
            raise ValidationError({"month": duplicate_message(value.index, value.month)}) from exc
        raise


def recompute_indexed_schedules(*, actor: User | None, indexes: set[str], reason: str) -> int:
    """Recompute the schedule of every agreement still running that uses one of `indexes`.

    Returns how many were recomputed. Call inside the transaction that changed the values.
    """
    count = 0
    agreements = Agreement.objects.filter(index_kind__in=indexes).exclude(status__in=CLOSED).order_by("pk")
    for agreement in agreements:
        locked = guards.lock(agreement)
        recompute_schedule(actor=actor, agreement=locked, reason=reason)
        count += 1
    return count


@transaction.atomic
def add_index_value(
    *, actor: User, index: str, month: datetime.date | None, rate: Decimal | None, source: str
) -> IndexValue:
    """Add a published 12-month rate; one per index and month."""
    ensure_platform_admin(actor)
    month, rate = _check(index=index, month=month, rate=rate, source=source)
    value = IndexValue(index=index, month=month, rate=rate, source=source.strip(), created_by=actor)
    _save(value, creating=True)
    audit.record_create(actor=actor, instance=value)
    recompute_indexed_schedules(
        actor=actor, indexes={index}, reason=f"the {value.get_index_display()} value for {month:%B %Y} was added"
    )
    return value


@transaction.atomic
def change_index_value(
    *,
    actor: User,
    index_value: IndexValue,
    index: str,
    month: datetime.date | None,
    rate: Decimal | None,
    source: str,
    version: str | None = None,
) -> IndexValue:
    """Correct a published rate (or its index, month or source)."""
    ensure_platform_admin(actor)
    locked = IndexValue.objects.select_for_update().get(pk=index_value.pk)
    ensure_unchanged(locked, version)
    month, rate = _check(index=index, month=month, rate=rate, source=source, exclude_pk=locked.pk)
    before = audit.snapshot(locked, INDEX_VALUE_FIELDS)
    indexes = {locked.index, index}
    locked.index, locked.month, locked.rate, locked.source = index, month, rate, source.strip()
    _save(locked, creating=False)
    if audit.record_update(actor=actor, instance=locked, before=before) is not None:
        recompute_indexed_schedules(
            actor=actor,
            indexes=indexes,
            reason=f"the {locked.get_index_display()} value for {month:%B %Y} was corrected",
        )
    return locked
