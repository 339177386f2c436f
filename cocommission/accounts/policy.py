"""Who must protect their account with a second factor."""

from django.conf import settings

from .models import User


def requires_mfa(user: User) -> bool:
    """Platform admins and commissioners (members of a statutory organisation) must use MFA
    when the COCOMMISSION_MFA_REQUIRED setting is on. Panel members join this list when panels
    exist."""
    if not settings.COCOMMISSION_MFA_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(organisation__kind="statutory").exists()


def has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
