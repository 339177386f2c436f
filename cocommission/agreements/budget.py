"""Full cost recovery budgets: pure functions, no database.

An organisation's overhead rate is its annual core costs ÷ its total direct costs, as a ratio (0.1850 is
18.5p of core costs for every £1 of direct costs). A budget's core share is its direct costs × that rate.
When a funder caps overheads (a ratio in the same units), the provider carries the gap; it is shown in
pounds per year and in total so nobody has to work it out.

Money is `Decimal` pounds rounded to the penny with ROUND_HALF_UP.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError

from cocommission.core.money import allocate, to_pence

RATE_PLACES = Decimal("0.0001")
ZERO = Decimal("0.00")

K = TypeVar("K", bound=Hashable)


def format_pounds(amount: Decimal) -> str:
    """£1,234.56 — pence always shown, as on a budget."""
    return f"£{to_pence(amount):,.2f}"


class BudgetCategory(StrEnum):
    STAFF = "staff"
    VOLUNTEER_EXPENSES = "volunteer_expenses"
    PREMISES = "premises"
    EQUIPMENT = "equipment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class BudgetLine:
    year: int
    category: BudgetCategory
    amount: Decimal

    def __post_init__(self) -> None:
        if self.year < 1:
            raise ValueError("The budget year must be 1 or more")
        if self.amount < 0:
            raise ValueError("The amount must be £0 or more")


def direct_by_year(lines: Iterable[BudgetLine]) -> dict[int, Decimal]:
    """Direct costs per agreement year, in year order, to the penny."""
    totals: dict[int, Decimal] = {}
    for line in lines:
        totals[line.year] = totals.get(line.year, ZERO) + to_pence(line.amount)
    return dict(sorted(totals.items()))


def overhead_rate(annual_core_costs: Decimal, total_direct_costs: Decimal) -> Decimal:
    """Core costs ÷ direct costs as a ratio to 4 decimal places (ROUND_HALF_UP)."""
    if total_direct_costs <= 0:
        raise ValueError("Total direct costs must be more than £0")
    if annual_core_costs < 0:
        raise ValueError("Annual core costs must be £0 or more")
    return (annual_core_costs / total_direct_costs).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class YearCost:
    direct: Decimal
    core_full: Decimal
    core_funded: Decimal

    @property
    def gap(self) -> Decimal:
        return self.core_full - self.core_funded

    @property
    def funded_total(self) -> Decimal:
        return self.direct + self.core_funded

    @property
    def full_total(self) -> Decimal:
        return self.direct + self.core_full


@dataclass(frozen=True)
class FullCost(Generic[K]):
    rate: Decimal
    funded_rate: Decimal
    years: dict[K, YearCost]

    @property
    def direct(self) -> Decimal:
        return sum((y.direct for y in self.years.values()), ZERO)

    @property
    def core_full(self) -> Decimal:
        return sum((y.core_full for y in self.years.values()), ZERO)

    @property
    def core_funded(self) -> Decimal:
        return sum((y.core_funded for y in self.years.values()), ZERO)

    @property
    def gap(self) -> Decimal:
        """Total gap: the sum of the yearly gaps, so the page's columns add up."""
        return sum((y.gap for y in self.years.values()), ZERO)

    @property
    def funded_total(self) -> Decimal:
        return self.direct + self.core_funded

    @property
    def full_total(self) -> Decimal:
        return self.direct + self.core_full


def full_cost(
    direct_by_year: Mapping[K, Decimal],
    rate: Decimal,
    cap: Decimal | None = None,
    *,
    award: Decimal | None = None,
) -> FullCost[K]:
    """Each year's direct costs, the core share at the full rate, and the core share the funder pays.

    The funder pays the core share at `cap` when it is below the full rate. When `award` is given, a
    funded budget above it is refused with a ValidationError.
    """
    if rate < 0:
        raise ValueError("The overhead rate must be 0 or more")
    if cap is not None and cap < 0:
        raise ValueError("The overhead cap must be 0 or more")
    funded_rate = rate if cap is None else min(rate, cap)
    years: dict[K, YearCost] = {}
    for year, direct in direct_by_year.items():
        if direct < 0:
            raise ValueError("Direct costs must be £0 or more")
        direct = to_pence(direct)
        years[year] = YearCost(
            direct=direct,
            core_full=to_pence(direct * rate),
            core_funded=to_pence(direct * funded_rate),
        )
    result = FullCost(rate=rate, funded_rate=funded_rate, years=years)
    if award is not None:
        ensure_within_award(budget=result.funded_total, award=award)
    return result


def ensure_within_award(*, budget: Decimal, award: Decimal) -> None:
    """Refuse a budget that asks for more than the award."""
    if to_pence(budget) > to_pence(award):
        raise ValidationError(
            {"budget": f"The budget of {format_pounds(budget)} is more than the award of {format_pounds(award)}"}
        )


def split_by_member(amount: Decimal, shares: Mapping[K, Decimal | int]) -> dict[K, Decimal]:
    """Split `amount` across consortium members in proportion to their shares, exact to the penny.

    Uses core.money.allocate (largest remainder; spare pennies to the largest remainders, ties to the member
    listed first), so the parts always add up to the amount. Checked here first for plain-English messages.
    """
    if not shares:
        raise ValueError("Add at least one member to split the budget")
    if any(share < 0 for share in shares.values()):
        raise ValueError("Each member's share must be 0 or more")
    if not any(shares.values()):
        raise ValueError("At least one member must have a share more than 0")
    parts = allocate(to_pence(amount), [Decimal(share) for share in shares.values()])
    return dict(zip(shares, parts, strict=True))


def split_budget_by_member(budget: FullCost[K], shares: Mapping[str, Decimal | int]) -> dict[K, dict[str, Decimal]]:
    """Each year's funded total split across members, exact per year (so also exact in total)."""
    return {year: split_by_member(cost.funded_total, shares) for year, cost in budget.years.items()}
