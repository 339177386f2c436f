"""Opportunities: opening one, changing it while it is a draft, cancelling it, and the guards
that decide whether it is ready to open, to close, or to assess its named provider.

Criteria, questions and outcomes live in services/opportunity_parts.py.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.core.versioning import ensure_unchanged
from cocommission.needs.models import Priority
from cocommission.organisations.models import Area, IncomeBand, Membership, Organisation
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson

from ..models import Opportunity, OpportunityOutcome
from ..proportionality import Band, band_for
from ..routes import LIVED_EXPERIENCE_BY_DEFAULT, OPEN_CALL_ROUTES, PSR_ROUTES, KeyCriterion, Route, State

# Routes that assess one named provider instead of holding an open call.
NAMED_PROVIDER_ROUTES = frozenset({Route.PSR_DIRECT_A, Route.PSR_DIRECT_B, Route.PSR_DIRECT_C, Route.PSR_MOST_SUITABLE})
# Direct routes that still weigh the provider against the five key criteria (Direct Award A and B do not).
KEY_CRITERIA_ASSESSED = frozenset({Route.PSR_DIRECT_C, Route.PSR_MOST_SUITABLE})
# Slugs that would collide with fixed paths under /opportunities/ (ours and the other parts').
RESERVED_SLUGS = frozenset({"new", "applications", "panels", "panel", "decisions", "notices", "mine"})
CPV_PATTERN = re.compile(r"^\d{8}-\d$")
MAX_TERM_YEARS = 20
STALE_MESSAGE = "Someone else changed this opportunity while you were editing it. Check the details and save again."


@dataclass
class OpportunityDetails:
    """What a commissioner or coordinator fills in. None for the proportionate ask means
    'use the band's default'."""

    title: str
    problem: str
    total_budget: Decimal
    max_award: Decimal
    route: str
    route_reason: str
    term_years: int = 1
    eligible_kinds: Sequence[str] = ()
    eligible_income_bands: Sequence[str] = ()
    eligible_areas: Iterable[Area] = ()
    opens_on: datetime.date | None = None
    closes_at: datetime.datetime | None = None
    decision_by: datetime.date | None = None
    named_provider: Organisation | None = None
    cpv_code: str = ""
    lived_experience_on_panel: bool | None = None
    max_questions: int | None = None
    word_limit: int | None = None
    extra_documents: int | None = None
    priority: Priority | None = None


# ---- Who may open an opportunity, and for whom ------------------------------------------------


def can_open_for(*, actor: User, funder: Organisation, partnership: Partnership | None) -> bool:
    """Commissioners open for their own statutory organisation; a partnership coordinator opens
    for one of the partnership's statutory members. With a partnership, the funder must sit in it."""
    if not actor.is_authenticated or funder.kind != Organisation.Kind.STATUTORY:
        return False
    if partnership is not None:
        seated = PartnershipOrganisation.objects.filter(partnership=partnership, organisation=funder).exists()
        if not seated:
            return False
        coordinates = PartnershipPerson.objects.filter(
            user=actor, partnership=partnership, role=PartnershipPerson.Role.COORDINATOR
        ).exists()
        if coordinates:
            return True
    return Membership.objects.filter(user=actor, organisation=funder).exists()


# ---- Checking what was filled in ---------------------------------------------------------------


def band_message(band: Band, what: str) -> str:
    """'An opportunity whose awards are up to £10,000 can ask at most 500 words in total'."""
    return f"An opportunity whose awards are {band.label[0].lower()}{band.label[1:]} can ask {what}"


def _documents_phrase(n: int) -> str:
    if n == 0:
        return "for no documents beyond the passport"
    return f"for at most {n} document{'s' if n != 1 else ''} beyond the passport"


def long_date(day: datetime.date) -> str:
    """'3 March 2026', as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _check_money(d: OpportunityDetails, errors: dict[str, str]) -> None:
    if d.total_budget is None:
        errors["total_budget"] = "Enter the total budget"
    elif d.total_budget <= 0:
        errors["total_budget"] = "The total budget must be more than £0"
    if d.max_award is None:
        errors["max_award"] = "Enter the maximum per award"
    elif d.max_award <= 0:
        errors["max_award"] = "The maximum per award must be more than £0"
    elif d.total_budget is not None and d.total_budget > 0 and d.max_award > d.total_budget:
        errors["max_award"] = "The maximum per award must not be more than the total budget"
    if d.term_years is None or d.term_years < 1:
        errors["term_years"] = "The term must be at least 1 year"
    elif d.term_years > MAX_TERM_YEARS:
        errors["term_years"] = f"The term must be {MAX_TERM_YEARS} years or fewer"


def _check_route(d: OpportunityDetails, funder: Organisation, errors: dict[str, str]) -> None:
    if d.route not in Route.values:
        errors["route"] = "Choose a route"
        return
    if not d.route_reason.strip():
        errors["route_reason"] = "Explain why this route fits the service and the providers"
    if d.route in NAMED_PROVIDER_ROUTES:
        if d.named_provider is None:
            errors["named_provider"] = "Choose the provider being assessed"
        elif d.named_provider.pk == funder.pk:
            errors["named_provider"] = "The provider being assessed cannot be the funder"
    elif d.named_provider is not None:
        errors["named_provider"] = "Leave the provider empty: on an open call anyone eligible can apply"
    cpv = d.cpv_code.strip()
    if d.route in PSR_ROUTES and not cpv:
        errors["cpv_code"] = "Enter the CPV code: the Provider Selection Regime notices need it"
    elif cpv and not CPV_PATTERN.match(cpv):
        errors["cpv_code"] = "CPV code must be 8 digits, a dash and a check digit, like 85000000-9"


def _check_dates(d: OpportunityDetails, errors: dict[str, str]) -> None:
    closes_on = _local_date(d.closes_at) if d.closes_at else None
    if d.opens_on and closes_on and closes_on <= d.opens_on:
        errors["closes_at"] = "The closing date must be after the opening date"
    if d.decision_by:
        if closes_on and d.decision_by <= closes_on:
            errors["decision_by"] = "The decision date must be after the closing date"
        elif not closes_on and d.opens_on and d.decision_by < d.opens_on:
            errors["decision_by"] = "The decision date must be after the opening date"


def _check_eligibility(d: OpportunityDetails, errors: dict[str, str]) -> None:
    if any(k not in Organisation.Kind.values for k in d.eligible_kinds):
        errors["eligible_kinds"] = "Choose kinds of organisation from the list"
    if any(b not in IncomeBand.values for b in d.eligible_income_bands):
        errors["eligible_income_bands"] = "Choose income bands from the list"


def resolve_ask(d: OpportunityDetails) -> tuple[int, int, int]:
    """The proportionate ask: what was entered, or the band's default for what was left blank."""
    band = band_for(d.max_award)
    return (
        band.max_questions if d.max_questions is None else d.max_questions,
        band.max_words if d.word_limit is None else d.word_limit,
        band.max_documents if d.extra_documents is None else d.extra_documents,
    )


def _check_ask(d: OpportunityDetails, opportunity: Opportunity | None, errors: dict[str, str]) -> None:
    if d.max_award is None or d.max_award <= 0:
        return
    band = band_for(d.max_award)
    questions, words, documents = resolve_ask(d)
    if questions < 0:
        errors["max_questions"] = "The number of questions cannot be negative"
    elif questions > band.max_questions:
        errors["max_questions"] = band_message(band, f"at most {band.max_questions} questions")
    if words < 0:
        errors["word_limit"] = "The word limit cannot be negative"
    elif words > band.max_words:
        errors["word_limit"] = band_message(band, f"at most {band.max_words:,} words in total")
    if documents < 0:
        errors["extra_documents"] = "The number of documents cannot be negative"
    elif documents > band.max_documents:
        errors["extra_documents"] = band_message(band, _documents_phrase(band.max_documents))
    if opportunity is None or "max_questions" in errors or "word_limit" in errors:
        return
    # Lowering the limits must not leave the questions already written over them.
    asked = opportunity.questions.aggregate(total=Sum("word_limit"))["total"] or 0
    count = opportunity.questions.count()
    if count > questions:
        errors["max_questions"] = (
            f"You have {count} questions. Remove a question before lowering the number of questions to {questions}"
        )
    if asked > words:
        errors["word_limit"] = (
            f"Your questions' word limits add up to {asked:,} words. "
            f"Lower them before lowering the total word limit to {words:,}"
        )


def _check_priority(
    d: OpportunityDetails, *, partnership: Partnership | None, keep: int | None, errors: dict[str, str]
) -> None:
    """An opportunity serves one of its own partnership's agreed priorities (or keeps the one it
    already serves, even if that has since been retired)."""
    if d.priority is None or d.priority.pk == keep:
        return
    if partnership is None:
        errors["priority"] = "Only an opportunity of a partnership can serve a partnership priority"
    elif d.priority.partnership_id != partnership.pk:
        errors["priority"] = f"Choose one of the agreed priorities of {partnership.name}"
    elif d.priority.status != Priority.Status.AGREED:
        errors["priority"] = f"Choose an agreed priority: this one is {d.priority.get_status_display().lower()}"


def check_details(
    d: OpportunityDetails,
    *,
    funder: Organisation,
    opportunity: Opportunity | None = None,
    partnership: Partnership | None = None,
) -> None:
    """Raise a field-keyed ValidationError naming everything wrong with the details at once.
    `partnership` is the new opportunity's (an existing one's own is used otherwise)."""
    errors: dict[str, str] = {}
    if not d.title.strip():
        errors["title"] = "Enter a title"
    if not d.problem.strip():
        errors["problem"] = "Describe the problem to solve and who it affects"
    _check_money(d, errors)
    _check_route(d, funder, errors)
    _check_dates(d, errors)
    _check_eligibility(d, errors)
    _check_ask(d, opportunity, errors)
    if opportunity is not None:
        _check_priority(d, partnership=opportunity.partnership, keep=opportunity.priority_id, errors=errors)
    else:
        _check_priority(d, partnership=partnership, keep=None, errors=errors)
    if errors:
        raise ValidationError(errors)


# ---- References and slugs ---------------------------------------------------------------------


def reference_prefix(name: str) -> str:
    """Initials of the partnership or funder: 'Brackenmoor Together' -> 'BT'."""
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", name)).upper()
    return initials[:4] or "OPP"


def _next_reference(prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    numbers = [
        int(ref[len(stem) :])
        for ref in Opportunity.objects.filter(reference__startswith=stem).values_list("reference", flat=True)
        if ref[len(stem) :].isdigit()
    ]
    return f"{stem}{max(numbers, default=0) + 1:04d}"


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "opportunity"
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or Opportunity.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _apply(opportunity: Opportunity, d: OpportunityDetails) -> None:
    questions, words, documents = resolve_ask(d)
    opportunity.title = d.title.strip()
    opportunity.problem = d.problem.strip()
    opportunity.total_budget = d.total_budget
    opportunity.max_award = d.max_award
    opportunity.term_years = d.term_years
    opportunity.eligible_kinds = list(d.eligible_kinds)
    opportunity.eligible_income_bands = list(d.eligible_income_bands)
    opportunity.opens_on = d.opens_on
    opportunity.closes_at = d.closes_at
    opportunity.decision_by = d.decision_by
    opportunity.route = d.route
    opportunity.route_reason = d.route_reason.strip()
    opportunity.named_provider = d.named_provider
    opportunity.cpv_code = d.cpv_code.strip()
    if d.lived_experience_on_panel is not None:
        opportunity.lived_experience_on_panel = d.lived_experience_on_panel
    opportunity.max_questions = questions
    opportunity.word_limit = words
    opportunity.extra_documents = documents
    opportunity.priority = d.priority


# ---- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def create_opportunity(
    *, actor: User, funder: Organisation, partnership: Partnership | None = None, details: OpportunityDetails
) -> Opportunity:
    """Open a draft opportunity with a unique reference like BT-2026-0001.

    The value band of the maximum award sets the proportionate ask unless the details ask for
    less. The panel includes lived experience by default on grants and alliances.
    """
    if not can_open_for(actor=actor, funder=funder, partnership=partnership):
        where = f" in {partnership.name}" if partnership else ""
        raise ValidationError(
            {"funder": f"You cannot open an opportunity for {funder.name}{where}. Choose another funder."}
        )
    check_details(details, funder=funder, partnership=partnership)
    lived = details.lived_experience_on_panel
    if lived is None:
        lived = details.route in LIVED_EXPERIENCE_BY_DEFAULT
    prefix = reference_prefix(partnership.name if partnership else funder.name)
    year = timezone.localdate().year
    # Two people opening at the same moment may pick the same reference: the loser tries the next.
    for _attempt in range(5):
        opportunity = Opportunity(funder=funder, partnership=partnership, created_by=actor, state=State.DRAFT)
        _apply(opportunity, details)
        opportunity.lived_experience_on_panel = lived
        opportunity.reference = _next_reference(prefix, year)
        opportunity.slug = _unique_slug(details.title)
        try:
            with transaction.atomic():
                opportunity.save()
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError("Another opportunity was opened at the same moment. Try again.")
    opportunity.eligible_areas.set(list(details.eligible_areas))
    audit.record_create(
        actor=actor, instance=opportunity, organisation_id=funder.pk, partnership_id=opportunity.partnership_id
    )
    return opportunity


def lock(opportunity: Opportunity) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def ensure_draft(opportunity: Opportunity, doing: str = "change the details") -> None:
    """Published terms stay fixed, so everyone applies on the same terms."""
    if opportunity.state != State.DRAFT:
        now = State(opportunity.state).label.lower()
        raise ValidationError(f"You can only {doing} while the opportunity is a draft. It is now {now}.")


@transaction.atomic
def update_opportunity(
    *, actor: User, opportunity: Opportunity, details: OpportunityDetails, version: str | None = None
) -> Opportunity:
    """Change a draft opportunity. Published opportunities do not change under applicants' feet."""
    locked = lock(opportunity)
    ensure_unchanged(locked, version, message=STALE_MESSAGE)
    ensure_draft(locked)
    check_details(details, funder=locked.funder, opportunity=locked)
    before = audit.snapshot(locked)
    areas_before = sorted(locked.eligible_areas.values_list("pk", flat=True))
    _apply(locked, details)
    locked.save()
    areas = list(details.eligible_areas)
    locked.eligible_areas.set(areas)
    changes = audit.diff(before, audit.snapshot(locked, before.keys()))
    areas_after = sorted(a.pk for a in areas)
    if areas_after != areas_before:
        changes["eligible_areas"] = [areas_before, areas_after]
    if changes:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=locked,
            changes=changes,
            organisation_id=locked.funder_id,
            partnership_id=locked.partnership_id,
        )
    return locked


def cancel_opportunity(*, actor: User, opportunity: Opportunity, reason: str) -> Opportunity:
    """Cancel before the award, with the reason kept in the audit log."""
    from .transitions import move_opportunity

    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for cancelling"})
    return move_opportunity(actor=actor, opportunity=opportunity, target=State.CANCELLED, reason=reason.strip())


# ---- Guards called by services.transitions.move_opportunity -----------------------------------


def weight_problems(opportunity: Opportunity) -> list[str]:
    total = sum(c.weight for c in opportunity.criteria.all())
    if total == 0:
        return ["Add at least one assessment criterion, with weights adding up to 100%"]
    if total != 100:
        return [f"The criteria weights add up to {total}%. They must add up to 100%"]
    return []


def key_criteria_problems(opportunity: Opportunity) -> list[str]:
    covered = {c.key_criterion for c in opportunity.criteria.all()}
    missing = [str(k.label) for k in KeyCriterion if k.value not in covered]
    if not missing:
        return []
    return [
        "Each of the five key criteria must be covered by at least one criterion. Not covered yet: "
        + "; ".join(missing)
    ]


def opening_problems(opportunity: Opportunity) -> list[str]:
    """What stops an open call opening: criteria, outcomes, questions and dates."""
    problems = weight_problems(opportunity)
    if opportunity.route in PSR_ROUTES:
        problems += key_criteria_problems(opportunity)
    if not opportunity.outcomes.filter(status=OpportunityOutcome.Status.AGREED).exists():
        problems.append("Agree at least one outcome sought")
    if opportunity.route in OPEN_CALL_ROUTES:
        count = opportunity.questions.count()
        if count == 0:
            problems.append("Add at least one question for applicants")
        elif count > opportunity.max_questions:
            limit = opportunity.max_questions
            problems.append(f"There are {count} questions but this opportunity asks at most {limit}")
    if opportunity.opens_on is None:
        problems.append("Enter the opening date")
    if opportunity.closes_at is None:
        problems.append("Enter the closing date")
    if opportunity.opens_on and opportunity.closes_at and _local_date(opportunity.closes_at) <= opportunity.opens_on:
        problems.append("The closing date must be after the opening date")
    return problems


def closing_problems(opportunity: Opportunity) -> list[str]:
    """Closing before the opening date would shut out everyone who planned to apply."""
    today = timezone.localdate()
    if opportunity.opens_on and today < opportunity.opens_on:
        return [f"You cannot close an opportunity before it opens on {long_date(opportunity.opens_on)}"]
    return []


def assessing_problems(opportunity: Opportunity) -> list[str]:
    """A direct route assesses one named provider; C and Most Suitable weigh the key criteria."""
    problems = []
    if opportunity.named_provider_id is None:
        problems.append("Name the provider being assessed")
    if opportunity.route in PSR_ROUTES and not opportunity.cpv_code:
        problems.append("Enter the CPV code")
    if opportunity.route in KEY_CRITERIA_ASSESSED:
        problems += weight_problems(opportunity)
        problems += key_criteria_problems(opportunity)
    return problems
