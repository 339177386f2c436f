"""Writes for an agreement's indexation terms: the index, base month, uplift anniversary, and the
optional fixed rate, floor and cap. Saving them recomputes the payment schedule."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.versioning import ensure_unchanged

from .. import indexation as rules
from ..models import Agreement
from . import guards
from .schedule import recompute_schedule

INDEXATION_FIELDS = (
    "index_kind",
    "index_base_month",
    "index_anniversary",
    "index_fixed_rate",
    "index_floor",
    "index_cap",
)
HUNDRED = Decimal(100)


def _check_percent(errors: dict[str, str], field: str, value: Decimal | None, what: str) -> None:
    if value is not None and not (Decimal(0) <= value <= HUNDRED) and field not in errors:
        errors[field] = f"The {what} must be between 0% and 100%"


def check_indexation(
    *,
    agreement: Agreement,
    kind: str,
    base_month: datetime.date | None,
    anniversary: datetime.date | None,
    fixed_rate: Decimal | None,
    floor: Decimal | None,
    cap: Decimal | None,
) -> rules.Indexation | None:
    """The checked terms (None for no indexation), or a ValidationError keyed by form field."""
    if kind not in Agreement.IndexKind.values:
        raise ValidationError({"kind": "Choose how the agreement's value keeps up with prices"})
    if kind == Agreement.IndexKind.NONE:
        return None
    errors: dict[str, str] = {}
    if base_month is None:
        errors["base_month"] = "Enter the base month: the month whose prices the value is set at"
    if anniversary is None:
        errors["anniversary"] = "Enter the date of the first uplift"
    elif agreement.start_date is not None and anniversary <= agreement.start_date:
        errors["anniversary"] = (
            f"The first uplift must be after the agreement starts on {agreement.start_date.day} "
            f"{agreement.start_date:%B %Y}"
        )
    if kind == Agreement.IndexKind.FIXED and fixed_rate is None:
        errors["fixed_rate"] = "Enter the fixed percentage for each uplift"
    if kind != Agreement.IndexKind.FIXED and fixed_rate is not None:
        errors["fixed_rate"] = "Leave the fixed percentage empty, or choose a fixed percentage each year"
    _check_percent(errors, "fixed_rate", fixed_rate, "fixed percentage")
    _check_percent(errors, "floor", floor, "floor")
    _check_percent(errors, "cap", cap, "cap")
    if floor is not None and cap is not None and cap < floor and "cap" not in errors:
        errors["cap"] = "The cap must be the same as or higher than the floor"
    if base_month is not None and anniversary is not None and "anniversary" not in errors:
        first_reference = rules.add_years(base_month, 1)
        if anniversary.replace(day=1) <= first_reference:
            errors["anniversary"] = (
                f"The first uplift must be after {first_reference:%B %Y}, when the rate for a year "
                "after the base month is known"
            )
    if errors:
        raise ValidationError(errors)
    assert base_month is not None and anniversary is not None
    try:
        return rules.Indexation(
            kind=rules.IndexKind(kind),
            base_month=base_month,
            anniversary=anniversary,
            fixed_rate=fixed_rate,
            floor=floor,
            cap=cap,
        )
    except ValueError as exc:  # the rules above mirror Indexation's; this is a safety net
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def set_indexation(
    *,
    actor: User,
    agreement: Agreement,
    kind: str,
    base_month: datetime.date | None = None,
    anniversary: datetime.date | None = None,
    fixed_rate: Decimal | None = None,
    floor: Decimal | None = None,
    cap: Decimal | None = None,
    version: str | None = None,
) -> Agreement:
    """Save the agreement's indexation terms and recompute its payment schedule.

    Only while the agreement is open for editing (after a signature, a variation is needed).
    For no indexation, the other terms are cleared. `version` is the agreement's stamp from the
    form, so a change made since the form was shown is not overwritten unseen.
    """
    locked = guards.lock(agreement)
    guards.ensure_open_for_editing(locked)
    ensure_unchanged(locked, version)
    terms = check_indexation(
        agreement=locked,
        kind=kind,
        base_month=base_month,
        anniversary=anniversary,
        fixed_rate=fixed_rate,
        floor=floor,
        cap=cap,
    )
    before = audit.snapshot(locked, INDEXATION_FIELDS)
    locked.index_kind = kind
    locked.index_base_month = terms.base_month if terms else None
    locked.index_anniversary = terms.anniversary if terms else None
    locked.index_fixed_rate = terms.fixed_rate if terms else None
    locked.index_floor = terms.floor if terms else None
    locked.index_cap = terms.cap if terms else None
    locked.save(update_fields=[*INDEXATION_FIELDS, "updated_at"])
    for organisation_id in sorted({locked.funder_id, locked.provider_id}):
        audit.record_update(
            actor=actor,
            instance=locked,
            before=before,
            organisation_id=organisation_id,
            partnership_id=locked.partnership_id,
        )
    recompute_schedule(actor=actor, agreement=locked, reason="the indexation terms changed")
    return locked
