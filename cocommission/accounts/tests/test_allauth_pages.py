"""Every django-allauth page renders in the service's GOV.UK layout, without inline styles
or scripts, and a bad submission gets the GOV.UK error summary."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import pytest
from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template import Origin, RequestContext, Template, engines
from django.test import Client
from django.urls import reverse

from cocommission.accounts.models import User
from cocommission.accounts.tests.factories import PASSWORD, UserFactory
from cocommission.accounts.tests.helpers import (
    LOGIN_URL,
    MFA_AUTHENTICATE_URL,
    assert_error_summary,
    assert_govuk_page,
    confirm_it_is_you,
    sign_in,
)

pytestmark = pytest.mark.django_db


@dataclass
class Ready:
    url: str
    user: User | None = None


def _person() -> User:
    return cast(User, UserFactory(email="sam@example.org"))


def _with_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def anonymous(url_name: str) -> Callable[[Client], Ready]:
    return lambda client: Ready(reverse(url_name))


def signed_in(url_name: str, *, confirmed: bool = False, totp: bool = False) -> Callable[[Client], Ready]:
    def setup(client: Client) -> Ready:
        user = _person()
        secret = _with_totp(user) if totp else None
        sign_in(client, user, secret=secret)
        if confirmed:
            confirm_it_is_you(client)
        return Ready(reverse(url_name), user)

    return setup


def reset_form(client: Client) -> Ready:
    user = _person()
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://testserver(\S+)", str(mail.outbox[-1].body))
    assert link
    return Ready(client.get(link.group(1))["Location"], user)


def password_set(client: Client) -> Ready:
    user = _person()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    return Ready(reverse("account_set_password"), user)


def email_confirm(client: Client) -> Ready:
    user = _person()
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return Ready(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]), user)


def mfa_authenticate(client: Client) -> Ready:
    user = _person()
    _with_totp(user)
    client.post(LOGIN_URL, {"login": user.email, "password": PASSWORD})
    return Ready(MFA_AUTHENTICATE_URL, user)


def mfa_reauthenticate(client: Client) -> Ready:
    user = _person()
    sign_in(client, user, secret=_with_totp(user))
    return Ready(reverse("mfa_reauthenticate"), user)


PAGES: dict[str, tuple[Callable[[Client], Ready], str]] = {
    "sign in": (anonymous("account_login"), "Sign in"),
    "create an account": (anonymous("account_signup"), "Create an account"),
    "sign out": (signed_in("account_logout"), "Sign out"),
    "reset password": (anonymous("account_reset_password"), "Reset your password"),
    "reset password sent": (anonymous("account_reset_password_done"), "Check your email"),
    "reset password from link": (reset_form, "Choose a new password"),
    "reset password bad link": (
        lambda client: Ready("/accounts/password/reset/key/1-bad-key/"),
        "This link does not work",
    ),
    "reset password done": (anonymous("account_reset_password_from_key_done"), "Your password has been changed"),
    "change password": (signed_in("account_change_password"), "Change your password"),
    "set password": (password_set, "Set a password"),
    "email addresses": (signed_in("account_email"), "Email addresses"),
    "confirm email": (email_confirm, "Confirm your email address"),
    "confirm email bad link": (
        lambda client: Ready(reverse("account_confirm_email", args=["not-a-key"])),
        "This link does not work",
    ),
    "confirmation sent": (anonymous("account_email_verification_sent"), "Confirm your email address"),
    "account switched off": (anonymous("account_inactive"), "This account has been switched off"),
    "confirm it is you": (signed_in("account_reauthenticate"), "Confirm it is you"),
    "two-step sign in": (signed_in("mfa_index"), "Two-step sign in"),
    "set up app": (signed_in("mfa_activate_totp", confirmed=True), "Set up two-step sign in"),
    "turn off app": (signed_in("mfa_deactivate_totp", confirmed=True, totp=True), "Turn off two-step sign in"),
    "new recovery codes": (
        signed_in("mfa_generate_recovery_codes", confirmed=True, totp=True),
        "Create new recovery codes",
    ),
    "recovery codes": (signed_in("mfa_view_recovery_codes", confirmed=True, totp=True), "Your recovery codes"),
    "security code at sign in": (mfa_authenticate, "Enter your security code"),
    "confirm it is you with the app": (mfa_reauthenticate, "Confirm it is you"),
}


@pytest.mark.parametrize("page", PAGES.keys())
def test_page_renders_in_govuk_style(client, page):
    setup, heading = PAGES[page]
    ready = setup(client)

    response = client.get(ready.url)

    html = response.content.decode()
    assert response.status_code == 200, f"{page}: {response.status_code} {response.get('Location')}"
    assert_govuk_page(html)
    assert re.search(r'<h1 class="govuk-(heading-l|panel__title)">' + re.escape(heading), html), page
    assert f"<title>{heading}" in html or heading in html[html.index("<title>") : html.index("</title>")]
    # GOV.UK buttons only; allauth's bare <button> and <p>-wrapped fields are gone.
    assert "<button>" not in html
    assert "<p>" not in html
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp


BAD_SUBMISSIONS: dict[str, tuple[Callable[[Client], Ready], dict[str, str], str]] = {
    "sign in": (anonymous("account_login"), {"login": "", "password": ""}, "Enter your email address"),
    "create an account": (
        anonymous("account_signup"),
        {"full_name": "", "email": "x@example.org", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        "Enter your full name",
    ),
    "reset password": (anonymous("account_reset_password"), {"email": ""}, "Enter your email address"),
    "reset password from link": (reset_form, {"password1": "", "password2": ""}, "Enter a new password"),
    "change password": (
        signed_in("account_change_password"),
        {"oldpassword": "wrong", "password1": "another-passphrase", "password2": "another-passphrase"},
        "Your current password is not correct",
    ),
    "set password": (password_set, {"password1": "", "password2": ""}, "Enter a password"),
    "add email address": (
        signed_in("account_email"),
        {"action_add": "", "email": "not-an-email"},
        "Enter an email address in the correct format, like name@example.org",
    ),
    "confirm it is you": (signed_in("account_reauthenticate"), {"password": ""}, "Enter your password"),
    "set up app": (
        signed_in("mfa_activate_totp", confirmed=True),
        {"code": ""},
        "Enter the code from your authenticator app",
    ),
    "security code at sign in": (mfa_authenticate, {"code": "000"}, "The security code is not correct"),
    "confirm it is you with the app": (mfa_reauthenticate, {"code": ""}, "Enter the security code"),
}


@pytest.mark.parametrize("page", BAD_SUBMISSIONS.keys())
def test_bad_submission_shows_the_error_summary(client, page):
    setup, data, message = BAD_SUBMISSIONS[page]
    ready = setup(client)

    response = client.post(ready.url, data)

    html = response.content.decode()
    assert response.status_code == 200, f"{page}: {response.status_code} {response.get('Location')}"
    assert_govuk_page(html)
    assert_error_summary(html, message)
    assert "govuk-form-group--error" in html or "govuk-error-message" in html or page == "sign in"


def test_the_lockout_page_is_a_govuk_page(client, alice):
    for _ in range(5):
        response = client.post(LOGIN_URL, {"login": alice.email, "password": "wrong-password"})

    assert response.status_code == 429
    assert_govuk_page(response.content.decode())


ELEMENTS_PAGE = """{% extends "allauth/layouts/entrance.html" %}{% load allauth %}
{% block head_title %}A page allauth wrote{% endblock %}
{% block content %}
{% element h1 %}A page allauth wrote{% endelement %}
{% element p %}Some words.{% endelement %}
{% element alert %}{% slot message %}Take note.{% endslot %}{% endelement %}
{% element form form=form method="post" action="/somewhere/" %}
  {% slot body %}{% element fields form=form %}{% endelement %}{% endslot %}
  {% slot actions %}
    {% element button type="submit" %}Continue{% endelement %}
    {% element button href="/elsewhere/" tags="danger,delete" %}Remove{% endelement %}
  {% endslot %}
{% endelement %}
{% element panel %}{% slot title %}Panel{% endslot %}{% slot body %}Inside{% endslot %}{% endelement %}
{% element badge tags="success" %}Confirmed{% endelement %}
{% endblock %}"""


def test_allauth_pages_we_did_not_rewrite_still_get_govuk_markup(rf):
    """Pages switched on later (login by code, email change) are built from allauth's
    elements, which we override with GOV.UK markup."""
    request = rf.get("/")
    request.user = AnonymousUser()
    form = ResetPasswordForm(data={"email": ""})
    # allauth picks element templates by the layout a page extends, so the page needs a name.
    name = "allauth_elements_check.html"
    engine = engines["django"].engine  # type: ignore[attr-defined]
    template = Template(ELEMENTS_PAGE, origin=Origin(name, template_name=name), name=name, engine=engine)
    html = template.render(RequestContext(request, {"form": form}))

    assert_govuk_page(html)
    assert_error_summary(html, "This field is required.")
    assert '<h1 class="govuk-heading-l">A page allauth wrote</h1>' in html
    assert '<p class="govuk-body">Some words.</p>' in html
    assert '<div class="govuk-inset-text">Take note.</div>' in html
    assert '<form method="post" action="/somewhere/" novalidate>' in html
    assert 'class="govuk-button" data-module="govuk-button" type="submit">Continue</button>' in html
    assert 'class="govuk-button govuk-button--warning"' in html
    assert 'class="govuk-summary-card"' in html
    assert '<strong class="govuk-tag govuk-tag--green">Confirmed</strong>' in html
