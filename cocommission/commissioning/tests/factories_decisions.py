"""Factories and builders for decisions, PSR notices and standstill tests.

Kept apart from factories.py while the other parts of commissioning are built at the same time;
the panel builders here (`seat`, `submitted_scores`) make only what a decision record reads.
"""

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cocommission.accounts.models import User
from cocommission.accounts.tests.factories import UserFactory
from cocommission.commissioning.models import (
    Application,
    ApplicationDecision,
    ConflictDeclaration,
    Criterion,
    DecisionRecord,
    ModeratedScore,
    Opportunity,
    Panel,
    PanelMember,
    PsrNotice,
    Representation,
    Score,
    ScoreSheet,
)
from cocommission.commissioning.services.decisions import DecisionInput
from cocommission.organisations.models import Organisation
from cocommission.organisations.tests.factories import OrganisationFactory

from .factories import ApplicationFactory, CriterionFactory, OpportunityFactory, OutcomeFactory


class DecisionRecordFactory(DjangoModelFactory[DecisionRecord]):
    class Meta:
        model = DecisionRecord

    opportunity = factory.SubFactory(OpportunityFactory, scoring=True)
    decided_at = factory.LazyFunction(timezone.now)
    decision_makers = "Sam Patel (Statutory, chair)\nJo Green (VCSE)"
    summary = "Applications were ranked by their weighted agreed scores; the top ones were funded within budget."
    conflicts_summary = "No conflicts of interest were declared."

    class Params:
        confirmed = factory.Trait(confirmed_at=factory.LazyFunction(timezone.now))


class ApplicationDecisionFactory(DjangoModelFactory[ApplicationDecision]):
    """An award of £5,000 by default; the `declined` trait makes it a "not awarded"."""

    class Meta:
        model = ApplicationDecision

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    outcome = ApplicationDecision.Outcome.AWARD
    amount = Decimal("5000")
    reasons = "Scored highly on reach and on working with local groups."
    feedback = "A clear plan. Say more about how you will measure loneliness."

    class Params:
        declined = factory.Trait(outcome=ApplicationDecision.Outcome.DECLINE, amount=None)
        notified = factory.Trait(notified_at=factory.LazyFunction(timezone.now))


class PsrNoticeFactory(DjangoModelFactory[PsrNotice]):
    class Meta:
        model = PsrNotice

    opportunity = factory.SubFactory(OpportunityFactory, psr_most_suitable=True, standstill=True)
    kind = PsrNotice.Kind.INTENTION
    published_at = factory.LazyFunction(timezone.now)
    content = factory.LazyFunction(lambda: {"notice_type": "intention"})
    standstill_ends_on = None


class RepresentationFactory(DjangoModelFactory[Representation]):
    class Meta:
        model = Representation

    opportunity = factory.SubFactory(OpportunityFactory, psr_most_suitable=True, standstill=True)
    received_on = factory.LazyFunction(timezone.localdate)
    made_by = "Valley Care Ltd"
    summary = "The scoring of social value did not follow the published method."


def submitted_applications(opportunity: Opportunity, count: int, **kwargs: Any) -> list[Application]:
    return [ApplicationFactory.create(opportunity=opportunity, submitted=True, **kwargs) for _ in range(count)]


def award_all(applications: list[Application], amount: Decimal = Decimal("5000")) -> list[DecisionInput]:
    """A decision awarding everyone the same amount, as the form would hand it to the service."""
    return [
        DecisionInput(
            application_id=a.pk,
            outcome=ApplicationDecision.Outcome.AWARD,
            amount=amount,
            reasons="Strong on every criterion.",
            feedback="Well evidenced.",
        )
        for a in applications
    ]


def decline(application: Application) -> DecisionInput:
    return DecisionInput(
        application_id=application.pk,
        outcome=ApplicationDecision.Outcome.DECLINE,
        amount=None,
        reasons="Scored lower on reach than the funded applications.",
        feedback="Show how you will reach people who do not come to you.",
    )


def seat(
    opportunity: Opportunity,
    *,
    user: User | None = None,
    sector: str = PanelMember.Sector.VCSE,
    organisation: Organisation | None = None,
    chair: bool = False,
) -> PanelMember:
    panel, _ = Panel.objects.get_or_create(opportunity=opportunity)
    return PanelMember.objects.create(
        panel=panel, user=user or UserFactory.create(), sector=sector, organisation=organisation, is_chair=chair
    )


def submitted_scores(member: PanelMember, application: Application, scores: dict[Criterion, int]) -> ScoreSheet:
    sheet = ScoreSheet.objects.create(member=member, application=application, submitted_at=timezone.now())
    for criterion, value in scores.items():
        Score.objects.create(sheet=sheet, criterion=criterion, score=value, comment=f"{criterion.name}: {value}")
    return sheet


def moderate(application: Application, scores: dict[Criterion, int]) -> None:
    for criterion, value in scores.items():
        ModeratedScore.objects.create(
            application=application, criterion=criterion, score=value, reason=f"Agreed {value} for {criterion.name}"
        )


def declare_conflict(member: PanelMember, application: Application, details: str = "Is a trustee") -> None:
    ConflictDeclaration.objects.create(
        member=member,
        application=application,
        has_conflict=True,
        details=details,
        management="Did not score it or see others' scores for it",
    )


def psr_opportunity(route_trait: str = "psr_most_suitable", **kwargs: Any) -> Opportunity:
    """A PSR opportunity being assessed, with the five key criteria and an agreed outcome."""
    opportunity = OpportunityFactory.create(**{route_trait: True, "assessing": True, **kwargs})
    for index, (key, label) in enumerate(
        [
            ("quality", "Quality and innovation"),
            ("value", "Value"),
            ("integration", "Integration"),
            ("access", "Access and inequalities"),
            ("social_value", "Social value"),
        ]
    ):
        CriterionFactory.create(opportunity=opportunity, name=label, weight=20, key_criterion=key, order=index)
    OutcomeFactory.create(opportunity=opportunity, text="People stay living in their own homes")
    return opportunity


def provider(**kwargs: Any) -> Organisation:
    return OrganisationFactory.create(address="1 Mill Lane\nBrackenmoor", postcode="BR1 2AB", **kwargs)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def freeze(monkeypatch: Any, day: datetime.date, hour: int = 10) -> datetime.datetime:
    """Make `timezone.now()` (and so `localdate()`) a fixed moment on `day`, London time."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def provider_application(opportunity: Opportunity) -> Application:
    """The named provider's submitted application on a direct route."""
    assert opportunity.named_provider is not None
    return ApplicationFactory.create(opportunity=opportunity, organisation=opportunity.named_provider, submitted=True)
