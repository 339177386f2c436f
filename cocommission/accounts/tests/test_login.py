"""Signing in with email and password, and signing out."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from cocommission.accounts.tests.factories import PASSWORD, UserFactory
from cocommission.accounts.tests.helpers import LOGIN_URL, assert_error_summary, assert_govuk_page

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_a_govuk_form(client):
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert_govuk_page(html)
    assert '<label class="govuk-label govuk-label--s" for="id_login">Email address</label>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_password">Password</label>' in html
    assert "placeholder=" not in html
    assert reverse("account_reset_password") in html
    assert reverse("account_signup") in html


def test_sign_in_with_email_and_password(client, alice):
    response = client.post(LOGIN_URL, {"login": "alice@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert get_user(client) == alice


def test_email_is_not_case_sensitive(client, alice):
    response = client.post(LOGIN_URL, {"login": "  Alice@Example.ORG ", "password": PASSWORD})

    assert response.status_code == 302
    assert get_user(client) == alice


def test_sign_in_returns_to_the_page_asked_for(client, alice):
    response = client.post(
        LOGIN_URL, {"login": alice.email, "password": PASSWORD, "next": reverse("accounts:settings")}
    )

    assert response["Location"] == reverse("accounts:settings")


def test_wrong_password_is_refused_with_an_error_summary_and_the_email_kept(client, alice):
    response = client.post(LOGIN_URL, {"login": "alice@example.org", "password": "not-the-password"})

    html = response.content.decode()
    assert response.status_code == 200
    assert_error_summary(html, "The email address or password is not correct")
    assert 'value="alice@example.org"' in html
    assert not get_user(client).is_authenticated


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, db):
    response = client.post(LOGIN_URL, {"login": "nobody@example.org", "password": PASSWORD})

    assert_error_summary(response.content.decode(), "The email address or password is not correct")


def test_empty_form_names_each_missing_field(client):
    response = client.post(LOGIN_URL, {"login": "", "password": ""})

    html = response.content.decode()
    assert_error_summary(html, "Enter your email address", "Enter your password")
    # Each message links to its field and is repeated next to it.
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert 'id="id_login-error" class="govuk-error-message"' in html
    assert 'aria-describedby="id_login-error"' in html


def test_malformed_email_gets_a_govuk_message(client):
    response = client.post(LOGIN_URL, {"login": "alice-at-example", "password": PASSWORD})

    assert_error_summary(
        response.content.decode(), "Enter an email address in the correct format, like name@example.org"
    )


def test_switched_off_account_cannot_sign_in(client):
    user = UserFactory(is_active=False)

    response = client.post(LOGIN_URL, {"login": user.email, "password": PASSWORD}, follow=True)

    assert "This account has been switched off" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_sign_out_asks_first_then_signs_out_on_post(client, alice):
    client.force_login(alice)

    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200
    assert "Are you sure you want to sign out?" in confirm.content.decode()
    assert get_user(client).is_authenticated

    response = client.post(reverse("account_logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert not get_user(client).is_authenticated
    assert "You have signed out." in response.content.decode()


def test_the_header_signs_out_with_a_post_form(client, alice):
    client.force_login(alice)

    html = client.get(reverse("accounts:settings")).content.decode()

    assert f'<form method="post" action="{reverse("account_logout")}"' in html
