"""Charity and company numbers, and the income band the database derives from income."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocommission.organisations.models import Organisation
from cocommission.organisations.models.organisation import IncomeBand, income_band_for
from cocommission.organisations.validators import (
    normalise_charity_number,
    normalise_company_number,
    validate_charity_number,
    validate_company_number,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1123456", "1123456"),
        ("112345", "112345"),
        (" 112 3456 ", "1123456"),
        ("sc012345", "SC012345"),
        ("SC 012 345", "SC012345"),
        ("nic100001", "NIC100001"),
    ],
)
def test_good_charity_numbers_are_normalised_and_accepted(typed: str, stored: str) -> None:
    number = normalise_charity_number(typed)
    assert number == stored
    validate_charity_number(number)


@pytest.mark.parametrize(
    "typed", ["12345", "12345678", "SC12345", "SC0123456", "NI100001", "NIC10000", "ABC123", "11234a6"]
)
def test_malformed_charity_numbers_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_charity_number(normalise_charity_number(typed))
    assert caught.value.messages == [
        "Charity number must be 6 or 7 digits, like 1123456, or SC or NIC followed by 6 digits, like SC012345"
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01234567", "01234567"),
        ("1234567", "01234567"),
        ("123456", "00123456"),
        ("sc123456", "SC123456"),
        ("OC 123 456", "OC123456"),
        (" 0123 4567 ", "01234567"),
    ],
)
def test_good_company_numbers_are_normalised_and_accepted(typed: str, stored: str) -> None:
    number = normalise_company_number(typed)
    assert number == stored
    validate_company_number(number)


@pytest.mark.parametrize("typed", ["12345", "123456789", "S1234567", "SC12345", "SCO12345", "1234567A", "ABC12345"])
def test_malformed_company_numbers_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_company_number(normalise_company_number(typed))
    assert "Company number must be 8 digits, like 01234567" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("income", "band"),
    [
        (None, IncomeBand.UNKNOWN),
        (Decimal("0"), IncomeBand.MICRO),
        (Decimal("9999.99"), IncomeBand.MICRO),
        (Decimal("10000"), IncomeBand.SMALL),
        (Decimal("99999.99"), IncomeBand.SMALL),
        (Decimal("100000"), IncomeBand.MEDIUM),
        (Decimal("999999.99"), IncomeBand.MEDIUM),
        (Decimal("1000000"), IncomeBand.LARGE),
        (Decimal("9999999.99"), IncomeBand.LARGE),
        (Decimal("10000000"), IncomeBand.MAJOR),
    ],
)
def test_income_band_boundaries(income: Decimal | None, band: str) -> None:
    assert income_band_for(income) == band


incomes = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False, allow_infinity=False),
    # Most of the interest is near the thresholds.
    st.sampled_from([Decimal(n) for n in ("9999.99", "10000", "99999.99", "100000", "999999.99", "1000000")]),
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(income=incomes)
def test_python_and_database_agree_on_the_income_band(income: Decimal | None) -> None:
    organisation = Organisation.objects.create(
        name="Band check", slug="band-check", kind="vcse", legal_form="cio", latest_annual_income=income
    )
    stored = Organisation.objects.values_list("income_band", flat=True).get(pk=organisation.pk)
    assert stored == income_band_for(income)
    organisation.delete()
