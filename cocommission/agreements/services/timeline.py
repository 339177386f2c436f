"""Agreement events on the relationship timeline between the funder and each provider-side
organisation."""

from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.organisations.models import Interaction, Organisation
from cocommission.organisations.services.timeline import record_interaction
from cocommission.partnerships.models import PartnershipOrganisation

from ..models import Agreement
from ..permissions import provider_organisation_ids


def record_agreement_event(*, actor: User | None, agreement: Agreement, summary: str) -> int:
    """Add one timeline entry per provider-side organisation; returns how many were added.

    The entry is marked as the partnership's business (so its coordinator sees it) when both
    organisations have a seat in the agreement's partnership.
    """
    others = Organisation.objects.filter(pk__in=provider_organisation_ids(agreement)).exclude(pk=agreement.funder_id)
    seated: set[int] = set()
    if agreement.partnership_id is not None:
        seated = set(
            PartnershipOrganisation.objects.filter(partnership_id=agreement.partnership_id).values_list(
                "organisation_id", flat=True
            )
        )
    count = 0
    for organisation in others:
        both_seated = agreement.funder_id in seated and organisation.pk in seated
        record_interaction(
            actor=actor,
            organisation=agreement.funder,
            other=organisation,
            kind=Interaction.Kind.AGREEMENT,
            occurred_on=timezone.localdate(),
            summary=f"{agreement.reference}: {summary}",
            partnership=agreement.partnership if both_seated else None,
        )
        count += 1
    return count
