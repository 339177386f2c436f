"""Draft agreements made from awards: once per award, with the right parties and value."""

from decimal import Decimal

import pytest

from cocommission.agreements.models import Agreement
from cocommission.agreements.services import create_draft_agreement_from_award
from cocommission.commissioning.tests.factories import (
    ApplicationFactory,
    ConsortiumFactory,
    ConsortiumMemberFactory,
    OpportunityFactory,
)
from cocommission.commissioning.tests.factories_decisions import ApplicationDecisionFactory
from cocommission.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_award_becomes_a_draft_agreement_between_funder_and_provider(sid, icb, org_a):
    opportunity = OpportunityFactory.create(funder=icb, decided=True, term_years=3, reference="BRK-2026-0007")
    decision = ApplicationDecisionFactory.create(
        application=ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True),
        amount=Decimal("45000.50"),
    )
    agreement = create_draft_agreement_from_award(actor=sid, decision=decision)
    assert agreement.reference == "AGR-BRK-2026-0007-1"
    assert agreement.title == f"{opportunity.title}: {org_a.name}"
    assert (agreement.funder, agreement.provider, agreement.consortium) == (icb, org_a, None)
    assert agreement.opportunity == opportunity
    assert agreement.award == decision
    assert agreement.value == Decimal("45000.50")
    assert agreement.term_years == 3
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.created_by == sid
    scopes = set(
        AuditEvent.objects.filter(object_type="agreements.agreement").values_list("organisation_id", flat=True)
    )
    assert scopes == {icb.pk, org_a.pk}


def test_calling_it_twice_keeps_one_agreement(sid, icb):
    decision = ApplicationDecisionFactory.create(
        application__opportunity=OpportunityFactory.create(funder=icb, decided=True)
    )
    first = create_draft_agreement_from_award(actor=sid, decision=decision)
    second = create_draft_agreement_from_award(actor=sid, decision=decision)
    assert first.pk == second.pk
    assert Agreement.objects.count() == 1


def test_each_award_of_an_opportunity_gets_its_own_numbered_reference(sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, decided=True, reference="BRK-2026-0009")
    references = [
        create_draft_agreement_from_award(
            actor=sid, decision=ApplicationDecisionFactory.create(application__opportunity=opportunity)
        ).reference
        for _ in range(2)
    ]
    assert references == ["AGR-BRK-2026-0009-1", "AGR-BRK-2026-0009-2"]


def test_a_consortium_without_a_lead_is_linked_and_the_starting_member_holds_the_agreement(sid, icb, org_a, org_b):
    consortium = ConsortiumFactory.create(name="Valley Alliance")
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_a, confirmed=True)
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_b, confirmed=True)
    application = ApplicationFactory.create(
        opportunity=OpportunityFactory.create(funder=icb, decided=True),
        organisation=org_a,
        consortium=consortium,
        submitted=True,
    )
    agreement = create_draft_agreement_from_award(
        actor=sid, decision=ApplicationDecisionFactory.create(application=application)
    )
    assert agreement.consortium == consortium
    assert agreement.provider == org_a
    assert agreement.title.endswith("Valley Alliance")


def test_a_consortium_with_a_lead_has_the_lead_as_provider(sid, icb, org_a, org_b):
    consortium = ConsortiumFactory.create(name="Valley Alliance", lead=org_b)
    application = ApplicationFactory.create(
        opportunity=OpportunityFactory.create(funder=icb, decided=True),
        organisation=org_a,
        consortium=consortium,
        submitted=True,
    )
    agreement = create_draft_agreement_from_award(
        actor=sid, decision=ApplicationDecisionFactory.create(application=application)
    )
    assert agreement.provider == org_b


def test_a_declined_application_never_becomes_an_agreement(sid, icb):
    decision = ApplicationDecisionFactory.create(
        application__opportunity=OpportunityFactory.create(funder=icb, decided=True), declined=True
    )
    with pytest.raises(ValueError, match="Only an award"):
        create_draft_agreement_from_award(actor=sid, decision=decision)
    assert not Agreement.objects.exists()
