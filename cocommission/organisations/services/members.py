"""Writes for members and invitations.

Every change to who belongs to an organisation locks the organisation row first, so two admins
acting at once cannot both pass the "at least one admin" rule and leave nobody in charge.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent

from ..models import Invitation, Membership, Organisation
from ..tasks import send_invitation_email

INVITATION_LIFETIME = timedelta(days=14)


class InvitationUnusable(Exception):
    """An invitation link that cannot be accepted; `reason` says why, for the page to explain."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def last_admin_message(organisation: Organisation) -> str:
    return f"{organisation.name} must have at least one admin. Make someone else an admin first."


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _membership_label(membership: Membership) -> str:
    return f"{membership.user.email} in {membership.organisation.name}"


def _membership_state(membership: Membership) -> dict[str, Any]:
    return {"person": membership.user.email, "role": membership.role}


def _invitation_label(invitation: Invitation) -> str:
    return f"Invitation for {invitation.email} to {invitation.organisation.name}"


def _invitation_state(invitation: Invitation) -> dict[str, Any]:
    # Never the token: the audit page is read by people who must not be able to accept for someone else.
    return {
        "email": invitation.email,
        "role": invitation.role,
        "status": invitation.status,
        "expires_at": invitation.expires_at.isoformat(),
    }


def _guard_keeps_an_admin(organisation: Organisation, membership: Membership, *, field: str | None) -> None:
    if membership.role != Membership.Role.ADMIN:
        return
    others = (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        message = last_admin_message(organisation)
        raise ValidationError({field: message} if field else message)


@transaction.atomic
def invite_member(*, actor: User, organisation: Organisation, email: str, role: str, base_url: str = "") -> Invitation:
    """Invite someone by email. The email is sent once the invitation is safely saved.

    Refused when the address already belongs to a member or has an invitation waiting. An
    invitation that expired unanswered is withdrawn so a fresh one can replace it.
    """
    organisation = _lock(organisation)
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Select a role"})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation.name}"})
    now = timezone.now()
    waiting = Invitation.objects.select_for_update().filter(
        organisation=organisation, email__iexact=email, status=Invitation.Status.PENDING
    )
    for old in waiting:
        if old.expires_at > now:
            raise ValidationError(
                {
                    "email": f"{email} already has an invitation to {organisation.name} waiting for a reply. "
                    "Withdraw it first if you want to send a new one."
                }
            )
        _close(actor=actor, invitation=old, status=Invitation.Status.REVOKED, now=now)

    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=now + INVITATION_LIFETIME,
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Another admin invited the same address a moment ago.
        raise ValidationError(
            {"email": f"{email} already has an invitation to {organisation.name} waiting for a reply."}
        ) from None
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=invitation,
        changes=audit.created_changes(_invitation_state(invitation)),
        organisation_id=organisation.pk,
        label=_invitation_label(invitation),
    )
    invitation_id = invitation.pk
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id=invitation_id, base_url=base_url))
    return invitation


def _close(*, actor: User, invitation: Invitation, status: str, now: Any, accepted_by: User | None = None) -> None:
    """An invitation is answered (accepted) or withdrawn: it can no longer be used, and its history says so."""
    before = _invitation_state(invitation)
    invitation.status = status
    invitation.responded_at = now
    update_fields = ["status", "responded_at", "updated_at"]
    if accepted_by is not None:
        invitation.accepted_by = accepted_by
        update_fields.append("accepted_by")
    invitation.save(update_fields=update_fields)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=invitation,
        changes=audit.diff(before, _invitation_state(invitation)),
        organisation_id=invitation.organisation_id,
        label=_invitation_label(invitation),
    )


def add_membership(*, actor: User, user: User, organisation: Organisation, role: str) -> Membership:
    """Make someone a member and record it. Call it inside the transaction that locked the organisation."""
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=membership,
        changes=audit.created_changes(_membership_state(membership)),
        organisation_id=organisation.pk,
        label=_membership_label(membership),
    )
    return membership


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that is still waiting for a reply, so its link stops working."""
    locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise ValidationError(
            f"The invitation for {locked.email} has already been {locked.get_status_display().lower()}."
        )
    _close(actor=actor, invitation=locked, status=Invitation.Status.REVOKED, now=timezone.now())
    return locked


def invitation_problem(invitation: Invitation, user: User) -> str | None:
    """Why this person cannot accept this invitation, or None when they can.

    One of "accepted", "revoked", "expired", "wrong_email"; the accept page explains each.
    """
    if invitation.status == Invitation.Status.ACCEPTED:
        return "accepted"
    if invitation.status == Invitation.Status.REVOKED:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    if user.email.lower() != invitation.email.lower():
        return "wrong_email"
    return None


@transaction.atomic
def accept_invitation(*, user: User, token: str) -> Membership:
    """Join the organisation an invitation is for. Raises InvitationUnusable with the reason when it cannot be used."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise InvitationUnusable("not_found")
    problem = invitation_problem(invitation, user)
    if problem:
        raise InvitationUnusable(problem)
    organisation = _lock(invitation.organisation)

    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = add_membership(actor=user, user=user, organisation=organisation, role=invitation.role)
    _close(actor=user, invitation=invitation, status=Invitation.Status.ACCEPTED, now=timezone.now(), accepted_by=user)
    return membership


@transaction.atomic
def change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Make a member an admin or an admin a member; never demote the last admin."""
    organisation = _lock(membership.organisation)
    locked = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Select a role"})
    if role == locked.role:
        return locked
    if role != Membership.Role.ADMIN:
        _guard_keeps_an_admin(organisation, locked, field="role")
    old = locked.role
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=locked,
        changes={"role": [old, role]},
        organisation_id=organisation.pk,
        label=_membership_label(locked),
    )
    return locked


def _delete_membership(*, actor: User, membership: Membership) -> None:
    organisation = _lock(membership.organisation)
    locked = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    _guard_keeps_an_admin(organisation, locked, field=None)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=locked,
        changes=audit.deleted_changes(_membership_state(locked)),
        organisation_id=organisation.pk,
        label=_membership_label(locked),
    )
    locked.delete()


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    """Take someone out of an organisation; never the last admin."""
    _delete_membership(actor=actor, membership=membership)


@transaction.atomic
def leave_organisation(*, user: User, organisation: Organisation) -> None:
    """A person leaves an organisation they belong to; the last admin must hand over first."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise ValidationError(f"You are not a member of {organisation.name}.")
    _delete_membership(actor=user, membership=membership)
