"""Five failed sign-in attempts lock an account for 30 minutes (django-axes), the Django
admin included, because the admin signs people in through the same allauth page."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.lockout import ADDRESS_FAILURE_LIMIT, username_from_attempt
from cocommission.accounts.tests.factories import PASSWORD
from cocommission.accounts.tests.helpers import LOGIN_URL, assert_govuk_page

pytestmark = pytest.mark.django_db


def fail(client, email: str, times: int, **extra):
    return [client.post(LOGIN_URL, {"login": email, "password": "wrong-password"}, **extra) for _ in range(times)]


def attempt(client, email: str, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": PASSWORD}, **extra)


def age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


def test_fifth_failure_locks_and_the_right_password_is_then_refused(client, alice):
    responses = fail(client, alice.email, 5)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    sixth = attempt(client, alice.email)

    html = sixth.content.decode()
    assert sixth.status_code == 429
    assert "Your account is locked" in html
    assert "try again in 30 minutes" in html
    assert reverse("account_reset_password") in html
    assert_govuk_page(html)
    assert not get_user(client).is_authenticated


def test_the_lockout_page_keeps_answering_however_many_more_attempts(client, alice):
    # Only axes counts passwords; allauth's own limit never takes over with another message.
    responses = fail(client, alice.email, 15)

    assert [r.status_code for r in responses[4:]] == [429] * 11


def test_four_failures_do_not_lock(client, alice):
    fail(client, alice.email, 4)

    assert attempt(client, alice.email).status_code == 302
    assert get_user(client) == alice


def test_lockout_ends_after_30_minutes(client, alice):
    fail(client, alice.email, 5)

    age_attempts(29)
    assert attempt(client, alice.email).status_code == 429

    age_attempts(31)
    response = attempt(client, alice.email)
    assert response.status_code == 302
    assert get_user(client) == alice


def test_attempts_are_counted_against_the_email_allauth_signs_in_with(client, alice):
    fail(client, "  ALICE@example.org", 1)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice@example.org"]


def test_lockout_follows_the_account_across_addresses(client, alice):
    for n in range(5):
        fail(client, alice.email, 1, REMOTE_ADDR=f"203.0.113.{n + 1}")

    response = attempt(client, alice.email, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert not get_user(client).is_authenticated


def test_one_address_cannot_try_many_accounts(client, alice, bob):
    # Password spraying: one failure each against twenty accounts from one address.
    for n in range(ADDRESS_FAILURE_LIMIT):
        fail(client, f"person{n}@example.org", 1, REMOTE_ADDR="203.0.113.9")

    assert attempt(client, bob.email, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert attempt(client, bob.email, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_slips_in_a_shared_office_do_not_lock_everyone_out(client, alice, bob):
    # Ten colleagues behind one address each mistype once; the eleventh signs in.
    for n in range(10):
        fail(client, f"colleague{n}@example.org", 1, REMOTE_ADDR="203.0.113.9")
    assert attempt(client, bob.email, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_behind_a_proxy_the_address_count_is_the_clients_own(client, alice, bob, settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 1
    for n in range(ADDRESS_FAILURE_LIMIT):
        fail(client, f"person{n}@example.org", 1, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")

    # The sprayer is locked out; someone else arriving through the same proxy is not.
    assert attempt(client, bob.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert attempt(client, bob.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_a_successful_sign_in_clears_the_count(client, alice):
    fail(client, alice.email, 4)
    attempt(client, alice.email)
    client.post(reverse("account_logout"))

    fail(client, alice.email, 4)

    assert attempt(client, alice.email).status_code == 302


def test_the_username_callable_understands_allauth_admin_and_axes_credentials(rf):
    assert username_from_attempt(None, {"email": "Alice@Example.org", "password": "x"}) == "alice@example.org"
    # axes passes {"username": user.get_username()} when a sign in succeeds.
    assert username_from_attempt(None, {"username": "alice@example.org"}) == "alice@example.org"
    request = rf.post(LOGIN_URL, {"login": " Bob@Example.org "})
    assert username_from_attempt(request, {"password": "x"}) == "bob@example.org"
    assert username_from_attempt(None, None) == ""


class TestDjangoAdmin:
    def test_admin_login_sends_people_to_the_service_sign_in(self, client):
        response = client.get("/admin/login/")

        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_URL}?next=%2Fadmin%2Flogin%2F"

    def test_admin_index_sends_people_to_the_service_sign_in(self, client):
        response = client.get("/admin/", follow=True)

        assert response.redirect_chain[-1][0].startswith(LOGIN_URL)
        assert "next=" in response.redirect_chain[-1][0]

    def test_posting_to_the_admin_login_form_never_signs_in(self, client, pat):
        response = client.post("/admin/login/", {"username": pat.email, "password": PASSWORD})

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)
        assert not get_user(client).is_authenticated

    def test_platform_admin_reaches_the_admin_through_the_service_sign_in(self, client, pat, mfa_off):
        response = client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD, "next": "/admin/"})

        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_lockout_applies_on_the_way_to_the_admin(self, client, pat, mfa_off):
        for _ in range(5):
            client.post(LOGIN_URL, {"login": pat.email, "password": "wrong-password", "next": "/admin/"})

        response = client.post(LOGIN_URL, {"login": pat.email, "password": PASSWORD, "next": "/admin/"})

        assert response.status_code == 429
        assert "Your account is locked" in response.content.decode()
        assert client.get("/admin/").status_code == 302

    def test_someone_who_is_not_a_platform_admin_is_refused(self, client, alice):
        client.force_login(alice)

        assert client.get("/admin/login/").status_code == 403


def test_an_address_without_an_account_locks_the_same_way(client, alice):
    # The same answer whether or not an account exists, so the page reveals nothing.
    responses = fail(client, "ghost@example.org", 5)

    assert responses[-1].status_code == 429
    assert "Your account is locked" in responses[-1].content.decode()
