"""Writes for budgets (full cost recovery) and organisations' overhead rates.

Every budget write locks the agreement row first, so two people adding lines at the same time
cannot together push the budget past the agreement's value; the check runs after the write,
inside the same transaction, and a refusal leaves nothing saved.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.money import to_pence
from cocommission.core.versioning import ensure_unchanged
from cocommission.organisations.models import Organisation

from ..budget import format_pounds
from ..models import Agreement, BudgetLine, OverheadRate
from ..selectors.budget import agreement_budget, financial_year_name
from .guards import ensure_open_for_editing, lock

MAX_DESCRIPTION = 200
FIRST_YEAR, LAST_YEAR = 2000, 2100
OPEN_STATUSES = (Agreement.Status.DRAFT, Agreement.Status.OFFERED)


def funded_total_over_value(agreement: Agreement) -> Decimal | None:
    """The budget the funder would pay when it is more than the agreement's value, else None."""
    funded = agreement_budget(agreement).cost.funded_total
    return funded if to_pence(funded) > to_pence(agreement.value) else None


def budget_problem(agreement: Agreement) -> str:
    """The reason the budget does not fit the agreement's value, or "" when it fits."""
    funded = funded_total_over_value(agreement)
    if funded is None:
        return ""
    return (
        f"The budget of {format_pounds(funded)} is more than the agreement's value of {format_pounds(agreement.value)}"
    )


def check_budget_fits(agreement: Agreement) -> None:
    """Raise ValidationError({"budget": ...}) when the budget the funder pays (direct costs
    plus the funded core share) is more than the agreement's value. Call it after any change to
    the value, the budget lines or the overhead cap, inside the same transaction."""
    problem = budget_problem(agreement)
    if problem:
        raise ValidationError({"budget": problem})


def _fits_or_refuse(agreement: Agreement, field: str, advice: str) -> None:
    problem = budget_problem(agreement)
    if problem:
        raise ValidationError({field: f"{problem}. {advice}"})


def party_scopes(agreement: Agreement) -> list[dict[str, int | None]]:
    """Audit scopes: one per party, so both organisations' change histories show the change."""
    return [
        {"organisation_id": organisation_id, "partnership_id": agreement.partnership_id}
        for organisation_id in dict.fromkeys([agreement.funder_id, agreement.provider_id])
    ]


def _locked_open(agreement: Agreement) -> Agreement:
    locked = lock(agreement)
    ensure_open_for_editing(locked)
    return locked


def _check_line(
    *, agreement: Agreement, year: int | None, category: str, description: str, amount: Decimal | None
) -> tuple[int, Decimal]:
    errors: dict[str, str] = {}
    term = agreement.term_years
    if year is None or not 1 <= year <= term:
        errors["year"] = (
            "This agreement lasts 1 year: choose year 1"
            if term == 1
            else f"Choose a year of the agreement, from 1 to {term}"
        )
    if category not in BudgetLine.Category.values:
        errors["category"] = "Choose the kind of cost"
    if not description.strip():
        errors["description"] = "Enter a description of the cost, like ‘Support worker (0.8 full-time equivalent)’"
    elif len(description.strip()) > MAX_DESCRIPTION:
        errors["description"] = f"The description must be {MAX_DESCRIPTION} characters or fewer"
    if amount is None:
        errors["amount"] = "Enter the amount in pounds"
    elif amount < 0:
        errors["amount"] = "The amount must be £0 or more"
    elif amount != to_pence(amount):
        errors["amount"] = "Enter the amount in pounds and pence, like 20000.50"
    if errors or year is None or amount is None:
        raise ValidationError(errors)
    return year, amount


LINE_ADVICE = "Lower this amount or another line, or ask the funder to change the agreement's value."


@transaction.atomic
def add_budget_line(
    *,
    actor: User,
    agreement: Agreement,
    year: int | None,
    category: str,
    description: str,
    amount: Decimal | None,
) -> BudgetLine:
    """Add a direct cost to one year of the budget, while the agreement is open for editing.
    Refused when the budget would then be more than the agreement's value."""
    locked = _locked_open(agreement)
    year, amount = _check_line(agreement=locked, year=year, category=category, description=description, amount=amount)
    line = BudgetLine.objects.create(
        agreement=locked, year=year, category=category, description=description.strip(), amount=amount
    )
    _fits_or_refuse(locked, "amount", LINE_ADVICE)
    for scope in party_scopes(locked):
        audit.record_create(actor=actor, instance=line, **scope)
    return line


@transaction.atomic
def change_budget_line(
    *,
    actor: User,
    line: BudgetLine,
    year: int | None,
    category: str,
    description: str,
    amount: Decimal | None,
    version: str | None = None,
) -> BudgetLine:
    """Change a budget line, while the agreement is open for editing. Refused when the budget
    would then be more than the agreement's value."""
    locked = _locked_open(line.agreement)
    current = BudgetLine.objects.select_for_update().get(pk=line.pk, agreement=locked)
    ensure_unchanged(current, version)
    year, amount = _check_line(agreement=locked, year=year, category=category, description=description, amount=amount)
    before = audit.snapshot(current)
    current.year, current.category, current.description, current.amount = year, category, description.strip(), amount
    current.save()
    _fits_or_refuse(locked, "amount", LINE_ADVICE)
    for scope in party_scopes(locked):
        audit.record_update(actor=actor, instance=current, before=before, **scope)
    return current


@transaction.atomic
def remove_budget_line(*, actor: User, line: BudgetLine) -> None:
    """Remove a budget line, while the agreement is open for editing. Removing a cost never
    makes the budget bigger, so it is never refused for the value."""
    locked = _locked_open(line.agreement)
    current = BudgetLine.objects.select_for_update().filter(pk=line.pk, agreement=locked).first()
    if current is None:
        return
    for scope in party_scopes(locked):
        audit.record_delete(actor=actor, instance=current, **scope)
    current.delete()


@transaction.atomic
def set_overhead_cap(
    *, actor: User, agreement: Agreement, cap_percent: Decimal | None, version: str | None = None
) -> Agreement:
    """Set (or with None, remove) the funder's cap on the core-cost share, as a percentage of
    direct costs. Refused when the budget would then be more than the agreement's value."""
    locked = _locked_open(agreement)
    ensure_unchanged(locked, version)
    if cap_percent is not None and not Decimal(0) <= cap_percent <= Decimal(100):
        raise ValidationError({"cap_percent": "The overhead cap must be between 0% and 100%"})
    if cap_percent is not None and cap_percent != cap_percent.quantize(Decimal("0.01")):
        raise ValidationError({"cap_percent": "Enter the cap with at most 2 decimal places, like 12.5"})
    before = audit.snapshot(locked, ["overhead_cap"])
    locked.overhead_cap = None if cap_percent is None else (cap_percent / 100).quantize(Decimal("0.0001"))
    locked.save(update_fields=["overhead_cap", "updated_at"])
    _fits_or_refuse(locked, "cap_percent", "Set a lower cap, or lower the budget lines first.")
    for scope in party_scopes(locked):
        audit.record_update(actor=actor, instance=locked, before=before, **scope)
    return locked


# ---- Overhead rates -----------------------------------------------------------------------------


def _check_rate(
    *, financial_year: int | None, annual_core_costs: Decimal | None, total_direct_costs: Decimal | None
) -> None:
    errors: dict[str, str] = {}
    if financial_year is None or not FIRST_YEAR <= financial_year <= LAST_YEAR:
        errors["financial_year"] = f"Enter the year the financial year starts, from {FIRST_YEAR} to {LAST_YEAR}"
    if annual_core_costs is None:
        errors["annual_core_costs"] = "Enter the annual core costs"
    elif annual_core_costs < 0:
        errors["annual_core_costs"] = "Annual core costs must be £0 or more"
    elif annual_core_costs != to_pence(annual_core_costs):
        errors["annual_core_costs"] = "Enter the annual core costs in pounds and pence, like 37000.50"
    if total_direct_costs is None:
        errors["total_direct_costs"] = "Enter the total direct costs"
    elif total_direct_costs <= 0:
        errors["total_direct_costs"] = "Total direct costs must be more than £0"
    elif total_direct_costs != to_pence(total_direct_costs):
        errors["total_direct_costs"] = "Enter the total direct costs in pounds and pence, like 200000.50"
    if errors:
        raise ValidationError(errors)


def _duplicate(financial_year: int) -> ValidationError:
    return ValidationError(
        {
            "financial_year": f"There is already an overhead rate for {financial_year_name(financial_year)}. "
            "Change that year instead"
        }
    )


def _budgets_still_fit(organisation: Organisation) -> None:
    """A new rate changes the budget of every agreement the organisation provides that is still
    being prepared; refuse the rate if any of them would ask for more than its value."""
    open_agreements = Agreement.objects.filter(
        provider=organisation,
        status__in=OPEN_STATUSES,
        funder_signed_at__isnull=True,
        provider_signed_at__isnull=True,
    ).order_by("reference")
    for agreement in open_agreements:
        funded = funded_total_over_value(agreement)
        if funded is not None:
            raise ValidationError(
                f"With this rate, the budget of agreement {agreement.reference} would be {format_pounds(funded)}, "
                f"more than its value of {format_pounds(agreement.value)}. Lower that agreement's budget lines, "
                "or ask its funder to cap overheads or change its value, first."
            )


def _lock_organisation(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


@transaction.atomic
def add_overhead_rate(
    *,
    actor: User,
    organisation: Organisation,
    financial_year: int | None,
    annual_core_costs: Decimal | None,
    total_direct_costs: Decimal | None,
) -> OverheadRate:
    """Record an organisation's core and direct costs for one financial year (one per year)."""
    locked = _lock_organisation(organisation)
    _check_rate(
        financial_year=financial_year, annual_core_costs=annual_core_costs, total_direct_costs=total_direct_costs
    )
    assert financial_year is not None and annual_core_costs is not None and total_direct_costs is not None
    if OverheadRate.objects.filter(organisation=locked, financial_year=financial_year).exists():
        raise _duplicate(financial_year)
    try:
        # A savepoint, so a rate saved by someone else at the same moment (the database's
        # one-per-year rule) becomes a message instead of a broken transaction.
        with transaction.atomic():
            rate = OverheadRate.objects.create(
                organisation=locked,
                financial_year=financial_year,
                annual_core_costs=annual_core_costs,
                total_direct_costs=total_direct_costs,
                updated_by=actor,
            )
    except IntegrityError as exc:
        raise _duplicate(financial_year) from exc
    _budgets_still_fit(locked)
    audit.record_create(actor=actor, instance=rate, organisation_id=locked.pk)
    return rate


@transaction.atomic
def change_overhead_rate(
    *,
    actor: User,
    rate: OverheadRate,
    annual_core_costs: Decimal | None,
    total_direct_costs: Decimal | None,
    version: str | None = None,
) -> OverheadRate:
    """Change one year's core and direct costs of an organisation."""
    locked = _lock_organisation(rate.organisation)
    current = OverheadRate.objects.select_for_update().get(pk=rate.pk, organisation=locked)
    ensure_unchanged(current, version)
    _check_rate(
        financial_year=current.financial_year,
        annual_core_costs=annual_core_costs,
        total_direct_costs=total_direct_costs,
    )
    assert annual_core_costs is not None and total_direct_costs is not None
    before = audit.snapshot(current)
    current.annual_core_costs, current.total_direct_costs = annual_core_costs, total_direct_costs
    current.updated_by = actor
    current.save()
    _budgets_still_fit(locked)
    audit.record_update(actor=actor, instance=current, before=before, organisation_id=locked.pk)
    return current
