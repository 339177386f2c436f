from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.agreements.budget import (
    BudgetCategory,
    BudgetLine,
    direct_by_year,
    ensure_within_award,
    format_pounds,
    full_cost,
    overhead_rate,
    split_budget_by_member,
    split_by_member,
)

D = Decimal
PENNY = D("0.01")

# Worked examples ---------------------------------------------------------------------------------------------


def test_overhead_rate_is_core_over_direct_to_four_places():
    assert overhead_rate(D("45000"), D("250000")) == D("0.1800")
    assert overhead_rate(D("1"), D("3")) == D("0.3333")
    assert overhead_rate(D("2"), D("3")) == D("0.6667")
    assert overhead_rate(D("0.00005"), D("1")) == D("0.0001")  # half rounds up
    assert overhead_rate(D("0"), D("10")) == D("0.0000")


def test_overhead_rate_refuses_no_direct_costs_and_negative_core_costs():
    with pytest.raises(ValueError, match="Total direct costs must be more than £0"):
        overhead_rate(D("1000"), D("0"))
    with pytest.raises(ValueError, match="Annual core costs must be £0 or more"):
        overhead_rate(D("-1"), D("10"))


def test_budget_lines_total_by_year():
    lines = [
        BudgetLine(year=2, category=BudgetCategory.STAFF, amount=D("60000")),
        BudgetLine(year=1, category=BudgetCategory.STAFF, amount=D("58000")),
        BudgetLine(year=1, category=BudgetCategory.VOLUNTEER_EXPENSES, amount=D("1500.50")),
        BudgetLine(year=1, category=BudgetCategory.PREMISES, amount=D("12000")),
        BudgetLine(year=2, category=BudgetCategory.EQUIPMENT, amount=D("499.99")),
        BudgetLine(year=2, category=BudgetCategory.OTHER, amount=D("0")),
    ]
    assert direct_by_year(lines) == {1: D("71500.50"), 2: D("60499.99")}
    assert list(direct_by_year(lines)) == [1, 2]
    assert BudgetCategory.VOLUNTEER_EXPENSES.label == "Volunteer expenses"


def test_bad_budget_lines_are_refused():
    with pytest.raises(ValueError, match="The amount must be £0 or more"):
        BudgetLine(year=1, category=BudgetCategory.STAFF, amount=D("-1"))
    with pytest.raises(ValueError, match="The budget year must be 1 or more"):
        BudgetLine(year=0, category=BudgetCategory.STAFF, amount=D("1"))


def test_capped_overheads_show_the_gap_per_year_and_in_total():
    # Full rate 18%, funder caps at 10%: a 1-year contract and a 2-year example.
    cost = full_cost({"2025-26": D("80000"), "2026-27": D("82000")}, D("0.1800"), D("0.10"))
    first, second = cost.years["2025-26"], cost.years["2026-27"]
    assert (first.direct, first.core_full, first.core_funded, first.gap) == (
        D("80000.00"),
        D("14400.00"),
        D("8000.00"),
        D("6400.00"),
    )
    assert (second.core_full, second.core_funded, second.gap) == (D("14760.00"), D("8200.00"), D("6560.00"))
    assert cost.gap == D("12960.00")
    assert cost.funded_total == D("178200.00")
    assert cost.full_total == D("191160.00")
    assert cost.funded_rate == D("0.10")


def test_no_cap_or_a_cap_above_the_rate_funds_full_costs():
    for cap in (None, D("0.25")):
        cost = full_cost({1: D("33333.33")}, D("0.1234"), cap)
        assert cost.years[1].core_full == D("4113.33")  # 4,113.333 rounded
        assert cost.gap == D("0.00")
        assert cost.funded_rate == D("0.1234")


def test_budget_above_the_award_is_refused():
    with pytest.raises(ValidationError) as error:
        full_cost({1: D("90000"), 2: D("90000")}, D("0.2"), award=D("200000"))
    assert error.value.message_dict == {"budget": ["The budget of £216,000.00 is more than the award of £200,000.00"]}


def test_budget_equal_to_the_award_is_accepted():
    cost = full_cost({1: D("100000")}, D("0.2"), D("0.1"), award=D("110000"))
    assert cost.funded_total == D("110000.00")
    ensure_within_award(budget=D("110000.004"), award=D("110000"))  # same to the penny


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError, match="Direct costs must be £0 or more"):
        full_cost({1: D("-1")}, D("0.1"))
    with pytest.raises(ValueError, match="The overhead rate must be 0 or more"):
        full_cost({1: D("1")}, D("-0.1"))
    with pytest.raises(ValueError, match="The overhead cap must be 0 or more"):
        full_cost({1: D("1")}, D("0.1"), D("-0.1"))


def test_format_pounds():
    assert format_pounds(D("1234567.5")) == "£1,234,567.50"
    assert format_pounds(D("0.005")) == "£0.01"


def test_consortium_split_is_exact_and_gives_spare_pennies_to_the_largest_remainders():
    assert split_by_member(D("100"), {"lead": 1, "second": 1, "third": 1}) == {
        "lead": D("33.34"),
        "second": D("33.33"),
        "third": D("33.33"),
    }
    assert split_by_member(D("1000.00"), {"a": D("0.5"), "b": D("0.3"), "c": D("0.2")}) == {
        "a": D("500.00"),
        "b": D("300.00"),
        "c": D("200.00"),
    }
    assert split_by_member(D("0.05"), {"a": 1, "b": 2}) == {"a": D("0.02"), "b": D("0.03")}
    assert split_by_member(D("10"), {"a": 0, "b": 1}) == {"a": D("0.00"), "b": D("10.00")}


def test_consortium_split_refuses_no_members_and_no_shares():
    with pytest.raises(ValueError, match="Add at least one member"):
        split_by_member(D("1"), {})
    with pytest.raises(ValueError, match="more than 0"):
        split_by_member(D("1"), {"a": 0})
    with pytest.raises(ValueError, match="Each member's share must be 0 or more"):
        split_by_member(D("1"), {"a": -1, "b": 2})


def test_budget_split_by_member_per_year():
    cost = full_cost({1: D("100000"), 2: D("100000.01")}, D("0.15"), D("0.1"))
    split = split_budget_by_member(cost, {"lead": 50, "partner": 30, "small": 20})
    assert split[1] == {"lead": D("55000.00"), "partner": D("33000.00"), "small": D("22000.00")}
    assert sum(split[2].values()) == cost.years[2].funded_total == D("110000.01")


# Properties ---------------------------------------------------------------------------------------------------
# Integers mapped to Decimals draw far faster than st.decimals, which keeps 10,000 examples each affordable.

ratio = st.integers(0, 20_000)


@settings(max_examples=10_000, deadline=None)
@given(
    direct_pence=st.lists(st.integers(0, 10**10), min_size=1, max_size=10),
    basis_points=ratio,
    cap_basis_points=st.none() | ratio,
)
def test_capped_gap_is_full_minus_funded_and_never_negative(direct_pence, basis_points, cap_basis_points):
    directs = [D(p).scaleb(-2) for p in direct_pence]
    rate = D(basis_points).scaleb(-4)
    cap = None if cap_basis_points is None else D(cap_basis_points).scaleb(-4)
    cost = full_cost(dict(enumerate(directs, start=1)), rate, cap)
    for direct, year in zip(directs, cost.years.values(), strict=True):
        assert year.direct == direct
        assert year.core_full == (direct * rate).quantize(PENNY, rounding=ROUND_HALF_UP)
        assert year.gap == year.core_full - year.core_funded >= 0
        assert year.core_funded <= year.core_full
        if cap is None or cap >= rate:
            assert year.gap == 0
        else:
            assert year.core_funded == (direct * cap).quantize(PENNY, rounding=ROUND_HALF_UP)
    assert cost.gap == cost.core_full - cost.core_funded >= 0
    assert cost.full_total - cost.funded_total == cost.gap
    assert cost.direct == sum(directs)


@settings(max_examples=10_000, deadline=None)
@given(
    amount_pence=st.integers(-(10**10), 10**10),
    shares=st.lists(st.integers(0, 1000), min_size=1, max_size=8).filter(any),
)
def test_consortium_split_never_loses_or_invents_a_penny(amount_pence, shares):
    amount = D(amount_pence).scaleb(-2)
    members = {f"member-{n}": share for n, share in enumerate(shares)}
    split = split_by_member(amount, members)
    assert list(split) == list(members)
    assert sum(split.values()) == amount
    total_share = sum(shares)
    for member, part in split.items():
        assert part == part.quantize(PENNY)
        exact = amount * members[member] / total_share
        assert abs(part - exact) < PENNY
        if members[member] == 0:
            assert part == 0
