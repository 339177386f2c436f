"""The parts of an opportunity set up while it is a draft: assessment criteria with weights,
questions within the proportionate ask, and the outcomes sought (partners propose, managers agree).

Every service locks the opportunity row first, so two people adding criteria at once cannot
together push the weights past 100% or the questions past the limits.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.organisations.models import Membership, Organisation

from ..models import Criterion, Opportunity, OpportunityOutcome, Question
from ..permissions import can_manage
from ..routes import PSR_ROUTES, KeyCriterion
from .opportunities import ensure_draft, lock

MAX_OUTCOME_LENGTH = 300
MAX_QUESTION_LENGTH = 500


def _scope(opportunity: Opportunity) -> dict[str, int | None]:
    return {"organisation_id": opportunity.funder_id, "partnership_id": opportunity.partnership_id}


def _locked_draft(opportunity: Opportunity, doing: str) -> Opportunity:
    """The opportunity, locked for the rest of the transaction, once it is known to be a draft."""
    locked = lock(opportunity)
    ensure_draft(locked, doing)
    return locked


def _remove_part(*, actor: User, part: Criterion | Question | OpportunityOutcome, doing: str) -> None:
    locked = _locked_draft(part.opportunity, doing)
    audit.record_delete(actor=actor, instance=part, **_scope(locked))
    part.delete()


@contextmanager
def _changing(*, actor: User, part: Criterion | Question | OpportunityOutcome, locked: Opportunity) -> Iterator[None]:
    """Save the changes made in the block and record them in the change history."""
    before = audit.snapshot(part)
    yield
    part.save()
    audit.record_update(actor=actor, instance=part, before=before, **_scope(locked))


def _next_order(model: type[Criterion] | type[Question], opportunity: Opportunity) -> int:
    current = model.objects.filter(opportunity=opportunity).aggregate(top=Max("order"))["top"]
    return 0 if current is None else current + 1


# ---- Criteria ---------------------------------------------------------------------------------


def _check_criterion(
    *, opportunity: Opportunity, name: str, weight: int | None, key_criterion: str, exclude_pk: int | None = None
) -> int:
    """The checked weight, or a ValidationError naming every problem."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the name of the criterion"
    if weight is None:
        errors["weight"] = "Enter the weight as a percentage"
    elif weight < 1 or weight > 100:
        errors["weight"] = "The weight must be between 1% and 100%"
    else:
        criteria = Criterion.objects.filter(opportunity=opportunity)
        if exclude_pk is not None:
            criteria = criteria.exclude(pk=exclude_pk)
        others = criteria.aggregate(total=Sum("weight"))["total"] or 0
        if others + weight > 100:
            errors["weight"] = (
                f"The weights would add up to {others + weight}%. They must add up to 100%: "
                f"this criterion can weigh at most {100 - others}%"
                if others < 100
                else "The other criteria already weigh 100%. Lower one of them first"
            )
    if opportunity.route in PSR_ROUTES:
        if not key_criterion:
            errors["key_criterion"] = "Choose the key criterion this criterion assesses"
        elif key_criterion not in KeyCriterion.values:
            errors["key_criterion"] = "Choose one of the five key criteria"
    elif key_criterion:
        errors["key_criterion"] = "Key criteria are only for Provider Selection Regime routes: leave this empty"
    if errors or weight is None:
        raise ValidationError(errors)
    return weight


@transaction.atomic
def add_criterion(
    *,
    actor: User,
    opportunity: Opportunity,
    name: str,
    weight: int | None,
    description: str = "",
    key_criterion: str = "",
) -> Criterion:
    """Add an assessment criterion. The weights may not add up to more than 100%."""
    locked = _locked_draft(opportunity, "add criteria")
    weight = _check_criterion(opportunity=locked, name=name, weight=weight, key_criterion=key_criterion)
    criterion = Criterion.objects.create(
        opportunity=locked,
        name=name.strip(),
        description=description.strip(),
        weight=weight,
        key_criterion=key_criterion,
        order=_next_order(Criterion, locked),
    )
    audit.record_create(actor=actor, instance=criterion, **_scope(locked))
    return criterion


@transaction.atomic
def change_criterion(
    *, actor: User, criterion: Criterion, name: str, weight: int | None, description: str = "", key_criterion: str = ""
) -> Criterion:
    """Change a criterion's name, description, weight or key criterion while the opportunity is a draft."""
    locked = _locked_draft(criterion.opportunity, "change criteria")
    weight = _check_criterion(
        opportunity=locked, name=name, weight=weight, key_criterion=key_criterion, exclude_pk=criterion.pk
    )
    with _changing(actor=actor, part=criterion, locked=locked):
        criterion.name, criterion.description = name.strip(), description.strip()
        criterion.weight, criterion.key_criterion = weight, key_criterion
    return criterion


@transaction.atomic
def remove_criterion(*, actor: User, criterion: Criterion) -> None:
    """Remove a criterion while the opportunity is a draft."""
    _remove_part(actor=actor, part=criterion, doing="remove criteria")


# ---- Questions --------------------------------------------------------------------------------


def _check_question(
    *, opportunity: Opportunity, text: str, word_limit: int | None, exclude_pk: int | None = None
) -> int:
    """The checked word limit, or a ValidationError naming every problem."""
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Enter the question"
    elif len(text.strip()) > MAX_QUESTION_LENGTH:
        errors["text"] = f"The question must be {MAX_QUESTION_LENGTH} characters or fewer"
    others = Question.objects.filter(opportunity=opportunity)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if exclude_pk is None and others.count() >= opportunity.max_questions:
        errors["text"] = (
            f"This opportunity asks at most {opportunity.max_questions} "
            f"question{'s' if opportunity.max_questions != 1 else ''}. Remove one or raise the limit first"
        )
    if word_limit is None:
        errors["word_limit"] = "Enter the word limit for this question"
    elif word_limit < 1:
        errors["word_limit"] = "The word limit must be at least 1 word"
    else:
        used = others.aggregate(total=Sum("word_limit"))["total"] or 0
        if used + word_limit > opportunity.word_limit:
            left = max(opportunity.word_limit - used, 0)
            errors["word_limit"] = (
                f"The questions would ask for {used + word_limit:,} words. This opportunity asks at most "
                f"{opportunity.word_limit:,} words in total, so this question can have at most {left:,}"
            )
    if errors or word_limit is None:
        raise ValidationError(errors)
    return word_limit


@transaction.atomic
def add_question(
    *, actor: User, opportunity: Opportunity, text: str, word_limit: int | None, guidance: str = ""
) -> Question:
    """Add a question. The number of questions and their word limits stay within the ask."""
    locked = _locked_draft(opportunity, "add questions")
    word_limit = _check_question(opportunity=locked, text=text, word_limit=word_limit)
    question = Question.objects.create(
        opportunity=locked,
        text=text.strip(),
        guidance=guidance.strip(),
        word_limit=word_limit,
        order=_next_order(Question, locked),
    )
    audit.record_create(actor=actor, instance=question, **_scope(locked))
    return question


@transaction.atomic
def change_question(
    *, actor: User, question: Question, text: str, word_limit: int | None, guidance: str = ""
) -> Question:
    """Change a question while the opportunity is a draft."""
    locked = _locked_draft(question.opportunity, "change questions")
    word_limit = _check_question(opportunity=locked, text=text, word_limit=word_limit, exclude_pk=question.pk)
    with _changing(actor=actor, part=question, locked=locked):
        question.text, question.guidance, question.word_limit = text.strip(), guidance.strip(), word_limit
    return question


@transaction.atomic
def remove_question(*, actor: User, question: Question) -> None:
    """Remove a question while the opportunity is a draft."""
    _remove_part(actor=actor, part=question, doing="remove questions")


# ---- Outcomes sought --------------------------------------------------------------------------


def _check_outcome_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": "Enter the outcome sought"})
    if len(text.strip()) > MAX_OUTCOME_LENGTH:
        raise ValidationError({"text": f"The outcome must be {MAX_OUTCOME_LENGTH} characters or fewer"})


def _proposing_organisation(actor: User, opportunity: Opportunity) -> Organisation | None:
    """The organisation the person speaks for here: the funder, or their organisation's seat."""
    memberships = Membership.objects.filter(user=actor).select_related("organisation")
    for membership in memberships:
        if membership.organisation_id == opportunity.funder_id:
            return membership.organisation
    if opportunity.partnership_id is None:
        return None
    for membership in memberships.filter(organisation__partnership_seats__partnership_id=opportunity.partnership_id):
        return membership.organisation
    return None


@transaction.atomic
def propose_outcome(*, actor: User, opportunity: Opportunity, text: str) -> OpportunityOutcome:
    """Propose an outcome sought. A manager's outcome is agreed at once; a partner's waits
    for a manager to agree it or decline it."""
    locked = _locked_draft(opportunity, "propose outcomes")
    _check_outcome_text(text)
    status = OpportunityOutcome.Status.AGREED if can_manage(actor, locked) else OpportunityOutcome.Status.PROPOSED
    outcome = OpportunityOutcome.objects.create(
        opportunity=locked,
        text=text.strip(),
        status=status,
        proposed_by=actor,
        proposed_by_organisation=_proposing_organisation(actor, locked),
    )
    audit.record_create(actor=actor, instance=outcome, **_scope(locked))
    return outcome


@transaction.atomic
def change_outcome(*, actor: User, outcome: OpportunityOutcome, text: str) -> OpportunityOutcome:
    """Reword an outcome while the opportunity is a draft."""
    locked = _locked_draft(outcome.opportunity, "change outcomes")
    _check_outcome_text(text)
    with _changing(actor=actor, part=outcome, locked=locked):
        outcome.text = text.strip()
    return outcome


@transaction.atomic
def decide_outcome(*, actor: User, outcome: OpportunityOutcome, agree: bool) -> OpportunityOutcome:
    """Agree an outcome, or decline it (it stays on record as not taken forward)."""
    locked = _locked_draft(outcome.opportunity, "agree or decline outcomes")
    with _changing(actor=actor, part=outcome, locked=locked):
        outcome.status = OpportunityOutcome.Status.AGREED if agree else OpportunityOutcome.Status.DECLINED
    return outcome


@transaction.atomic
def remove_outcome(*, actor: User, outcome: OpportunityOutcome) -> None:
    """Remove an outcome while the opportunity is a draft."""
    _remove_part(actor=actor, part=outcome, doing="remove outcomes")
