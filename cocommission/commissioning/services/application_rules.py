"""The rules of applying, read without changing anything: whether an opportunity takes
applications now, who is eligible, the word limits, the amount, the consortium's shares, and
what still stops a draft being submitted.

The services refuse with these words, and the pages show them before anyone presses a button.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from cocommission.core.templatetags.money import format_gbp
from cocommission.organisations.models import IncomeBand, Organisation

from ..models import Application, ConsortiumMember, Opportunity, OpportunityOutcome, Question
from ..proportionality import count_words
from ..routes import CONSORTIUM_ONLY, OPEN_CALL_ROUTES, Route, State

Errors = dict[str, list[str]]

HUNDRED = Decimal("100.00")
CENT = Decimal("0.01")


def add_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


# Whether applications can be made now, and by whom


def govuk_time(moment: datetime.datetime) -> str:
    """A moment as GOV.UK writes it: "5pm on 12 March 2027", "9:30am on 1 April 2027"."""
    local = timezone.localtime(moment)
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    else:
        hour = local.hour % 12 or 12
        suffix = "am" if local.hour < 12 else "pm"
        clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{clock} on {local.day} {local:%B %Y}"


def is_past_closing(opportunity: Opportunity, *, now: datetime.datetime) -> bool:
    return opportunity.closes_at is not None and now >= opportunity.closes_at


def closed_message(opportunity: Opportunity, *, now: datetime.datetime, doing: str) -> str | None:
    """Why applications cannot be `doing` ("started", "submitted", "changed") now, or None.

    The clock decides as well as the state: an opportunity nobody has closed yet still stops
    taking applications at its closing time.
    """
    if opportunity.route not in OPEN_CALL_ROUTES:
        route = Route(opportunity.route).label
        return f"This opportunity does not take applications: on the {route} route the funder assesses a named provider"
    if opportunity.closes_at is not None and is_past_closing(opportunity, now=now):
        return f"The closing time was {govuk_time(opportunity.closes_at)}. Applications can no longer be {doing}."
    if opportunity.state == State.DRAFT:
        return "This opportunity is not open for applications yet"
    if opportunity.state == State.CANCELLED:
        return "This opportunity has been cancelled. Applications can no longer be " + doing + "."
    if opportunity.state != State.OPEN:
        return f"This opportunity has closed. Applications can no longer be {doing}."
    return None


def _labels(values: list[str], choices: dict[str, str]) -> str:
    names = [choices.get(value, value) for value in values]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def eligibility_problems(opportunity: Opportunity, organisation: Organisation) -> list[str]:
    """Why this organisation may not apply, in plain English (empty when it may).

    Each list on the opportunity limits who may apply; an empty list means anyone.
    """
    problems = []
    name = organisation.name
    if organisation.pk == opportunity.funder_id:
        problems.append(f"{name} is the funder of this opportunity, so it cannot apply")
    kinds = list(opportunity.eligible_kinds or [])
    if kinds and organisation.kind not in kinds:
        allowed = _labels(kinds, dict(Organisation.Kind.choices))
        problems.append(f"{name} cannot apply: this opportunity is only for {allowed} organisations")
    bands = list(opportunity.eligible_income_bands or [])
    if bands and organisation.income_band not in bands:
        allowed = _labels(bands, dict(IncomeBand.choices))
        problems.append(
            f"{name} cannot apply: this opportunity is only for organisations with an income that is {allowed}. "
            f"{name}'s income is {organisation.income_band_label}"
        )
    area_ids = set(opportunity.eligible_areas.values_list("pk", flat=True))
    if area_ids and not organisation.areas_served.filter(pk__in=area_ids).exists():
        areas = ", ".join(opportunity.eligible_areas.order_by("name").values_list("name", flat=True))
        problems.append(
            f"{name} cannot apply: it does not serve any of the areas this opportunity covers ({areas}). "
            "If it does, add them to the organisation's details"
        )
    return problems


# Words and money


def answer_field(question: Question) -> str:
    """The form field (and error key) for a question's answer."""
    return f"answer_{question.pk}"


def word_limit_errors(opportunity: Opportunity, answers: dict[int, str]) -> Errors:
    """Over-limit answers, keyed by their field, and an over-limit total, above the form."""
    errors: Errors = {}
    total = 0
    for position, question in enumerate(opportunity.questions.all(), start=1):
        words = count_words(answers.get(question.pk, ""))
        total += words
        if words > question.word_limit:
            add_error(
                errors,
                answer_field(question),
                f"Answer {position} must be {question.word_limit:,} words or fewer (you have {words:,})",
            )
    if total > opportunity.word_limit:
        add_error(
            errors,
            NON_FIELD_ERRORS,
            f"Your answers must be {opportunity.word_limit:,} words or fewer in total (you have {total:,})",
        )
    return errors


def amount_errors(opportunity: Opportunity, amount: Decimal | None) -> Errors:
    if amount is None:
        return {}
    if amount <= 0:
        return {"amount_requested": ["Amount must be more than £0"]}
    if amount > opportunity.max_award:
        return {"amount_requested": [f"Amount must be {format_gbp(opportunity.max_award)} or less"]}
    if amount != amount.quantize(Decimal("0.01")):
        return {"amount_requested": ["Amount must be in pounds and pence, like 2500 or 2500.50"]}
    return {}


# Consortia


def percent(value: Decimal) -> str:
    """90 -> "90%", 90.5 -> "90.5%", 33.33 -> "33.33%"."""
    text = f"{value.quantize(CENT):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def share_problems(*, budget_shares: list[Decimal], risk_shares: list[Decimal]) -> list[str]:
    """Shares must each add up to exactly 100.00%; every share is a percentage with at most
    2 decimal places. Returns the problems in plain English (empty when the shares are right)."""
    problems = []
    for label, shares in (("Budget", budget_shares), ("Risk", risk_shares)):
        if any(share < 0 or share > HUNDRED for share in shares):
            problems.append(f"{label} shares must each be between 0% and 100%")
            continue
        if any(share != share.quantize(CENT) for share in shares):
            problems.append(f"{label} shares must have no more than 2 decimal places, like 33.33")
            continue
        total = sum(shares, Decimal("0"))
        if total != HUNDRED:
            problems.append(f"{label} shares add up to {percent(total)}. They must add up to 100%")
    return problems


def agreed_outcomes(application: Application) -> list[OpportunityOutcome]:
    return list(application.opportunity.outcomes.filter(status=OpportunityOutcome.Status.AGREED))


def consortium_problems(application: Application) -> list[str]:
    """What stops a consortium application being submitted: members who have not confirmed,
    fewer than two confirmed members, shares that do not add up to 100%, agreed outcomes no
    member delivers, and a lead on an alliance or a lead that is not a confirmed member."""
    consortium = application.consortium
    if consortium is None:
        return []
    members = list(
        consortium.members.exclude(status=ConsortiumMember.Status.DECLINED)
        .select_related("organisation")
        .prefetch_related("outcomes")
    )
    problems = [
        f"{member.organisation.name} has not confirmed that it is part of the consortium yet"
        for member in members
        if member.status == ConsortiumMember.Status.INVITED
    ]
    confirmed = [member for member in members if member.status == ConsortiumMember.Status.CONFIRMED]
    if len(confirmed) < 2:
        problems.append("A consortium needs at least 2 members that have confirmed. Invite another organisation")
    problems += share_problems(
        budget_shares=[member.budget_share for member in members],
        risk_shares=[member.risk_share for member in members],
    )
    delivered = {outcome.pk for member in confirmed for outcome in member.outcomes.all()}
    for outcome in agreed_outcomes(application):
        if outcome.pk not in delivered:
            problems.append(f"No member delivers the outcome “{outcome.text}”. Say which member delivers it")
    if consortium.lead_id is not None:
        if application.opportunity.route == Route.ALLIANCE:
            problems.append("An alliance has no lead. Remove the lead from the accountability matrix")
        elif consortium.lead_id not in {member.organisation_id for member in confirmed}:
            problems.append("The lead must be a member that has confirmed. Choose another lead or no lead")
    return problems


# Submitting


def submission_problems(application: Application, *, now: datetime.datetime) -> Errors:
    """Everything that stops the saved draft being submitted now, keyed like the draft form
    (answers by field, the amount, and the rest above the form). Empty when it can go."""
    errors: Errors = {}
    opportunity = application.opportunity
    closed = closed_message(opportunity, now=now, doing="submitted")
    if closed:
        add_error(errors, NON_FIELD_ERRORS, closed)
    saved = {answer.question_id: answer.text for answer in application.answers.all()}
    for position, question in enumerate(opportunity.questions.all(), start=1):
        if not saved.get(question.pk, "").strip():
            add_error(errors, answer_field(question), f"Answer question {position}")
    for key, messages in word_limit_errors(opportunity, saved).items():
        for message in messages:
            add_error(errors, key, message)
    if application.amount_requested is None:
        add_error(errors, "amount_requested", "Enter the amount you are asking for")
    for key, messages in amount_errors(opportunity, application.amount_requested).items():
        for message in messages:
            add_error(errors, key, message)
    if opportunity.route in CONSORTIUM_ONLY and application.consortium_id is None:
        add_error(errors, NON_FIELD_ERRORS, "An alliance only takes applications from a consortium")
    if application.consortium_id is not None:
        for message in consortium_problems(application):
            add_error(errors, NON_FIELD_ERRORS, message)
    return errors
