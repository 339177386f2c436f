"""Member pages through the web: listing, inviting, accepting, roles, removing and leaving."""

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.accounts.tests.factories import UserFactory
from cocommission.organisations.models import Invitation, Membership, Organisation
from cocommission.organisations.services.members import invite_member
from cocommission.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def make_user(email: str) -> User:
    return cast(User, UserFactory(email=email))


LAST_ADMIN = "Riverside Carers must have at least one admin. Make someone else an admin first."


def url(name: str, organisation: Organisation, *args: Any) -> str:
    return reverse(f"organisations:{name}", args=[organisation.slug, *args])


def bob_membership(bob: Any, org_a: Organisation) -> Membership:
    return Membership.objects.get(user=bob, organisation=org_a)


# Who may see and do what


def test_members_see_the_member_list_and_only_admins_manage(
    client: Client, alice: Any, bob: Any, org_a: Organisation
) -> None:
    client.force_login(bob)
    html = client.get(url("members", org_a)).content.decode()
    assert "alice@example.org" in html and "bob@example.org" in html
    assert "Invite someone" not in html and "Change role" not in html
    client.force_login(alice)
    html = client.get(url("members", org_a)).content.decode()
    assert "Invite someone" in html and "Change role" in html


@pytest.mark.parametrize("persona", ["charlie", "cora", "lena"])
def test_outsiders_cannot_see_or_manage_members(
    client: Client, request: Any, alice: Any, bob: Any, org_a: Organisation, persona: str
) -> None:
    invitation = invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    client.force_login(request.getfixturevalue(persona))
    membership = bob_membership(bob, org_a)
    assert client.get(url("members", org_a)).status_code == 403
    assert client.get(url("invite", org_a)).status_code == 403
    assert client.post(url("invite", org_a), {"email": "x@example.org", "role": "admin"}).status_code == 403
    assert client.get(url("invitations", org_a)).status_code == 403
    assert client.post(url("withdraw_invitation", org_a, invitation.pk)).status_code == 403
    assert client.post(url("member_role", org_a, membership.pk), {"role": "admin"}).status_code == 403
    assert client.post(url("member_remove", org_a, membership.pk)).status_code == 403
    assert client.post(url("leave", org_a)).status_code == 403
    assert bob_membership(bob, org_a).role == "member"
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_a_member_who_is_not_an_admin_cannot_manage(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    client.force_login(bob)
    alice_membership = Membership.objects.get(user=alice)
    assert client.get(url("invite", org_a)).status_code == 403
    assert client.post(url("member_role", org_a, alice_membership.pk), {"role": "member"}).status_code == 403
    assert client.post(url("member_remove", org_a, alice_membership.pk)).status_code == 403


def test_another_organisations_membership_is_a_404_from_this_page(
    client: Client, alice: Any, charlie: Any, org_a: Organisation, org_b: Organisation
) -> None:
    client.force_login(alice)
    charlies = Membership.objects.get(user=charlie)
    assert client.get(url("member_remove", org_a, charlies.pk)).status_code == 404
    assert client.post(url("member_role", org_a, charlies.pk), {"role": "member"}).status_code == 404


@pytest.mark.parametrize("name", ["members", "invite", "invitations", "leave"])
def test_anonymous_people_are_sent_to_sign_in(client: Client, org_a: Organisation, name: str) -> None:
    response = client.get(url(name, org_a))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# Inviting


def test_an_admin_invites_someone_and_they_get_an_email(
    client: Client, alice: Any, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invite", org_a), {"email": "new@example.org", "role": "admin"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new@example.org")
    assert invitation.role == "admin" and invitation.invited_by == alice
    assert len(mail.outbox) == 1
    assert f"http://testserver/organisations/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "We have emailed an invitation to new@example.org." in client.get(response["Location"]).content.decode()


def test_inviting_an_existing_member_is_explained_next_to_the_email(
    client: Client, alice: Any, bob: Any, org_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(url("invite", org_a), {"email": "bob@example.org", "role": "admin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "bob@example.org is already a member of Riverside Carers" in html
    assert 'id="id_email-error"' in html
    assert 'value="bob@example.org"' in html and 'value="admin" checked' in html
    assert not Invitation.objects.exists()


def test_a_malformed_email_is_explained(client: Client, alice: Any, org_a: Organisation) -> None:
    client.force_login(alice)
    response = client.post(url("invite", org_a), {"email": "not-an-email", "role": "member"})
    assert "Enter an email address in the correct format, like name@example.org" in response.content.decode()


def test_the_invitations_page_lists_waiting_invitations(client: Client, alice: Any, org_a: Organisation) -> None:
    invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    client.force_login(alice)
    html = client.get(url("invitations", org_a)).content.decode()
    assert "new@example.org" in html and "Withdraw" in html


def test_withdrawing_asks_first_then_withdraws(client: Client, alice: Any, org_a: Organisation) -> None:
    invitation = invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    client.force_login(alice)
    page = client.get(url("withdraw_invitation", org_a, invitation.pk))
    assert "Are you sure you want to withdraw the invitation for new@example.org?" in page.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"
    response = client.post(url("withdraw_invitation", org_a, invitation.pk))
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).status == "revoked"
    again = client.post(url("withdraw_invitation", org_a, invitation.pk))
    assert "has already been withdrawn" in again.content.decode()


# Accepting


@pytest.fixture
def invitation(alice: Any, org_a: Organisation) -> Invitation:
    return invite_member(actor=alice, organisation=org_a, email="dev@example.org", role="member")


def accept_url(invitation: Invitation) -> str:
    return reverse("organisations:accept_invitation", args=[invitation.token])


def test_signed_out_people_sign_in_first_and_come_back(client: Client, invitation: Invitation) -> None:
    response = client.get(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert invitation.token in response["Location"]


def test_the_invited_person_accepts(client: Client, invitation: Invitation) -> None:
    dev = make_user("dev@example.org")
    client.force_login(dev)
    page = client.get(accept_url(invitation)).content.decode()
    assert "Join Riverside Carers" in page and "as a member" in page
    assert not Membership.objects.filter(user=dev).exists()  # a GET never accepts
    response = client.post(accept_url(invitation))
    assert response.status_code == 302 and response["Location"] == url("detail", invitation.organisation)
    assert Membership.objects.get(user=dev).role == "member"
    assert "You are now a member of Riverside Carers." in client.get(response["Location"]).content.decode()


def test_someone_with_a_different_email_is_told_clearly(client: Client, invitation: Invitation, charlie: Any) -> None:
    client.force_login(charlie)
    response = client.get(accept_url(invitation))
    html = response.content.decode()
    assert response.status_code == 403
    assert "This invitation is for someone else" in html and "charlie@example.org" in html
    assert "dev@example.org" not in html
    assert client.post(accept_url(invitation)).status_code == 403
    assert not Membership.objects.filter(user=charlie, organisation=invitation.organisation).exists()


@pytest.mark.parametrize(
    ("change", "heading"),
    [
        ({"status": "accepted"}, "This invitation has already been used"),
        ({"status": "revoked"}, "This invitation has been withdrawn"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "This invitation has expired"),
    ],
)
def test_a_link_that_no_longer_works_gets_a_clear_page(
    client: Client, invitation: Invitation, change: dict[str, Any], heading: str
) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    dev = make_user("dev@example.org")
    client.force_login(dev)
    for response in (client.get(accept_url(invitation)), client.post(accept_url(invitation))):
        assert response.status_code == 410
        assert heading in response.content.decode()
    assert not Membership.objects.filter(user=dev).exists()


def test_an_unknown_token_gets_a_clear_404(client: Client, bob: Any) -> None:
    client.force_login(bob)
    response = client.get(reverse("organisations:accept_invitation", args=["made-up"]))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


# Roles, removing and leaving


def test_an_admin_changes_a_role(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    client.force_login(alice)
    membership = bob_membership(bob, org_a)
    assert client.get(url("member_role", org_a, membership.pk)).status_code == 200
    response = client.post(url("member_role", org_a, membership.pk), {"role": "admin"})
    assert response.status_code == 302
    assert bob_membership(bob, org_a).role == "admin"


def test_demoting_the_last_admin_is_explained(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    client.force_login(alice)
    own = Membership.objects.get(user=alice)
    response = client.post(url("member_role", org_a, own.pk), {"role": "member"})
    html = response.content.decode()
    assert response.status_code == 200
    assert LAST_ADMIN in html and 'id="id_role-error"' in html
    assert Membership.objects.get(user=alice).role == "admin"


def test_removing_asks_first_then_removes(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    client.force_login(alice)
    membership = bob_membership(bob, org_a)
    page = client.get(url("member_remove", org_a, membership.pk)).content.decode()
    assert "Are you sure you want to remove" in page
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url("member_remove", org_a, membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_admin_is_explained(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    client.force_login(alice)
    own = Membership.objects.get(user=alice)
    response = client.post(url("member_remove", org_a, own.pk))
    html = response.content.decode()
    assert response.status_code == 200 and LAST_ADMIN in html
    assert "<title>Error: " in html
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_member_leaves(client: Client, alice: Any, bob: Any, org_a: Organisation) -> None:
    client.force_login(bob)
    assert "Are you sure you want to leave Riverside Carers?" in client.get(url("leave", org_a)).content.decode()
    response = client.post(url("leave", org_a))
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")
    assert not Membership.objects.filter(user=bob).exists()


def test_the_last_admin_cannot_leave(client: Client, alice: Any, org_a: Organisation) -> None:
    client.force_login(alice)
    response = client.post(url("leave", org_a))
    assert response.status_code == 200 and LAST_ADMIN in response.content.decode()
    assert Membership.objects.filter(user=alice).exists()


def test_the_member_list_is_paginated_without_a_query_per_row(
    client: Client, alice: Any, org_a: Organisation, django_assert_max_num_queries: Any
) -> None:
    client.force_login(alice)
    client.get(url("members", org_a))  # warm the session
    MembershipFactory.create_batch(3, organisation=org_a)
    with django_assert_max_num_queries(20) as few:
        client.get(url("members", org_a))
    MembershipFactory.create_batch(30, organisation=org_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("members", org_a))
    assert response.context["page"].paginator.num_pages == 2
