"""Reads for members and invitations: querysets shaped for the pages that use them."""

from django.db.models import QuerySet

from cocommission.accounts.models import User

from ..models import Invitation, Membership, Organisation


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's members, admins first, then by name."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations still waiting for a reply (expired ones included, so admins can see and replace them)."""
    return (
        Invitation.objects.filter(organisation=organisation, status=Invitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link carries. The token is the key, so no other check applies here."""
    return Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
