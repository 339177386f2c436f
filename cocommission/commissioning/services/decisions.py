"""Decisions, feedback and awards.

A manager records one decision covering every submitted application (saved as often as needed
while the panel's work is open), then confirms it: the opportunity moves to DECIDED through
`transitions.move_opportunity`, which calls `decision_problems` first and `on_decided` after.
Awarding (AWARDED) calls `on_awarded`, which creates the draft agreements.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.agreements.services import create_draft_agreement_from_award
from cocommission.core import audit
from cocommission.core.templatetags.money import format_gbp
from cocommission.organisations.models import Organisation
from cocommission.organisations.services.timeline import record_interaction
from cocommission.partnerships.models import Partnership, PartnershipOrganisation

from ..models import Application, ApplicationDecision, DecisionRecord, Opportunity
from ..permissions import applicant_organisation_ids
from ..routes import OPEN_CALL_ROUTES, State
from ..selectors.decisions import (
    agreement_of,
    applicant_name,
    awarded_decisions,
    decision_of,
    decision_record_for,
    decision_subjects,
)
from ..tasks import send_decision_email

# Direct routes assess a named provider (ASSESSING); open calls are scored by the panel (SCORING).
EDITABLE_STATES = (State.SCORING, State.ASSESSING)
Outcome = ApplicationDecision.Outcome


@dataclass(frozen=True)
class DecisionInput:
    """What the manager decided for one application."""

    application_id: int
    outcome: str
    amount: Decimal | None
    reasons: str
    feedback: str


def field_name(part: str, application_id: int) -> str:
    """The form field (and error key) for one part of one application's decision."""
    return f"{part}_{application_id}"


def _money(value: Decimal) -> str:
    return format_gbp(value, whole=True)


def _not_editable(opportunity: Opportunity) -> ValidationError:
    return ValidationError(
        "The decision can only be changed while applications are being scored or assessed. "
        f"This opportunity is {State(opportunity.state).label.lower()}."
    )


@transaction.atomic
def add_named_provider_application(*, actor: User, opportunity: Opportunity) -> Application:
    """Record the named provider of a direct route as the subject of the decision.

    Direct routes assess an existing or named provider rather than inviting applications, so
    the provider may have nothing on file; the decision and the award need an application to
    hang on. Refused on open calls, outside assessment, or when the provider is already there.
    """
    locked = Opportunity.objects.select_for_update(of=("self",)).select_related("named_provider").get(pk=opportunity.pk)
    if locked.state not in EDITABLE_STATES:
        raise _not_editable(locked)
    if locked.route in OPEN_CALL_ROUTES or locked.named_provider is None:
        raise ValidationError("Only a direct award route with a named provider can add the provider this way.")
    if Application.objects.filter(opportunity=locked, organisation=locked.named_provider).exists():
        raise ValidationError(f"{locked.named_provider.name} is already part of this decision.")
    application = Application.objects.create(
        opportunity=locked,
        organisation=locked.named_provider,
        status=Application.Status.SUBMITTED,
        summary="Assessed as the named provider of a direct award.",
        submitted_at=timezone.now(),
        submitted_by=actor,
        created_by=actor,
    )
    audit.record_create(
        actor=actor, instance=application, organisation_id=locked.funder_id, partnership_id=locked.partnership_id
    )
    return application


def _item_problems(opportunity: Opportunity, application: Application, item: DecisionInput | None) -> dict[str, str]:
    name = applicant_name(application)
    pk = application.pk
    if item is None or item.outcome not in Outcome.values:
        return {field_name("outcome", pk): f"Select whether to award {name}"}
    problems: dict[str, str] = {}
    if item.outcome == Outcome.AWARD:
        if item.amount is None:
            problems[field_name("amount", pk)] = f"Enter the amount to award to {name}"
        elif item.amount <= 0:
            problems[field_name("amount", pk)] = f"The award to {name} must be more than £0"
        elif item.amount > opportunity.max_award:
            problems[field_name("amount", pk)] = (
                f"The award to {name} is {_money(item.amount)}. "
                f"The most one award can be is {_money(opportunity.max_award)}."
            )
    if not item.reasons.strip():
        problems[field_name("reasons", pk)] = f"Enter the reasons for the decision on {name}, referring to the criteria"
    if not item.feedback.strip():
        problems[field_name("feedback", pk)] = f"Enter feedback for {name}"
    return problems


def _over_budget(opportunity: Opportunity, total: Decimal) -> str | None:
    if total > opportunity.total_budget:
        return f"Awards add up to {_money(total)}, which is more than the budget of {_money(opportunity.total_budget)}"
    return None


def decision_errors(
    *,
    opportunity: Opportunity,
    applications: Sequence[Application],
    decision_makers: str,
    summary: str,
    items: Sequence[DecisionInput],
) -> dict[str, list[str]]:
    """Every problem with a proposed decision, keyed like the form (empty when it is sound).

    The form calls it so all the problems show at once; `save_decision` calls it again under
    the opportunity's lock, which is the check that counts.
    """
    by_id = {item.application_id: item for item in items}
    errors: dict[str, list[str]] = defaultdict(list)
    if not applications:
        errors[NON_FIELD_ERRORS].append("There are no submitted applications to decide on")
    if not decision_makers.strip():
        errors["decision_makers"].append("Enter the names and roles of the people who made the decision")
    if not summary.strip():
        errors["summary"].append("Enter how the criteria were applied")
    total = Decimal(0)
    for application in applications:
        item = by_id.get(application.pk)
        for key, message in _item_problems(opportunity, application, item).items():
            errors[key].append(message)
        if item is not None and item.outcome == Outcome.AWARD and item.amount is not None and item.amount > 0:
            total += item.amount
    over = _over_budget(opportunity, total)
    if over:
        errors[NON_FIELD_ERRORS].append(over)
    return dict(errors)


@transaction.atomic
def save_decision(
    *,
    actor: User,
    opportunity: Opportunity,
    decision_makers: str,
    summary: str,
    conflicts_summary: str,
    items: Sequence[DecisionInput],
) -> DecisionRecord:
    """Record the decision on every submitted application, and the decision record.

    Every submitted application needs an outcome, reasons and feedback; each award is more than
    £0 and no more than the maximum per award; the awards together stay within the budget.
    Raises ValidationError keyed on the form's fields (see `field_name`) and saves nothing
    unless everything holds. It can be saved again until the decision is confirmed.
    """
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.state not in EDITABLE_STATES:
        raise _not_editable(locked)
    applications = list(decision_subjects(locked))
    by_id = {item.application_id: item for item in items}
    if set(by_id) - {a.pk for a in applications}:
        raise ValidationError("The decision names an application that is not a submitted application here.")

    errors = decision_errors(
        opportunity=locked,
        applications=applications,
        decision_makers=decision_makers,
        summary=summary,
        items=items,
    )
    if errors:
        raise ValidationError(errors)

    scope = {"organisation_id": locked.funder_id, "partnership_id": locked.partnership_id}
    for application in applications:
        item = by_id[application.pk]
        values: dict[str, object] = {
            "outcome": item.outcome,
            "amount": item.amount if item.outcome == Outcome.AWARD else None,
            "reasons": item.reasons.strip(),
            "feedback": item.feedback.strip(),
        }
        existing = decision_of(application)
        if existing is None:
            created = ApplicationDecision.objects.create(application=application, **values)
            audit.record_create(actor=actor, instance=created, **scope)
        else:
            before = audit.snapshot(existing)
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            audit.record_update(actor=actor, instance=existing, before=before, **scope)

    record_values: dict[str, object] = {
        "decision_makers": decision_makers.strip(),
        "summary": summary.strip(),
        "conflicts_summary": conflicts_summary.strip(),
        "decided_at": timezone.now(),
        "recorded_by": actor,
    }
    record = decision_record_for(locked)
    if record is None:
        record = DecisionRecord.objects.create(opportunity=locked, **record_values)
        audit.record_create(actor=actor, instance=record, **scope)
    else:
        before = audit.snapshot(record)
        for key, value in record_values.items():
            setattr(record, key, value)
        record.save()
        audit.record_update(actor=actor, instance=record, before=before, **scope)
    return record


def decision_problems(opportunity: Opportunity) -> list[str]:
    """What stops the decision being confirmed (the move to DECIDED); empty when it can be."""
    problems: list[str] = []
    record = decision_record_for(opportunity)
    if record is None:
        problems.append("Record the decision: who made it, how the criteria were applied, and each outcome")
    applications = list(decision_subjects(opportunity))
    if not applications:
        problems.append("There are no submitted applications to decide on. If nobody applied, cancel the opportunity")
    total = Decimal(0)
    for application in applications:
        decision = decision_of(application)
        name = applicant_name(application)
        if decision is None:
            problems.append(f"Decide on the application from {name}")
            continue
        if decision.outcome == Outcome.AWARD and decision.amount is not None:
            total += decision.amount
            if decision.amount > opportunity.max_award:
                problems.append(
                    f"The award to {name} is {_money(decision.amount)}. "
                    f"The most one award can be is {_money(opportunity.max_award)}."
                )
    over = _over_budget(opportunity, total)
    if over:
        problems.append(over)
    return problems


def _timeline_partnership(opportunity: Opportunity, organisation_ids: set[int]) -> Partnership | None:
    """The opportunity's partnership, when every organisation involved sits in it (the timeline
    only files an entry as partnership business under that condition)."""
    if opportunity.partnership_id is None:
        return None
    seated = set(
        PartnershipOrganisation.objects.filter(
            partnership_id=opportunity.partnership_id, organisation_id__in=organisation_ids
        ).values_list("organisation_id", flat=True)
    )
    return opportunity.partnership if seated == organisation_ids else None


def _record_on_timelines(
    *, actor: User, opportunity: Opportunity, application: Application, kind: str, summary: str
) -> None:
    """One timeline entry between the funder and each organisation behind the application."""
    funder = opportunity.funder
    others = Organisation.objects.filter(pk__in=applicant_organisation_ids(application)).exclude(pk=funder.pk)
    today = timezone.localdate()
    for organisation in others:
        record_interaction(
            actor=actor,
            organisation=funder,
            other=organisation,
            kind=kind,
            occurred_on=today,
            summary=summary,
            partnership=_timeline_partnership(opportunity, {funder.pk, organisation.pk}),
        )


def on_decided(opportunity: Opportunity, *, actor: User) -> None:
    """The decision is confirmed: stamp the record, tell every applicant (email, after the
    transaction commits) and add a "decision" entry to each relationship timeline."""
    now = timezone.now()
    scope = {"organisation_id": opportunity.funder_id, "partnership_id": opportunity.partnership_id}
    record = decision_record_for(opportunity)
    if record is not None:
        before = audit.snapshot(record, ["confirmed_at"])
        record.confirmed_at = now
        record.save(update_fields=["confirmed_at", "updated_at"])
        audit.record_update(actor=actor, instance=record, before=before, **scope)
    notified: list[int] = []
    for application in decision_subjects(opportunity).select_related("opportunity__funder"):
        decision = decision_of(application)
        if decision is None or decision.notified_at is not None:
            continue
        decision.notified_at = now
        decision.save(update_fields=["notified_at", "updated_at"])
        what = (
            f"awarded {_money(decision.amount or Decimal(0))}" if decision.outcome == Outcome.AWARD else "not awarded"
        )
        text = f"Decision on {opportunity.reference} {opportunity.title}: {what}."
        _record_on_timelines(
            actor=actor, opportunity=opportunity, application=application, kind="decision", summary=text
        )
        notified.append(decision.pk)
    for decision_id in notified:
        transaction.on_commit(partial(send_decision_email.enqueue, decision_id=decision_id))


def on_awarded(opportunity: Opportunity, *, actor: User) -> None:
    """The award is confirmed: a draft agreement per award (never two for the same award) and
    an "award" entry on each relationship timeline."""
    for decision in awarded_decisions(opportunity).select_related("agreement"):
        if agreement_of(decision) is not None:
            continue
        agreement = create_draft_agreement_from_award(actor=actor, decision=decision)
        text = (
            f"Awarded {_money(agreement.value)} for {opportunity.reference} {opportunity.title}. "
            f"Draft agreement {agreement.reference} created."
        )
        _record_on_timelines(
            actor=actor, opportunity=opportunity, application=decision.application, kind="award", summary=text
        )
