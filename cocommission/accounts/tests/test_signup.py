"""Creating an account with a full name, email address and password."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from cocommission.accounts.models import User
from cocommission.accounts.tests.helpers import assert_error_summary, assert_govuk_page

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
GOOD = {
    "full_name": "  Priya Shah ",
    "email": "Priya.Shah@Example.org",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def test_signup_page_asks_for_full_name_first(client):
    html = client.get(SIGNUP_URL).content.decode()

    assert_govuk_page(html)
    labels = ["Full name", "Email address", "Create a password", "Confirm your password"]
    positions = [html.index(f">{label}</label>") for label in labels]
    assert positions == sorted(positions)
    assert "Use at least 10 characters" in html


def test_signup_creates_the_account_and_signs_in(client):
    response = client.post(SIGNUP_URL, GOOD)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "priya.shah@example.org"
    assert user.full_name == "Priya Shah"
    assert user.check_password("a-long-enough-passphrase")
    assert get_user(client) == user
    # The address is confirmed by a link, as email verification is optional.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya.shah@example.org"]


def test_missing_name_is_refused_and_the_rest_kept(client):
    response = client.post(SIGNUP_URL, {**GOOD, "full_name": "   "})

    html = response.content.decode()
    assert response.status_code == 200
    assert_error_summary(html, "Enter your full name")
    assert 'value="priya.shah@example.org"' in html or 'value="Priya.Shah@Example.org"' in html
    assert not User.objects.exists()


def test_weak_password_is_refused(client):
    response = client.post(SIGNUP_URL, {**GOOD, "password1": "short", "password2": "short"})

    assert_error_summary(response.content.decode(), "This password is too short")
    assert not User.objects.exists()


def test_passwords_must_match(client):
    response = client.post(SIGNUP_URL, {**GOOD, "password2": "a-different-passphrase"})

    assert_error_summary(response.content.decode(), "You must type the same password each time.")
    assert not User.objects.exists()


def test_an_email_already_in_use_is_refused(client, alice):
    response = client.post(SIGNUP_URL, {**GOOD, "email": "ALICE@example.org"})

    # With optional email verification allauth cannot hide which addresses have accounts
    # (the new account would be signed in straight away), so it says so plainly.
    assert_error_summary(response.content.decode(), "An account already exists with this email address")
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    assert not get_user(client).is_authenticated


def test_signed_in_people_are_sent_on_from_the_signup_page(client, alice):
    client.force_login(alice)

    response = client.get(SIGNUP_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_the_emailed_link_confirms_the_address(client):
    client.post(SIGNUP_URL, GOOD)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body

    page = client.get(link.group(1))
    assert "Confirm that priya.shah@example.org is your email address" in page.content.decode()
    client.post(link.group(1))

    assert EmailAddress.objects.get(email="priya.shah@example.org").verified
