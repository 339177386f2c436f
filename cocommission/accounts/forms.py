"""django-allauth's forms with GOV.UK labels, hints and error messages.

allauth's own forms carry placeholders instead of hints, title-case labels ("New Password
(again)") and HTML help text. These subclasses keep allauth's behaviour and change the words,
so the global GOV.UK form renderer shows them the way the rest of the service does. Two small
additions: security-code boxes are narrow and numeric, and a password reset lifts a lockout.
"""

from typing import Any, ClassVar

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms
from django import forms
from django.http import HttpRequest

from .models import User
from .services import clear_failed_sign_ins

PASSWORD_HINT = "Use at least 10 characters. Do not use a common password or one made only of numbers."  # noqa: S105
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
CODE_HINT = "The 6-digit code shown in your authenticator app."


class GovukWordsMixin:
    """Replaces allauth's labels, hints and 'required' messages and drops placeholders
    (GOV.UK uses hints, because placeholder text disappears as soon as someone types)."""

    govuk_labels: ClassVar[dict[str, str]] = {}
    govuk_hints: ClassVar[dict[str, str]] = {}
    govuk_required: ClassVar[dict[str, str]] = {}
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.govuk_labels:
                field.label = self.govuk_labels[name]
            # Hints are plain text; allauth's are HTML lists and links.
            field.help_text = self.govuk_hints.get(name, "")
            if name in self.govuk_required:
                field.error_messages["required"] = self.govuk_required[name]
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = EMAIL_INVALID


class LoginForm(GovukWordsMixin, account_forms.LoginForm):
    govuk_labels: ClassVar[dict[str, str]] = {
        "login": "Email address",
        "password": "Password",
        "remember": "Keep me signed in on this device",
    }
    govuk_required: ClassVar[dict[str, str]] = {"login": "Enter your email address", "password": "Enter your password"}


class SignupForm(GovukWordsMixin, account_forms.SignupForm):
    full_name = forms.CharField(label="Full name", max_length=150)

    field_order = ["full_name", "email", "password1", "password2"]
    govuk_labels: ClassVar[dict[str, str]] = {
        "full_name": "Full name",
        "email": "Email address",
        "password1": "Create a password",
        "password2": "Confirm your password",
    }
    govuk_hints: ClassVar[dict[str, str]] = {
        "email": "We will send a link to this address to confirm it is yours.",
        "password1": PASSWORD_HINT,
    }
    govuk_required: ClassVar[dict[str, str]] = {
        "full_name": "Enter your full name",
        "email": "Enter your email address",
        "password1": "Create a password",
        "password2": "Confirm your password",
    }

    def save(self, request: HttpRequest) -> User:
        user: User = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        return user


class ResetPasswordForm(GovukWordsMixin, account_forms.ResetPasswordForm):
    govuk_labels: ClassVar[dict[str, str]] = {"email": "Email address"}
    govuk_hints: ClassVar[dict[str, str]] = {"email": "The address you use to sign in."}
    govuk_required: ClassVar[dict[str, str]] = {"email": "Enter your email address"}


class ResetPasswordKeyForm(GovukWordsMixin, account_forms.ResetPasswordKeyForm):
    govuk_labels: ClassVar[dict[str, str]] = {"password1": "New password", "password2": "Confirm new password"}
    govuk_hints: ClassVar[dict[str, str]] = {"password1": PASSWORD_HINT}
    govuk_required: ClassVar[dict[str, str]] = {
        "password1": "Enter a new password",
        "password2": "Confirm your new password",
    }

    def save(self) -> None:
        super().save()
        # The emailed link proves the mailbox is theirs: a locked-out person who resets their
        # password can sign in straight away instead of waiting out the lockout.
        clear_failed_sign_ins(user=self.user)


class ChangePasswordForm(GovukWordsMixin, account_forms.ChangePasswordForm):
    govuk_labels: ClassVar[dict[str, str]] = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Confirm new password",
    }
    govuk_hints: ClassVar[dict[str, str]] = {"password1": PASSWORD_HINT}
    govuk_required: ClassVar[dict[str, str]] = {
        "oldpassword": "Enter your current password",
        "password1": "Enter a new password",
        "password2": "Confirm your new password",
    }


class SetPasswordForm(GovukWordsMixin, account_forms.SetPasswordForm):
    govuk_labels: ClassVar[dict[str, str]] = {"password1": "Password", "password2": "Confirm password"}
    govuk_hints: ClassVar[dict[str, str]] = {"password1": PASSWORD_HINT}
    govuk_required: ClassVar[dict[str, str]] = {"password1": "Enter a password", "password2": "Confirm your password"}


class AddEmailForm(GovukWordsMixin, account_forms.AddEmailForm):
    govuk_labels: ClassVar[dict[str, str]] = {"email": "Email address"}
    govuk_hints: ClassVar[dict[str, str]] = {"email": "We will send a link to this address to confirm it is yours."}
    govuk_required: ClassVar[dict[str, str]] = {"email": "Enter an email address"}


class ReauthenticateForm(GovukWordsMixin, account_forms.ReauthenticateForm):
    govuk_labels: ClassVar[dict[str, str]] = {"password": "Password"}
    govuk_required: ClassVar[dict[str, str]] = {"password": "Enter your password"}


class SecurityCodeMixin(GovukWordsMixin):
    """Codes are short numbers typed from a phone: a narrow box with the number keypad."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"}
        )


class MFAAuthenticateForm(SecurityCodeMixin, mfa_base_forms.AuthenticateForm):
    govuk_labels: ClassVar[dict[str, str]] = {"code": "Security code"}
    govuk_hints: ClassVar[dict[str, str]] = {
        "code": "The 6-digit code shown in your authenticator app, or one of your recovery codes."
    }
    govuk_required: ClassVar[dict[str, str]] = {"code": "Enter the security code"}


class MFAReauthenticateForm(SecurityCodeMixin, mfa_base_forms.ReauthenticateForm):
    govuk_labels: ClassVar[dict[str, str]] = {"code": "Security code"}
    govuk_hints: ClassVar[dict[str, str]] = {
        "code": "The 6-digit code shown in your authenticator app, or one of your recovery codes."
    }
    govuk_required: ClassVar[dict[str, str]] = {"code": "Enter the security code"}


class ActivateTOTPForm(SecurityCodeMixin, mfa_totp_forms.ActivateTOTPForm):
    govuk_labels: ClassVar[dict[str, str]] = {"code": "Code from your authenticator app"}
    govuk_hints: ClassVar[dict[str, str]] = {"code": CODE_HINT}
    govuk_required: ClassVar[dict[str, str]] = {"code": "Enter the code from your authenticator app"}
