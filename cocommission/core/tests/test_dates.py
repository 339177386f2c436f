import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.core.dates import (
    add_working_days,
    financial_year_start,
    is_working_day,
    working_days_between,
)

D = datetime.date
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


def test_christmas_and_new_year_are_not_working_days():
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day falls on a Saturday: substitute day
    assert not is_working_day(D(2027, 1, 1))
    assert is_working_day(D(2026, 12, 29))


def test_an_eight_day_standstill_over_christmas():
    # Published on Tuesday 22 December 2026: 23, 24, 29, 30, 31 Dec, 4, 5, 6 Jan.
    assert add_working_days(D(2026, 12, 22), 8) == D(2027, 1, 6)


def test_an_eight_day_standstill_over_easter():
    # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays.
    assert add_working_days(D(2026, 4, 1), 8) == D(2026, 4, 15)


@given(days, st.integers(min_value=0, max_value=40))
@settings(max_examples=500)
def test_adding_working_days_lands_on_a_working_day_after_exactly_that_many(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert end > start


@given(days, st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=20))
@settings(max_examples=300)
def test_working_days_add_up(start, a, b):
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(days)
def test_the_financial_year_starts_on_the_first_of_april_on_or_before_the_day(day):
    start = financial_year_start(day)
    assert start.month == 4 and start.day == 1
    assert start <= day < D(start.year + 1, 4, 1)
