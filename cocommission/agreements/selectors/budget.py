"""Reads for the agreement page's budget section."""

from typing import Any

from ..models import Agreement


def budget_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the budget section of the agreement page needs."""
    return {}
