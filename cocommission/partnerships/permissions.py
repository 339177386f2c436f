"""The only door to partnership-owned objects.

Views, API endpoints and commands load a partnership, a member organisation's seat or an
individual member through these helpers. Each returns the object or raises: Http404 when it does
not exist or the person may not know it exists (who belongs to a partnership is not public),
PermissionDenied when they can see it but not do this to it.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cocommission.accounts.models import User
from cocommission.organisations.permissions import is_platform_admin

from .models import Partnership, PartnershipOrganisation, PartnershipPerson


class PartnershipAction(StrEnum):
    VIEW = "view"  # the partnership page and its members: its people, member organisations' members, platform admins
    MANAGE = "manage"  # add, change and remove members: coordinators
    VIEW_AUDIT = "view_audit"  # the change history: coordinators, platform admins
    LEAVE = "leave"  # step down from the partnership: its individual members


def role_in(user: User, partnership: Partnership) -> str | None:
    """The person's own role in the partnership (coordinator or member), or None."""
    if not user.is_authenticated:
        return None
    return PartnershipPerson.objects.filter(user=user, partnership=partnership).values_list("role", flat=True).first()


def belongs_through_organisation(user: User, partnership: Partnership) -> bool:
    """Whether the person is a member of one of the partnership's member organisations."""
    if not user.is_authenticated:
        return False
    return PartnershipOrganisation.objects.filter(
        partnership=partnership, organisation__memberships__user=user
    ).exists()


def can_see(user: User, partnership: Partnership) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        is_platform_admin(user)
        or role_in(user, partnership) is not None
        or belongs_through_organisation(user, partnership)
    )


def can(user: User, partnership: Partnership, action: PartnershipAction | str) -> bool:
    """Whether the person may do this. Callers that must hide the partnership check can_see first."""
    action = PartnershipAction(action)
    if action == PartnershipAction.VIEW:
        return can_see(user, partnership)
    role = role_in(user, partnership) if user.is_active else None
    if action == PartnershipAction.MANAGE:
        return role == PartnershipPerson.Role.COORDINATOR
    if action == PartnershipAction.VIEW_AUDIT:
        return role == PartnershipPerson.Role.COORDINATOR or is_platform_admin(user)
    if action == PartnershipAction.LEAVE:
        return role is not None
    return False


def access_partnership(*, user: User, slug: str, action: PartnershipAction | str) -> Partnership:
    """The partnership, when the person may do `action` to it.

    Someone who cannot see it at all gets a 404, so outsiders cannot learn who belongs to what.
    """
    action = PartnershipAction(action)
    try:
        partnership = Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist as exc:
        raise Http404("No such partnership.") from exc
    if not can_see(user, partnership):
        raise Http404("No such partnership.")
    if action != PartnershipAction.VIEW and not can(user, partnership, action):
        raise PermissionDenied
    return partnership


def access_partnership_organisation(
    *, user: User, partnership: Partnership, pk: int, action: PartnershipAction | str = PartnershipAction.MANAGE
) -> PartnershipOrganisation:
    """A member organisation's seat in this partnership (never another partnership's)."""
    if not can_see(user, partnership):
        raise Http404("No such partnership.")
    if not can(user, partnership, action):
        raise PermissionDenied
    try:
        return PartnershipOrganisation.objects.select_related("organisation", "partnership").get(
            pk=pk, partnership=partnership
        )
    except PartnershipOrganisation.DoesNotExist as exc:
        raise Http404("No such member organisation.") from exc


def access_partnership_person(
    *, user: User, partnership: Partnership, pk: int, action: PartnershipAction | str = PartnershipAction.MANAGE
) -> PartnershipPerson:
    """An individual member of this partnership (never another partnership's)."""
    if not can_see(user, partnership):
        raise Http404("No such partnership.")
    if not can(user, partnership, action):
        raise PermissionDenied
    try:
        return PartnershipPerson.objects.select_related("user", "organisation", "partnership").get(
            pk=pk, partnership=partnership
        )
    except PartnershipPerson.DoesNotExist as exc:
        raise Http404("No such member.") from exc
