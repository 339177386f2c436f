import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.agreements.indexation import (
    DEMO_CPI,
    Indexation,
    IndexKind,
    add_years,
    erosion,
    erosion_by_year,
    real_terms,
    reference_month,
    uplift_rate,
    yearly_values,
)

D = Decimal
PENNY = D("0.01")


def cpi(base: datetime.date, anniversary: datetime.date, *, floor: str | None = None, cap: str | None = None):
    return Indexation(
        kind=IndexKind.CPI,
        base_month=base,
        anniversary=anniversary,
        floor=None if floor is None else D(floor),
        cap=None if cap is None else D(cap),
    )


# Worked examples ---------------------------------------------------------------------------------------------


def test_demo_cpi_holds_the_ons_rates_for_the_first_of_each_month():
    assert DEMO_CPI[datetime.date(2022, 4, 1)] == D("9.0")
    assert DEMO_CPI[datetime.date(2022, 12, 1)] == D("10.5")
    assert len(DEMO_CPI) == 8
    assert all(month.day == 1 for month in DEMO_CPI)


def test_100k_on_demo_cpi_with_floor_1_and_cap_5():
    # Base April 2021; uplifts each 1 May use April 2022 (9.0 → capped 5), April 2023 (8.7 → 5),
    # April 2024 (2.3) and April 2025 (3.5).
    indexation = cpi(datetime.date(2021, 4, 1), datetime.date(2022, 5, 1), floor="1", cap="5")
    assert yearly_values(base_amount=D("100000"), years=5, indexation=indexation, index_values=DEMO_CPI) == [
        D("100000.00"),
        D("105000.00"),
        D("110250.00"),
        D("112785.75"),  # 110,250 × 1.023
        D("116733.25"),  # 112,785.75 × 1.035 = 116,733.25125, rounded once
    ]


def test_floor_lifts_a_low_rate_and_missing_months_give_no_uplift():
    # Base March 2020: March 2021 is 0.7 (→ floor 1), March 2022 is 7.0 (→ cap 5), March 2023 not published.
    indexation = cpi(datetime.date(2020, 3, 1), datetime.date(2021, 4, 1), floor="1", cap="5")
    values = yearly_values(base_amount=D("100000"), years=4, indexation=indexation, index_values=DEMO_CPI)
    assert values == [D("100000.00"), D("101000.00"), D("106050.00"), D("106050.00")]


def test_uncapped_cpi_uses_the_published_rate():
    indexation = cpi(datetime.date(2021, 3, 1), datetime.date(2022, 4, 1))
    values = yearly_values(base_amount=D("50000"), years=4, indexation=indexation, index_values=DEMO_CPI)
    # March 2022 7.0; March 2023 missing; March 2024 3.2: 53,500 × 1.032 = 55,212.
    assert values == [D("50000.00"), D("53500.00"), D("53500.00"), D("55212.00")]


def test_fixed_rate_compounds_with_rounding_once_a_year():
    indexation = Indexation(
        kind=IndexKind.FIXED,
        base_month=datetime.date(2024, 1, 1),
        anniversary=datetime.date(2025, 4, 1),
        fixed_rate=D("2.5"),
    )
    values = yearly_values(base_amount=D("10000.01"), years=3, indexation=indexation, index_values={})
    # 10,000.01 × 1.025 = 10,250.01025 → 10,250.01; × 1.025 = 10,506.260250 → 10,506.26
    assert values == [D("10000.01"), D("10250.01"), D("10506.26")]


def test_half_pennies_round_up():
    indexation = Indexation(
        kind=IndexKind.FIXED,
        base_month=datetime.date(2024, 1, 1),
        anniversary=datetime.date(2025, 4, 1),
        fixed_rate=D("50"),
    )
    assert yearly_values(base_amount=D("0.01"), years=2, indexation=indexation, index_values={}) == [
        D("0.01"),
        D("0.02"),  # 0.015 rounds half up
    ]


def test_fixed_rate_is_clamped_too():
    indexation = Indexation(
        kind=IndexKind.FIXED,
        base_month=datetime.date(2024, 1, 1),
        anniversary=datetime.date(2025, 4, 1),
        fixed_rate=D("0.5"),
        floor=D("1"),
    )
    assert uplift_rate(indexation, {}, datetime.date(2025, 4, 1)) == D("1")


def test_no_indexation_stays_flat_even_with_index_values():
    indexation = Indexation(
        kind=IndexKind.NONE, base_month=datetime.date(2021, 3, 1), anniversary=datetime.date(2022, 4, 1)
    )
    values = yearly_values(base_amount=D("1234.565"), years=5, indexation=indexation, index_values=DEMO_CPI)
    assert values == [D("1234.57")] * 5


def test_reference_month_is_the_base_month_a_year_on_for_each_uplift():
    indexation = cpi(datetime.date(2021, 3, 1), datetime.date(2022, 4, 1))
    assert reference_month(indexation, datetime.date(2022, 3, 31)) is None
    assert reference_month(indexation, datetime.date(2022, 4, 1)) == datetime.date(2022, 3, 1)
    assert reference_month(indexation, datetime.date(2023, 3, 31)) == datetime.date(2022, 3, 1)
    assert reference_month(indexation, datetime.date(2024, 4, 1)) == datetime.date(2024, 3, 1)
    assert uplift_rate(indexation, DEMO_CPI, datetime.date(2022, 3, 31)) == D(0)
    assert uplift_rate(indexation, DEMO_CPI, datetime.date(2022, 6, 15)) == D("7.0")
    assert uplift_rate(indexation, DEMO_CPI, datetime.date(2024, 4, 1)) == D("3.2")


def test_cpih_reads_the_values_it_is_given():
    indexation = Indexation(
        kind=IndexKind.CPIH, base_month=datetime.date(2021, 4, 1), anniversary=datetime.date(2022, 5, 1)
    )
    assert uplift_rate(indexation, {datetime.date(2022, 4, 1): D("7.8")}, datetime.date(2022, 5, 1)) == D("7.8")


def test_leap_day_anniversary_falls_back_to_28_february():
    assert add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    indexation = cpi(datetime.date(2023, 1, 1), datetime.date(2024, 2, 29))
    assert reference_month(indexation, datetime.date(2025, 2, 28)) == datetime.date(2025, 1, 1)
    assert reference_month(indexation, datetime.date(2025, 2, 27)) == datetime.date(2024, 1, 1)


def test_kind_labels_are_plain_english():
    assert IndexKind.FIXED.label == "A fixed percentage each year"


# Validation --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"floor": D("3"), "cap": D("2")}, "The cap must be the same as or higher than the floor"),
        ({"base_month": datetime.date(2021, 3, 2)}, "The base month must be the first day of a month"),
        ({"anniversary": datetime.date(2022, 3, 31)}, "The uplift anniversary must be after March 2022"),
        ({"fixed_rate": D("2")}, "Only a fixed percentage indexation can have a fixed rate"),
        ({"floor": D("-1")}, "The floor must be between 0% and 100%"),
        ({"cap": D("101")}, "The cap must be between 0% and 100%"),
    ],
)
def test_bad_indexation_is_refused(kwargs, message):
    fields = {"kind": IndexKind.CPI, "base_month": datetime.date(2021, 3, 1), "anniversary": datetime.date(2022, 4, 1)}
    with pytest.raises(ValueError, match=message):
        Indexation(**(fields | kwargs))


def test_cap_equal_to_floor_is_allowed():
    indexation = cpi(datetime.date(2021, 4, 1), datetime.date(2022, 5, 1), floor="2", cap="2")
    assert uplift_rate(indexation, DEMO_CPI, datetime.date(2022, 5, 1)) == D("2")


def test_fixed_needs_a_rate_and_none_takes_no_limits():
    with pytest.raises(ValueError, match="Enter the fixed percentage for each uplift"):
        Indexation(kind=IndexKind.FIXED, base_month=datetime.date(2021, 3, 1), anniversary=datetime.date(2022, 4, 1))
    with pytest.raises(ValueError, match="An agreement with no indexation cannot have a floor or a cap"):
        Indexation(
            kind=IndexKind.NONE,
            base_month=datetime.date(2021, 3, 1),
            anniversary=datetime.date(2022, 4, 1),
            cap=D("5"),
        )


def test_years_must_be_at_least_one():
    with pytest.raises(ValueError, match="at least 1 year"):
        yearly_values(
            base_amount=D("1"),
            years=0,
            indexation=cpi(datetime.date(2021, 3, 1), datetime.date(2022, 4, 1)),
            index_values={},
        )


# Real terms and erosion ----------------------------------------------------------------------------------------


def test_unindexed_100k_over_three_years_on_demo_rates():
    amounts = [D("100000")] * 3
    rates = [D("7.0"), D("8.7"), D("3.2")]
    # Price levels 1.07, 1.16309, 1.2003088800.
    assert real_terms(amounts=amounts, inflation_rates=rates) == [D("93457.94"), D("85977.87"), D("83311.89")]
    assert erosion_by_year(amounts=amounts, inflation_rates=rates) == [D("6542.06"), D("20564.19"), D("37252.30")]
    assert erosion(amounts=amounts, inflation_rates=rates) == D("37252.30")


def test_real_terms_needs_one_rate_per_year():
    with pytest.raises(ValueError, match="Give one inflation rate for each year"):
        real_terms(amounts=[D("1")], inflation_rates=[])
    with pytest.raises(ValueError, match="more than -100%"):
        real_terms(amounts=[D("1")], inflation_rates=[D("-100")])


def test_no_years_no_erosion():
    assert erosion(amounts=[], inflation_rates=[]) == D("0.00")


# Properties ---------------------------------------------------------------------------------------------------
# Integers mapped to Decimals draw far faster than st.decimals, which keeps 10,000 examples each affordable.


def tenths(value: int) -> Decimal:
    return D(value).scaleb(-1)


def pence(value: int) -> Decimal:
    return D(value).scaleb(-2)


limit = st.none() | st.integers(0, 150)


@st.composite
def indexed_agreements(draw: st.DrawFn):
    # Few, plain draws: Hypothesis' own generation is most of this test's time at 10,000 examples.
    month_number = draw(st.integers(0, 16 * 12 - 1))
    base = datetime.date(2015 + month_number // 12, month_number % 12 + 1, 1)
    anniversary = add_years(base, 1) + datetime.timedelta(days=draw(st.integers(31, 330)))
    floor, cap = draw(limit), draw(limit)
    if floor is not None and cap is not None and cap < floor:
        floor, cap = cap, floor
    # One entry per uplift, in tenths of a percent; above 25% stands for a month not published yet.
    published = draw(st.lists(st.integers(-50, 300), max_size=9))
    values = {add_years(base, n): tenths(rate) for n, rate in enumerate(published, start=1) if rate <= 250}
    indexation = Indexation(
        kind=IndexKind.CPI,
        base_month=base,
        anniversary=anniversary,
        floor=None if floor is None else tenths(floor),
        cap=None if cap is None else tenths(cap),
    )
    return indexation, len(published) + 1, values


@settings(max_examples=10_000, deadline=None)
@given(agreement=indexed_agreements(), base_pence=st.integers(0, 10**9))
def test_uplifts_compound_within_floor_and_cap_and_stay_flat_without_values(agreement, base_pence):
    base_amount = pence(base_pence)
    indexation, years, index_values = agreement
    values = yearly_values(base_amount=base_amount, years=years, indexation=indexation, index_values=index_values)
    assert len(values) == years
    assert values[0] == base_amount
    for n in range(1, years):
        previous, current = values[n - 1], values[n]
        assert current == current.quantize(PENNY)
        published = index_values.get(add_years(indexation.base_month, n))
        if published is None:
            assert current == previous
            continue
        rate = published
        if indexation.floor is not None:
            rate = max(rate, indexation.floor)
            assert current >= previous * (1 + indexation.floor / 100) - D("0.005")
        if indexation.cap is not None:
            rate = min(rate, indexation.cap)
            assert current <= previous * (1 + indexation.cap / 100) + D("0.005")
        exact = previous * (100 + rate) / 100
        assert abs(current - exact) <= D("0.005")
        assert current == exact.quantize(PENNY, rounding=ROUND_HALF_UP)
    # The same agreement with no index values published stays flat, floor or not.
    flat = yearly_values(base_amount=base_amount, years=years, indexation=indexation, index_values={})
    assert flat == [base_amount] * years


# Each year packs its amount (pence) and rate (tenths of a percent, 0.1 to 25.0) into one integer: half the
# draws of a list of pairs, and Hypothesis' generation is most of this test's time at 10,000 examples.
RATE_STEPS = 250
amounts_and_rates = st.lists(st.integers(0, (10**9 + 1) * RATE_STEPS - 1), min_size=1, max_size=10)


@settings(max_examples=10_000, deadline=None)
@given(data=amounts_and_rates)
def test_real_terms_never_exceed_nominal_and_erosion_is_exact(data):
    amounts = [pence(packed // RATE_STEPS) for packed in data]
    rates = [tenths(packed % RATE_STEPS + 1) for packed in data]
    real = real_terms(amounts=amounts, inflation_rates=rates)
    assert len(real) == len(amounts)
    for amount, real_amount in zip(amounts, real, strict=True):
        assert D(0) <= real_amount <= amount
        assert real_amount == real_amount.quantize(PENNY)
    flat = real_terms(amounts=[amounts[0]] * len(amounts), inflation_rates=rates)
    assert flat == sorted(flat, reverse=True)
    by_year = erosion_by_year(amounts=amounts, inflation_rates=rates)
    total = erosion(amounts=amounts, inflation_rates=rates)
    assert total >= 0
    assert total == sum(amounts) - sum(real)
    assert total == by_year[-1]
    assert by_year == sorted(by_year)
    assert total.as_tuple().exponent == -2
