"""Writes that belong to accounts rather than to django-allauth."""

from axes.utils import reset as reset_axes_attempts
from django.db import transaction

from .lockout import normalise_login
from .models import User


@transaction.atomic
def clear_failed_sign_ins(*, user: User) -> int:
    """Forget the failed sign-in attempts counted against `user`'s email address, which
    lifts a lockout. Called once someone has proved they can read that mailbox by using a
    password reset link, so an attacker who only guesses passwords can never unlock it.
    Returns how many attempt records were removed."""
    return reset_axes_attempts(username=normalise_login(user.email))
