"""Consortia: applying together with shared accountability and no mandatory lead.

The accountability matrix says which member delivers which agreed outcome and what share of
the budget and of the risk each member carries. Shares must add up to exactly 100%, so risk
cannot quietly pile up on one member. When the matrix changes a member's row after that member
confirmed, the member must confirm again: nobody is signed up to a share they did not see.

Who does what (kept simple): members of the organisation that started the application invite
members and keep the matrix; each invited organisation's admins confirm or decline for it;
every member that has not declined can read the application and the matrix.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Membership, Organisation

from ..models import Application, ConsortiumMember
from ..routes import Route
from .application_rules import CENT, HUNDRED, agreed_outcomes, closed_message, eligibility_problems, share_problems
from .applications import lock_application, refuse_unless_can_change


@dataclass(frozen=True)
class MatrixRow:
    """One member's row of the accountability matrix as entered."""

    outcome_ids: frozenset[int]
    budget_share: Decimal
    risk_share: Decimal


@dataclass
class MatrixResult:
    """What saving the matrix did: the members who must now confirm again."""

    reconfirm: list[Organisation] = field(default_factory=list)


def _lock_consortium_application(*, actor: User, application: Application, now: datetime.datetime) -> Application:
    locked = lock_application(application)
    refuse_unless_can_change(actor, locked)
    if locked.consortium is None:
        raise ValidationError("This application is from one organisation, not a consortium")
    _refuse_unless_open_draft(locked, now=now)
    return locked


def _refuse_unless_open_draft(application: Application, *, now: datetime.datetime) -> None:
    if application.status != Application.Status.DRAFT:
        status = application.get_status_display().lower()
        raise ValidationError(f"This application is {status}, so its consortium cannot change")
    closed = closed_message(application.opportunity, now=now, doing="changed")
    if closed:
        raise ValidationError(closed)


@transaction.atomic
def invite_member(
    *, actor: User, application: Application, organisation: Organisation, now: datetime.datetime | None = None
) -> ConsortiumMember:
    """Invite an organisation into the consortium (again, if it declined before).

    Every member must be eligible on its own, so a consortium cannot carry an organisation the
    opportunity is not for. The organisation's admins confirm or decline.
    """
    now = now or timezone.now()
    locked = _lock_consortium_application(actor=actor, application=application, now=now)
    assert locked.consortium is not None
    problems = eligibility_problems(locked.opportunity, organisation)
    if problems:
        raise ValidationError({"organisation": problems})
    member = ConsortiumMember.objects.filter(consortium=locked.consortium, organisation=organisation).first()
    if member is not None and member.status != ConsortiumMember.Status.DECLINED:
        raise ValidationError({"organisation": f"{organisation.name} is already part of the consortium"})
    if member is not None:
        before = audit.snapshot(member, ["status", "responded_at"])
        member.status = ConsortiumMember.Status.INVITED
        member.responded_at = None
        member.save()
        audit.record_update(actor=actor, instance=member, before=before, organisation_id=locked.organisation_id)
        return member
    member = ConsortiumMember.objects.create(consortium=locked.consortium, organisation=organisation)
    audit.record_create(actor=actor, instance=member, organisation_id=locked.organisation_id)
    audit.record_create(actor=actor, instance=member, organisation_id=organisation.pk)
    return member


@transaction.atomic
def respond_to_invitation(
    *, actor: User, member: ConsortiumMember, accept: bool, now: datetime.datetime | None = None
) -> ConsortiumMember:
    """An admin of the member organisation confirms it is part of the consortium, or declines.

    A member that confirmed may later decline (leave) while the application is a draft. The
    organisation that started the application cannot leave it: it withdraws the application.
    """
    now = now or timezone.now()
    locked = (
        ConsortiumMember.objects.select_for_update(of=("self",))
        .select_related("organisation", "consortium")
        .get(pk=member.pk)
    )
    application = lock_application(locked.consortium.application)
    organisation = locked.organisation
    is_admin = Membership.objects.filter(user=actor, organisation=organisation, role=Membership.Role.ADMIN).exists()
    if not is_admin:
        raise ValidationError(f"Only an admin of {organisation.name} can confirm or decline for it")
    if organisation.pk == application.organisation_id and not accept:
        raise ValidationError(
            f"{organisation.name} started this application, so it cannot leave the consortium. "
            "Withdraw the application instead"
        )
    _refuse_unless_open_draft(application, now=now)
    target = ConsortiumMember.Status.CONFIRMED if accept else ConsortiumMember.Status.DECLINED
    if locked.status == target:
        raise ValidationError(f"{organisation.name} has already {'confirmed' if accept else 'declined'}")
    before = audit.snapshot(locked, ["status", "responded_at"])
    locked.status = target
    locked.responded_at = now
    locked.save()
    for scope in {application.organisation_id, organisation.pk}:
        audit.record_update(actor=actor, instance=locked, before=before, organisation_id=scope)
    consortium = locked.consortium
    if not accept and consortium.lead_id == organisation.pk:
        # A lead that leaves is no lead: the starting organisation chooses again (or none).
        lead_before = audit.snapshot(consortium, ["lead"])
        consortium.lead = None
        consortium.save()
        audit.record_update(
            actor=actor, instance=consortium, before=lead_before, organisation_id=application.organisation_id
        )
    return locked


def _row_errors(member: ConsortiumMember, row: MatrixRow, agreed_ids: set[int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = member.organisation.name
    for label, key, share in (
        ("Budget", "budget_share", row.budget_share),
        ("Risk", "risk_share", row.risk_share),
    ):
        if share < 0 or share > HUNDRED:
            errors[f"{key}_{member.pk}"] = [f"{label} share for {name} must be between 0 and 100"]
        elif share != share.quantize(CENT):
            errors[f"{key}_{member.pk}"] = [f"{label} share for {name} must have no more than 2 decimal places"]
    if not row.outcome_ids <= agreed_ids:
        errors[f"outcomes_{member.pk}"] = [f"Select only agreed outcomes for {name}"]
    return errors


@transaction.atomic
def update_matrix(
    *,
    actor: User,
    application: Application,
    rows: dict[int, MatrixRow],
    lead_organisation_id: int | None,
    now: datetime.datetime | None = None,
) -> MatrixResult:
    """Save the accountability matrix: for each member that has not declined (keyed by member
    id), the agreed outcomes it delivers and its budget and risk shares, and the lead, if any.

    Refused with nothing saved when a share is out of range, the shares do not each add up to
    100%, a row is missing, or a lead is named on an alliance. Members (other than the starting
    organisation) whose row changed after they confirmed are asked to confirm again.
    """
    now = now or timezone.now()
    locked = _lock_consortium_application(actor=actor, application=application, now=now)
    consortium = locked.consortium
    assert consortium is not None
    members = list(
        ConsortiumMember.objects.select_for_update(of=("self",))
        .filter(consortium=consortium)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    errors: dict[str, list[str]] = {}
    missing = [member.organisation.name for member in members if member.pk not in rows]
    if missing:
        errors[NON_FIELD_ERRORS] = [f"Enter the shares for {', '.join(missing)}"]
    agreed_ids = {outcome.pk for outcome in agreed_outcomes(locked)}
    for member in members:
        if member.pk in rows:
            errors.update(_row_errors(member, rows[member.pk], agreed_ids))
    if not errors:
        sums = share_problems(
            budget_shares=[rows[m.pk].budget_share for m in members],
            risk_shares=[rows[m.pk].risk_share for m in members],
        )
        if sums:
            errors[NON_FIELD_ERRORS] = sums
    if lead_organisation_id is not None:
        if locked.opportunity.route == Route.ALLIANCE:
            errors["lead"] = ["An alliance has no lead: every member shares the accountability. Select no lead"]
        elif lead_organisation_id not in {member.organisation_id for member in members}:
            errors["lead"] = ["Select a member of the consortium as the lead, or no lead"]
    if errors:
        raise ValidationError(errors)

    result = MatrixResult()
    current_outcomes: dict[int, set[int]] = {member.pk: set() for member in members}
    for member_id, outcome_id in ConsortiumMember.outcomes.through.objects.filter(
        consortiummember_id__in=current_outcomes
    ).values_list("consortiummember_id", "opportunityoutcome_id"):
        current_outcomes[member_id].add(outcome_id)
    for member in members:
        row = rows[member.pk]
        before = audit.snapshot(member, ["budget_share", "risk_share", "status"])
        old_outcomes = current_outcomes[member.pk]
        changed = (
            member.budget_share != row.budget_share
            or member.risk_share != row.risk_share
            or old_outcomes != set(row.outcome_ids)
        )
        if not changed:
            continue
        member.budget_share = row.budget_share.quantize(CENT)
        member.risk_share = row.risk_share.quantize(CENT)
        if member.status == ConsortiumMember.Status.CONFIRMED and member.organisation_id != locked.organisation_id:
            member.status = ConsortiumMember.Status.INVITED
            member.responded_at = None
            result.reconfirm.append(member.organisation)
        member.save()
        member.outcomes.set(row.outcome_ids)
        changes = audit.diff(before, audit.snapshot(member, before.keys()))
        if old_outcomes != set(row.outcome_ids):
            changes["outcomes"] = [sorted(old_outcomes), sorted(row.outcome_ids)]
        for scope in {locked.organisation_id, member.organisation_id}:
            audit.record(
                actor=actor, action=AuditEvent.Action.UPDATE, instance=member, changes=changes, organisation_id=scope
            )
    if consortium.lead_id != lead_organisation_id:
        before = audit.snapshot(consortium, ["lead"])
        consortium.lead_id = lead_organisation_id
        consortium.save()
        audit.record_update(actor=actor, instance=consortium, before=before, organisation_id=locked.organisation_id)
    return result
