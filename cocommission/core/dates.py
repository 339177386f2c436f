"""Dates: working days in England and Wales, and financial years that start on 1 April."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share their bank holidays; "ENG" is the subdivision the package uses.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date on which `days` working days have passed, counting from the day after `start`.

    add_working_days(published_on, 8) is the last day of an 8-working-day standstill.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    while counted < days:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def financial_year_start(day: datetime.date) -> datetime.date:
    """1 April of the financial year that contains `day`."""
    year = day.year if day.month >= 4 else day.year - 1
    return datetime.date(year, 4, 1)
