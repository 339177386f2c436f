"""Payment schedules: pence-exact instalments for an agreement's term, year by financial year.

Choices, so everyone reads a schedule the same way:

- The term (start to end, both inclusive) is cut at each 1 April into financial-year portions.
  No instalment ever covers days in two financial years.
- Periods follow the calendar, not the agreement's start day: monthly periods are calendar
  months and quarterly periods are the financial-year quarters (April–June, July–September,
  October–December, January–March). This keeps instalments in step with the funder's finance
  periods. The first and last periods of a portion may be part periods.
- Monthly, quarterly and annual instalments are paid in arrears, due on the last day of their
  period. In advance means one instalment per financial-year portion, due on its first day.
- A year's amount is shared over its periods by weight: a full period weighs 1 and a part
  period weighs its days ÷ the days of the full period (so twelve full months get equal
  instalments, not instalments that vary with the length of the month). When only a total is
  given, it is shared between financial years by the days of the term in each.
- Every split goes through `allocate`, so each year's instalments add up exactly to that
  year's amount and the years add up exactly to the total.
"""

import datetime
import enum
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cocommission.core.dates import financial_year_start
from cocommission.core.money import allocate

ONE_DAY = datetime.timedelta(days=1)


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"
    IN_ADVANCE = "in_advance"


@dataclass(frozen=True)
class Instalment:
    due_on: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    amount: Decimal
    financial_year: str


@dataclass(frozen=True)
class YearPortion:
    """The days of the term that fall in one financial year."""

    financial_year: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def financial_year_label(day: datetime.date) -> str:
    """The financial year containing `day`, written like "2026-27"."""
    first = financial_year_start(day).year
    return f"{first}-{(first + 1) % 100:02d}"


def year_portions(start: datetime.date, end: datetime.date) -> list[YearPortion]:
    """The term cut at each 1 April, in order."""
    if end < start:
        raise ValueError("The end date must be on or after the start date")
    portions = []
    current = start
    while current <= end:
        fy_start = financial_year_start(current)
        fy_end = fy_start.replace(year=fy_start.year + 1) - ONE_DAY
        portion_end = min(fy_end, end)
        portions.append(YearPortion(financial_year_label(current), current, portion_end))
        current = portion_end + ONE_DAY
    return portions


def _month_after(day: datetime.date, months: int) -> datetime.date:
    # First day of the month `months` after the month of `day`.
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _periods(portion: YearPortion, frequency: Frequency) -> list[tuple[datetime.date, datetime.date, Fraction]]:
    """(period start, period end, weight) for each instalment in one portion."""
    if frequency in (Frequency.ANNUALLY, Frequency.IN_ADVANCE):
        return [(portion.start, portion.end, Fraction(1))]
    months = 1 if frequency is Frequency.MONTHLY else 3
    # Calendar quarters start in January, April, July and October, which are also the
    # financial-year quarters, so quarters never cross 1 April.
    first_month = portion.start.month - (portion.start.month - 1) % months
    full_start = datetime.date(portion.start.year, first_month, 1)
    periods = []
    while full_start <= portion.end:
        full_end = _month_after(full_start, months) - ONE_DAY
        start = max(full_start, portion.start)
        end = min(full_end, portion.end)
        weight = Fraction((end - start).days + 1, (full_end - full_start).days + 1)
        periods.append((start, end, weight))
        full_start = full_end + ONE_DAY
    return periods


def _year_instalments(portion: YearPortion, amount: Decimal, frequency: Frequency) -> list[Instalment]:
    periods = _periods(portion, frequency)
    amounts = allocate(amount, [weight for _, _, weight in periods])
    return [
        Instalment(
            due_on=start if frequency is Frequency.IN_ADVANCE else end,
            period_start=start,
            period_end=end,
            amount=part,
            financial_year=portion.financial_year,
        )
        for (start, end, _), part in zip(periods, amounts, strict=True)
    ]


def _check_amount(amount: object, what: str) -> Decimal:
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
        raise TypeError(f"{what} must be a Decimal, not {type(amount).__name__}")
    amount = Decimal(amount)
    if amount < 0:
        raise ValueError(f"{what} must not be negative")
    return amount


def yearly_split(
    portions: Sequence[YearPortion],
    *,
    yearly_amounts: Mapping[str, Decimal] | None,
    total: Decimal | None,
) -> dict[str, Decimal]:
    """Each portion's amount: the ones given, or the total shared by days."""
    labels = [portion.financial_year for portion in portions]
    if yearly_amounts is None:
        if total is None:
            raise ValueError("Give the yearly amounts or the total")
        shares = allocate(_check_amount(total, "The total"), [portion.days for portion in portions])
        return dict(zip(labels, shares, strict=True))
    if set(yearly_amounts) != set(labels):
        raise ValueError(f"Yearly amounts must be given for exactly these financial years: {', '.join(labels)}")
    amounts = {label: _check_amount(yearly_amounts[label], f"The amount for {label}") for label in labels}
    if total is not None and sum(amounts.values(), Decimal(0)) != _check_amount(total, "The total"):
        raise ValueError("The yearly amounts must add up to the total")
    return amounts


def build_schedule(
    *,
    start: datetime.date,
    end: datetime.date,
    yearly_amounts: Mapping[str, Decimal] | None = None,
    total: Decimal | None = None,
    frequency: Frequency | str,
) -> list[Instalment]:
    """The instalments for a term, in date order.

    Give `yearly_amounts` (keyed by financial year, like "2026-27", one for each year the term
    touches), or `total` (shared between years by days), or both when they agree. Amounts must be
    whole pence and not negative. Raises ValueError for an end before the start, missing or
    extra years, or amounts that disagree.
    """
    frequency = Frequency(frequency)
    portions = year_portions(start, end)
    amounts = yearly_split(portions, yearly_amounts=yearly_amounts, total=total)
    instalments: list[Instalment] = []
    for portion in portions:
        instalments.extend(_year_instalments(portion, amounts[portion.financial_year], frequency))
    return instalments


def rebuild_schedule(
    existing_paid: Sequence[Instalment],
    *,
    start: datetime.date,
    end: datetime.date,
    yearly_amounts: Mapping[str, Decimal] | None = None,
    total: Decimal | None = None,
    frequency: Frequency | str,
) -> list[Instalment]:
    """A new schedule that keeps the instalments already paid, unchanged and first.

    The paid instalments are taken to settle the term up to the end of the last paid period.
    What is still owed is scheduled from the next day to the end, by the same rules as
    `build_schedule`: with yearly amounts, each year's amount less what was paid in that year;
    with only a total, the total less everything paid, shared by the remaining days. So the
    years (paid plus unpaid) still add up exactly to their amounts and to the total.

    Raises ValueError when a paid instalment falls outside the term or overlaps another, when
    more has been paid than is now due (for a year or in total), or when a year that is already
    fully paid for would need a different amount (there is no instalment left in it to carry
    the difference; record that as a separate adjustment).
    """
    frequency = Frequency(frequency)
    paid = sorted(existing_paid, key=lambda instalment: instalment.period_start)
    if not paid:
        return build_schedule(start=start, end=end, yearly_amounts=yearly_amounts, total=total, frequency=frequency)
    portions = year_portions(start, end)
    for before, after in itertools.pairwise(paid):
        if after.period_start <= before.period_end:
            raise ValueError("Paid instalments must not overlap")
    for instalment in paid:
        if instalment.period_start < start or instalment.period_end > end:
            raise ValueError("Every paid instalment must fall inside the term")
    settled_to = paid[-1].period_end
    paid_by_year: dict[str, Decimal] = {}
    for instalment in paid:
        label = instalment.financial_year
        paid_by_year[label] = paid_by_year.get(label, Decimal(0)) + instalment.amount
    remaining = [
        YearPortion(portion.financial_year, max(portion.start, settled_to + ONE_DAY), portion.end)
        for portion in portions
        if portion.end > settled_to
    ]

    if yearly_amounts is None:
        if total is None:
            raise ValueError("Give the yearly amounts or the total")
        still_owed = _check_amount(total, "The total") - sum(paid_by_year.values(), Decimal(0))
        if still_owed < 0:
            raise ValueError("More has been paid than the new total")
        if not remaining:
            if still_owed:
                raise ValueError("The term is fully paid for; record the difference as an adjustment")
            return list(paid)
        owed = yearly_split(remaining, yearly_amounts=None, total=still_owed)
    else:
        amounts = yearly_split(portions, yearly_amounts=yearly_amounts, total=total)
        remaining_labels = {portion.financial_year for portion in remaining}
        owed = {}
        for label, amount in amounts.items():
            difference = amount - paid_by_year.get(label, Decimal(0))
            if difference < 0:
                raise ValueError(f"More has been paid for {label} than its new amount")
            if label in remaining_labels:
                owed[label] = difference
            elif difference:
                raise ValueError(f"{label} is fully paid for; record the difference as an adjustment")

    unpaid: list[Instalment] = []
    for portion in remaining:
        unpaid.extend(_year_instalments(portion, owed[portion.financial_year], frequency))
    return [*paid, *unpaid]
