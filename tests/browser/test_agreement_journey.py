"""Agreements end to end in Chromium, as issue 4 describes it: an award has created a draft
agreement; the commissioner completes it through the pages (term, payments, the
grant-or-contract test, a budget with overheads capped below the provider's full rate) and
offers it; the provider sees the gap in core costs and the VAT reasoning on the agreement page;
both sign and the agreement is active. axe-core checks every page on the way."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cocommission.agreements.models import Agreement
from cocommission.agreements.services import create_draft_agreement_from_award
from cocommission.agreements.tests.factories import OverheadRateFactory
from cocommission.commissioning.tests.factories import ApplicationFactory, OpportunityFactory
from cocommission.commissioning.tests.factories_decisions import ApplicationDecisionFactory

from .test_commissioning_journey import Checker, switch_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(mfa_off, icb, sid, org_a, alice, partnership) -> Agreement:
    """The award of a one-year grant of £60,000 to Riverside Carers has made a draft agreement.
    Riverside Carers keeps its overhead rate on its profile: £37,000 of core costs for £200,000
    of direct costs, 18.5%."""
    year = timezone.localdate().year
    OverheadRateFactory.create(
        organisation=org_a,
        financial_year=year,
        annual_core_costs=Decimal("37000"),
        total_direct_costs=Decimal("200000"),
    )
    opportunity = OpportunityFactory.create(funder=icb, partnership=partnership, decided=True, term_years=1)
    decision = ApplicationDecisionFactory.create(
        application=ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True),
        amount=Decimal("60000"),
    )
    return create_draft_agreement_from_award(actor=sid, decision=decision)


def test_a_commissioner_completes_an_awarded_agreement_and_both_sides_sign(page, assert_accessible, draft, sid, alice):
    check = Checker(assert_accessible)
    start = datetime.date(timezone.localdate().year, 4, 1) + datetime.timedelta(days=365)
    start = start.replace(day=1, month=4)

    # 1. The commissioner finds the draft the award made.
    switch_to(page, sid, check)
    page.get_by_role("link", name="Agreements", exact=True).click()
    check(page)
    page.get_by_role("link", name=draft.title).click()
    check(page)
    expect(page.get_by_text("Draft", exact=True).first).to_be_visible()

    # 2. The term: one year from April, paid quarterly. A one-year recurring service is short-term,
    # so the page asks why, and keeps what was typed.
    page.get_by_role("button", name="Change the terms").click()
    check(page)
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill(start.replace(year=start.year + 1, day=31, month=3).isoformat())
    page.get_by_label("Quarterly, in arrears").check()
    page.get_by_role("button", name="Save the terms").click()
    check(page)
    expect(page.get_by_role("link", name="Enter why this agreement is shorter", exact=False)).to_be_visible()
    expect(page.get_by_label("Start date")).to_have_value(start.isoformat())
    page.get_by_label("Why is the agreement shorter than the minimum term?").fill(
        "A first year to learn what carers need before a longer agreement."
    )
    page.get_by_role("button", name="Save the terms").click()
    check(page)
    expect(page.get_by_text("Short-term", exact=True).first).to_be_visible()

    # 3. The grant-or-contract test: money to support the provider's own work is a grant.
    page.get_by_role("link", name="Answer the grant-or-contract test").click()
    check(page)
    for question in (
        "Is the payment consideration for a supply to the funder?",
        "Is there a direct link between the payment and the service?",
        "Are there conditions that make it a purchase?",
    ):
        page.get_by_role("group", name=question).get_by_label("No").check()
    page.get_by_role("group", name="Who gets the benefit").get_by_label("The public").check()
    page.get_by_role("button", name="Save answers").click()
    check(page)
    expect(page.get_by_text("Grant (outside the scope of VAT)").first).to_be_visible()

    # 4. The budget: direct costs, with overheads capped at 10%, below the provider's 18.5%.
    page.get_by_role("link", name="Build the budget").click()
    check(page)
    page.get_by_role("button", name="Cap overheads").click()
    check(page)
    page.get_by_label("Cap on the core-cost share").fill("10")
    page.get_by_role("button", name="Save cap").click()
    check(page)
    page.get_by_role("button", name="Add a cost").click()
    check(page)
    page.get_by_label("Staff").check()
    page.get_by_label("Description").fill("Carers' support worker")
    page.get_by_label("Amount for the year").fill("50000")
    page.get_by_role("button", name="Add cost").click()
    check(page)
    expect(page.get_by_text("The cap on overheads leaves a gap of £4,250.00").first).to_be_visible()

    # 5. Offer it and sign for the funder.
    page.get_by_role("link", name=draft.reference).first.click()
    check(page)
    page.get_by_role("button", name="Offer for signature").click()
    check(page)
    page.get_by_role("button", name="Offer the agreement").click()
    check(page)
    page.get_by_role("button", name="Sign the agreement").click()
    check(page)
    page.get_by_role("button", name="Sign the agreement").click()
    check(page)
    expect(page.get_by_text("Signed by the funder").first).to_be_visible()

    # 6. The provider sees the gap and the reasoning before signing, then signs.
    switch_to(page, alice, check)
    page.get_by_role("link", name="Agreements", exact=True).click()
    check(page)
    page.get_by_role("link", name=draft.title).click()
    check(page)
    expect(page.get_by_text("The cap on overheads leaves a gap of £4,250.00").first).to_be_visible()
    expect(page.get_by_text("The payment is not consideration for a supply").first).to_be_visible()
    page.get_by_role("button", name="Sign the agreement").click()
    check(page)
    page.get_by_role("button", name="Sign the agreement").click()
    check(page)
    expect(page.get_by_text("Active", exact=True).first).to_be_visible()

    draft.refresh_from_db()
    assert draft.status == Agreement.Status.ACTIVE
    assert (draft.funder_signed_by, draft.provider_signed_by) == (sid, alice)
    assert draft.agreement_type == Agreement.Type.GRANT
    assert len(check.checked) >= 20
