"""Members and invitations: who may join, and the rule that an organisation always has an admin."""

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.accounts.tests.factories import UserFactory
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Invitation, Membership, Organisation
from cocommission.organisations.services.members import (
    INVITATION_LIFETIME,
    InvitationUnusable,
    accept_invitation,
    change_role,
    invite_member,
    leave_organisation,
    remove_member,
    revoke_invitation,
)

pytestmark = pytest.mark.django_db


def make_user(email: str | None = None) -> User:
    return cast(User, UserFactory(email=email) if email else UserFactory())


LAST_ADMIN = "Riverside Carers must have at least one admin. Make someone else an admin first."


def membership_of(user: Any, organisation: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


# Inviting


def test_an_invitation_has_a_secret_token_and_lasts_14_days(alice: Any, org_a: Organisation) -> None:
    before = timezone.now()
    invitation = invite_member(actor=alice, organisation=org_a, email=" New.Person@Example.org ", role="member")
    assert invitation.email == "new.person@example.org"
    assert invitation.status == Invitation.Status.PENDING
    assert len(invitation.token) >= 40
    assert before + INVITATION_LIFETIME <= invitation.expires_at <= timezone.now() + INVITATION_LIFETIME
    other = invite_member(actor=alice, organisation=org_a, email="someone@example.org", role="admin")
    assert other.token != invitation.token


def test_the_email_goes_out_only_after_the_invitation_is_saved(
    alice: Any, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite_member(
            actor=alice, organisation=org_a, email="new@example.org", role="member", base_url="https://coco.test/"
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "Riverside Carers" in message.subject
    assert f"https://coco.test/organisations/invitations/{invitation.token}/" in message.body
    assert "as a member" in message.body


def test_no_email_for_an_invitation_withdrawn_before_the_task_ran(
    alice: Any, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    revoke_invitation(actor=alice, invitation=invitation)
    callbacks[0]()
    assert mail.outbox == []


def test_inviting_an_existing_member_is_refused(alice: Any, bob: Any, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        invite_member(actor=alice, organisation=org_a, email="BOB@example.org", role="member")
    assert caught.value.message_dict == {"email": ["bob@example.org is already a member of Riverside Carers"]}
    assert not Invitation.objects.exists()


def test_a_second_invitation_while_one_is_waiting_is_refused(alice: Any, org_a: Organisation) -> None:
    invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    with pytest.raises(ValidationError) as caught:
        invite_member(actor=alice, organisation=org_a, email="New@example.org", role="admin")
    assert "already has an invitation to Riverside Carers waiting for a reply" in caught.value.message_dict["email"][0]
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_is_replaced(alice: Any, org_a: Organisation) -> None:
    old = invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    new = invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    old.refresh_from_db()
    assert old.status == Invitation.Status.REVOKED and new.status == Invitation.Status.PENDING


def test_the_same_person_can_be_invited_by_two_organisations(alice: Any, charlie: Any, org_a: Any, org_b: Any) -> None:
    invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    invite_member(actor=charlie, organisation=org_b, email="new@example.org", role="member")
    assert Invitation.objects.filter(email="new@example.org").count() == 2


# Accepting


@pytest.fixture
def invitation(alice: Any, org_a: Organisation) -> Invitation:
    return invite_member(actor=alice, organisation=org_a, email="dev@example.org", role="admin")


@pytest.fixture
def dev(db: Any) -> Any:
    return make_user("dev@example.org")


def test_accepting_creates_the_membership_with_the_invited_role(invitation: Invitation, dev: Any) -> None:
    membership = accept_invitation(user=dev, token=invitation.token)
    assert membership.role == Membership.Role.ADMIN and membership.organisation == invitation.organisation
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == dev and invitation.responded_at is not None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Invitation.Status.ACCEPTED}, "accepted"),
        ({"status": Invitation.Status.REVOKED}, "revoked"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
    ],
)
def test_a_used_withdrawn_or_expired_invitation_cannot_be_accepted(
    invitation: Invitation, dev: Any, change: dict[str, Any], reason: str
) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    with pytest.raises(InvitationUnusable) as caught:
        accept_invitation(user=dev, token=invitation.token)
    assert caught.value.reason == reason
    assert not Membership.objects.filter(user=dev).exists()


def test_someone_else_cannot_accept(invitation: Invitation, charlie: Any) -> None:
    with pytest.raises(InvitationUnusable) as caught:
        accept_invitation(user=charlie, token=invitation.token)
    assert caught.value.reason == "wrong_email"
    assert not Membership.objects.filter(user=charlie, organisation=invitation.organisation).exists()


def test_an_unknown_token_cannot_be_accepted(dev: Any) -> None:
    with pytest.raises(InvitationUnusable) as caught:
        accept_invitation(user=dev, token="not-a-real-token")
    assert caught.value.reason == "not_found"


def test_email_case_does_not_matter(alice: Any, org_a: Organisation) -> None:
    invitation = invite_member(actor=alice, organisation=org_a, email="Mixed.Case@example.org", role="member")
    user = make_user("mixed.case@example.org")
    assert accept_invitation(user=user, token=invitation.token).user == user


# Roles and removal


def test_an_admin_can_promote_and_demote(alice: Any, bob: Any, org_a: Organisation) -> None:
    promoted = change_role(actor=alice, membership=membership_of(bob, org_a), role="admin")
    assert promoted.role == "admin"
    demoted = change_role(actor=bob, membership=membership_of(alice, org_a), role="member")
    assert demoted.role == "member"


def test_the_last_admin_cannot_be_demoted(alice: Any, bob: Any, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        change_role(actor=alice, membership=membership_of(alice, org_a), role="member")
    assert caught.value.message_dict == {"role": [LAST_ADMIN]}
    assert membership_of(alice, org_a).role == "admin"


def test_the_last_admin_cannot_be_removed(alice: Any, bob: Any, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        remove_member(actor=alice, membership=membership_of(alice, org_a))
    assert caught.value.messages == [LAST_ADMIN]
    assert Membership.objects.filter(user=alice, organisation=org_a).exists()


def test_the_last_admin_cannot_leave(alice: Any, bob: Any, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        leave_organisation(user=alice, organisation=org_a)
    assert caught.value.messages == [LAST_ADMIN]


def test_a_member_can_leave_and_an_admin_can_leave_when_another_admin_remains(
    alice: Any, bob: Any, org_a: Organisation
) -> None:
    leave_organisation(user=bob, organisation=org_a)
    assert not Membership.objects.filter(user=bob, organisation=org_a).exists()
    second_admin = make_user()
    Membership.objects.create(user=second_admin, organisation=org_a, role="admin")
    leave_organisation(user=alice, organisation=org_a)
    assert list(org_a.memberships.values_list("user", flat=True)) == [second_admin.pk]


def test_leaving_an_organisation_you_are_not_in_is_refused(charlie: Any, org_a: Organisation) -> None:
    with pytest.raises(ValidationError):
        leave_organisation(user=charlie, organisation=org_a)


def test_removing_a_member(alice: Any, bob: Any, org_a: Organisation) -> None:
    remove_member(actor=alice, membership=membership_of(bob, org_a))
    assert not Membership.objects.filter(user=bob).exists()


def test_the_admin_check_reads_the_locked_state_not_a_stale_copy(alice: Any, bob: Any, org_a: Organisation) -> None:
    """Two admins each demote the other from pages loaded at the same time: the second must fail."""
    change_role(actor=alice, membership=membership_of(bob, org_a), role="admin")
    alice_seen_by_bob = membership_of(alice, org_a)
    bob_seen_by_alice = membership_of(bob, org_a)
    change_role(actor=alice, membership=bob_seen_by_alice, role="member")
    with pytest.raises(ValidationError):
        change_role(actor=bob, membership=alice_seen_by_bob, role="member")
    assert Membership.objects.filter(organisation=org_a, role="admin").count() == 1


def test_revoking_twice_is_refused(invitation: Invitation, alice: Any) -> None:
    revoke_invitation(actor=alice, invitation=invitation)
    with pytest.raises(ValidationError) as caught:
        revoke_invitation(actor=alice, invitation=invitation)
    assert caught.value.messages == ["The invitation for dev@example.org has already been withdrawn."]


# Audit


def test_every_member_change_is_audited(alice: Any, bob: Any, org_a: Organisation, dev: Any) -> None:
    invitation = invite_member(actor=alice, organisation=org_a, email="dev@example.org", role="member")
    accept_invitation(user=dev, token=invitation.token)
    change_role(actor=alice, membership=membership_of(dev, org_a), role="admin")
    remove_member(actor=alice, membership=membership_of(bob, org_a))
    events = list(AuditEvent.objects.filter(organisation_id=org_a.pk).order_by("id"))
    summary = [(e.action, e.object_type, e.actor_label) for e in events]
    assert summary == [
        ("create", "organisations.invitation", "alice@example.org"),
        ("create", "organisations.membership", "dev@example.org"),
        ("update", "organisations.invitation", "dev@example.org"),
        ("update", "organisations.membership", "alice@example.org"),
        ("delete", "organisations.membership", "alice@example.org"),
    ]
    invited, joined, accepted, promoted, removed = events
    assert invited.changes["email"] == [None, "dev@example.org"]
    assert "token" not in invited.changes and invitation.token not in str(invited.changes)
    assert joined.changes == {"person": [None, "dev@example.org"], "role": [None, "member"]}
    assert accepted.changes == {"status": ["pending", "accepted"]}
    assert promoted.changes == {"role": ["member", "admin"]}
    assert removed.changes == {"person": ["bob@example.org", None], "role": ["member", None]}
    assert removed.object_label == "bob@example.org in Riverside Carers"


def test_refused_changes_leave_no_audit_entry(alice: Any, bob: Any, org_a: Organisation) -> None:
    with pytest.raises(ValidationError):
        remove_member(actor=alice, membership=membership_of(alice, org_a))
    with pytest.raises(ValidationError):
        invite_member(actor=alice, organisation=org_a, email="bob@example.org", role="member")
    assert not AuditEvent.objects.exists()
