"""The steps the demo's people take to commission, each one through the real services.

Going through the services (rather than writing rows) keeps the demo honest: every opportunity
has followed its route's steps, every guard has passed, and the audit log and the relationship
timelines show the same history a real place would have.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from cocommission.accounts.models import User
from cocommission.commissioning.models import Application, ApplicationDecision, Opportunity, PanelMember
from cocommission.commissioning.services import (
    applications,
    decisions,
    opportunities,
    opportunity_parts,
    panel_scoring,
    panels,
    transitions,
)
from cocommission.organisations.models import Area, Organisation
from cocommission.partnerships.models import Partnership

Outcome = ApplicationDecision.Outcome
Sector = PanelMember.Sector


@dataclass(frozen=True)
class OpportunitySpec:
    """An opportunity as its commissioner fills it in. Day offsets count from today."""

    title: str
    funder: str  # organisation slug
    by: str  # email of the person who opens it
    route: str
    route_reason: str
    problem: str
    total_budget: str
    max_award: str
    term_years: int = 1
    in_partnership: bool = True
    kinds: tuple[str, ...] = ()
    income_bands: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    opens: int | None = None
    closes: int | None = None  # closes at 5pm on that day
    decide_by: int | None = None
    named_provider: str | None = None
    cpv_code: str = ""
    max_questions: int | None = None
    word_limit: int | None = None
    extra_documents: int | None = None
    outcomes: tuple[str, ...] = ()
    criteria: tuple[tuple[str, int, str], ...] = ()  # (name, weight, key criterion or "")
    questions: tuple[tuple[str, int], ...] = ()  # (question, word limit)

    @property
    def slug(self) -> str:
        return slugify(self.title)


@dataclass
class Demo:
    """The demo place as the commissioning loader sees it: who is who, and what day it is."""

    today: datetime.date
    orgs: dict[str, Organisation]
    partnership: Partnership
    users: dict[str, User] = field(default_factory=dict)

    def user(self, email: str) -> User:
        if email not in self.users:
            self.users[email] = User.objects.get(email=email)
        return self.users[email]

    def org(self, slug: str) -> Organisation:
        return self.orgs[slug]

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def at(self, offset: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """A local moment `offset` days from today."""
        moment = datetime.datetime.combine(self.day(offset), datetime.time(hour, minute))
        return timezone.make_aware(moment)


# ---- Opportunities ----------------------------------------------------------------------------


def exists(spec: OpportunitySpec) -> bool:
    """Each demo opportunity is keyed by its slug: if it is there, leave it (and its story) alone."""
    return Opportunity.objects.filter(slug=spec.slug).exists()


def create(demo: Demo, spec: OpportunitySpec) -> Opportunity:
    """Open the draft with its criteria, questions and agreed outcomes, as its commissioner."""
    actor = demo.user(spec.by)
    details = opportunities.OpportunityDetails(
        title=spec.title,
        problem=spec.problem,
        total_budget=Decimal(spec.total_budget),
        max_award=Decimal(spec.max_award),
        route=spec.route,
        route_reason=spec.route_reason,
        term_years=spec.term_years,
        eligible_kinds=spec.kinds,
        eligible_income_bands=spec.income_bands,
        eligible_areas=list(Area.objects.filter(name__in=spec.areas)),
        opens_on=None if spec.opens is None else demo.day(spec.opens),
        closes_at=None if spec.closes is None else demo.at(spec.closes, hour=17),
        decision_by=None if spec.decide_by is None else demo.day(spec.decide_by),
        named_provider=demo.org(spec.named_provider) if spec.named_provider else None,
        cpv_code=spec.cpv_code,
        max_questions=spec.max_questions,
        word_limit=spec.word_limit,
        extra_documents=spec.extra_documents,
    )
    partnership = demo.partnership if spec.in_partnership else None
    opportunity = opportunities.create_opportunity(
        actor=actor, funder=demo.org(spec.funder), partnership=partnership, details=details
    )
    for name, weight, key in spec.criteria:
        opportunity_parts.add_criterion(
            actor=actor, opportunity=opportunity, name=name, weight=weight, key_criterion=key
        )
    for text, words in spec.questions:
        opportunity_parts.add_question(actor=actor, opportunity=opportunity, text=text, word_limit=words)
    for text in spec.outcomes:
        opportunity_parts.propose_outcome(actor=actor, opportunity=opportunity, text=text)
    return opportunity


def move(demo: Demo, opportunity: Opportunity, by: str, *targets: str) -> Opportunity:
    """Take the opportunity through the next steps of its route, one at a time."""
    for target in targets:
        opportunity = transitions.move_opportunity(actor=demo.user(by), opportunity=opportunity, target=target)
    return opportunity


# ---- Applications -----------------------------------------------------------------------------


def apply(
    demo: Demo,
    opportunity: Opportunity,
    *,
    org: str,
    by: str,
    amount: str,
    summary: str,
    answers: Sequence[str],
    day: int,
    submit: bool = True,
    consortium_name: str = "",
) -> Application:
    """Start, fill in and (usually) submit an application on day `day`.

    The services take the moment as `now`, so an application to an opportunity whose closing
    time has passed is made as it was then, before the closing time, and keeps that date.
    """
    actor, now = demo.user(by), demo.at(day)
    application = applications.start_application(
        actor=actor,
        opportunity=opportunity,
        organisation=demo.org(org),
        as_consortium=bool(consortium_name),
        consortium_name=consortium_name,
        now=now,
    )
    questions = list(opportunity.questions.all())[: len(answers)]
    application = applications.save_draft(
        actor=actor,
        application=application,
        amount_requested=Decimal(amount),
        summary=summary,
        answers={question.pk: text for question, text in zip(questions, answers, strict=True)},
        now=now,
    )
    if submit:
        application = applications.submit_application(actor=actor, application=application, now=now)
    return application


# ---- Panels -----------------------------------------------------------------------------------

COMMENTS = {
    0: "No evidence on {c}.",
    1: "Very little on {c}: the answer does not say how it would happen.",
    2: "Some evidence on {c}, but important gaps remain.",
    3: "A sound answer on {c}, with a few gaps.",
    4: "A strong answer on {c}, with clear local examples.",
    5: "An excellent answer on {c}: specific, realistic and backed by what people have said.",
}


def _comment(criterion_name: str, mark: int) -> str:
    return COMMENTS[mark].format(c=criterion_name[0].lower() + criterion_name[1:])


def seat(
    demo: Demo,
    opportunity: Opportunity,
    *,
    by: str,
    email: str,
    sector: str,
    org: str | None = None,
    chair: bool = False,
) -> PanelMember:
    return panels.add_panel_member(
        actor=demo.user(by),
        opportunity=opportunity,
        email=email,
        sector=sector,
        organisation=demo.org(org) if org else None,
        is_chair=chair,
    )


def declare(member: PanelMember, application: Application, *, conflict: str = "", management: str = "") -> None:
    """The member's own declaration: no conflict, or the conflict and how it is managed."""
    panels.declare_interests(
        actor=member.user,
        member=member,
        application=application,
        has_conflict=bool(conflict),
        details=conflict,
        management=management,
    )


def score(member: PanelMember, application: Application, marks: Sequence[int | None], *, submit: bool = True) -> None:
    """Score each criterion in order (None leaves it blank in a draft), with a comment to match."""
    criteria = list(application.opportunity.criteria.all())
    entries = {
        criterion.pk: panel_scoring.ScoreEntry(mark, "" if mark is None else _comment(criterion.name, mark))
        for criterion, mark in zip(criteria, marks, strict=True)
    }
    panel_scoring.save_score_sheet(
        actor=member.user, member=member, application=application, entries=entries, submit=submit
    )


def moderate(demo: Demo, application: Application, *, by: str, marks: Sequence[int], notes: str | None = None) -> None:
    """Record the scores the panel agreed, each with its reason."""
    criteria = list(application.opportunity.criteria.all())
    entries = {
        criterion.pk: panel_scoring.ModerationEntry(mark, "Agreed in moderation. " + _comment(criterion.name, mark))
        for criterion, mark in zip(criteria, marks, strict=True)
    }
    panel_scoring.moderate_application(actor=demo.user(by), application=application, entries=entries, notes=notes)


# ---- Decisions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    application: Application
    amount: str | None  # None: not awarded
    reasons: str
    feedback: str


def decide(
    demo: Demo,
    opportunity: Opportunity,
    *,
    by: str,
    makers: str,
    summary: str,
    conflicts: str,
    verdicts: Sequence[Verdict],
) -> None:
    """Record the decision on every submitted application (the move to DECIDED confirms it)."""
    items = [
        decisions.DecisionInput(
            application_id=v.application.pk,
            outcome=Outcome.DECLINE if v.amount is None else Outcome.AWARD,
            amount=None if v.amount is None else Decimal(v.amount),
            reasons=v.reasons,
            feedback=v.feedback,
        )
        for v in verdicts
    ]
    decisions.save_decision(
        actor=demo.user(by),
        opportunity=opportunity,
        decision_makers=makers,
        summary=summary,
        conflicts_summary=conflicts,
        items=items,
    )
