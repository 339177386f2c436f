"""Reads for the relationship timeline."""

from django.db.models import QuerySet

from cocommission.accounts.models import User
from cocommission.partnerships.models import Partnership

from ..models import Interaction, Organisation
from ..permissions import timeline_visibility


def timeline_for_user(*, user: User, organisation: Organisation) -> QuerySet[Interaction]:
    """The entries on `organisation`'s page this person may read, newest first, with everything
    the list shows loaded in the same query."""
    return (
        Interaction.objects.filter(timeline_visibility(user, organisation))
        .select_related("organisation_a", "organisation_b", "partnership", "created_by")
        .order_by("-occurred_on", "-created_at", "-id")
    )


def timeline_for_page(*, user: User, organisation: Organisation, limit: int = 5) -> list[Interaction]:
    """The latest few entries for the panel on the organisation's page."""
    return list(timeline_for_user(user=user, organisation=organisation)[:limit])


def shared_partnerships(*, organisation: Organisation, others: list[Organisation]) -> QuerySet[Partnership]:
    """Partnerships `organisation` belongs to together with at least one of `others`: the ones
    an entry between them can be filed under."""
    return (
        Partnership.objects.filter(member_organisations__organisation=organisation)
        .filter(member_organisations__organisation__in=others)
        .distinct()
        .order_by("name")
    )
