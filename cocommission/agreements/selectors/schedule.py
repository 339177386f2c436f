"""Reads for the agreement page's indexation and schedule sections, the full schedule page,
and the index values page."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from .. import indexation as rules
from ..models import Agreement, IndexValue, Instalment
from ..services.schedule import ZERO, PaymentPlan, index_values_for, percent_text, plan_for


@dataclass
class ScheduleYear:
    label: str
    instalments: list[Instalment] = field(default_factory=list)
    total: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def count(self) -> int:
        return len(self.instalments)

    @property
    def to_pay(self) -> Decimal:
        return self.total - self.paid


@dataclass(frozen=True)
class RealTermsYear:
    label: str
    amount: Decimal
    reference_month: datetime.date
    rate: Decimal
    estimated: bool
    real: Decimal
    erosion: Decimal  # cumulative, in pounds

    @property
    def rate_text(self) -> str:
        return percent_text(self.rate)


def schedule_years(instalments: list[Instalment]) -> list[ScheduleYear]:
    """Instalments grouped by financial year, each year's adjustments after its regular ones."""
    years: dict[str, ScheduleYear] = {}
    ordered = sorted(instalments, key=lambda i: (i.financial_year, i.is_adjustment, i.period_start, i.due_on, i.pk))
    for item in ordered:
        year = years.setdefault(item.financial_year, ScheduleYear(item.financial_year))
        year.instalments.append(item)
        year.total += item.amount
        if item.paid_on is not None:
            year.paid += item.amount
    return list(years.values())


def payable_ids(agreement: Agreement, instalments: list[Instalment]) -> set[int]:
    """The instalments the funder may mark paid now: the earliest unpaid regular one and any
    unpaid adjustment, once both parties have signed."""
    if not agreement.is_signed:
        return set()
    unpaid = [item for item in instalments if item.paid_on is None]
    ids = {item.pk for item in unpaid if item.is_adjustment}
    regular = sorted((item for item in unpaid if not item.is_adjustment), key=lambda i: i.period_start)
    if regular:
        ids.add(regular[0].pk)
    return ids


def _cpi_for_year(label: str, cpi: Mapping[datetime.date, Decimal]) -> tuple[datetime.date, bool]:
    """The month whose 12-month rate stands for a financial year's inflation, and whether it is
    an estimate. The rate for March covers April to March, exactly the year; until March is
    published, the latest rate published within the year is the best measure. A year with no
    rate of its own borrows the latest one published before it ends (or the latest of all),
    and is marked estimated."""
    first = datetime.date(int(label[:4]), 4, 1)
    last = datetime.date(int(label[:4]) + 1, 3, 1)
    within = [month for month in cpi if first <= month <= last]
    if within:
        return max(within), False
    before = [month for month in cpi if month <= last]
    return max(before or cpi), True


def real_terms_years(yearly: Mapping[str, Decimal], cpi: Mapping[datetime.date, Decimal]) -> list[RealTermsYear]:
    """Each financial year's amount at the prices of the start, and the cumulative loss.

    A year's inflation is the latest CPI 12-month rate published within it (the rate for
    March, which covers the whole year, once it is out); a year with none borrows the latest
    rate published before it ends and is marked estimated. Empty when no CPI rate has been
    published at all.
    """
    if not cpi or not yearly:
        return []
    labels = list(yearly)
    chosen = [_cpi_for_year(label, cpi) for label in labels]
    months = [month for month, _ in chosen]
    rates = [cpi[month] for month in months]
    amounts = [yearly[label] for label in labels]
    real = rules.real_terms(amounts=amounts, inflation_rates=rates)
    lost = rules.erosion_by_year(amounts=amounts, inflation_rates=rates)
    return [
        RealTermsYear(
            label=label,
            amount=amount,
            reference_month=month,
            rate=rate,
            estimated=estimated,
            real=real_amount,
            erosion=loss,
        )
        for label, amount, (month, estimated), rate, real_amount, loss in zip(
            labels, amounts, chosen, rates, real, lost, strict=True
        )
    ]


def _indexation_summary(agreement: Agreement, plan: PaymentPlan | None) -> dict[str, Any]:
    kind = agreement.index_kind
    return {
        "indexation_kind_label": Agreement.IndexKind(kind).label,
        "indexation_is_indexed": kind != Agreement.IndexKind.NONE,
        "indexation_uses_index": kind in (Agreement.IndexKind.CPI, Agreement.IndexKind.CPIH),
        "indexation_index_name": {"cpi": "CPI", "cpih": "CPIH"}.get(kind, ""),
        "indexation_fixed_rate_text": percent_text(agreement.index_fixed_rate),
        "indexation_floor_text": percent_text(agreement.index_floor),
        "indexation_cap_text": percent_text(agreement.index_cap),
        "indexation_periods": plan.periods if plan is not None else [],
        "indexation_total": plan.total if plan is not None else None,
        "indexation_uplift": (plan.total - agreement.value) if plan is not None else None,
        "indexation_waiting": bool(plan and any(not period.published for period in plan.periods)),
    }


def schedule_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the indexation and schedule sections of the agreement page need:
    a fixed number of queries whatever the number of instalments."""
    instalments = list(Instalment.objects.filter(agreement=agreement))
    years = schedule_years(instalments)
    plan = plan_for(agreement)
    context: dict[str, Any] = {
        "schedule_years": years,
        "schedule_instalments": instalments,
        "schedule_total": sum((year.total for year in years), ZERO),
        "schedule_paid": sum((year.paid for year in years), ZERO),
        "schedule_payable_ids": payable_ids(agreement, instalments),
        "schedule_has_adjustments": any(item.is_adjustment for item in instalments),
        **_indexation_summary(agreement, plan),
        "real_terms_years": [],
        "real_terms_erosion": None,
        "real_terms_estimated": False,
    }
    if agreement.index_kind == Agreement.IndexKind.NONE:
        yearly = {year.label: year.total for year in years} if years else (plan.yearly if plan else {})
        rows = real_terms_years(yearly, index_values_for(Agreement.IndexKind.CPI))
        context["real_terms_years"] = rows
        context["real_terms_erosion"] = rows[-1].erosion if rows else None
        context["real_terms_estimated"] = any(row.estimated for row in rows)
    return context


def index_values_list() -> QuerySet[IndexValue]:
    """Every published value, newest month first within each index, for the admins' page."""
    return IndexValue.objects.select_related("created_by").order_by("index", "-month", "-id")
