"""In a real browser: a platform admin signs in, is sent to set up two-step sign in, does
so with a code computed from the key on the page, then signs in again with a code. axe-core
checks every page on the way, and the QR code image loads under the Content-Security-Policy."""

import pytest

from cocommission.accounts.tests.factories import PASSWORD
from cocommission.accounts.tests.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_platform_admin_sets_up_and_uses_two_step_sign_in(page, assert_accessible, pat):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    sign_in(page, pat.email)
    # Sent to set up the app; allauth asks for the password once more first.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert page.get_by_text("Your role needs two-step sign in").is_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)
    secret = page.locator("#authenticator-key").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-step sign in").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert page.get_by_text("Two-step sign in is on.").is_visible()
    assert page.locator("code").count() == 10
    assert_accessible(page)

    page.goto("/accounts/2fa/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, pat.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Security code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/dashboard/**")
