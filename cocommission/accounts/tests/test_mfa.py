"""Two-step sign in: anyone may set up an authenticator app and recovery codes; platform
admins, commissioners and panel members must when COCOMMISSION_MFA_REQUIRED is on."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user
from django.urls import reverse

from cocommission.accounts.policy import has_mfa, requires_mfa
from cocommission.accounts.tests.factories import PASSWORD
from cocommission.accounts.tests.helpers import (
    LOGIN_URL,
    MFA_AUTHENTICATE_URL,
    assert_error_summary,
    assert_govuk_page,
    confirm_it_is_you,
    secret_on_page,
    sign_in,
    totp_code,
)
from cocommission.commissioning.tests.factories import PanelMemberFactory
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ACTIVATE_URL = "/accounts/2fa/totp/activate/"


@pytest.fixture
def commissioner(db):
    council = OrganisationFactory(statutory=True, name="Brackenmoor Council")
    return MembershipFactory(organisation=council, user__email="cath@example.org").user


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


class TestWhoMustUseIt:
    def test_platform_admins_and_commissioners_must(self, pat, commissioner, alice):
        assert requires_mfa(pat)
        assert requires_mfa(commissioner)
        assert not requires_mfa(alice)

    def test_nobody_must_when_the_setting_is_off(self, pat, mfa_off):
        assert not requires_mfa(pat)

    def test_panel_members_must_from_any_sector(self, lena, charlie, bob):
        # lena (lived experience, no organisation) and charlie (a VCSE admin) do not need it
        # until they sit on a panel; bob, never on one, still does not.
        assert not requires_mfa(lena)
        assert not requires_mfa(charlie)
        PanelMemberFactory(user=lena, lived_experience=True)
        PanelMemberFactory(user=charlie)
        assert requires_mfa(lena)
        assert requires_mfa(charlie)
        assert not requires_mfa(bob)

    def test_a_panel_member_without_an_app_is_sent_to_set_one_up(self, client, lena):
        PanelMemberFactory(user=lena, lived_experience=True)
        client.force_login(lena)

        assert client.get(reverse("core:dashboard"))["Location"] == reverse("mfa_activate_totp")


class TestRequireMFAMiddleware:
    @pytest.mark.parametrize("path", ["/", "/account/settings/", "/organisations/", "/admin/"])
    def test_platform_admin_without_an_app_is_sent_to_set_one_up(self, client, pat, path):
        client.force_login(pat)

        response = client.get(path)

        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

    def test_commissioner_without_an_app_is_sent_to_set_one_up(self, client, commissioner):
        client.force_login(commissioner)

        assert client.get(reverse("accounts:settings"))["Location"] == reverse("mfa_activate_totp")

    def test_the_reason_is_shown_on_the_way(self, client, pat):
        sign_in(client, pat)

        response = client.get(reverse("core:dashboard"), follow=True)

        # Setting up asks for the password again first, then comes back to the set-up page.
        assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
        assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
        html = response.content.decode()
        assert "Your role needs two-step sign in" in html
        assert "Confirm it is you" in html

    def test_vcse_member_is_not_asked(self, client, alice):
        client.force_login(alice)

        assert client.get(reverse("accounts:settings")).status_code == 200

    def test_nobody_is_asked_when_the_setting_is_off(self, client, pat, mfa_off):
        client.force_login(pat)

        assert client.get(reverse("accounts:settings")).status_code == 200

    @pytest.mark.parametrize(
        "path", ["/accounts/2fa/", "/accounts/logout/", "/accounts/password/change/", "/static/css/app.css"]
    )
    def test_account_pages_sign_out_and_static_files_stay_reachable(self, client, pat, path):
        client.force_login(pat)

        response = client.get(path)

        assert response.get("Location") != reverse("mfa_activate_totp")

    def test_signing_out_still_works(self, client, pat):
        client.force_login(pat)

        client.post(reverse("account_logout"))

        assert not get_user(client).is_authenticated

    def test_once_the_app_is_set_up_they_get_through(self, client, pat):
        with_totp(pat)
        client.force_login(pat)

        assert client.get(reverse("accounts:settings")).status_code == 200


class TestSettingUpAnAuthenticatorApp:
    # A real commit, so allauth's on-commit confirmation message appears as it does in use.
    @pytest.mark.django_db(transaction=True)
    def test_full_set_up_from_your_account(self, client, pat):
        sign_in(client, pat)
        assert client.get(reverse("accounts:settings"))["Location"] == ACTIVATE_URL
        confirm_it_is_you(client)

        page = client.get(ACTIVATE_URL)
        html = page.content.decode()
        assert page.status_code == 200
        assert_govuk_page(html)
        assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+">', html)
        secret = secret_on_page(html)

        wrong = client.post(ACTIVATE_URL, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
        assert_error_summary(wrong.content.decode(), "The security code is not correct")
        assert not has_mfa(pat)

        done = client.post(ACTIVATE_URL, {"code": totp_code(secret)}, follow=True)

        assert has_mfa(pat)
        assert done.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
        html = done.content.decode()
        assert "Two-step sign in is on." in html
        codes = re.findall(r"<li><code>(\d+)</code></li>", html)
        assert len(codes) == 10
        # Through the gate now.
        assert client.get(reverse("accounts:settings")).status_code == 200

    def test_anyone_can_set_it_up(self, client, alice):
        sign_in(client, alice)
        confirm_it_is_you(client)
        client.get(reverse("accounts:settings"))
        index = client.get(reverse("mfa_index")).content.decode()
        assert reverse("mfa_activate_totp") in index

        secret = secret_on_page(client.get(ACTIVATE_URL).content.decode())
        client.post(ACTIVATE_URL, {"code": totp_code(secret)})

        assert has_mfa(alice)
        settings_page = client.get(reverse("accounts:settings")).content.decode()
        assert '<strong class="govuk-tag govuk-tag--green">On</strong>' in settings_page

    def test_setting_up_asks_for_the_password_again(self, client, alice):
        sign_in(client, alice)

        response = client.get(ACTIVATE_URL)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        wrong = client.post(response["Location"], {"password": "not-it"})
        assert_error_summary(wrong.content.decode(), "The password is not correct")
        right = client.post(response["Location"], {"password": PASSWORD})
        assert right["Location"] == ACTIVATE_URL
        assert client.get(ACTIVATE_URL).status_code == 200

    def test_an_unconfirmed_email_address_must_be_confirmed_first(self, client, alice):
        EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=False)
        sign_in(client, alice)
        confirm_it_is_you(client)

        response = client.get(ACTIVATE_URL, follow=True)

        html = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("mfa_index")
        assert "Confirm your email address before you set up two-step sign in" in html
        assert reverse("account_email") in html


class TestSigningInWithAnAuthenticatorApp:
    def test_password_then_code(self, client, pat):
        secret = with_totp(pat)

        response = client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})

        assert response["Location"] == MFA_AUTHENTICATE_URL
        assert not get_user(client).is_authenticated
        page = client.get(MFA_AUTHENTICATE_URL)
        assert_govuk_page(page.content.decode())
        assert "Enter your security code" in page.content.decode()

        wrong = client.post(MFA_AUTHENTICATE_URL, {"code": "12345"})
        assert_error_summary(wrong.content.decode(), "The security code is not correct")
        assert not get_user(client).is_authenticated

        right = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret)})

        assert right["Location"] == reverse("core:dashboard")
        assert get_user(client) == pat
        assert client.get(reverse("accounts:settings")).status_code == 200

    def test_guessing_codes_is_limited(self, client, pat):
        secret = with_totp(pat)
        client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})
        right = totp_code(secret)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(5):
            client.post(MFA_AUTHENTICATE_URL, {"code": wrong})

        response = client.post(MFA_AUTHENTICATE_URL, {"code": right})

        assert_error_summary(response.content.decode(), "You have entered too many wrong codes")
        assert not get_user(client).is_authenticated

    def test_the_code_page_cannot_be_skipped(self, client, pat):
        with_totp(pat)
        client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})

        response = client.get(reverse("accounts:settings"))

        assert response["Location"].startswith(LOGIN_URL)

    def test_a_code_cannot_be_used_twice(self, client, pat):
        secret = with_totp(pat)
        sign_in(client, pat, secret=secret)
        client.post(reverse("account_logout"))

        client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})
        reused = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret)})

        assert reused.status_code == 200
        assert not get_user(client).is_authenticated

    def test_a_recovery_code_signs_in_once(self, client, pat):
        with_totp(pat)
        code = RecoveryCodes(
            Authenticator.objects.get(user=pat, type=Authenticator.Type.RECOVERY_CODES)
        ).generate_codes()[0]

        client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})
        assert client.post(MFA_AUTHENTICATE_URL, {"code": code})["Location"] == reverse("core:dashboard")
        assert get_user(client) == pat

        client.post(reverse("account_logout"))
        client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})
        again = client.post(MFA_AUTHENTICATE_URL, {"code": code})

        assert_error_summary(again.content.decode(), "The security code is not correct")
        assert not get_user(client).is_authenticated

    def test_cancelling_signs_out(self, client, pat):
        with_totp(pat)
        client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD})

        response = client.post(reverse("account_logout"), {"next": LOGIN_URL})

        assert response["Location"] == LOGIN_URL
        assert client.get(MFA_AUTHENTICATE_URL).status_code == 302


class TestRecoveryCodes:
    def test_view_download_and_replace(self, client, alice):
        secret = with_totp(alice)
        sign_in(client, alice, secret=secret)
        confirm_it_is_you(client)
        old_codes = RecoveryCodes(Authenticator.objects.get(user=alice, type="recovery_codes")).get_unused_codes()

        view = client.get(reverse("mfa_view_recovery_codes")).content.decode()
        assert all(code in view for code in old_codes)

        download = client.get(reverse("mfa_download_recovery_codes"))
        assert download["Content-Type"].startswith("text/plain")
        assert "attachment" in download["Content-Disposition"]
        assert all(code in download.content.decode() for code in old_codes)

        confirm = client.get(reverse("mfa_generate_recovery_codes")).content.decode()
        assert "will stop working" in confirm
        client.post(reverse("mfa_generate_recovery_codes"))

        new_codes = RecoveryCodes(Authenticator.objects.get(user=alice, type="recovery_codes")).get_unused_codes()
        assert set(new_codes).isdisjoint(old_codes)


class TestTurningItOff:
    def test_someone_whose_role_does_not_need_it_can_turn_it_off(self, client, alice):
        secret = with_totp(alice)
        sign_in(client, alice, secret=secret)
        confirm_it_is_you(client)

        assert "Are you sure?" in client.get(reverse("mfa_deactivate_totp")).content.decode()
        client.post(reverse("mfa_deactivate_totp"))

        assert not has_mfa(alice)

    def test_someone_whose_role_needs_it_cannot(self, client, pat):
        secret = with_totp(pat)
        sign_in(client, pat, secret=secret)
        confirm_it_is_you(client)

        page = client.get(reverse("mfa_deactivate_totp")).content.decode()
        assert_error_summary(page, "Your role needs two-step sign in, so you cannot turn it off")
        assert "govuk-button--warning" not in page

        client.post(reverse("mfa_deactivate_totp"))
        assert has_mfa(pat)
