"""Reads for the money parts of an agreement: the budget worked out on full cost recovery, the
consortium split, the grant-or-contract answers, and organisations' overhead rates."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cocommission.commissioning.models import ConsortiumMember
from cocommission.core.dates import financial_year_start
from cocommission.organisations.models import Organisation

from .. import budget as rules
from ..indexation import add_years
from ..models import Agreement, BudgetLine, OverheadRate

PERCENT = Decimal(100)


def financial_year_name(year: int) -> str:
    """2026 -> "2026-27", the way finance teams write it."""
    return f"{year}-{(year + 1) % 100:02d}"


def as_percent(ratio: Decimal | None) -> Decimal | None:
    """A ratio (0.1850) as a percentage to 2 places (18.50)."""
    return None if ratio is None else (ratio * PERCENT).quantize(Decimal("0.01"))


def rate_percent(rate: OverheadRate) -> Decimal:
    """An overhead rate as a percentage of direct costs (18.50 for 18.5%)."""
    ratio = rules.overhead_rate(rate.annual_core_costs, rate.total_direct_costs)
    return ratio * PERCENT


def overhead_rates_of(organisation: Organisation) -> QuerySet[OverheadRate]:
    """An organisation's overhead rates, newest year first."""
    return OverheadRate.objects.filter(organisation=organisation).order_by("-financial_year")


def overhead_rate_for_year(organisation: Organisation, financial_year: int) -> OverheadRate:
    """One year's overhead rate of an organisation already accessed, or 404."""
    rate = overhead_rates_of(organisation).filter(financial_year=financial_year).first()
    if rate is None:
        raise Http404("No overhead rate for that year.")
    return rate


def start_financial_year(agreement: Agreement) -> int | None:
    """The financial year the agreement starts in (2026 for 2026-27), when it has a start date."""
    if agreement.start_date is None:
        return None
    return financial_year_start(agreement.start_date).year


def provider_overhead_rate(agreement: Agreement) -> OverheadRate | None:
    """The provider's overhead rate for the financial year the agreement starts in; else its
    latest; None when it has not recorded one. Once both parties have signed, the figures kept
    at signature (not saved as a rate of their own)."""
    core, direct = agreement.signed_overhead_core, agreement.signed_overhead_direct
    if agreement.signed_overhead_year is not None and core is not None and direct is not None:
        return OverheadRate(
            organisation_id=agreement.provider_id,
            financial_year=agreement.signed_overhead_year,
            annual_core_costs=core,
            total_direct_costs=direct,
        )
    rates = list(OverheadRate.objects.filter(organisation_id=agreement.provider_id).order_by("-financial_year"))
    wanted = start_financial_year(agreement)
    for rate in rates:
        if rate.financial_year == wanted:
            return rate
    return rates[0] if rates else None


@dataclass(frozen=True)
class BudgetYear:
    number: int
    starts_on: datetime.date | None
    cost: rules.YearCost

    @property
    def label(self) -> str:
        if self.starts_on is None:
            return f"Year {self.number}"
        return f"Year {self.number} (from {self.starts_on.day} {self.starts_on:%B %Y})"


@dataclass(frozen=True)
class AgreementBudget:
    """The budget of an agreement as the page and the checks see it."""

    lines: list[BudgetLine]
    overhead: OverheadRate | None
    cap: Decimal | None
    cost: rules.FullCost[int]
    years: list[BudgetYear]
    value: Decimal
    start_year: int | None = None

    @property
    def rate_year(self) -> str:
        return financial_year_name(self.overhead.financial_year) if self.overhead is not None else ""

    @property
    def rate_not_for_start_year(self) -> bool:
        """The provider has no rate for the year the agreement starts, so its latest is used."""
        return (
            self.overhead is not None
            and self.start_year is not None
            and self.overhead.financial_year != self.start_year
        )

    @property
    def rate_percent(self) -> Decimal | None:
        return as_percent(self.cost.rate) if self.overhead is not None else None

    @property
    def cap_percent(self) -> Decimal | None:
        return as_percent(self.cap)

    @property
    def funded_rate_percent(self) -> Decimal | None:
        return as_percent(self.cost.funded_rate)

    @property
    def has_gap(self) -> bool:
        return self.cost.gap > 0

    @property
    def fits(self) -> bool:
        return self.cost.funded_total <= self.value

    @property
    def left_to_budget(self) -> Decimal:
        return self.value - self.cost.funded_total


def year_starts(agreement: Agreement, number: int) -> datetime.date | None:
    return None if agreement.start_date is None else add_years(agreement.start_date, number - 1)


def agreement_budget(
    agreement: Agreement, *, overhead: OverheadRate | None = None, lookup: bool = True
) -> AgreementBudget:
    """Direct costs by agreement year, the core share at the provider's full rate, the share the
    funder pays (capped), and the gap. Two queries: the lines and the provider's rates.

    Pass `overhead` (with lookup=False) to work the budget out with a rate not saved yet."""
    lines = list(BudgetLine.objects.filter(agreement=agreement).order_by("year", "category", "id"))
    if lookup:
        overhead = provider_overhead_rate(agreement)
    rate = (
        rules.overhead_rate(overhead.annual_core_costs, overhead.total_direct_costs)
        if overhead is not None
        else Decimal("0.0000")
    )
    direct = rules.direct_by_year(
        rules.BudgetLine(year=line.year, category=rules.BudgetCategory(line.category), amount=line.amount)
        for line in lines
    )
    last_year = max([agreement.term_years, *direct.keys()])
    every_year = {number: direct.get(number, rules.ZERO) for number in range(1, last_year + 1)}
    cost = rules.full_cost(every_year, rate, agreement.overhead_cap)
    years = [BudgetYear(number, year_starts(agreement, number), year_cost) for number, year_cost in cost.years.items()]
    return AgreementBudget(
        lines=lines,
        overhead=overhead,
        cap=agreement.overhead_cap,
        cost=cost,
        years=years,
        value=agreement.value,
        start_year=start_financial_year(agreement),
    )


@dataclass(frozen=True)
class MemberSplit:
    names: list[str]
    rows: list[tuple[BudgetYear, list[Decimal]]]
    totals: list[Decimal]
    problem: str = ""


def consortium_split(agreement: Agreement, budget: AgreementBudget) -> MemberSplit | None:
    """Each year's funded total split across the consortium's members by their budget shares in
    the accountability matrix, exact to the penny. None when the provider is not a consortium."""
    if agreement.consortium_id is None:
        return None
    members = list(
        ConsortiumMember.objects.filter(consortium_id=agreement.consortium_id)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
    names = [member.organisation.name for member in members]
    shares = {member.organisation.name: member.budget_share for member in members}
    try:
        split = rules.split_budget_by_member(budget.cost, shares)
    except ValueError:
        return MemberSplit(
            names=names,
            rows=[],
            totals=[],
            problem="The budget cannot be split yet: the consortium's members have no budget shares in "
            "the accountability matrix.",
        )
    rows = [(year, [split[year.number][name] for name in shares]) for year in budget.years]
    totals = [sum((parts[i] for _, parts in rows), rules.ZERO) for i in range(len(names))]
    return MemberSplit(names=names, rows=rows, totals=totals)


def vat_answers(agreement: Agreement) -> list[tuple[str, str]]:
    """The grant-or-contract questions with the answers given, for the agreement page."""
    return [
        ("Is the payment consideration for a supply to the funder?", agreement.get_vat_consideration_display()),
        ("Is there a direct link between the payment and the service?", agreement.get_vat_direct_link_display()),
        ("Who gets the benefit?", agreement.get_vat_beneficiary_display()),
        ("Are there conditions that make it a purchase?", agreement.get_vat_purchase_conditions_display()),
    ]


def budget_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the grant-or-contract and budget sections of the agreement page need."""
    budget = agreement_budget(agreement)
    return {
        "money_budget": budget,
        "money_split": consortium_split(agreement, budget),
        "money_vat_answers": vat_answers(agreement) if agreement.vat_tested_at else [],
        "money_start_year": financial_year_name(year) if (year := start_financial_year(agreement)) else "",
    }
