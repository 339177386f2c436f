import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.agreements.schedule import (
    Frequency,
    Instalment,
    build_schedule,
    financial_year_label,
    rebuild_schedule,
    year_portions,
)

D = Decimal
FIRST_START = datetime.date(2024, 1, 1)

# Cheap generators: integers only, turned into dates and pence. Terms up to 6 years from any day
# in a ten-year window (so every month, start day and leap year comes up); amounts up to £10m.
# Drawing is most of the cost of 10,000 examples, so each argument is one plain integer draw.
starts = st.integers(min_value=0, max_value=3_652)
lengths = st.integers(min_value=0, max_value=6 * 365 + 1)
pence = st.integers(min_value=0, max_value=1_000_000_000)
frequencies = st.sampled_from(list(Frequency))
# A 6-year term touches at most 7 financial years: seven amounts of up to 9 digits of pence,
# packed into one integer and unpacked by _amounts.
seven_amounts = st.integers(min_value=0, max_value=10**63 - 1)


def _date(days: int) -> datetime.date:
    return FIRST_START + datetime.timedelta(days=days)


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _amounts(packed: int) -> list[Decimal]:
    return [_pounds(packed // 10 ** (9 * i) % 10**9) for i in range(7)]


def _by_year(schedule: list[Instalment]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for instalment in schedule:
        sums[instalment.financial_year] = sums.get(instalment.financial_year, D(0)) + instalment.amount
    return sums


def _assert_well_formed(schedule: list[Instalment], start: datetime.date, end: datetime.date) -> None:
    previous_end = start - datetime.timedelta(days=1)
    for instalment in schedule:
        # Inside the term, paid within its own period, and periods tile the term with no gaps.
        assert start <= instalment.period_start <= instalment.period_end <= end
        assert instalment.period_start <= instalment.due_on <= instalment.period_end
        assert instalment.period_start == previous_end + datetime.timedelta(days=1)
        previous_end = instalment.period_end
        # Never across 31 March / 1 April.
        assert financial_year_label(instalment.period_start) == instalment.financial_year
        next_april = datetime.date(int(instalment.financial_year[:4]) + 1, 4, 1)
        assert instalment.period_end < next_april
        assert instalment.amount >= 0
        assert instalment.amount == instalment.amount.quantize(D("0.01"))
    assert previous_end == end


@settings(max_examples=10_000, deadline=None)
@given(
    start_day=starts,
    length=lengths,
    frequency=frequencies,
    total_pence=pence,
    packed_amounts=seven_amounts,
    use_yearly=st.booleans(),
)
def test_schedules_sum_exactly_to_each_year_and_the_total(
    start_day: int,
    length: int,
    frequency: Frequency,
    total_pence: int,
    packed_amounts: int,
    use_yearly: bool,
) -> None:
    start, end, total = _date(start_day), _date(start_day + length), _pounds(total_pence)
    portions = year_portions(start, end)
    if use_yearly:
        yearly = {
            portion.financial_year: amount for portion, amount in zip(portions, _amounts(packed_amounts), strict=False)
        }
        total = sum(yearly.values(), D(0))
        schedule = build_schedule(start=start, end=end, yearly_amounts=yearly, frequency=frequency)
        assert _by_year(schedule) == yearly
    else:
        schedule = build_schedule(start=start, end=end, total=total, frequency=frequency)
        by_year = _by_year(schedule)
        # Years get shares by days: each within a penny of the exact share.
        term_days = length + 1
        for portion in portions:
            exact = total * portion.days / term_days
            assert abs(by_year[portion.financial_year] - exact) < D("0.01")

    assert sum(i.amount for i in schedule) == total
    _assert_well_formed(schedule, start, end)
    if frequency in (Frequency.ANNUALLY, Frequency.IN_ADVANCE):
        assert len(schedule) == len(portions)


@settings(max_examples=10_000, deadline=None)
@given(
    start_day=starts,
    length=lengths,
    frequency=frequencies,
    new_frequency=frequencies,
    total_pence=pence,
    extra_pence=pence,
    paid_fraction=st.integers(min_value=0, max_value=100),
)
def test_rebuilding_keeps_what_was_paid_and_still_sums_exactly(
    start_day: int,
    length: int,
    frequency: Frequency,
    new_frequency: Frequency,
    total_pence: int,
    extra_pence: int,
    paid_fraction: int,
) -> None:
    start, end = _date(start_day), _date(start_day + length)
    total, extra = _pounds(total_pence), _pounds(extra_pence)
    original = build_schedule(start=start, end=end, total=total, frequency=frequency)
    # Always leave the last instalment unpaid, so there is somewhere for a change to go.
    paid = original[: (len(original) - 1) * paid_fraction // 100]
    new_total = total + extra  # a variation or an uplift: never below what was paid

    rebuilt = rebuild_schedule(paid, start=start, end=end, total=new_total, frequency=new_frequency)

    assert rebuilt[: len(paid)] == paid
    assert sum(i.amount for i in rebuilt) == new_total
    _assert_well_formed(rebuilt, start, end)

    # With yearly amounts: each year keeps its paid part and gets the rest of its new amount.
    # Only years with days still to pay can change (a fully paid year is refused; see below).
    settled_to = paid[-1].period_end if paid else start - datetime.timedelta(days=1)
    open_years = {i.financial_year for i in original if i.period_end > settled_to}
    yearly = {year: amount + (extra if year in open_years else 0) for year, amount in _by_year(original).items()}
    rebuilt_yearly = rebuild_schedule(paid, start=start, end=end, yearly_amounts=yearly, frequency=new_frequency)
    assert rebuilt_yearly[: len(paid)] == paid
    assert _by_year(rebuilt_yearly) == yearly
    _assert_well_formed(rebuilt_yearly, start, end)


def test_a_three_year_grant_from_1_july_2026_paid_quarterly() -> None:
    schedule = build_schedule(
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2029, 6, 30),
        yearly_amounts={"2026-27": D("75000"), "2027-28": D("100000"), "2028-29": D("100000"), "2029-30": D("25000")},
        frequency=Frequency.QUARTERLY,
    )

    assert [(i.due_on, i.amount, i.financial_year) for i in schedule] == [
        (datetime.date(2026, 9, 30), D("25000.00"), "2026-27"),
        (datetime.date(2026, 12, 31), D("25000.00"), "2026-27"),
        (datetime.date(2027, 3, 31), D("25000.00"), "2026-27"),
        (datetime.date(2027, 6, 30), D("25000.00"), "2027-28"),
        (datetime.date(2027, 9, 30), D("25000.00"), "2027-28"),
        (datetime.date(2027, 12, 31), D("25000.00"), "2027-28"),
        (datetime.date(2028, 3, 31), D("25000.00"), "2027-28"),
        (datetime.date(2028, 6, 30), D("25000.00"), "2028-29"),
        (datetime.date(2028, 9, 30), D("25000.00"), "2028-29"),
        (datetime.date(2028, 12, 31), D("25000.00"), "2028-29"),
        (datetime.date(2029, 3, 31), D("25000.00"), "2028-29"),
        (datetime.date(2029, 6, 30), D("25000.00"), "2029-30"),
    ]
    assert schedule[0].period_start == datetime.date(2026, 7, 1)


def test_a_grant_given_as_a_total_is_shared_between_years_by_days() -> None:
    schedule = build_schedule(
        start=datetime.date(2026, 7, 1), end=datetime.date(2029, 6, 30), total=D("300000"), frequency="quarterly"
    )

    # 274 days in 2026-27, 366 in 2027-28 (29 February 2028), 365 in 2028-29, 91 in 2029-30.
    assert _by_year(schedule) == {
        "2026-27": D("75000.00"),
        "2027-28": D("100182.48"),
        "2028-29": D("99908.76"),
        "2029-30": D("24908.76"),
    }
    assert sum(i.amount for i in schedule) == D("300000")


def test_a_one_year_contract_from_15_january_paid_monthly() -> None:
    schedule = build_schedule(
        start=datetime.date(2027, 1, 15),
        end=datetime.date(2028, 1, 14),
        yearly_amounts={"2026-27": D("2500"), "2027-28": D("9500")},
        frequency=Frequency.MONTHLY,
    )

    first, second, third = schedule[:3]
    # January is a part month, 17 of its 31 days, so weighs 17/31 against two full months:
    # 2500 × 17/79 = 537.974…, 2500 × 31/79 = 981.012…; the spare penny goes to January.
    assert (first.period_start, first.period_end, first.due_on) == (
        datetime.date(2027, 1, 15),
        datetime.date(2027, 1, 31),
        datetime.date(2027, 1, 31),
    )
    assert [first.amount, second.amount, third.amount] == [D("537.98"), D("981.01"), D("981.01")]
    assert second.period_start == datetime.date(2027, 2, 1)
    assert third.period_end == datetime.date(2027, 3, 31)
    # 2027-28: nine full months then 14 days of January 2028.
    rest = schedule[3:]
    assert len(rest) == 10
    assert rest[0].period_start == datetime.date(2027, 4, 1)
    assert rest[-1].period_end == datetime.date(2028, 1, 14)
    assert sum(i.amount for i in rest) == D("9500")
    # 9500 × 31/293 = 1005.119… a full month; 9500 × 14/293 = 453.924… for 1–14 January.
    assert {i.amount for i in rest[:-1]} <= {D("1005.11"), D("1005.12")}
    assert rest[-1].amount in {D("453.92"), D("453.93")}


def test_in_advance_pays_each_years_portion_on_its_first_day() -> None:
    schedule = build_schedule(
        start=datetime.date(2026, 10, 1), end=datetime.date(2028, 9, 30), total=D("1000"), frequency="in_advance"
    )

    assert [(i.due_on, i.period_end, i.amount) for i in schedule] == [
        # 182, 366 and 183 of 731 days: 248.974…, 500.683…, 250.342…; the spare penny
        # goes to the largest remainder, the first year's.
        (datetime.date(2026, 10, 1), datetime.date(2027, 3, 31), D("248.98")),
        (datetime.date(2027, 4, 1), datetime.date(2028, 3, 31), D("500.68")),
        (datetime.date(2028, 4, 1), datetime.date(2028, 9, 30), D("250.34")),
    ]


def test_annual_instalments_are_paid_at_the_end_of_each_years_portion() -> None:
    schedule = build_schedule(
        start=datetime.date(2026, 4, 1), end=datetime.date(2027, 3, 31), total=D("5000"), frequency="annually"
    )

    assert schedule == [
        Instalment(
            due_on=datetime.date(2027, 3, 31),
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2027, 3, 31),
            amount=D("5000.00"),
            financial_year="2026-27",
        )
    ]


def test_financial_year_labels() -> None:
    assert financial_year_label(datetime.date(2026, 3, 31)) == "2025-26"
    assert financial_year_label(datetime.date(2026, 4, 1)) == "2026-27"
    assert financial_year_label(datetime.date(2099, 12, 1)) == "2099-00"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"end": datetime.date(2026, 3, 31), "total": D("10")}, ValueError),  # end before start
        ({"end": datetime.date(2027, 3, 31)}, ValueError),  # no amounts at all
        ({"end": datetime.date(2027, 3, 31), "total": D("-1")}, ValueError),
        ({"end": datetime.date(2027, 3, 31), "total": D("10.001")}, ValueError),
        ({"end": datetime.date(2027, 3, 31), "total": 10.0}, TypeError),
        ({"end": datetime.date(2027, 3, 31), "yearly_amounts": {"2027-28": D("10")}}, ValueError),
        ({"end": datetime.date(2028, 3, 31), "yearly_amounts": {"2026-27": D("10")}}, ValueError),
        ({"end": datetime.date(2027, 3, 31), "yearly_amounts": {"2026-27": D("10")}, "total": D("11")}, ValueError),
    ],
)
def test_bad_terms_and_amounts_are_refused(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        build_schedule(start=datetime.date(2026, 4, 1), frequency=Frequency.MONTHLY, **kwargs)  # type: ignore[arg-type]


def test_an_uplift_after_three_months_goes_on_the_remaining_months_of_the_year() -> None:
    start, end = datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)
    original = build_schedule(start=start, end=end, total=D("12000"), frequency=Frequency.MONTHLY)
    paid = original[:3]

    rebuilt = rebuild_schedule(paid, start=start, end=end, total=D("12270"), frequency=Frequency.MONTHLY)

    assert rebuilt[:3] == paid == original[:3]
    assert [i.amount for i in rebuilt[3:]] == [D("1030.00")] * 9
    assert rebuilt[3].period_start == datetime.date(2026, 7, 1)
    assert sum(i.amount for i in rebuilt) == D("12270")


def test_rebuilding_can_change_the_frequency_part_way_through_a_period() -> None:
    start, end = datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)
    paid = build_schedule(start=start, end=end, total=D("12000"), frequency=Frequency.MONTHLY)[:2]

    rebuilt = rebuild_schedule(paid, start=start, end=end, total=D("12000"), frequency=Frequency.QUARTERLY)

    # April and May are paid (£2,000), so June is a part quarter: 30 of its 91 days. The £10,000
    # left is shared 30/91 : 1 : 1 : 1, so June gets 10000 × 30/303 and each full quarter the rest.
    assert [(i.period_start, i.amount) for i in rebuilt[2:]] == [
        (datetime.date(2026, 6, 1), D("990.10")),
        (datetime.date(2026, 7, 1), D("3003.30")),
        (datetime.date(2026, 10, 1), D("3003.30")),
        (datetime.date(2027, 1, 1), D("3003.30")),
    ]


def test_rebuilding_with_nothing_paid_is_building() -> None:
    kwargs = {"start": datetime.date(2026, 5, 5), "end": datetime.date(2028, 2, 2), "total": D("777.77")}
    assert rebuild_schedule([], frequency=Frequency.MONTHLY, **kwargs) == build_schedule(  # type: ignore[arg-type]
        frequency=Frequency.MONTHLY,
        **kwargs,  # type: ignore[arg-type]
    )


def test_rebuilding_refuses_what_would_lose_or_invent_money() -> None:
    start, end = datetime.date(2026, 4, 1), datetime.date(2028, 3, 31)
    yearly = {"2026-27": D("1200"), "2027-28": D("1200")}
    schedule = build_schedule(start=start, end=end, yearly_amounts=yearly, frequency=Frequency.MONTHLY)
    first_year = schedule[:12]

    # 2026-27 is fully paid, so a new amount for it has nowhere to go.
    with pytest.raises(ValueError, match="2026-27 is fully paid"):
        rebuild_schedule(
            first_year,
            start=start,
            end=end,
            yearly_amounts={"2026-27": D("1300"), "2027-28": D("1200")},
            frequency=Frequency.MONTHLY,
        )
    # More already paid than the new amount.
    with pytest.raises(ValueError, match="More has been paid for 2026-27"):
        rebuild_schedule(
            first_year,
            start=start,
            end=end,
            yearly_amounts={"2026-27": D("1000"), "2027-28": D("1200")},
            frequency=Frequency.MONTHLY,
        )
    with pytest.raises(ValueError, match="More has been paid than the new total"):
        rebuild_schedule(first_year, start=start, end=end, total=D("1000"), frequency=Frequency.MONTHLY)
    with pytest.raises(ValueError, match="fully paid for"):
        rebuild_schedule(schedule, start=start, end=end, total=D("2401"), frequency=Frequency.MONTHLY)
    assert rebuild_schedule(schedule, start=start, end=end, total=D("2400"), frequency="monthly") == schedule
    # A shortened term that would cut off a paid instalment.
    with pytest.raises(ValueError, match="inside the term"):
        rebuild_schedule(
            first_year, start=start, end=datetime.date(2027, 1, 31), total=D("1200"), frequency=Frequency.MONTHLY
        )
    with pytest.raises(ValueError, match="overlap"):
        rebuild_schedule([schedule[0], schedule[0]], start=start, end=end, total=D("2400"), frequency="monthly")
