"""Your account, and the email address page as it looks to people created outside allauth."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_your_account_needs_sign_in(client):
    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_your_account_shows_name_email_and_two_step_status(client, alice):
    client.force_login(alice)

    html = client.get(reverse("accounts:settings")).content.decode()

    assert alice.full_name in html
    assert alice.email in html
    assert '<strong class="govuk-tag govuk-tag--grey">Off</strong>' in html
    assert reverse("mfa_index") in html
    assert reverse("account_change_password") in html


def test_your_account_shows_two_step_on(client, alice):
    TOTP.activate(alice, generate_totp_secret())
    client.force_login(alice)

    html = client.get(reverse("accounts:settings")).content.decode()

    assert '<strong class="govuk-tag govuk-tag--green">On</strong>' in html


def test_the_sign_in_address_is_never_offered_for_removal(client, alice):
    # Demo and admin-made people have no allauth record; allauth adds one, not marked primary.
    client.force_login(alice)

    html = client.get(reverse("account_email")).content.decode()

    assert EmailAddress.objects.filter(user=alice, primary=False).exists()
    assert "Yes, you sign in with it" in html
    assert 'name="action_remove"' not in html
    assert 'name="action_send"' in html


def test_add_a_second_address_and_remove_it(client, alice):
    client.force_login(alice)

    client.post(reverse("account_email"), {"action_add": "", "email": "alice.work@example.org"})
    assert EmailAddress.objects.filter(user=alice, email="alice.work@example.org").exists()
    assert [m.to for m in mail.outbox] == [["alice.work@example.org"]]
    html = client.get(reverse("account_email")).content.decode()
    assert html.count('name="action_remove"') == 1

    client.post(reverse("account_email"), {"action_remove": "", "email": "alice.work@example.org"})

    assert not EmailAddress.objects.filter(email="alice.work@example.org").exists()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
