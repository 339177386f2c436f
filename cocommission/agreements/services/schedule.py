"""The payment schedule an agreement keeps in the database, and marking instalments paid.

How the amounts are worked out (`plan_payments`, pure):

1. The term is cut at the uplift anniversaries: one period before the first anniversary, then
   one period from each anniversary to the day before the next (the last one ends with the term).
2. The agreement's value (at the prices of its start) is shared between the periods by days.
3. A period that starts after k anniversaries is raised by each of the k uplifts in turn, the
   rate of each being the one in force on its anniversary (after the floor and cap), rounded to
   the penny after each uplift, so the figures compound exactly as printed.
4. Each period's amount is shared by days between the financial years it touches; each
   financial year's amount is the sum of its shares. The years add up exactly to the total.

`recompute_schedule` then rebuilds the unpaid instalments from those yearly amounts, keeping
what has been paid. A year that is already fully paid for, but whose amount has changed, gets
an adjustment instalment for the difference (negative when money is to be returned or offset),
so each year's instalments, paid, unpaid and adjustments, always add up to the year's amount.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.core.money import allocate
from cocommission.core.templatetags.money import format_gbp

from .. import indexation as rules
from .. import schedule as schedule_rules
from ..models import Agreement, IndexValue, Instalment
from . import guards

ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0.00")
INDEXED_KINDS = (Agreement.IndexKind.CPI, Agreement.IndexKind.CPIH)


# ---- Working out the amounts (no database) ------------------------------------------------


def percent_text(rate: Decimal | None) -> str:
    """A rate as people write it: 3.4%, 10%, -0.1% (no trailing zeros, never 1E+1)."""
    if rate is None:
        return ""
    return f"{rate.normalize():f}%"


@dataclass(frozen=True)
class UpliftPeriod:
    """A stretch of the term between two uplift anniversaries, and what it is worth."""

    start: datetime.date
    end: datetime.date
    uplifts: int  # how many uplifts have taken effect by its start
    base_amount: Decimal  # its share of the value, at the prices of the start
    amount: Decimal  # after the uplifts
    uplift_on: datetime.date | None  # the anniversary its latest uplift took effect on
    reference_month: datetime.date | None  # the month whose rate set that uplift (CPI and CPIH)
    rate: Decimal | None  # the rate of that uplift, after the floor and cap
    published: bool  # False while the reference month has no published value

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def rate_text(self) -> str:
        return percent_text(self.rate)


@dataclass(frozen=True)
class PaymentPlan:
    periods: list[UpliftPeriod]
    yearly: dict[str, Decimal]  # financial year label -> amount, in date order

    @property
    def total(self) -> Decimal:
        return sum(self.yearly.values(), ZERO)


def indexation_of(agreement: Agreement) -> rules.Indexation | None:
    """The agreement's indexation terms, or None when there is no uplift to apply."""
    kind = rules.IndexKind(agreement.index_kind)
    if kind == rules.IndexKind.NONE or agreement.index_base_month is None or agreement.index_anniversary is None:
        return None
    try:
        return rules.Indexation(
            kind=kind,
            base_month=agreement.index_base_month,
            anniversary=agreement.index_anniversary,
            fixed_rate=agreement.index_fixed_rate,
            floor=agreement.index_floor,
            cap=agreement.index_cap,
        )
    except ValueError:
        # Saved terms are checked by the indexation form; terms that no longer hold together
        # (which should not happen) give no uplift rather than a page that cannot be shown.
        return None


def _cuts(start: datetime.date, end: datetime.date, indexation: rules.Indexation | None) -> list[datetime.date]:
    """The first day of each period: the start, then each anniversary inside the term."""
    cuts = [start]
    if indexation is None:
        return cuts
    years = 0
    while (anniversary := rules.add_years(indexation.anniversary, years)) <= end:
        if anniversary > start:
            cuts.append(anniversary)
        years += 1
    return cuts


def plan_payments(
    *,
    start: datetime.date,
    end: datetime.date,
    value: Decimal,
    indexation: rules.Indexation | None,
    index_values: Mapping[datetime.date, Decimal],
) -> PaymentPlan:
    """The uplift periods and each financial year's amount for a term (see the module's notes)."""
    if end < start:
        raise ValueError("The end date must be on or after the start date")
    cuts = _cuts(start, end, indexation)
    bounds = [(first, (cuts[i + 1] - ONE_DAY) if i + 1 < len(cuts) else end) for i, first in enumerate(cuts)]
    bases = allocate(value, [(last - first).days + 1 for first, last in bounds])
    # The rate of the j-th uplift (j from 1), looked up once for every period that needs it.
    rates: list[Decimal] = []
    periods: list[UpliftPeriod] = []
    for (first, last), base in zip(bounds, bases, strict=True):
        count = 0 if indexation is None else rules.uplifts_before(indexation, first)
        while len(rates) < count:
            assert indexation is not None
            rates.append(
                rules.uplift_rate(indexation, index_values, rules.add_years(indexation.anniversary, len(rates)))
            )
        amount = base
        for rate in rates[:count]:
            amount = rules.apply_uplift(amount, rate)
        uplift_on: datetime.date | None = None
        month: datetime.date | None = None
        published = True
        if count and indexation is not None:
            uplift_on = rules.add_years(indexation.anniversary, count - 1)
            if indexation.kind != rules.IndexKind.FIXED:
                month = rules.reference_month(indexation, uplift_on)
                published = month in index_values
        periods.append(
            UpliftPeriod(
                start=first,
                end=last,
                uplifts=count,
                base_amount=base,
                amount=amount,
                uplift_on=uplift_on,
                reference_month=month,
                rate=rates[count - 1] if count else None,
                published=published,
            )
        )
    yearly: dict[str, Decimal] = {portion.financial_year: ZERO for portion in schedule_rules.year_portions(start, end)}
    for period in periods:
        portions = schedule_rules.year_portions(period.start, period.end)
        for portion, share in zip(portions, allocate(period.amount, [p.days for p in portions]), strict=True):
            yearly[portion.financial_year] += share
    return PaymentPlan(periods=periods, yearly=yearly)


def index_values_for(kind: str) -> dict[datetime.date, Decimal]:
    """The published rates of one index (CPI or CPIH) by month; empty for the others."""
    if kind not in INDEXED_KINDS:
        return {}
    return dict(IndexValue.objects.filter(index=kind).values_list("month", "rate"))


def plan_for(agreement: Agreement) -> PaymentPlan | None:
    """The agreement's payment plan as its terms and the published index values now give it,
    or None while it has no start or end date."""
    if agreement.start_date is None or agreement.end_date is None:
        return None
    return plan_payments(
        start=agreement.start_date,
        end=agreement.end_date,
        value=agreement.value,
        indexation=indexation_of(agreement),
        index_values=index_values_for(agreement.index_kind),
    )


# ---- Keeping the instalments --------------------------------------------------------------


def _scopes(agreement: Agreement) -> list[dict[str, int | None]]:
    """Audit scopes: both parties' change histories show the schedule."""
    return [
        {"organisation_id": organisation_id, "partnership_id": agreement.partnership_id}
        for organisation_id in sorted({agreement.funder_id, agreement.provider_id})
    ]


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _adjustment_note(label: str, settled: Decimal, target: Decimal, reason: str) -> str:
    difference = target - settled
    why = f" ({reason})" if reason else ""
    what = (
        f"{format_gbp(difference)} more to pay"
        if difference > 0
        else f"{format_gbp(-difference)} to be returned or offset against a later payment"
    )
    return (
        f"{label} was already paid for when its amount changed from {format_gbp(settled)} to "
        f"{format_gbp(target)}{why}: {what}."
    )[:300]


def _check_paid_fit_the_term(agreement: Agreement, paid: Sequence[Instalment]) -> None:
    assert agreement.start_date is not None and agreement.end_date is not None
    if not paid:
        return
    first = min(item.period_start for item in paid)
    last = max(item.period_end for item in paid)
    if first < agreement.start_date:
        raise ValidationError(
            {
                "start_date": f"An instalment for the period from {_long_date(first)} has been paid, "
                "so the agreement cannot start after that day"
            }
        )
    if last > agreement.end_date:
        raise ValidationError(
            {
                "end_date": f"Instalments have been paid up to {_long_date(last)}, "
                "so the agreement cannot end before that day"
            }
        )


def _key(item: Instalment | schedule_rules.Instalment) -> tuple[object, ...]:
    return (item.due_on, item.period_start, item.period_end, item.financial_year, Decimal(item.amount))


def _snapshot_of_schedule(agreement: Agreement) -> list[tuple[str, str, bool]]:
    return [
        (due.isoformat(), str(amount), adjustment)
        for due, amount, adjustment in Instalment.objects.filter(agreement=agreement)
        .order_by("due_on", "period_start", "id")
        .values_list("due_on", "amount", "is_adjustment")
    ]


@dataclass
class _Settlement:
    """How each year's amount is carried: by its regular instalments, or by an adjustment."""

    regular_amounts: dict[str, Decimal]
    new_adjustments: list[Instalment]
    removed_adjustments: list[int]


def _settle_years(
    agreement: Agreement, plan: PaymentPlan, paid: Sequence[Instalment], adjustments: Sequence[Instalment], reason: str
) -> _Settlement:
    assert agreement.start_date is not None and agreement.end_date is not None
    settled_to = paid[-1].period_end if paid else None
    paid_by_year: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in paid:
        paid_by_year[item.financial_year] += item.amount
    paid_adjustments: dict[str, Decimal] = defaultdict(lambda: ZERO)
    unpaid_adjustments: dict[str, list[Instalment]] = defaultdict(list)
    for item in adjustments:
        if item.paid_on is not None:
            paid_adjustments[item.financial_year] += item.amount
        else:
            unpaid_adjustments[item.financial_year].append(item)

    result = _Settlement(regular_amounts={}, new_adjustments=[], removed_adjustments=[])
    today = timezone.localdate()
    for portion in schedule_rules.year_portions(agreement.start_date, agreement.end_date):
        label = portion.financial_year
        target = plan.yearly[label]
        settled = paid_by_year[label] + paid_adjustments[label]
        waiting = unpaid_adjustments[label]
        fully_paid = settled_to is not None and portion.end <= settled_to
        if not fully_paid and target - settled >= 0:
            # What is still owed goes into the year's unpaid instalments, adjustments included.
            result.removed_adjustments += [item.pk for item in waiting]
            result.regular_amounts[label] = target - paid_adjustments[label]
            continue
        # Nothing left in the year to carry the difference (or more has been paid than the
        # year's new amount): one adjustment carries it.
        result.regular_amounts[label] = paid_by_year[label]
        needed = target - settled
        if sum((item.amount for item in waiting), ZERO) == needed:
            continue
        result.removed_adjustments += [item.pk for item in waiting]
        if needed:
            result.new_adjustments.append(
                Instalment(
                    agreement=agreement,
                    due_on=today,
                    period_start=portion.start,
                    period_end=portion.end,
                    financial_year=label,
                    amount=needed,
                    is_adjustment=True,
                    note=_adjustment_note(label, settled, target, reason),
                )
            )
    return result


def _unpaid_instalments(
    agreement: Agreement, paid: Sequence[Instalment], regular_amounts: Mapping[str, Decimal]
) -> list[schedule_rules.Instalment]:
    assert agreement.start_date is not None and agreement.end_date is not None
    try:
        planned = schedule_rules.rebuild_schedule(
            [
                schedule_rules.Instalment(
                    due_on=item.due_on,
                    period_start=item.period_start,
                    period_end=item.period_end,
                    amount=item.amount,
                    financial_year=item.financial_year,
                )
                for item in paid
            ],
            start=agreement.start_date,
            end=agreement.end_date,
            yearly_amounts=regular_amounts,
            frequency=agreement.payment_frequency,
        )
    except ValueError as exc:
        raise ValidationError(f"The payment schedule cannot be worked out: {exc}") from exc
    # A remaining part period can round to nothing; it needs no instalment.
    return [item for item in planned[len(paid) :] if item.amount]


@transaction.atomic
def recompute_schedule(*, actor: User | None, agreement: Agreement, reason: str = "") -> list[Instalment]:
    """Rebuild the unpaid instalments from the agreement as it is now; returns every instalment.

    Call it inside the write that changed the terms, after saving them (the fields of
    `agreement` as passed are used), so the schedule and the terms change together or not at
    all. Paid instalments never change. A year already paid for whose amount changed gets an
    adjustment, due today, whose note says why (`reason`, when given, is added to it). Raises
    ValidationError when paid instalments fall outside the term.
    """
    # Hold the agreement's row so two recomputes of one schedule never interleave.
    list(Agreement.objects.select_for_update(of=("self",)).filter(pk=agreement.pk).values_list("pk", flat=True))
    before = _snapshot_of_schedule(agreement)
    plan = plan_for(agreement)
    if plan is None:
        Instalment.objects.filter(agreement=agreement, paid_on__isnull=True, is_adjustment=False).delete()
        _record_change(actor, agreement, before)
        return list(Instalment.objects.filter(agreement=agreement))
    existing = list(Instalment.objects.filter(agreement=agreement))
    paid = sorted(
        (item for item in existing if item.paid_on is not None and not item.is_adjustment),
        key=lambda item: item.period_start,
    )
    adjustments = [item for item in existing if item.is_adjustment]
    _check_paid_fit_the_term(agreement, paid)
    stray = [item for item in adjustments if item.financial_year not in plan.yearly]
    if any(item.paid_on is not None for item in stray):
        raise ValidationError({"end_date": "An adjustment has been paid for a year outside the new term"})
    settlement = _settle_years(agreement, plan, paid, [item for item in adjustments if item not in stray], reason)
    unpaid = _unpaid_instalments(agreement, paid, settlement.regular_amounts)

    # Unpaid instalments that come out the same are kept as they are, so a recompute that
    # changes nothing (a rate for a month this agreement does not use) changes no rows.
    to_delete = [item.pk for item in stray] + settlement.removed_adjustments
    unchanged: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for row in existing:
        if row.paid_on is None and not row.is_adjustment:
            unchanged[_key(row)].append(row.pk)
    fresh: list[Instalment] = []
    for planned in unpaid:
        if unchanged[_key(planned)]:
            unchanged[_key(planned)].pop()
            continue
        fresh.append(
            Instalment(
                agreement=agreement,
                due_on=planned.due_on,
                period_start=planned.period_start,
                period_end=planned.period_end,
                financial_year=planned.financial_year,
                amount=planned.amount,
            )
        )
    to_delete += [pk for pks in unchanged.values() for pk in pks]
    Instalment.objects.filter(pk__in=to_delete).delete()
    for item in Instalment.objects.bulk_create(fresh + settlement.new_adjustments):
        if item.is_adjustment:
            for scope in _scopes(agreement):
                audit.record_create(actor=actor, instance=item, **scope)
    _record_change(actor, agreement, before)
    return list(Instalment.objects.filter(agreement=agreement))


def _record_change(actor: User | None, agreement: Agreement, before: list[tuple[str, str, bool]]) -> None:
    after = _snapshot_of_schedule(agreement)
    if after == before:
        return
    total_before = sum((Decimal(amount) for _, amount, _ in before), ZERO)
    total_after = sum((Decimal(amount) for _, amount, _ in after), ZERO)
    changes = {
        "payment_schedule": [
            f"{len(before)} instalments, {format_gbp(total_before)}",
            f"{len(after)} instalments, {format_gbp(total_after)}",
        ]
    }
    for scope in _scopes(agreement):
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=agreement,
            changes=changes,
            label=f"{agreement.reference}: payment schedule",
            **scope,
        )


# ---- Payments -----------------------------------------------------------------------------


@transaction.atomic
def mark_instalment_paid(*, actor: User, instalment: Instalment, paid_on: datetime.date | None = None) -> Instalment:
    """Record that the funder has paid an instalment, today unless `paid_on` says otherwise.

    Regular instalments are paid in order; an adjustment may be settled at any time. Refused
    before both parties have signed, for an instalment already marked paid, and for a payment
    date in the future.
    """
    today = timezone.localdate()
    if paid_on is not None and paid_on > today:
        raise ValidationError({"paid_on": "The date it was paid must be today or in the past"})
    agreement = guards.lock(instalment.agreement)
    locked = Instalment.objects.select_for_update().filter(pk=instalment.pk, agreement=agreement).first()
    if locked is None:
        raise ValidationError(
            "This instalment is no longer in the payment schedule because the schedule has changed. "
            "Check the schedule and try again."
        )
    if not agreement.is_signed:
        raise ValidationError("Instalments can be marked as paid once both parties have signed the agreement.")
    if locked.paid_on is not None:
        raise ValidationError(f"This instalment was already marked as paid on {_long_date(locked.paid_on)}.")
    if not locked.is_adjustment:
        earlier = (
            Instalment.objects.filter(
                agreement=agreement,
                is_adjustment=False,
                paid_on__isnull=True,
                period_start__lt=locked.period_start,
            )
            .order_by("period_start")
            .first()
        )
        if earlier is not None:
            raise ValidationError(
                f"Mark the instalment due on {_long_date(earlier.due_on)} as paid first. Instalments are paid in order."
            )
    before = audit.snapshot(locked, ["paid_on", "paid_by"])
    locked.paid_on = paid_on or today
    locked.paid_by = actor
    locked.save(update_fields=["paid_on", "paid_by"])
    for scope in _scopes(agreement):
        audit.record_update(actor=actor, instance=locked, before=before, **scope)
    return locked
