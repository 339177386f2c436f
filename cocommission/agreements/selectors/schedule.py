"""Reads for the agreement page's schedule section."""

from typing import Any

from ..models import Agreement


def schedule_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the schedule section of the agreement page needs."""
    return {}
