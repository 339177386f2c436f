"""Reads for decisions: who is being decided on, what was decided, and what the applicant sees."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from cocommission.agreements.models import Agreement

from ..models import Application, ApplicationDecision, ConflictDeclaration, DecisionRecord, Opportunity, PanelMember
from ..routes import OPEN_CALL_ROUTES


def long_date(day: datetime.date) -> str:
    """6 January 2027: the GOV.UK way of writing a date."""
    return f"{day.day} {day:%B %Y}"


def applicant_name(application: Application) -> str:
    """The consortium's name when it applied together, otherwise the organisation's."""
    if application.consortium_id and application.consortium is not None:
        return application.consortium.name
    return application.organisation.name


def decision_subjects(opportunity: Opportunity) -> QuerySet[Application]:
    """Every submitted application of the opportunity, with its decision and agreement, shaped
    so a page listing them all runs the same number of queries however many there are."""
    return (
        Application.objects.filter(opportunity=opportunity, status=Application.Status.SUBMITTED)
        .select_related("organisation", "consortium", "consortium__lead", "decision", "decision__agreement")
        .order_by("organisation__name", "id")
    )


def needs_named_provider_application(opportunity: Opportunity) -> bool:
    """A direct route assesses a named provider, which may never have submitted anything itself:
    the decision then needs a record of that provider as its subject before it can be made."""
    if opportunity.route in OPEN_CALL_ROUTES or opportunity.named_provider_id is None:
        return False
    return not Application.objects.filter(
        opportunity=opportunity, organisation_id=opportunity.named_provider_id
    ).exists()


def decision_record_for(opportunity: Opportunity) -> DecisionRecord | None:
    return DecisionRecord.objects.filter(opportunity=opportunity).select_related("recorded_by").first()


@dataclass(frozen=True)
class DecisionTotals:
    applications: int
    decided: int
    awards: int
    total_awarded: Decimal


def decision_totals(applications: list[Application]) -> DecisionTotals:
    """Counts and the sum of awards, from a list already loaded by `decision_subjects`."""
    decisions = [d for d in (decision_of(a) for a in applications) if d is not None]
    awards = [d for d in decisions if d.outcome == ApplicationDecision.Outcome.AWARD]
    return DecisionTotals(
        applications=len(applications),
        decided=len(decisions),
        awards=len(awards),
        total_awarded=sum((d.amount or Decimal(0) for d in awards), Decimal(0)),
    )


def decision_of(application: Application) -> ApplicationDecision | None:
    """The application's decision, or None: reverse one-to-one access raises when there is none."""
    try:
        return application.decision
    except ApplicationDecision.DoesNotExist:
        return None


def agreement_of(decision: ApplicationDecision) -> Agreement | None:
    """The draft (or later) agreement an award created, or None."""
    try:
        return decision.agreement
    except Agreement.DoesNotExist:
        return None


def awarded_decisions(opportunity: Opportunity) -> QuerySet[ApplicationDecision]:
    return (
        ApplicationDecision.objects.filter(
            application__opportunity=opportunity,
            application__status=Application.Status.SUBMITTED,
            outcome=ApplicationDecision.Outcome.AWARD,
        )
        .select_related("application__organisation", "application__consortium", "application__consortium__lead")
        .order_by("application__organisation__name", "application_id")
    )


def decision_for_application(application: Application) -> ApplicationDecision | None:
    """The decision an applicant may see: only once they have been told (the decision is
    confirmed), with the draft agreement an award created, if any."""
    return (
        ApplicationDecision.objects.filter(application=application, notified_at__isnull=False)
        .select_related("agreement", "application__opportunity")
        .first()
    )


def suggested_decision_makers(opportunity: Opportunity) -> str:
    """The panel, one person a line, as a starting point the manager edits."""
    members = PanelMember.objects.filter(panel__opportunity=opportunity).select_related("user", "organisation")
    lines = []
    for member in members:
        parts = [member.get_sector_display()]
        if member.organisation is not None:
            parts.append(member.organisation.name)
        if member.is_chair:
            parts.append("chair")
        lines.append(f"{member.user.get_full_name()} ({', '.join(parts)})")
    return "\n".join(lines)


def declared_conflicts(opportunity: Opportunity) -> QuerySet[ConflictDeclaration]:
    return (
        ConflictDeclaration.objects.filter(member__panel__opportunity=opportunity, has_conflict=True)
        .select_related("member__user", "application__organisation", "application__consortium")
        .order_by("application__organisation__name", "member__user__full_name", "id")
    )


def suggested_conflicts_summary(opportunity: Opportunity) -> str:
    """Each declared conflict and how it was managed, from the panel's declarations."""
    lines = []
    for declaration in declared_conflicts(opportunity):
        name = declaration.member.user.get_full_name()
        details = declaration.details.strip() or "no details given"
        management = declaration.management.strip() or "not recorded"
        lines.append(
            f"{name} declared a conflict on the application from {applicant_name(declaration.application)}: "
            f"{details}. How it was managed: {management}."
        )
    return "\n".join(lines) if lines else "No conflicts of interest were declared."
