"""Everything the agreement page (and its printable summary) shows, gathered part by part."""

from typing import Any

from cocommission.accounts.models import User

from ..models import Agreement
from ..permissions import FUNDER, PROVIDER, can_keep_overheads, sides_of
from . import budget, changes, schedule, terms


def agreement_page(agreement: Agreement, user: User) -> dict[str, Any]:
    sides = sides_of(user, agreement)
    return {
        "agreement": agreement,
        "is_funder": FUNDER in sides,
        "is_provider": PROVIDER in sides,
        "can_keep_overheads": PROVIDER in sides and can_keep_overheads(user, agreement.provider_id),
        **terms.terms_context(agreement),
        **budget.budget_context(agreement),
        **schedule.schedule_context(agreement),
        **changes.changes_context(agreement),
    }
