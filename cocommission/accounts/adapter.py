"""How django-allauth talks to people (its error messages) and which of its checks we use."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from .policy import requires_mfa


class AccountAdapter(DefaultAccountAdapter):
    # GOV.UK style: say what went wrong and what to do, without blame or jargon.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not correct",
        "enter_current_password": "Your current password is not correct",
        "incorrect_password": "The password is not correct",
        "invalid_password_reset": "The link to reset your password has expired or has already been used",
        "unknown_email": "There is no account with this email address",
        "email_taken": "An account already exists with this email address",
        "duplicate_email": "This email address is already on your account",
        "cannot_remove_primary_email": "You cannot remove the email address you sign in with",
        # Only wrong security codes reach this limit (see pre_authenticate).
        "too_many_login_attempts": "You have entered too many wrong codes. Wait 5 minutes and try again",
        "rate_limited": "You have made too many requests. Wait a few minutes and try again",
        "same_as_current": "The new email address must be different from your current one",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # django-axes counts failed passwords and locks the account for 30 minutes after 5.
        # allauth's count would step in first with a different message and a 5-minute
        # window, so it is skipped here; the same setting still limits wrong security codes.
        self._login_failed_rl_usage = None


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The security code is not correct. Check your authenticator app and try again",
        "unverified_email": "Confirm your email address before you set up two-step sign in",
        "cannot_generate_recovery_codes": "Set up an authenticator app before you create recovery codes",
        "cannot_delete_authenticator": "Your role needs two-step sign in, so you cannot turn it off",
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Someone whose role needs MFA would only be sent straight back to set it up again.
        if authenticator.type == Authenticator.Type.TOTP and requires_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
