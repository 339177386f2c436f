"""Variations: the only way to change an agreement once both parties have signed it.

Either party proposes a change of value, end date, scope, one budget line, or grant or
contract, with a reason; proposing counts as the proposer's side approving it. The other side
approves or rejects it; the proposer's side may withdraw it while it waits. When both sides
have approved, the change is applied in the same transaction as the second approval, under row
locks on the agreement and the variation, so however many approvals arrive at once the change
happens exactly once. Applying records what the agreement looked like before and after, checks
the budget still fits, recomputes the payment schedule, and adds audit and timeline entries.
"""

from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit

from ..models import Agreement, BudgetLine, Variation
from ..permissions import FUNDER, PROVIDER, sides_of
from ..selectors.changes import (
    SIDE_NAMES,
    change_summary,
    current_state,
    line_state,
    matching_line,
    proposed_state,
    proposer_side,
    term_years_between,
)
from . import budget as budget_service
from . import guards
from . import schedule as schedule_service
from . import vat as vat_service
from .timeline import record_agreement_event
from .variation_rules import (
    MAIN_FIELD,
    REASON_MAX_LENGTH,
    Proposal,
    long_date,
    paid_so_far,
    proposal_problems,
    unsaved_variation,
)

Kind = Variation.Kind
Status = Variation.Status
NOT_WAITING = {
    Status.APPLIED: "This variation has already been approved by both parties and applied.",
    Status.REJECTED: "This variation was rejected, so it can no longer change.",
    Status.WITHDRAWN: "This variation was withdrawn, so it can no longer change.",
}


class _Undo(Exception):
    """Raised to roll back a trial run of a change."""


def _scopes(agreement: Agreement) -> list[dict[str, int | None]]:
    return [
        {"organisation_id": organisation_id, "partnership_id": agreement.partnership_id}
        for organisation_id in sorted({agreement.funder_id, agreement.provider_id})
    ]


def _side_name(side: str) -> str:
    return SIDE_NAMES.get(side, "the other party")


def _apply_changes(
    *, actor: User | None, agreement: Agreement, variation: Variation
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the agreement (or its budget line) as the variation says; return before and after."""
    kind = variation.kind
    lines = list(BudgetLine.objects.filter(agreement=agreement)) if kind == Kind.BUDGET else []
    before = current_state(agreement, variation, lines)
    if kind == Kind.BUDGET:
        return before, _apply_budget_line(actor=actor, agreement=agreement, variation=variation, lines=lines)
    if kind == Kind.VALUE:
        assert variation.new_value is not None
        agreement.value = variation.new_value
        fields = ["value"]
    elif kind == Kind.END_DATE:
        assert variation.new_end_date is not None and agreement.start_date is not None
        agreement.end_date = variation.new_end_date
        agreement.term_years = term_years_between(agreement.start_date, variation.new_end_date)
        fields = ["end_date", "term_years"]
    elif kind == Kind.SCOPE:
        agreement.scope = variation.new_scope
        fields = ["scope"]
    else:
        agreement.agreement_type = variation.new_type
        agreement.vat_rate = variation.new_vat_rate
        rate = f" (VAT at {variation.new_vat_rate}%)" if variation.new_vat_rate is not None else ""
        note = (
            f"Variation {variation.number}, approved by both parties, made this agreement a "
            f"{Agreement.Type(variation.new_type).name.lower()}{rate}: {variation.reason}"
        )
        agreement.vat_reasoning = f"{agreement.vat_reasoning}\n\n{note}".strip()
        fields = ["agreement_type", "vat_rate", "vat_reasoning"]
    agreement.save(update_fields=[*fields, "updated_at"])
    return before, current_state(agreement, variation)


def _apply_budget_line(
    *, actor: User | None, agreement: Agreement, variation: Variation, lines: list[BudgetLine]
) -> dict[str, Any]:
    line = matching_line(lines, variation)
    amount = variation.budget_amount
    assert amount is not None
    scope = _scopes(agreement)[0]
    if line is None:
        assert variation.budget_year is not None
        line = BudgetLine.objects.create(
            agreement=agreement,
            year=variation.budget_year,
            category=variation.budget_category,
            description=variation.budget_description,
            amount=amount,
        )
        audit.record_create(actor=actor, instance=line, **scope)
        return {"budget_line": line_state(line)}
    if amount == 0:
        audit.record_delete(actor=actor, instance=line, **scope)
        line.delete()
        return {"budget_line": None}
    snapshot = audit.snapshot(line)
    line.amount = amount
    line.save(update_fields=["amount", "updated_at"])
    audit.record_update(actor=actor, instance=line, before=snapshot, **scope)
    return {"budget_line": line_state(line)}


def _trial_run(*, agreement: Agreement, variation: Variation) -> None:
    """Apply the change in a savepoint, run the budget check, and roll it all back: a proposal
    that could never be applied is refused when it is made, not when the other side approves."""
    trial = Agreement.objects.get(pk=agreement.pk)
    try:
        with transaction.atomic():
            _apply_changes(actor=None, agreement=trial, variation=variation)
            budget_service.check_budget_fits(trial)
            raise _Undo
    except _Undo:
        pass
    except ValidationError as exc:
        raise ValidationError({MAIN_FIELD[Kind(variation.kind)]: exc.messages}) from exc


def check_proposal(*, agreement: Agreement, kind: str, reason: str, proposal: Proposal) -> Decimal | None:
    """Refuse a proposal that cannot be made, with errors keyed by the form's fields.

    Returns, for a change of grant or contract, the change in VAT in pounds on what is still
    to be paid (positive means more VAT), so the page can warn before the person confirms.
    Writes nothing (a trial run happens in a savepoint that is always rolled back).
    """
    guards.ensure_signed_and_running(agreement)
    problems = proposal_problems(agreement, kind, reason, proposal)
    if problems:
        raise ValidationError(problems)
    variation = unsaved_variation(agreement, kind, reason, proposal)
    if kind in (Kind.VALUE, Kind.END_DATE, Kind.BUDGET):
        _trial_run(agreement=agreement, variation=variation)
    if kind == Kind.TYPE:
        return vat_service.vat_effect(agreement, new_type=variation.new_type, new_rate=variation.new_vat_rate)
    return None


def _acting_side(actor: User, agreement: Agreement) -> str:
    sides = sides_of(actor, agreement)
    if not sides:
        raise ValidationError("Only the funder and the provider can change this agreement.")
    return FUNDER if FUNDER in sides else PROVIDER


@transaction.atomic
def propose_variation(*, actor: User, agreement: Agreement, kind: str, reason: str, proposal: Proposal) -> Variation:
    """Propose a change to a signed, running agreement. The proposer's side approves it by
    proposing it; it is numbered 1, 2, 3… per agreement (the agreement row is locked to count)."""
    locked = guards.lock(agreement)
    side = _acting_side(actor, locked)
    effect = check_proposal(agreement=locked, kind=kind, reason=reason, proposal=proposal)
    variation = unsaved_variation(locked, kind, reason, proposal)
    highest = Variation.objects.filter(agreement=locked).aggregate(n=Max("number"))["n"] or 0
    variation.number = highest + 1
    variation.vat_effect = effect
    variation.proposed_by = actor
    now = timezone.now()
    if side == FUNDER:
        variation.funder_approved_at, variation.funder_approved_by = now, actor
    else:
        variation.provider_approved_at, variation.provider_approved_by = now, actor
    variation.save()
    for scope in _scopes(locked):
        audit.record_create(actor=actor, instance=variation, **scope)
    years = None
    if kind == Kind.END_DATE and locked.start_date and variation.new_end_date:
        years = term_years_between(locked.start_date, variation.new_end_date)
    lines = BudgetLine.objects.filter(agreement=locked)
    summary = change_summary(current_state(locked, variation, lines), proposed_state(variation, term_years=years))
    record_agreement_event(
        actor=actor,
        agreement=locked,
        summary=f"Variation {variation.number} proposed by {_side_name(side)}: {summary}",
    )
    transaction.on_commit(partial(_queue_email, variation_id=variation.pk))
    return variation


def _queue_email(*, variation_id: int) -> None:
    # Sent from the task worker, like every other email the service sends.
    from ..tasks import email_variation_proposed_task

    email_variation_proposed_task.enqueue(variation_id=variation_id)


def _lock_variation(variation: Variation) -> tuple[Agreement, Variation]:
    """The agreement, then the variation, locked in that order by every write here."""
    agreement = guards.lock(variation.agreement)
    locked = Variation.objects.select_for_update(of=("self",)).get(pk=variation.pk)
    return agreement, locked


def _ensure_waiting(variation: Variation) -> None:
    if variation.status != Status.PROPOSED:
        raise ValidationError(NOT_WAITING[Status(variation.status)])


def approval_side(*, actor: User, agreement: Agreement, variation: Variation) -> str:
    """The side the person would approve for, or ValidationError saying why they cannot."""
    _ensure_waiting(variation)
    guards.ensure_signed_and_running(agreement)
    sides = sides_of(actor, agreement)
    if not sides:
        raise ValidationError("Only the funder and the provider can approve a variation.")
    if variation.proposed_by_id is not None and variation.proposed_by_id == actor.pk:
        raise ValidationError("You proposed this variation, so someone from the other party must approve it.")
    approved = {FUNDER: variation.funder_approved_at, PROVIDER: variation.provider_approved_at}
    for side in (FUNDER, PROVIDER):
        if side in sides and approved[side] is None:
            return side
    side = FUNDER if FUNDER in sides else PROVIDER
    other = PROVIDER if side == FUNDER else FUNDER
    raise ValidationError(
        f"{_side_name(side).capitalize()} has already approved this variation. "
        f"It now needs the approval of {_side_name(other)}."
    )


@transaction.atomic
def approve_variation(*, actor: User, variation: Variation) -> Variation:
    """Approve for the person's side; when both sides have approved, apply the change now.

    The variation row is locked and read again, so of many approvals arriving together one
    applies the change and the rest are told it is already applied.
    """
    agreement, locked = _lock_variation(variation)
    side = approval_side(actor=actor, agreement=agreement, variation=locked)
    before = audit.snapshot(locked, ["status", "funder_approved_at", "provider_approved_at", "applied_at"])
    now = timezone.now()
    if side == FUNDER:
        locked.funder_approved_at, locked.funder_approved_by = now, actor
    else:
        locked.provider_approved_at, locked.provider_approved_by = now, actor
    if locked.funder_approved_at and locked.provider_approved_at:
        _apply(actor=actor, agreement=agreement, variation=locked)
    locked.save()
    for scope in _scopes(agreement):
        audit.record_update(actor=actor, instance=locked, before=before, **scope)
    return locked


def _ensure_still_possible(agreement: Agreement, variation: Variation) -> None:
    """What may have changed since the proposal: payments made, the term, the budget lines."""
    paid, last_paid = paid_so_far(agreement)
    problem = ""
    if variation.kind == Kind.VALUE and variation.new_value is not None and variation.new_value < paid:
        problem = f"£{paid:,.2f} has now been paid, which is more than the new value."
    elif (
        variation.kind == Kind.END_DATE and last_paid and variation.new_end_date and variation.new_end_date < last_paid
    ):
        problem = f"Payments have now been made for the period up to {long_date(last_paid)}, after the new end date."
    elif variation.kind == Kind.BUDGET:
        if variation.budget_year and variation.budget_year > agreement.term_years:
            problem = (
                f"The agreement now runs for {agreement.term_years} years, so it has no year {variation.budget_year}."
            )
        elif (
            not variation.budget_amount
            and matching_line(BudgetLine.objects.filter(agreement=agreement), variation) is None
        ):
            problem = "The budget line this variation removes is no longer in the budget."
    if problem:
        raise ValidationError(f"This variation cannot be applied: {problem} Reject it and propose a new one.")


def _apply(*, actor: User, agreement: Agreement, variation: Variation) -> None:
    _ensure_still_possible(agreement, variation)
    agreement_before = audit.snapshot(agreement)
    before, after = _apply_changes(actor=actor, agreement=agreement, variation=variation)
    if variation.kind in (Kind.VALUE, Kind.END_DATE, Kind.BUDGET):
        try:
            budget_service.check_budget_fits(agreement)
        except ValidationError as exc:
            raise ValidationError(
                f"This variation cannot be applied: {' '.join(exc.messages)}. Reject it and propose a new one."
            ) from exc
    if variation.kind in (Kind.VALUE, Kind.END_DATE):
        schedule_service.recompute_schedule(actor=actor, agreement=agreement)
    variation.before, variation.after = before, after
    variation.status = Status.APPLIED
    variation.applied_at = timezone.now()
    for scope in _scopes(agreement):
        audit.record_update(actor=actor, instance=agreement, before=agreement_before, **scope)
    record_agreement_event(
        actor=actor,
        agreement=agreement,
        summary=f"Variation {variation.number} approved by both parties and applied: {change_summary(before, after)}",
    )


def ensure_can_reject(*, actor: User, agreement: Agreement, variation: Variation) -> None:
    """Only the side still to approve may reject; the proposer's side withdraws instead."""
    _ensure_waiting(variation)
    sides = sides_of(actor, agreement)
    proposer = proposer_side(variation)
    if not sides:
        raise ValidationError("Only the funder and the provider can reject a variation.")
    if proposer and sides == {proposer}:
        raise ValidationError("Your side proposed this variation. To take it back, withdraw it.")


def ensure_can_withdraw(*, actor: User, agreement: Agreement, variation: Variation) -> None:
    """Only the side that proposed a variation may withdraw it while it waits."""
    _ensure_waiting(variation)
    proposer = proposer_side(variation)
    if not proposer or proposer not in sides_of(actor, agreement):
        raise ValidationError("Only the party that proposed this variation can withdraw it.")


def _close(*, actor: User, variation: Variation, agreement: Agreement, status: str, reason: str) -> Variation:
    before = audit.snapshot(variation, ["status", "closed_reason"])
    variation.status = status
    variation.closed_by = actor
    variation.closed_reason = reason
    variation.save(update_fields=["status", "closed_by", "closed_reason", "updated_at"])
    for scope in _scopes(agreement):
        audit.record_update(actor=actor, instance=variation, before=before, **scope)
    return variation


@transaction.atomic
def reject_variation(*, actor: User, variation: Variation, reason: str) -> Variation:
    """The side still to approve turns the variation down, saying why. Nothing changes."""
    agreement, locked = _lock_variation(variation)
    ensure_can_reject(actor=actor, agreement=agreement, variation=locked)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are rejecting this variation"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"})
    side = FUNDER if FUNDER in sides_of(actor, agreement) else PROVIDER
    _close(actor=actor, variation=locked, agreement=agreement, status=Status.REJECTED, reason=reason)
    shown = reason if len(reason) <= 500 else reason[:499] + "…"
    record_agreement_event(
        actor=actor, agreement=agreement, summary=f"Variation {locked.number} rejected by {_side_name(side)}: {shown}"
    )
    return locked


@transaction.atomic
def withdraw_variation(*, actor: User, variation: Variation) -> Variation:
    """The proposer's side takes a waiting variation back. Nothing changes."""
    agreement, locked = _lock_variation(variation)
    ensure_can_withdraw(actor=actor, agreement=agreement, variation=locked)
    side = proposer_side(locked)
    _close(actor=actor, variation=locked, agreement=agreement, status=Status.WITHDRAWN, reason="")
    record_agreement_event(
        actor=actor, agreement=agreement, summary=f"Variation {locked.number} withdrawn by {_side_name(side)}"
    )
    return locked
