"""Shared factories for commissioning tests.

Opportunity traits: one per state (open, closed, assessing, scoring, decided, standstill, awarded,
cancelled) and one per route (grant, open_competition, alliance, psr_direct_a, psr_direct_b,
psr_direct_c, psr_most_suitable, psr_competitive). States only set the field: they do not build the
panels, applications or decisions a real opportunity would have in that state.

Other helpers: add factories for your models at the END of this file.
"""

import datetime
from decimal import Decimal
from typing import Any, cast

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cocommission.commissioning.models import Criterion, Opportunity, OpportunityOutcome, Question
from cocommission.commissioning.routes import OPEN_CALL_ROUTES, PSR_ROUTES, KeyCriterion, Route, State
from cocommission.organisations.tests.factories import OrganisationFactory


def _today() -> datetime.date:
    return timezone.localdate()


class OpportunityFactory(DjangoModelFactory[Opportunity]):
    class Meta:
        model = Opportunity

    funder = factory.SubFactory(OrganisationFactory, statutory=True)
    reference = factory.Sequence(lambda n: f"TST-2026-{n:04d}")
    slug = factory.Sequence(lambda n: f"opportunity-{n}")
    title = factory.Sequence(lambda n: f"Community support {n}")
    problem = "Older people in the valley are lonely and cannot reach the services that exist."
    total_budget = Decimal("50000")
    max_award = Decimal("10000")
    term_years = 1
    opens_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    decision_by = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=60))
    route = Route.GRANT
    route_reason = "Small grants reach community groups best; there is no single incumbent provider."
    state = State.DRAFT
    max_questions = 3
    word_limit = 500
    extra_documents = 0
    lived_experience_on_panel = True
    cpv_code = ""

    class Params:
        # States
        open = factory.Trait(state=State.OPEN)
        closed = factory.Trait(
            state=State.CLOSED,
            opens_on=factory.LazyFunction(lambda: _today() - datetime.timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2)),
        )
        assessing = factory.Trait(state=State.ASSESSING)
        scoring = factory.Trait(
            state=State.SCORING,
            opens_on=factory.LazyFunction(lambda: _today() - datetime.timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=5)),
        )
        decided = factory.Trait(
            state=State.DECIDED,
            opens_on=factory.LazyFunction(lambda: _today() - datetime.timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=20)),
        )
        standstill = factory.Trait(
            state=State.STANDSTILL,
            opens_on=factory.LazyFunction(lambda: _today() - datetime.timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=20)),
        )
        awarded = factory.Trait(
            state=State.AWARDED,
            opens_on=factory.LazyFunction(lambda: _today() - datetime.timedelta(days=90)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=50)),
            awarded_at=factory.LazyFunction(timezone.now),
        )
        cancelled = factory.Trait(state=State.CANCELLED)
        # Routes
        grant = factory.Trait(route=Route.GRANT, lived_experience_on_panel=True)
        alliance = factory.Trait(route=Route.ALLIANCE, lived_experience_on_panel=True)
        open_competition = factory.Trait(
            route=Route.OPEN_COMPETITION,
            lived_experience_on_panel=False,
            total_budget=Decimal("400000"),
            max_award=Decimal("200000"),
            max_questions=8,
            word_limit=4000,
            extra_documents=1,
        )
        psr_competitive = factory.Trait(
            route=Route.PSR_COMPETITIVE,
            lived_experience_on_panel=False,
            cpv_code="85000000-9",
            total_budget=Decimal("400000"),
            max_award=Decimal("200000"),
            max_questions=8,
            word_limit=4000,
            extra_documents=1,
        )
        psr_direct_a = factory.Trait(
            route=Route.PSR_DIRECT_A,
            lived_experience_on_panel=False,
            cpv_code="85000000-9",
            named_provider=factory.SubFactory(OrganisationFactory),
        )
        psr_direct_b = factory.Trait(
            route=Route.PSR_DIRECT_B,
            lived_experience_on_panel=False,
            cpv_code="85000000-9",
            named_provider=factory.SubFactory(OrganisationFactory),
        )
        psr_direct_c = factory.Trait(
            route=Route.PSR_DIRECT_C,
            lived_experience_on_panel=False,
            cpv_code="85000000-9",
            named_provider=factory.SubFactory(OrganisationFactory),
        )
        psr_most_suitable = factory.Trait(
            route=Route.PSR_MOST_SUITABLE,
            lived_experience_on_panel=False,
            cpv_code="85000000-9",
            named_provider=factory.SubFactory(OrganisationFactory),
        )


class CriterionFactory(DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    opportunity = factory.SubFactory(OpportunityFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    description = "How well the proposal meets the need."
    weight = 20
    key_criterion = ""
    order = factory.Sequence(lambda n: n)


class QuestionFactory(DjangoModelFactory[Question]):
    class Meta:
        model = Question

    opportunity = factory.SubFactory(OpportunityFactory)
    text = factory.Sequence(lambda n: f"Question {n}: what difference will you make?")
    guidance = ""
    word_limit = 150
    order = factory.Sequence(lambda n: n)


class OutcomeFactory(DjangoModelFactory[OpportunityOutcome]):
    class Meta:
        model = OpportunityOutcome

    opportunity = factory.SubFactory(OpportunityFactory)
    text = factory.Sequence(lambda n: f"Outcome {n}: fewer people feel alone")
    status = OpportunityOutcome.Status.AGREED

    class Params:
        proposed = factory.Trait(status=OpportunityOutcome.Status.PROPOSED)
        declined = factory.Trait(status=OpportunityOutcome.Status.DECLINED)


def make_ready_to_open(opportunity: Opportunity) -> Opportunity:
    """Add what opening requires: criteria adding up to 100 (covering the five key criteria on PSR
    routes), one agreed outcome and, for open calls, questions within the limits."""
    keys = list(KeyCriterion.values)
    for index, key in enumerate(keys):
        CriterionFactory.create(
            opportunity=opportunity,
            name=f"{KeyCriterion(key).label}",
            weight=20,
            key_criterion=key if opportunity.route in PSR_ROUTES else "",
            order=index,
        )
    OutcomeFactory.create(opportunity=opportunity)
    if opportunity.route in OPEN_CALL_ROUTES:
        per_question = max(1, opportunity.word_limit // max(1, opportunity.max_questions))
        for index in range(min(2, opportunity.max_questions)):
            QuestionFactory.create(opportunity=opportunity, word_limit=per_question, order=index)
    return opportunity


# Applications and consortia (added by the applications part)

from cocommission.commissioning.models import (  # noqa: E402
    Answer,
    Application,
    Consortium,
    ConsortiumMember,
)


class ApplicationFactory(DjangoModelFactory[Application]):
    """A draft application to an open grant. Traits: submitted, withdrawn."""

    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory, open=True)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Application.Status.DRAFT
    amount_requested = Decimal("5000")
    summary = "Weekly lunch clubs with transport for people who cannot get out alone."

    class Params:
        submitted = factory.Trait(
            status=Application.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now), total_words=120
        )
        withdrawn = factory.Trait(status=Application.Status.WITHDRAWN)


class AnswerFactory(DjangoModelFactory[Answer]):
    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    question = factory.LazyAttribute(lambda o: QuestionFactory(opportunity=o.application.opportunity))
    text = "We will run three lunch clubs a week and collect people who cannot drive."
    word_count = factory.LazyAttribute(lambda o: len(o.text.split()))


class ConsortiumFactory(DjangoModelFactory[Consortium]):
    class Meta:
        model = Consortium

    name = factory.Sequence(lambda n: f"Valley Alliance {n}")


class ConsortiumMemberFactory(DjangoModelFactory[ConsortiumMember]):
    """An invited member; the `confirmed` and `declined` traits set the answer."""

    class Meta:
        model = ConsortiumMember

    consortium = factory.SubFactory(ConsortiumFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = ConsortiumMember.Status.INVITED
    budget_share = Decimal("0")
    risk_share = Decimal("0")

    class Params:
        confirmed = factory.Trait(
            status=ConsortiumMember.Status.CONFIRMED, responded_at=factory.LazyFunction(timezone.now)
        )
        declined = factory.Trait(
            status=ConsortiumMember.Status.DECLINED, responded_at=factory.LazyFunction(timezone.now)
        )


# Panels, declarations and scores (added by the panels part)

from cocommission.accounts.tests.factories import UserFactory  # noqa: E402
from cocommission.commissioning.models import (  # noqa: E402
    ConflictDeclaration,
    Panel,
    PanelMember,
    ScoreSheet,
)


class PanelFactory(DjangoModelFactory[Panel]):
    class Meta:
        model = Panel
        django_get_or_create = ("opportunity",)

    opportunity = factory.SubFactory(OpportunityFactory, scoring=True)


class PanelMemberFactory(DjangoModelFactory[PanelMember]):
    """A VCSE member by default. Traits: statutory, lived_experience, other, chair.

    The factory does not make the person a member of their organisation: tests that go through
    services.add_panel_member need that membership (MembershipFactory)."""

    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    user = factory.SubFactory(UserFactory)
    sector = PanelMember.Sector.VCSE
    organisation = factory.SubFactory(OrganisationFactory)
    is_chair = False

    class Params:
        statutory = factory.Trait(
            sector=PanelMember.Sector.STATUTORY, organisation=factory.SubFactory(OrganisationFactory, statutory=True)
        )
        lived_experience = factory.Trait(sector=PanelMember.Sector.LIVED_EXPERIENCE, organisation=None)
        other = factory.Trait(sector=PanelMember.Sector.OTHER, organisation=None)
        chair = factory.Trait(is_chair=True)


class ConflictDeclarationFactory(DjangoModelFactory[ConflictDeclaration]):
    """No conflict by default; the `conflicted` trait declares one with how it is managed."""

    class Meta:
        model = ConflictDeclaration

    member = factory.SubFactory(PanelMemberFactory)
    application = factory.SubFactory(
        ApplicationFactory, submitted=True, opportunity=factory.SelfAttribute("..member.panel.opportunity")
    )
    has_conflict = False
    details = ""
    management = ""

    class Params:
        conflicted = factory.Trait(
            has_conflict=True,
            details="I am a trustee of the applicant.",
            management="I do not score this application or see the panel's scores for it.",
        )


class ScoreSheetFactory(DjangoModelFactory[ScoreSheet]):
    """A draft sheet with no scores. Trait `submitted` stamps it; add Score rows as needed."""

    class Meta:
        model = ScoreSheet

    member = factory.SubFactory(PanelMemberFactory)
    application = factory.SubFactory(
        ApplicationFactory, submitted=True, opportunity=factory.SelfAttribute("..member.panel.opportunity")
    )
    submitted_at = None

    class Params:
        submitted = factory.Trait(submitted_at=factory.LazyFunction(timezone.now))


def new_opportunity(**kwargs: Any) -> Opportunity:
    """OpportunityFactory, typed as the model for code that type-checks its arguments."""
    return cast(Opportunity, OpportunityFactory(**kwargs))


def new_application(**kwargs: Any) -> Application:
    return cast(Application, ApplicationFactory(**kwargs))


def consortium_of(application: Application) -> Consortium:
    """The consortium of an application known to be a consortium application."""
    assert application.consortium is not None
    return application.consortium
