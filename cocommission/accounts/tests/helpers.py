"""Helpers for driving sign in and two-step sign in through the real pages."""

import base64
import hashlib
import hmac
import re
import struct
import time

from django.test import Client

from cocommission.accounts.models import User
from cocommission.accounts.tests.factories import PASSWORD

LOGIN_URL = "/accounts/login/"
MFA_AUTHENTICATE_URL = "/accounts/2fa/authenticate/"


def totp_code(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 seconds, 6 digits), written independently of allauth so the
    tests check allauth against the standard an authenticator app follows."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def secret_on_page(html: str) -> str:
    """The setup key the activation page shows for people who cannot scan the QR code."""
    match = re.search(r'id="authenticator-key">([A-Z2-7=]+)<', html)
    assert match, "the activation page shows no authenticator key"
    return match.group(1)


def sign_in(client: Client, user: User, *, password: str = PASSWORD, secret: str | None = None) -> None:
    """Sign in through the sign-in page (and the security-code page when `secret` is given),
    so the session records a real, recent authentication as allauth expects."""
    response = client.post(LOGIN_URL, {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    if secret is not None:
        assert response["Location"] == MFA_AUTHENTICATE_URL
        response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret)})
        assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def assert_govuk_page(html: str) -> None:
    """Rendered in the service layout, with no inline styles or scripts (the CSP forbids them)."""
    assert 'class="govuk-template"' in html
    assert 'class="govuk-header"' in html
    assert html.count("<h1") == 1
    assert "style=" not in html
    assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html)


def assert_error_summary(html: str, *messages: str) -> None:
    assert 'class="govuk-error-summary"' in html
    assert "<title>Error: " in html
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    for message in messages:
        assert message in summary, f"{message!r} not in the error summary"


def confirm_it_is_you(client: Client, *, password: str = PASSWORD) -> None:
    """allauth asks for the password again (even just after signing in) before anyone
    changes how they sign in; this answers that question up front."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
