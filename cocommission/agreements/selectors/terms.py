"""Reads for agreements' terms: lists, and the terms section of the agreement page."""

from typing import Any

from django.db.models import QuerySet

from cocommission.accounts.models import User

from ..models import Agreement
from ..permissions import agreements_visible_to


def agreements_for(user: User) -> QuerySet[Agreement]:
    """The person's agreements, newest first, shaped for the list (no query per row)."""
    return agreements_visible_to(user).select_related("funder", "provider", "consortium").order_by("-created_at", "-id")


def terms_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the terms section of the agreement page needs."""
    return {}
