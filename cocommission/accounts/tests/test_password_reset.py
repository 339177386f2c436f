"""Resetting a forgotten password with a link sent by email."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from cocommission.accounts.tests.factories import PASSWORD
from cocommission.accounts.tests.helpers import LOGIN_URL, assert_error_summary, assert_govuk_page

pytestmark = pytest.mark.django_db

RESET_URL = "/accounts/password/reset/"
NEW_PASSWORD = "a-brand-new-passphrase"


def request_reset_link(client, email: str) -> str:
    response = client.post(RESET_URL, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    return match.group(1)


def test_full_reset_through_the_emailed_link(client, alice):
    link = request_reset_link(client, "Alice@Example.org")

    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Cocommission: Reset your password"
    assert "Someone asked to reset the password for your Cocommission account" in message.body

    # The link swaps its key for the session, so the key never sits in the address bar.
    step = client.get(link)
    assert step.status_code == 302
    form_page = client.get(step["Location"])
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()

    done = client.post(step["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("account_reset_password_from_key_done")
    assert "Your password has been changed" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert client.post(LOGIN_URL, {"login": alice.email, "password": NEW_PASSWORD}).status_code == 302
    assert get_user(client) == alice


def test_a_link_works_once(client, alice):
    link = request_reset_link(client, alice.email)
    step = client.get(link)
    client.post(step["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link)

    html = again.content.decode()
    assert again.status_code == 200
    assert "This link does not work" in html
    assert reverse("account_reset_password") in html


def test_a_made_up_link_does_not_work(client, alice):
    response = client.get("/accounts/password/reset/key/1-not-a-real-key/")

    assert "This link does not work" in response.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_reset_link(client, db):
    response = client.post(RESET_URL, {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_reset_page_and_done_page_render(client):
    assert_govuk_page(client.get(RESET_URL).content.decode())
    done = client.get(reverse("account_reset_password_done")).content.decode()
    assert_govuk_page(done)
    assert "Check your email" in done


def test_empty_and_malformed_addresses_are_refused(client):
    assert_error_summary(client.post(RESET_URL, {"email": ""}).content.decode(), "Enter your email address")
    assert_error_summary(
        client.post(RESET_URL, {"email": "alice"}).content.decode(),
        "Enter an email address in the correct format, like name@example.org",
    )
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(client, alice):
    step = client.get(request_reset_link(client, alice.email))

    response = client.post(step["Location"], {"password1": "password", "password2": "password"})

    assert_error_summary(response.content.decode(), "This password is too common.")
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_resetting_the_password_lifts_a_lockout(client, alice):
    for _ in range(5):
        client.post(LOGIN_URL, {"login": alice.email, "password": "wrong-password"})
    assert client.post(LOGIN_URL, {"login": alice.email, "password": PASSWORD}).status_code == 429

    step = client.get(request_reset_link(client, alice.email))
    client.post(step["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert not AccessAttempt.objects.filter(username=alice.email).exists()
    assert client.post(LOGIN_URL, {"login": alice.email, "password": NEW_PASSWORD}).status_code == 302
    assert get_user(client) == alice
