"""Writes for agreements. An award creates a draft; the agreements work completes it."""

from django.db import transaction

from cocommission.accounts.models import User
from cocommission.commissioning.models import ApplicationDecision, Opportunity, OpportunityOutcome
from cocommission.core import audit

from ..models import Agreement
from ..selectors.terms import consortium_provider_id


def agreement_reference(opportunity: Opportunity, number: int) -> str:
    """AGR-<opportunity reference>-<n>: readable, and traceable to the opportunity."""
    return f"AGR-{opportunity.reference}-{number}"


@transaction.atomic
def create_draft_agreement_from_award(*, actor: User | None, decision: ApplicationDecision) -> Agreement:
    """Create the draft agreement for one award, or return the one it already has.

    The provider is the applicant: for a consortium, its lead when it has one, otherwise the
    member that started the application, with the consortium linked so accountability stays
    shared. The value is the award (the whole-term amount) and the term is the opportunity's.
    Calling it twice for the same award never makes a second agreement.
    """
    locked = (
        ApplicationDecision.objects.select_for_update(of=("self",))
        .select_related("application__opportunity", "application__organisation", "application__consortium")
        .get(pk=decision.pk)
    )
    existing = Agreement.objects.filter(award=locked).first()
    if existing is not None:
        return existing
    if locked.outcome != ApplicationDecision.Outcome.AWARD or locked.amount is None:
        raise ValueError("Only an award can become an agreement.")
    application = locked.application
    opportunity = application.opportunity
    consortium = application.consortium
    lead_or_starter = consortium_provider_id(consortium) if consortium is not None else None
    provider_id = lead_or_starter or application.organisation_id
    number = Agreement.objects.filter(opportunity=opportunity).count() + 1
    applicant = consortium.name if consortium is not None else application.organisation.name
    agreement = Agreement.objects.create(
        reference=agreement_reference(opportunity, number),
        title=f"{opportunity.title}: {applicant}"[:200],
        funder_id=opportunity.funder_id,
        provider_id=provider_id,
        consortium=consortium,
        opportunity=opportunity,
        award=locked,
        status=Agreement.Status.DRAFT,
        value=locked.amount,
        term_years=opportunity.term_years,
        partnership_id=opportunity.partnership_id,
        scope=opportunity.problem,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    agreement.outcomes.set(opportunity.outcomes.filter(status=OpportunityOutcome.Status.AGREED))
    for organisation_id in {opportunity.funder_id, provider_id}:
        audit.record_create(
            actor=actor, instance=agreement, organisation_id=organisation_id, partnership_id=opportunity.partnership_id
        )
    return agreement
