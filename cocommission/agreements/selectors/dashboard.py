"""What the dashboard shows about agreements: the ones waiting for this person's side to act."""

from dataclasses import dataclass

from django.db.models import Q

from cocommission.accounts.models import User
from cocommission.commissioning.models import ConsortiumMember
from cocommission.organisations.models import Membership

from ..models import Agreement, Variation

# The dashboard shows the first few of each; the agreements page has the rest.
ROWS = 5


@dataclass(frozen=True)
class Waiting:
    agreement: Agreement
    what: str  # what the person's side needs to do, in a few words
    variation: Variation | None = None


def _side_filters(user: User, prefix: str = "") -> tuple[Q, Q]:
    """(funder side, provider side) as filters on Agreement (or on a relation to it, `prefix`)."""
    organisations = Membership.objects.filter(user=user).values("organisation_id")
    consortia = (
        ConsortiumMember.objects.filter(organisation_id__in=organisations)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .values("consortium_id")
    )
    funder = Q(**{f"{prefix}funder_id__in": organisations})
    provider = Q(**{f"{prefix}provider_id__in": organisations}) | Q(**{f"{prefix}consortium_id__in": consortia})
    return funder, provider


def agreements_waiting_for(user: User) -> list[Waiting]:
    """Drafts the funder has to complete, agreements waiting for this side's signature, and
    variations waiting for this side's approval. A fixed number of queries, however many."""
    if not user.is_authenticated:
        return []
    funder, provider = _side_filters(user)
    Status = Agreement.Status
    agreements = Agreement.objects.select_related("funder", "provider").order_by("end_date", "id")
    waiting = [
        Waiting(agreement, "complete and offer it")
        for agreement in agreements.filter(funder, status=Status.DRAFT)[:ROWS]
    ]
    to_sign = agreements.filter(
        (funder & Q(status__in=[Status.OFFERED, Status.SIGNED_BY_PROVIDER]))
        | (provider & Q(status__in=[Status.OFFERED, Status.SIGNED_BY_FUNDER]))
    )
    waiting += [Waiting(agreement, "sign it") for agreement in to_sign[:ROWS]]
    funder_v, provider_v = _side_filters(user, "agreement__")
    variations = (
        Variation.objects.filter(status=Variation.Status.PROPOSED)
        .filter((funder_v & Q(funder_approved_at__isnull=True)) | (provider_v & Q(provider_approved_at__isnull=True)))
        .select_related("agreement__funder", "agreement__provider")
        .order_by("created_at", "id")
    )
    waiting += [
        Waiting(variation.agreement, f"approve or reject variation {variation.number}", variation)
        for variation in variations[:ROWS]
    ]
    return waiting
