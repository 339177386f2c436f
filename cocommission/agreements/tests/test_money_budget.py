"""Budgets on full cost recovery: lines, the provider's overhead rate, the funder's cap, the gap,
the check against the agreement's value, the consortium split, and overhead rates."""

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocommission.agreements.models import BudgetLine, OverheadRate
from cocommission.agreements.selectors.budget import (
    agreement_budget,
    budget_context,
    consortium_split,
    provider_overhead_rate,
)
from cocommission.agreements.services.budget import (
    add_budget_line,
    add_overhead_rate,
    change_budget_line,
    change_overhead_rate,
    check_budget_fits,
    remove_budget_line,
    set_overhead_cap,
)
from cocommission.agreements.services.guards import SIGNED_MESSAGE
from cocommission.agreements.tests.factories import AgreementFactory, BudgetLineFactory, OverheadRateFactory
from cocommission.commissioning.models import ConsortiumMember
from cocommission.commissioning.tests.factories import ConsortiumFactory, ConsortiumMemberFactory
from cocommission.core.models import AuditEvent
from cocommission.organisations.tests.factories import OrganisationFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(icb, org_a):
    """£90,000 over 3 years from 1 April 2026; org A's overhead rate for 2026-27 is 18.5%."""
    OverheadRateFactory.create(organisation=org_a, financial_year=2026)  # 37,000 / 200,000
    return AgreementFactory.create(funder=icb, provider=org_a)


def _line(agreement, actor, **overrides):
    fields: dict[str, Any] = {"year": 1, "category": "staff", "description": "Support worker", "amount": D("20000")}
    fields.update(overrides)
    return add_budget_line(actor=actor, agreement=agreement, **fields)


# The rate used -------------------------------------------------------------------------------------------------


def test_the_rate_of_the_year_the_agreement_starts_in_is_used_even_when_a_later_one_exists(org_a):
    wanted = OverheadRateFactory.create(organisation=org_a, financial_year=2026)
    OverheadRateFactory.create(organisation=org_a, financial_year=2027, annual_core_costs=D("50000"))
    agreement = AgreementFactory.create(provider=org_a, start_date=datetime.date(2027, 3, 31))  # still 2026-27
    assert provider_overhead_rate(agreement) == wanted


def test_without_a_rate_for_the_start_year_the_latest_is_used(org_a):
    OverheadRateFactory.create(organisation=org_a, financial_year=2023)
    latest = OverheadRateFactory.create(organisation=org_a, financial_year=2024)
    agreement = AgreementFactory.create(provider=org_a)
    assert provider_overhead_rate(agreement) == latest
    assert agreement_budget(agreement).rate_not_for_start_year


def test_without_any_rate_the_budget_has_no_core_share(org_a):
    agreement = AgreementFactory.create(provider=org_a)
    BudgetLineFactory.create(agreement=agreement, amount=D("20000"))
    budget = agreement_budget(agreement)
    assert budget.overhead is None and budget.rate_percent is None
    assert budget.cost.funded_total == D("20000.00")


# The figures ---------------------------------------------------------------------------------------------------


def test_every_year_of_the_term_is_shown_with_the_core_share_and_the_gap_a_cap_leaves(agreement):
    BudgetLineFactory.create(agreement=agreement, year=1, amount=D("20000"))
    BudgetLineFactory.create(agreement=agreement, year=1, category="premises", amount=D("1000.50"))
    BudgetLineFactory.create(agreement=agreement, year=3, amount=D("10000"))
    agreement.overhead_cap = D("0.1000")
    budget = agreement_budget(agreement)
    assert [y.number for y in budget.years] == [1, 2, 3]
    assert budget.years[0].label == "Year 1 (from 1 April 2026)"
    first, second, third = (y.cost for y in budget.years)
    assert (first.direct, first.core_full, first.core_funded, first.gap) == (
        D("21000.50"),
        D("3885.09"),  # 18.5%, to the penny
        D("2100.05"),  # capped at 10%
        D("1785.04"),
    )
    assert second.direct == second.gap == D("0.00")
    assert (third.core_full, third.core_funded, third.gap) == (D("1850.00"), D("1000.00"), D("850.00"))
    assert budget.cost.gap == D("2635.04")
    assert budget.rate_percent == D("18.50") and budget.cap_percent == D("10.00")
    assert budget.has_gap and budget.fits


# The check against the value -----------------------------------------------------------------------------------


def test_check_budget_fits_names_the_budget_and_the_value(agreement):
    BudgetLineFactory.create(agreement=agreement, amount=D("80000"))  # + 18.5% = 94,800
    with pytest.raises(ValidationError) as caught:
        check_budget_fits(agreement)
    assert caught.value.message_dict == {
        "budget": ["The budget of £94,800.00 is more than the agreement's value of £90,000.00"]
    }
    agreement.overhead_cap = D("0.1000")  # 88,000 fits
    check_budget_fits(agreement)


def test_a_budget_exactly_at_the_value_fits(icb, org_a):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, value=D("20000.00"))
    BudgetLineFactory.create(agreement=agreement, amount=D("20000"))
    check_budget_fits(agreement)


# Lines ---------------------------------------------------------------------------------------------------------


def test_either_party_adds_a_line_and_both_change_histories_show_it(agreement, alice, sid, icb, org_a):
    line = _line(agreement, alice, description="  Support worker  ")
    assert (line.year, line.category, line.description, line.amount) == (1, "staff", "Support worker", D("20000"))
    _line(agreement, sid, year=2, category="premises", description="Room hire", amount=D("1200"))
    events = AuditEvent.objects.filter(object_type="agreements.budgetline", action="create")
    assert Counter(events.values_list("organisation_id", flat=True)) == {icb.pk: 2, org_a.pk: 2}


def test_a_line_that_takes_the_budget_past_the_value_is_refused_and_not_saved(agreement, alice):
    _line(agreement, alice, amount=D("70000"))
    with pytest.raises(ValidationError) as caught:
        _line(agreement, alice, year=2, amount=D("10000"))  # 80,000 + 18.5% = 94,800
    assert caught.value.message_dict["amount"][0].startswith(
        "The budget of £94,800.00 is more than the agreement's value of £90,000.00."
    )
    assert BudgetLine.objects.filter(agreement=agreement).count() == 1
    assert AuditEvent.objects.filter(object_type="agreements.budgetline").count() == 2  # the first line only


def test_line_problems_are_named_field_by_field(agreement, alice):
    with pytest.raises(ValidationError) as caught:
        _line(agreement, alice, year=4, category="travel", description=" ", amount=D("-1"))
    assert caught.value.message_dict == {
        "year": ["Choose a year of the agreement, from 1 to 3"],
        "category": ["Choose the kind of cost"],
        "description": ["Enter a description of the cost, like ‘Support worker (0.8 full-time equivalent)’"],
        "amount": ["The amount must be £0 or more"],
    }


def test_changing_a_line_past_the_value_leaves_it_as_it_was(agreement, alice):
    line = _line(agreement, alice)
    with pytest.raises(ValidationError):
        change_budget_line(actor=alice, line=line, year=1, category="staff", description="More", amount=D("80000"))
    line.refresh_from_db()
    assert (line.description, line.amount) == ("Support worker", D("20000.00"))
    changed = change_budget_line(
        actor=alice, line=line, year=2, category="equipment", description="Laptops", amount=D("1500")
    )
    assert (changed.year, changed.category, changed.amount) == (2, "equipment", D("1500"))


def test_a_stale_line_form_is_refused(agreement, alice):
    line = _line(agreement, alice)
    with pytest.raises(ValidationError, match="Someone else changed"):
        change_budget_line(
            actor=alice, line=line, year=1, category="staff", description="x", amount=D("1"), version="old"
        )


def test_removing_a_line_is_recorded(agreement, sid):
    line = _line(agreement, sid)
    remove_budget_line(actor=sid, line=line)
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    assert AuditEvent.objects.filter(object_type="agreements.budgetline", action="delete").count() == 2


def test_a_signed_budget_changes_only_through_a_variation(icb, org_a, alice, sid):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, signed=True)
    line = BudgetLineFactory.create(agreement=agreement)
    for attempt in (
        lambda: _line(agreement, alice),
        lambda: change_budget_line(actor=alice, line=line, year=1, category="staff", description="x", amount=D("1")),
        lambda: remove_budget_line(actor=alice, line=line),
        lambda: set_overhead_cap(actor=sid, agreement=agreement, cap_percent=D("5")),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.messages == [SIGNED_MESSAGE]
    assert BudgetLine.objects.get(pk=line.pk).amount == line.amount


# The cap -------------------------------------------------------------------------------------------------------


def test_the_cap_is_a_percentage_kept_as_a_ratio_and_can_be_removed(agreement, sid):
    assert set_overhead_cap(actor=sid, agreement=agreement, cap_percent=D("12.5")).overhead_cap == D("0.1250")
    agreement.refresh_from_db()
    assert agreement.overhead_cap == D("0.1250")
    assert set_overhead_cap(actor=sid, agreement=agreement, cap_percent=None).overhead_cap is None


def test_a_cap_out_of_range_is_refused(agreement, sid):
    with pytest.raises(ValidationError) as caught:
        set_overhead_cap(actor=sid, agreement=agreement, cap_percent=D("101"))
    assert caught.value.message_dict == {"cap_percent": ["The overhead cap must be between 0% and 100%"]}


def test_raising_the_cap_past_the_value_is_refused_and_the_old_cap_kept(agreement, sid, alice):
    set_overhead_cap(actor=sid, agreement=agreement, cap_percent=D("10"))
    _line(agreement, alice, amount=D("80000"))  # 88,000 at 10%
    with pytest.raises(ValidationError) as caught:
        set_overhead_cap(actor=sid, agreement=agreement, cap_percent=None)  # 94,800 at the full 18.5%
    assert "more than the agreement's value" in caught.value.message_dict["cap_percent"][0]
    agreement.refresh_from_db()
    assert agreement.overhead_cap == D("0.1000")


# Overhead rates ------------------------------------------------------------------------------------------------


def test_an_admin_records_a_year_and_a_second_for_the_same_year_is_refused(org_a, alice):
    rate = add_overhead_rate(
        actor=alice,
        organisation=org_a,
        financial_year=2026,
        annual_core_costs=D("45000"),
        total_direct_costs=D("250000"),
    )
    assert (rate.financial_year, rate.updated_by) == (2026, alice)
    assert AuditEvent.objects.filter(object_type="agreements.overheadrate", organisation_id=org_a.pk).count() == 1
    with pytest.raises(ValidationError) as caught:
        add_overhead_rate(
            actor=alice, organisation=org_a, financial_year=2026, annual_core_costs=D("1"), total_direct_costs=D("2")
        )
    assert caught.value.message_dict == {
        "financial_year": ["There is already an overhead rate for 2026-27. Change that year instead"]
    }


def test_a_rate_saved_by_someone_else_at_the_same_moment_becomes_a_message(org_a, alice):
    """The database's one-per-year rule catches what the check before it missed, in a savepoint,
    so the transaction goes on and nothing is half-saved."""
    OverheadRateFactory.create(organisation=org_a, financial_year=2026)
    with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(ValidationError) as caught:
        add_overhead_rate(
            actor=alice, organisation=org_a, financial_year=2026, annual_core_costs=D("1"), total_direct_costs=D("2")
        )
    assert "There is already an overhead rate for 2026-27" in caught.value.message_dict["financial_year"][0]
    assert OverheadRate.objects.filter(organisation=org_a).count() == 1


def test_rate_problems_are_named(org_a, alice):
    with pytest.raises(ValidationError) as caught:
        add_overhead_rate(
            actor=alice, organisation=org_a, financial_year=1999, annual_core_costs=D("-1"), total_direct_costs=D("0")
        )
    assert caught.value.message_dict == {
        "financial_year": ["Enter the year the financial year starts, from 2000 to 2100"],
        "annual_core_costs": ["Annual core costs must be £0 or more"],
        "total_direct_costs": ["Total direct costs must be more than £0"],
    }


def test_a_rate_that_would_push_an_open_budget_past_its_value_is_refused(agreement, org_a, alice):
    _line(agreement, alice, amount=D("75000"))  # 75,000 + 18.5% = 88,875
    rate = OverheadRate.objects.get(organisation=org_a, financial_year=2026)
    with pytest.raises(ValidationError) as caught:
        change_overhead_rate(actor=alice, rate=rate, annual_core_costs=D("50000"), total_direct_costs=D("200000"))
    assert caught.value.messages[0].startswith(
        f"With this rate, the budget of agreement {agreement.reference} would be £93,750.00, "
        "more than its value of £90,000.00."
    )
    rate.refresh_from_db()
    assert rate.annual_core_costs == D("37000.00")
    changed = change_overhead_rate(actor=alice, rate=rate, annual_core_costs=D("30000"), total_direct_costs=D("200000"))
    assert changed.annual_core_costs == D("30000")


def test_signed_agreements_do_not_block_a_new_rate(icb, org_a, alice):
    signed = AgreementFactory.create(funder=icb, provider=org_a, signed=True, value=D("20000"))
    BudgetLineFactory.create(agreement=signed, amount=D("20000"))
    rate = add_overhead_rate(
        actor=alice, organisation=org_a, financial_year=2026, annual_core_costs=D("1"), total_direct_costs=D("2")
    )
    assert OverheadRate.objects.filter(pk=rate.pk).exists()


# The consortium split ------------------------------------------------------------------------------------------


def _consortium_agreement(shares):
    consortium = ConsortiumFactory.create()
    organisations = [OrganisationFactory.create(name=f"Member {i}") for i in range(len(shares))]
    for organisation, share in zip(organisations, shares, strict=True):
        ConsortiumMemberFactory.create(
            consortium=consortium,
            organisation=organisation,
            status=ConsortiumMember.Status.CONFIRMED,
            budget_share=share,
        )
    return AgreementFactory.create(provider=organisations[0], consortium=consortium, value=D("10000000"))


def test_the_funded_budget_is_split_by_the_members_budget_shares():
    agreement = _consortium_agreement([D("50"), D("30"), D("20")])
    BudgetLineFactory.create(agreement=agreement, year=1, amount=D("1000.01"))
    split = consortium_split(agreement, agreement_budget(agreement))
    assert split is not None and split.problem == ""
    assert split.names == ["Member 0", "Member 1", "Member 2"]
    year_one = split.rows[0][1]
    assert year_one == [D("500.01"), D("300.00"), D("200.00")]
    assert sum(year_one) == D("1000.01")


def test_declined_members_get_no_share_and_no_shares_at_all_is_explained():
    agreement = _consortium_agreement([D("0"), D("0")])
    ConsortiumMemberFactory.create(
        consortium=agreement.consortium, status=ConsortiumMember.Status.DECLINED, budget_share=D("100")
    )
    split = consortium_split(agreement, agreement_budget(agreement))
    assert split is not None and "no budget shares" in split.problem
    assert len(split.names) == 2


def test_no_split_without_a_consortium(agreement):
    assert consortium_split(agreement, agreement_budget(agreement)) is None
    assert budget_context(agreement)["money_split"] is None


SHARES = st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=5).filter(any)
LINES = st.lists(
    st.tuples(st.integers(1, 3), st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shares=SHARES, lines=LINES, rate=st.integers(0, 60), cap=st.none() | st.integers(0, 60))
def test_the_consortium_split_adds_up_to_each_years_funded_total_to_the_penny(db, shares, lines, rate, cap):
    agreement = _consortium_agreement([D(share) for share in shares])
    OverheadRateFactory.create(
        organisation=agreement.provider, annual_core_costs=D(rate * 1000), total_direct_costs=D("100000")
    )
    agreement.overhead_cap = None if cap is None else D(cap) / 100
    for year, amount in lines:
        BudgetLineFactory.create(agreement=agreement, year=year, amount=amount)
    budget = agreement_budget(agreement)
    split = consortium_split(agreement, budget)
    assert split is not None and split.problem == ""
    for year, parts in split.rows:
        assert sum(parts) == year.cost.funded_total
        assert all(part >= 0 for part in parts)
        # Each member is within a penny of its exact share.
        for part, share in zip(parts, shares, strict=True):
            assert abs(part - year.cost.funded_total * share / sum(shares)) < D("0.01")
    assert sum(split.totals) == budget.cost.funded_total
