"""What the two-step sign in pages need to know about the person looking at them."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django import template

from ..models import User
from ..policy import has_mfa
from ..policy import requires_mfa as _requires_mfa

register = template.Library()


@register.filter
def requires_mfa(user: User) -> bool:
    return _requires_mfa(user)


@register.filter
def has_unconfirmed_email(user: User) -> bool:
    """allauth refuses to add an authenticator while an address is unconfirmed, so the page
    says so and links to where the confirmation email can be sent again."""
    return EmailAddress.objects.filter(user_id=user.pk, verified=False).exists()


@register.filter
def in_minutes(delta: timedelta | None) -> str:
    """A lockout's length in words, like '30 minutes'."""
    minutes = round(delta.total_seconds() / 60) if delta else 30
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


@register.filter
def must_set_up_mfa(user: User) -> bool:
    """True while RequireMFAMiddleware would send this person back to the set-up page, so
    pages do not offer links that only lead there again."""
    return _requires_mfa(user) and not has_mfa(user)


@register.filter
def is_main_address(address: EmailAddress, user: User) -> bool:
    """allauth records the address of an account created outside it (the demo, the admin) as
    not primary; it is still the one the person signs in with, so it is never offered for removal."""
    return bool(address.primary or address.email.lower() == user.email.lower())
