"""Writes for budgets (full cost recovery) and organisations' overhead rates."""

from django.core.exceptions import ValidationError  # noqa: F401

from ..models import Agreement


def check_budget_fits(agreement: Agreement) -> None:
    """Raise ValidationError({"budget": ...}) when the budget the funder pays (direct costs
    plus the funded core share) is more than the agreement's value. Call it after any change to
    the value, the budget lines or the overhead cap, inside the same transaction."""
    raise NotImplementedError
