"""Inflation indexation of an agreement's yearly value: pure functions, no database.

Rates are percentages as `Decimal` (Decimal("7.0") means 7%). Money is `Decimal` pounds, rounded to the
penny with ROUND_HALF_UP once per year, so every figure a person sees can be checked by hand.

Which index value an uplift uses
--------------------------------
An agreement's value is fixed at prices of its *base month*. The first uplift takes effect on the
*anniversary* and uses the 12-month rate published for the base month one year on; each later uplift (on
the anniversary in later years) uses the base month a further year on. So with a base month of March 2021
and an anniversary of 1 April 2022, the uplifts of April 2022, 2023 and 2024 use the 12-month rates for
March 2022, 2023 and 2024: the month before each uplift. The anniversary must fall after that reference
month, because a rate cannot be used before the month it describes has ended.

A published rate is then clamped to the floor and cap. When the reference month has no value yet, there is
no uplift (not even the floor): the figure is simply not known yet, and the schedule is recomputed when it
arrives.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from cocommission.core.money import to_pence

HUNDRED = Decimal(100)


class IndexKind(StrEnum):
    CPI = "cpi"
    CPIH = "cpih"
    FIXED = "fixed"
    NONE = "none"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS: Mapping[IndexKind, str] = {
    IndexKind.CPI: "Consumer prices index (CPI)",
    IndexKind.CPIH: "CPI including owner occupiers' housing costs (CPIH)",
    IndexKind.FIXED: "A fixed percentage each year",
    IndexKind.NONE: "No indexation",
}


# ONS CPI 12-month rates (percent) loaded by the demo; keyed by the first day of the month they describe.
DEMO_CPI: Mapping[datetime.date, Decimal] = {
    datetime.date(2021, 3, 1): Decimal("0.7"),
    datetime.date(2022, 3, 1): Decimal("7.0"),
    datetime.date(2022, 4, 1): Decimal("9.0"),
    datetime.date(2022, 12, 1): Decimal("10.5"),
    datetime.date(2023, 4, 1): Decimal("8.7"),
    datetime.date(2024, 3, 1): Decimal("3.2"),
    datetime.date(2024, 4, 1): Decimal("2.3"),
    datetime.date(2025, 4, 1): Decimal("3.5"),
}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a year that is not a leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _percent_in_range(value: Decimal | None, name: str) -> None:
    if value is not None and not (Decimal(0) <= value <= HUNDRED):
        raise ValueError(f"The {name} must be between 0% and 100%")


@dataclass(frozen=True)
class Indexation:
    kind: IndexKind
    base_month: datetime.date
    anniversary: datetime.date
    fixed_rate: Decimal | None = None
    floor: Decimal | None = None
    cap: Decimal | None = None

    def __post_init__(self) -> None:
        if self.base_month.day != 1:
            raise ValueError("The base month must be the first day of a month")
        if self.kind == IndexKind.FIXED and self.fixed_rate is None:
            raise ValueError("Enter the fixed percentage for each uplift")
        if self.kind != IndexKind.FIXED and self.fixed_rate is not None:
            raise ValueError("Only a fixed percentage indexation can have a fixed rate")
        if self.kind == IndexKind.NONE and (self.floor is not None or self.cap is not None):
            raise ValueError("An agreement with no indexation cannot have a floor or a cap")
        _percent_in_range(self.fixed_rate, "fixed rate")
        _percent_in_range(self.floor, "floor")
        _percent_in_range(self.cap, "cap")
        if self.floor is not None and self.cap is not None and self.cap < self.floor:
            raise ValueError("The cap must be the same as or higher than the floor")
        first_reference = add_years(self.base_month, 1)
        if self.anniversary.replace(day=1) <= first_reference:
            raise ValueError(f"The uplift anniversary must be after {first_reference:%B %Y}")

    def clamp(self, rate: Decimal) -> Decimal:
        if self.floor is not None and rate < self.floor:
            return self.floor
        if self.cap is not None and rate > self.cap:
            return self.cap
        return rate


def uplifts_before(indexation: Indexation, on: datetime.date) -> int:
    """How many uplifts have taken effect on or before `on` (0 before the first anniversary)."""
    if on < indexation.anniversary:
        return 0
    count = on.year - indexation.anniversary.year + 1
    if on < add_years(indexation.anniversary, count - 1):
        count -= 1
    return count


def reference_month(indexation: Indexation, on: datetime.date) -> datetime.date | None:
    """The month whose 12-month rate sets the uplift in force on `on`; None before the first uplift."""
    count = uplifts_before(indexation, on)
    if count == 0:
        return None
    return add_years(indexation.base_month, count)


def uplift_rate(indexation: Indexation, index_values: Mapping[datetime.date, Decimal], on: datetime.date) -> Decimal:
    """The percentage of the latest uplift in force on `on`, after the floor and cap.

    0 before the first anniversary, for no indexation, and while the reference month has no published value.
    """
    if indexation.kind == IndexKind.NONE:
        return Decimal(0)
    month = reference_month(indexation, on)
    if month is None:
        return Decimal(0)
    if indexation.kind == IndexKind.FIXED:
        assert indexation.fixed_rate is not None  # __post_init__ guarantees it
        return indexation.clamp(indexation.fixed_rate)
    published = index_values.get(month)
    if published is None:
        return Decimal(0)
    return indexation.clamp(published)


def apply_uplift(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` raised by `rate` percent, rounded to the penny."""
    with localcontext() as ctx:
        ctx.prec = 50
        return to_pence(amount * (HUNDRED + rate) / HUNDRED)


def yearly_values(
    *,
    base_amount: Decimal,
    years: int,
    indexation: Indexation,
    index_values: Mapping[datetime.date, Decimal],
) -> list[Decimal]:
    """The value of each agreement year: year 1 is the base amount, and each later year is the year before
    raised by the uplift taking effect on that year's anniversary (year 2 starts on the first anniversary).

    Each year is rounded to the penny before the next uplift, so the figures compound exactly as printed.
    """
    if years < 1:
        raise ValueError("An agreement must last at least 1 year")
    values = [to_pence(base_amount)]
    for year in range(1, years):
        rate = uplift_rate(indexation, index_values, add_years(indexation.anniversary, year - 1))
        values.append(apply_uplift(values[-1], rate))
    return values


def _check_lengths(amounts: Sequence[Decimal], inflation_rates: Sequence[Decimal]) -> None:
    if len(amounts) != len(inflation_rates):
        raise ValueError("Give one inflation rate for each year")
    if any(rate <= -HUNDRED for rate in inflation_rates):
        raise ValueError("Inflation rates must be more than -100%")


def real_terms(*, amounts: Sequence[Decimal], inflation_rates: Sequence[Decimal]) -> list[Decimal]:
    """Each year's amount at the prices of the agreement's start, to the penny.

    Year n is deflated by the compounded inflation of years 1 to n (inflation_rates[i] is year i+1's rate,
    in percent), so even year 1 is shown after that year's inflation.
    """
    _check_lengths(amounts, inflation_rates)
    result: list[Decimal] = []
    with localcontext() as ctx:
        ctx.prec = 60
        price_level = Decimal(1)
        for amount, rate in zip(amounts, inflation_rates, strict=True):
            price_level = price_level * (HUNDRED + rate) / HUNDRED
            result.append(to_pence(amount / price_level))
    return result


def erosion_by_year(*, amounts: Sequence[Decimal], inflation_rates: Sequence[Decimal]) -> list[Decimal]:
    """The cumulative loss in pounds, year by year: running total of nominal minus real-terms value."""
    real = real_terms(amounts=amounts, inflation_rates=inflation_rates)
    running = Decimal("0.00")
    result: list[Decimal] = []
    for amount, real_amount in zip(amounts, real, strict=True):
        running += to_pence(amount) - real_amount
        result.append(running)
    return result


def erosion(*, amounts: Sequence[Decimal], inflation_rates: Sequence[Decimal]) -> Decimal:
    """The total loss in pounds over the agreement: nominal total minus real-terms total, to the penny.

    Negative only when prices fall (a negative rate).
    """
    by_year = erosion_by_year(amounts=amounts, inflation_rates=inflation_rates)
    return by_year[-1] if by_year else Decimal("0.00")
