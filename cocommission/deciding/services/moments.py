"""Writes for decision moments: opening one, responding to it, resolving or recording an
objection, and closing it with the outcome worked out by `deciding.tally`.

Who may call each is the caller's concern (views load the moment through
`permissions.access_decision_moment`), except that only the partnership's people can respond:
that refusal lives here, so every way in refuses a non-member's vote.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.needs.models import Priority
from cocommission.organisations.models import Interaction, Organisation
from cocommission.organisations.services.timeline import record_interaction
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson

from .. import tally
from ..models import DecisionMoment, DecisionOption, Meeting, Response, Voice
from ..permissions import voice_of
from ..selectors.moments import ballot_of, close_problems

Method = DecisionMoment.Method
Position = Response.Position
Objection = Response.Objection

TITLE_MAX = 200
OPTION_MAX = 200
TEXT_MAX = 5000
CLOSED_MESSAGE = "This decision has closed: responses can no longer be given or changed"
NOT_A_MEMBER_MESSAGE = "Only the partnership's members can respond to its decisions"


def _lock(moment: DecisionMoment) -> DecisionMoment:
    return DecisionMoment.objects.select_for_update().select_related("partnership").get(pk=moment.pk)


def _clean_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def option_lines(text: str) -> list[str]:
    """The options typed one a line, blanks left out."""
    return _clean_lines(text)


def _option_errors(method: str, proposal: str, options: Sequence[str]) -> dict[str, str]:
    if method == Method.BALANCED_VOTE:
        if len(options) < 2:
            return {"options": "Enter at least two options for a vote, one a line"}
        if any(len(o) > OPTION_MAX for o in options):
            return {"options": f"Each option must be {OPTION_MAX} characters or fewer"}
        if len({o.casefold() for o in options}) != len(options):
            return {"options": "Each option must be different"}
    elif method in (Method.CONSENSUS, Method.CONSENT):
        if not proposal:
            return {"proposal": "Enter the proposal people will respond to"}
        if len(proposal) > OPTION_MAX:
            return {"proposal": f"The proposal must be {OPTION_MAX} characters or fewer"}
    return {}


@transaction.atomic
def open_moment(
    *,
    actor: User | None,
    partnership: Partnership,
    subject: str,
    title: str,
    question: str,
    method: str,
    proposal: str = "",
    options: Sequence[str] = (),
    priority: Priority | None = None,
    require_lived_experience: bool | None = None,
    closes_on: datetime.date | None = None,
    meeting: Meeting | None = None,
) -> DecisionMoment:
    """Open a decision moment. A vote needs at least two options; consensus and consent decide
    on one proposal. `require_lived_experience` defaults to the partnership's rule."""
    title, question, proposal = title.strip(), question.strip(), proposal.strip()
    options = [o.strip() for o in options if o.strip()]
    errors: dict[str, str] = {}
    if subject not in DecisionMoment.Subject.values:
        errors["subject"] = "Select what the decision is about"
    if method not in Method.values:
        errors["method"] = "Select how the decision will be made"
    if not title:
        errors["title"] = "Enter a title"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Title must be {TITLE_MAX} characters or fewer"
    if not question:
        errors["question"] = "Enter the question being decided"
    elif len(question) > TEXT_MAX:
        errors["question"] = f"The question must be {TEXT_MAX:,} characters or fewer"
    if priority is not None and priority.partnership_id != partnership.pk:
        errors["priority"] = "Select one of this partnership's priorities"
    elif subject == DecisionMoment.Subject.PRIORITY and priority is None:
        errors["priority"] = "Select the priority this decision is about"
    if meeting is not None and meeting.partnership_id != partnership.pk:
        errors["meeting"] = "Select one of this partnership's meetings"
    if closes_on is not None and closes_on < timezone.localdate():
        errors["closes_on"] = "The closing date must be today or in the future"
    errors.update(_option_errors(method, proposal, options))
    if errors:
        raise ValidationError(errors)

    moment = DecisionMoment.objects.create(
        partnership=partnership,
        meeting=meeting,
        subject=subject,
        priority=priority if subject == DecisionMoment.Subject.PRIORITY else None,
        title=title,
        question=question,
        method=method,
        require_lived_experience=(
            partnership.lived_experience_in_quorum if require_lived_experience is None else require_lived_experience
        ),
        closes_on=closes_on,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    labels = options if method == Method.BALANCED_VOTE else [proposal]
    created = DecisionOption.objects.bulk_create(
        DecisionOption(moment=moment, position=number, label=label) for number, label in enumerate(labels, start=1)
    )
    audit.record_create(actor=actor, instance=moment, partnership_id=partnership.pk)
    for option in created:
        audit.record_create(actor=actor, instance=option, partnership_id=partnership.pk)
    return moment


def _ensure_open(moment: DecisionMoment) -> None:
    if moment.status != DecisionMoment.Status.OPEN:
        raise ValidationError(CLOSED_MESSAGE)


@transaction.atomic
def respond(
    *,
    actor: User,
    moment: DecisionMoment,
    position: str = "",
    option_id: int | None = None,
    reason: str = "",
) -> Response:
    """Give or change this person's response while the moment is open. For a vote, pass the
    option; for consensus or consent, the position (a block or an objection needs a reason).
    The voice they bring is worked out now and kept on the response."""
    moment = _lock(moment)
    _ensure_open(moment)
    partnership = moment.partnership
    voice = voice_of(actor, partnership)
    is_person = PartnershipPerson.objects.filter(partnership=partnership, user_id=actor.pk).exists()
    if voice is None or not is_person:
        raise ValidationError(NOT_A_MEMBER_MESSAGE)

    reason = reason.strip()
    errors: dict[str, str] = {}
    option: DecisionOption | None = None
    if moment.method == Method.BALANCED_VOTE:
        position = Position.VOTE
        option = moment.options.filter(pk=option_id).first() if option_id is not None else None
        if option is None:
            errors["option"] = "Select one of the options"
    elif position not in tally.POSITIONS[moment.method]:
        errors["position"] = "Select your response"
    elif position == Position.BLOCK and not reason:
        errors["reason"] = "Enter why you are blocking the proposal"
    elif position == Position.OBJECT and not reason:
        errors["reason"] = "Enter your objection"
    if len(reason) > TEXT_MAX:
        errors["reason"] = f"Your reason must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors)

    response = Response.objects.filter(moment=moment, person=actor).first()
    is_new = response is None
    if response is None:
        response = Response(moment=moment, person=actor)
    unchanged_objection = not is_new and response.position == Position.OBJECT == position and response.reason == reason
    response.organisation = voice.organisation
    response.voice = voice.voice
    response.lived_experience = voice.lived_experience
    response.position = position
    response.option = option
    response.reason = reason
    if position != Position.OBJECT:
        response.objection, response.objection_note = "", ""
    elif not unchanged_objection:
        # A new or reworded objection needs resolving again.
        response.objection, response.objection_note = Objection.OPEN, ""
    response.save()
    # Responses stay hidden until the moment closes, and coordinators read the audit log: so it
    # records that someone responded, not what they said.
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=response,
        label=f"A response to “{moment.title}”",
        partnership_id=partnership.pk,
    )
    return response


@transaction.atomic
def resolve_objection(
    *, actor: User | None, moment: DecisionMoment, response: Response, outcome: str, note: str
) -> Response:
    """The coordinator marks an objection resolved, or recorded (the decision goes ahead with
    the objection on record), with a note saying how or why."""
    moment = _lock(moment)
    _ensure_open(moment)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.moment_id != moment.pk or response.position != Position.OBJECT:
        raise ValidationError("This response is not an objection to this decision")
    note = note.strip()
    errors: dict[str, str] = {}
    if outcome not in (Objection.RESOLVED, Objection.RECORDED):
        errors["outcome"] = "Select whether the objection is resolved or recorded"
    if not note:
        errors["note"] = "Enter how the objection was resolved, or why the decision goes ahead with it recorded"
    elif len(note) > TEXT_MAX:
        errors["note"] = f"The note must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(response, ["objection", "objection_note"])
    response.objection, response.objection_note = outcome, note
    response.save(update_fields=["objection", "objection_note", "updated_at"])
    audit.record_update(actor=actor, instance=response, before=before, partnership_id=moment.partnership_id)
    return response


@transaction.atomic
def close_moment(
    *, actor: User | None, moment: DecisionMoment, reasons: str, review_on: datetime.date | None = None
) -> DecisionMoment:
    """Close the moment: check the quorum (and, for consent, that no objection is open), work
    out the outcome, and record it with the reasons, review date and who was in the room. Adds a
    timeline entry between each statutory organisation that responded and each other one."""
    moment = _lock(moment)
    if moment.status != DecisionMoment.Status.OPEN:
        raise ValidationError("This decision has already closed")
    today = timezone.localdate()
    reasons = reasons.strip()
    errors: dict[str, list[str]] = {}
    if not reasons:
        errors["reasons"] = ["Enter the reasons for the decision"]
    elif len(reasons) > TEXT_MAX:
        errors["reasons"] = [f"The reasons must be {TEXT_MAX:,} characters or fewer"]
    if review_on is not None and review_on <= today:
        errors["review_on"] = ["The review date must be in the future"]
    responses = list(moment.responses.select_related("organisation"))
    problems = close_problems(moment, responses)
    if problems:
        errors[NON_FIELD_ERRORS] = problems
    if errors:
        raise ValidationError(errors)

    options = list(moment.options.all())
    ballots = [ballot_of(r) for r in responses]
    decision = tally.decide(moment.method, ballots, [o.pk for o in options])
    before = audit.snapshot(moment, ["status", "result", "chosen_option", "reasons", "review_on"])
    moment.status = DecisionMoment.Status.CLOSED
    moment.result = decision.result
    moment.chosen_option = next((o for o in options if o.pk == decision.chosen), None)
    moment.reasons = reasons
    moment.review_on = review_on
    moment.tally = decision.tally
    moment.room = tally.room(ballots)
    moment.closed_at = timezone.now()
    moment.closed_by = actor if actor is not None and actor.is_authenticated else None
    moment.save()
    audit.record_update(actor=actor, instance=moment, before=before, partnership_id=moment.partnership_id)
    _remember_on_timelines(actor=actor, moment=moment, responses=responses, today=today)
    return moment


def outcome_words(moment: DecisionMoment) -> str:
    if moment.result == DecisionMoment.Result.BLOCKED:
        return "blocked"
    if moment.result == DecisionMoment.Result.TIED:
        return "tied, with no option carried"
    chosen = moment.chosen_option
    return f"adopted “{chosen.label}”" if chosen else "adopted"


def _remember_on_timelines(
    *, actor: User | None, moment: DecisionMoment, responses: Sequence[Response], today: datetime.date
) -> None:
    partnership = moment.partnership
    responding: dict[int, Organisation] = {}
    statutory: set[int] = set()
    for r in responses:
        if r.organisation is not None:
            responding[r.organisation.pk] = r.organisation
            if r.voice == Voice.STATUTORY:
                statutory.add(r.organisation.pk)
    # An organisation may have left the partnership since it responded: the timeline only
    # links organisations that both belong to it.
    seated = set(
        PartnershipOrganisation.objects.filter(partnership=partnership, organisation_id__in=responding).values_list(
            "organisation_id", flat=True
        )
    )
    pairs = sorted(
        {
            (min(s, o), max(s, o))
            for s in statutory & seated
            for o in seated
            if o != s  # each statutory organisation with each other one
        }
    )
    summary = f"Both responded to the decision “{moment.title}” in {partnership.name}: {outcome_words(moment)}."
    for first, second in pairs:
        record_interaction(
            actor=actor,
            organisation=responding[first],
            other=responding[second],
            kind=Interaction.Kind.DECISION_MOMENT,
            occurred_on=today,
            summary=summary,
            partnership=partnership,
        )
