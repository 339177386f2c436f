"""Moving an opportunity along its route: one service for every step, with a guard per step.

The route says which step comes next (routes.check_transition); the guards say whether the
opportunity is ready for it. Each guard returns the problems in plain English; an empty list
means go ahead.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent

from ..models import Opportunity
from ..routes import State, check_transition
from . import decisions, opportunities, panels, psr


def readiness_problems(opportunity: Opportunity, target: str) -> list[str]:
    """What stops the opportunity moving to `target` now (empty when it can)."""
    if target == State.OPEN:
        return opportunities.opening_problems(opportunity)
    if target == State.CLOSED:
        return opportunities.closing_problems(opportunity)
    if target == State.ASSESSING:
        return opportunities.assessing_problems(opportunity)
    if target == State.SCORING:
        return panels.panel_balance_problems(opportunity)
    if target == State.DECIDED:
        return decisions.decision_problems(opportunity)
    if target == State.STANDSTILL:
        return psr.intention_problems(opportunity)
    if target == State.AWARDED:
        return psr.award_problems(opportunity, today=timezone.localdate())
    return []


@transaction.atomic
def move_opportunity(*, actor: User, opportunity: Opportunity, target: str, reason: str = "") -> Opportunity:
    """Move the opportunity to `target` if its route allows that step and it is ready.

    Raises ValidationError (nothing saved) when the route has no such next step or a guard
    names a problem. Entering a state runs that state's side effects in the same transaction.
    A `reason` (required by the page for cancelling) is kept in the audit event.
    """
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    check_transition(locked.route, locked.state, target)
    problems = readiness_problems(locked, target)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(locked, ["state"])
    locked.state = target
    if target == State.SCORING:
        panels.on_scoring_opened(locked, actor=actor)
    if target == State.DECIDED:
        decisions.on_decided(locked, actor=actor)
    if target == State.STANDSTILL:
        psr.on_standstill_started(locked, actor=actor)
    if target == State.AWARDED:
        locked.awarded_at = timezone.now()
        decisions.on_awarded(locked, actor=actor)
    locked.save()
    changes = audit.diff(before, audit.snapshot(locked, before.keys()))
    if reason:
        changes["reason"] = [None, reason]
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=locked,
        changes=changes,
        organisation_id=locked.funder_id,
        partnership_id=locked.partnership_id,
    )
    return locked
