"""Reads for the agreement page's changes section."""

from typing import Any

from ..models import Agreement


def changes_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the changes section of the agreement page needs."""
    return {}
