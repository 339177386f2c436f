"""A signed budget keeps the overhead rate it was signed with."""

from decimal import Decimal

import pytest

from cocommission.agreements.models import Agreement
from cocommission.agreements.selectors.budget import agreement_budget
from cocommission.agreements.selectors.terms import signing_version
from cocommission.agreements.services import budget
from cocommission.agreements.services.terms import sign_agreement

from .factories import AgreementFactory, BudgetLineFactory, OverheadRateFactory

pytestmark = pytest.mark.django_db


def test_the_overhead_rate_is_kept_when_both_sign_and_later_changes_do_not_touch_it(sid, alice, icb, org_a):
    rate = OverheadRateFactory.create(
        organisation=org_a,
        financial_year=2026,
        annual_core_costs=Decimal("37000"),
        total_direct_costs=Decimal("200000"),
    )
    agreement = AgreementFactory.create(
        funder=icb, provider=org_a, offered=True, agreement_type=Agreement.Type.GRANT, value=Decimal("90000")
    )
    BudgetLineFactory.create(agreement=agreement, year=1, amount=Decimal("20000"))

    sign_agreement(actor=sid, agreement=agreement, side="funder", version=signing_version(agreement))
    agreement.refresh_from_db()
    assert agreement.signed_overhead_year is None  # only once both have signed
    sign_agreement(actor=alice, agreement=agreement, side="provider", version=signing_version(agreement))
    agreement.refresh_from_db()
    assert (agreement.signed_overhead_year, agreement.signed_overhead_core, agreement.signed_overhead_direct) == (
        2026,
        Decimal("37000.00"),
        Decimal("200000.00"),
    )
    assert agreement_budget(agreement).cost.core_funded == Decimal("3700.00")  # 20,000 × 18.5%

    # The provider's admin corrects its 2026-27 figures; the signed budget does not move.
    budget.change_overhead_rate(
        actor=alice,
        rate=rate,
        annual_core_costs=Decimal("50000"),
        total_direct_costs=Decimal("200000"),
    )
    agreement.refresh_from_db()
    assert agreement_budget(agreement).cost.core_funded == Decimal("3700.00")
    unsigned = AgreementFactory.create(funder=icb, provider=org_a)
    BudgetLineFactory.create(agreement=unsigned, year=1, amount=Decimal("20000"))
    assert agreement_budget(unsigned).cost.core_funded == Decimal("5000.00")  # the new 25%


def test_the_signing_stamp_reads_an_amount_the_same_however_it_was_written(icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, value=Decimal("90000"))
    written = signing_version(agreement)
    agreement.refresh_from_db()  # now Decimal("90000.00"), as the database keeps it
    assert signing_version(agreement) == written
    agreement.value = Decimal("90000.01")
    assert signing_version(agreement) != written
