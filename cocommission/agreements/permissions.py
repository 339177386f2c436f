"""The only door to agreements and the things that belong to them.

Both parties see an agreement; nobody else knows it exists (404). The public sees only the
fields that are published as open data, through `access_public_agreement`. Each helper returns
the object or raises Http404 / PermissionDenied.

Sides: the funder is the funder organisation's members; the provider is the provider
organisation's members and, for a consortium, the members of every organisation in it that has
not declined. Consortium members are parties too: accountability is shared.
"""

from enum import StrEnum
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cocommission.accounts.models import User
from cocommission.commissioning.models import ConsortiumMember
from cocommission.organisations.models import Membership, Organisation
from cocommission.organisations.permissions import is_platform_admin

from .models import Agreement, BreakClause, BudgetLine, Instalment, Variation

PartT = TypeVar("PartT", BreakClause, BudgetLine, Instalment, Variation)

FUNDER = "funder"
PROVIDER = "provider"

# Statuses the public may know about: the agreement has been signed by both parties.
PUBLIC_STATUSES = (Agreement.Status.ACTIVE, Agreement.Status.ENDED, Agreement.Status.TERMINATED)


class AgreementAction(StrEnum):
    VIEW = "view"  # both parties
    MANAGE = "manage"  # the funder: terms, grant or contract, indexation, payments, offer, end
    PROVIDE = "provide"  # the provider side: its budget lines
    TAKE_PART = "take_part"  # either party: sign, propose and approve variations


def provider_organisation_ids(agreement: Agreement) -> set[int]:
    """The provider and, for a consortium, every member organisation that has not declined."""
    ids = {agreement.provider_id}
    if agreement.consortium_id is not None:
        ids |= set(
            ConsortiumMember.objects.filter(consortium_id=agreement.consortium_id)
            .exclude(status=ConsortiumMember.Status.DECLINED)
            .values_list("organisation_id", flat=True)
        )
    return ids


def party_organisation_ids(agreement: Agreement) -> set[int]:
    return {agreement.funder_id} | provider_organisation_ids(agreement)


def sides_of(user: User, agreement: Agreement) -> set[str]:
    """Which sides the person is on: "funder", "provider", both (rare), or neither."""
    if not user.is_authenticated:
        return set()
    organisation_ids = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    sides = set()
    if agreement.funder_id in organisation_ids:
        sides.add(FUNDER)
    if organisation_ids & provider_organisation_ids(agreement):
        sides.add(PROVIDER)
    return sides


def _load(pk: int) -> Agreement:
    try:
        return Agreement.objects.select_related("funder", "provider", "consortium", "partnership", "opportunity").get(
            pk=pk
        )
    except Agreement.DoesNotExist as exc:
        raise Http404("No such agreement.") from exc


def access_agreement(*, user: User, pk: int, action: AgreementAction | str = AgreementAction.VIEW) -> Agreement:
    agreement = _load(pk)
    sides = sides_of(user, agreement)
    if not sides:
        raise Http404("No such agreement.")
    action = AgreementAction(action)
    if action == AgreementAction.MANAGE and FUNDER not in sides:
        raise PermissionDenied
    if action == AgreementAction.PROVIDE and PROVIDER not in sides:
        raise PermissionDenied
    return agreement


def access_public_agreement(*, reference: str) -> Agreement:
    """An agreement the public may read the published fields of."""
    agreement = (
        Agreement.objects.select_related("funder", "provider", "consortium", "opportunity")
        .filter(reference=reference, status__in=PUBLIC_STATUSES)
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def access_agreement_part(*, agreement: Agreement, model: type[PartT], pk: int) -> PartT:
    """A break clause, budget line, instalment or variation of an agreement already accessed."""
    try:
        return model.objects.get(pk=pk, agreement=agreement)
    except model.DoesNotExist as exc:
        raise Http404("Not found.") from exc


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """Every agreement the person is a party to."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    organisation_ids = Membership.objects.filter(user=user).values("organisation_id")
    consortia = (
        ConsortiumMember.objects.filter(organisation_id__in=organisation_ids)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .values("consortium_id")
    )
    return Agreement.objects.filter(
        Q(funder_id__in=organisation_ids) | Q(provider_id__in=organisation_ids) | Q(consortium_id__in=consortia)
    )


def access_overheads(*, user: User, slug: str, action: str = "view") -> Organisation:
    """An organisation's overhead rates: its members read them, its admins keep them."""
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such organisation.") from exc
    role = (
        Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
        if user.is_authenticated
        else None
    )
    if role is None:
        raise Http404("No such organisation.")
    if action == "edit" and role != Membership.Role.ADMIN:
        raise PermissionDenied
    return organisation


def can_keep_overheads(user: User, organisation_id: int) -> bool:
    """Organisation admins record its overhead rates (see access_overheads)."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation_id=organisation_id, role=Membership.Role.ADMIN).exists()
    )


def ensure_platform_admin(user: User) -> None:
    """Index values are kept by platform admins."""
    if not is_platform_admin(user):
        raise PermissionDenied
