"""The rules a proposed variation must meet, with errors keyed by the form's fields, and the
small reads they need. services/variations.py runs them when a variation is proposed."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Sum

from ..models import Agreement, BudgetLine, Instalment, Variation
from ..selectors.changes import matching_line

Kind = Variation.Kind
HUNDRED = Decimal(100)
REASON_MAX_LENGTH = 2000
# The form field that carries each kind's main answer: the budget check's error lands there.
MAIN_FIELD = {
    Kind.VALUE: "new_value",
    Kind.END_DATE: "new_end_date",
    Kind.SCOPE: "new_scope",
    Kind.BUDGET: "budget_amount",
    Kind.TYPE: "new_type",
}


@dataclass(frozen=True)
class Proposal:
    """What a variation would set. Only the fields of its kind are read."""

    new_value: Decimal | None = None
    new_end_date: datetime.date | None = None
    new_scope: str = ""
    new_type: str = ""
    new_vat_rate: Decimal | None = None
    budget_year: int | None = None
    budget_category: str = ""
    budget_description: str = ""
    budget_amount: Decimal | None = None


def paid_so_far(agreement: Agreement) -> tuple[Decimal, datetime.date | None]:
    """The total already paid, and the end of the last period paid for."""
    paid = Instalment.objects.filter(agreement=agreement, paid_on__isnull=False).aggregate(
        total=Sum("amount"), last=Max("period_end")
    )
    return paid["total"] or Decimal(0), paid["last"]


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_value(agreement: Agreement, proposal: Proposal) -> dict[str, str]:
    value = proposal.new_value
    if value is None:
        return {"new_value": "Enter the new value"}
    if value <= 0:
        return {"new_value": "The new value must be more than £0"}
    if value == agreement.value:
        return {"new_value": f"The new value is the same as the current value, £{agreement.value:,.2f}"}
    paid, _ = paid_so_far(agreement)
    if value < paid:
        return {"new_value": f"£{paid:,.2f} has already been paid. The new value cannot be less than that"}
    return {}


def _check_end_date(agreement: Agreement, proposal: Proposal) -> dict[str, str]:
    end = proposal.new_end_date
    if end is None:
        return {"new_end_date": "Enter the new end date"}
    if agreement.start_date is not None and end <= agreement.start_date:
        return {"new_end_date": f"The new end date must be after the start date, {long_date(agreement.start_date)}"}
    if end == agreement.end_date:
        return {"new_end_date": "The new end date is the same as the current end date"}
    _, last_paid = paid_so_far(agreement)
    if last_paid is not None and end < last_paid:
        return {
            "new_end_date": f"Payments have been made for the period up to {long_date(last_paid)}. "
            "The new end date must be on or after that date"
        }
    return {}


def _check_scope(agreement: Agreement, proposal: Proposal) -> dict[str, str]:
    scope = proposal.new_scope.strip()
    if not scope:
        return {"new_scope": "Enter the new scope"}
    if scope == agreement.scope.strip():
        return {"new_scope": "The new scope is the same as the current scope"}
    return {}


def _check_budget(agreement: Agreement, proposal: Proposal) -> dict[str, str]:
    problems: dict[str, str] = {}
    year = proposal.budget_year
    if year is None:
        problems["budget_year"] = "Enter the agreement year"
    elif not 1 <= year <= agreement.term_years:
        problems["budget_year"] = f"The year must be between 1 and {agreement.term_years}"
    if proposal.budget_category not in BudgetLine.Category.values:
        problems["budget_category"] = "Select the budget category"
    if not proposal.budget_description.strip():
        problems["budget_description"] = "Enter a description of the budget line"
    elif len(proposal.budget_description.strip()) > 200:
        problems["budget_description"] = "The description must be 200 characters or fewer"
    amount = proposal.budget_amount
    if amount is None:
        problems["budget_amount"] = "Enter the new amount for the line"
    elif amount < 0:
        problems["budget_amount"] = "The amount must be £0 or more"
    if problems:
        return problems
    probe = Variation(
        kind=Kind.BUDGET,
        budget_year=year,
        budget_category=proposal.budget_category,
        budget_description=proposal.budget_description,
    )
    line = matching_line(BudgetLine.objects.filter(agreement=agreement), probe)
    category = BudgetLine.Category(proposal.budget_category).label.lower()
    if line is None and amount == 0:
        return {
            "budget_description": f"There is no year {year} {category} line called "
            f"“{proposal.budget_description.strip()}” to remove"
        }
    if line is not None and line.amount == amount:
        return {"budget_amount": f"The year {year} {category} line is already £{amount:,.2f}"}
    return {}


def _check_type(agreement: Agreement, proposal: Proposal) -> dict[str, str]:
    new_type, rate = proposal.new_type, proposal.new_vat_rate
    if new_type not in (Agreement.Type.GRANT, Agreement.Type.CONTRACT):
        return {"new_type": "Select whether the agreement should be a grant or a contract"}
    if new_type == Agreement.Type.CONTRACT:
        if rate is None:
            return {"new_vat_rate": "Enter the VAT rate for the contract"}
        if not Decimal(0) <= rate <= HUNDRED:
            return {"new_vat_rate": "The VAT rate must be between 0% and 100%"}
    else:
        rate = None
    if new_type == agreement.agreement_type and (new_type == Agreement.Type.GRANT or rate == agreement.vat_rate):
        return {"new_type": f"The agreement is already a {Agreement.Type(new_type).name.lower()} on these terms"}
    return {}


def proposal_problems(agreement: Agreement, kind: str, reason: str, proposal: Proposal) -> dict[str, str]:
    """Every problem with a proposal, keyed by form field; empty when it may be made."""
    if kind not in Kind.values:
        return {"kind": "Select what you want to change"}
    problems = CHECKS[Kind(kind)](agreement, proposal)
    if not reason.strip():
        problems["reason"] = "Enter the reason for the variation"
    elif len(reason.strip()) > REASON_MAX_LENGTH:
        problems["reason"] = f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"
    return problems


CHECKS = {
    Kind.VALUE: _check_value,
    Kind.END_DATE: _check_end_date,
    Kind.SCOPE: _check_scope,
    Kind.BUDGET: _check_budget,
    Kind.TYPE: _check_type,
}


def unsaved_variation(agreement: Agreement, kind: str, reason: str, proposal: Proposal) -> Variation:
    contract = proposal.new_type == Agreement.Type.CONTRACT
    by_kind: dict[str, dict[str, Any]] = {
        Kind.VALUE: {"new_value": proposal.new_value},
        Kind.END_DATE: {"new_end_date": proposal.new_end_date},
        Kind.SCOPE: {"new_scope": proposal.new_scope.strip()},
        Kind.TYPE: {"new_type": proposal.new_type, "new_vat_rate": proposal.new_vat_rate if contract else None},
        Kind.BUDGET: {
            "budget_year": proposal.budget_year,
            "budget_category": proposal.budget_category,
            "budget_description": proposal.budget_description.strip(),
            "budget_amount": proposal.budget_amount,
        },
    }
    return Variation(agreement=agreement, kind=kind, reason=reason.strip(), **by_kind[kind])
