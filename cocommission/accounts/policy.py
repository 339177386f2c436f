"""Who must protect their account with a second factor."""

from django.conf import settings

from .models import User


def requires_mfa(user: User) -> bool:
    """Platform admins, commissioners (members of a statutory organisation) and panel members
    must use MFA when the COCOMMISSION_MFA_REQUIRED setting is on.

    A panel seat counts whatever state its opportunity is in: panel members keep reading the
    decision record, individual scores and conflicts included, after the decision."""
    if not settings.COCOMMISSION_MFA_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.memberships.filter(organisation__kind="statutory").exists():
        return True
    # Imported here: commissioning builds on accounts, not the other way round.
    from cocommission.commissioning.models import PanelMember

    return PanelMember.objects.filter(user=user).exists()


def has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
