"""Proportionality properties: the time to apply grows with the ask, and the band's ceilings hold."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cocommission.commissioning.proportionality import BANDS, band_for, estimated_hours
from cocommission.commissioning.routes import Route
from cocommission.commissioning.services.opportunities import OpportunityDetails, check_details, resolve_ask
from cocommission.organisations.models import Organisation

counts = st.integers(min_value=0, max_value=50)
words = st.integers(min_value=0, max_value=50_000)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000000"), places=2)
FUNDER = Organisation(pk=1, name="Brackenmoor ICB", kind=Organisation.Kind.STATUTORY)


def details(max_award: Decimal, **ask: int | None) -> OpportunityDetails:
    return OpportunityDetails(
        title="Support",
        problem="A problem",
        total_budget=max_award,
        max_award=max_award,
        route=Route.GRANT,
        route_reason="Because",
        opens_on=datetime.date(2026, 4, 1),
        **ask,  # type: ignore[arg-type]
    )


@given(q=counts, w=words, d=counts, extra=st.integers(min_value=1, max_value=1000))
def test_estimated_hours_never_fall_as_the_ask_grows(q, w, d, extra):
    base = estimated_hours(questions=q, words=w, documents=d)
    assert estimated_hours(questions=q + extra, words=w, documents=d) >= base
    assert estimated_hours(questions=q, words=w + extra, documents=d) >= base
    assert estimated_hours(questions=q, words=w, documents=d + extra) >= base


@given(q=counts, w=words, d=counts)
def test_estimated_hours_round_up_to_the_half_hour(q, w, d):
    hours = estimated_hours(questions=q, words=w, documents=d)
    raw = Decimal(w) / 250 + Decimal("0.25") * q + d
    assert hours >= raw
    assert hours - raw < Decimal("0.5")
    assert (hours * 2) == (hours * 2).to_integral_value()


@given(a=money, b=money)
def test_bigger_awards_never_get_lower_ceilings(a, b):
    low, high = sorted((a, b))
    small, big = band_for(low), band_for(high)
    assert small.max_questions <= big.max_questions
    assert small.max_words <= big.max_words
    assert small.max_documents <= big.max_documents


@given(amount=money)
def test_the_band_contains_the_award(amount):
    band = band_for(amount)
    assert band.up_to is None or amount <= band.up_to
    earlier = BANDS[: BANDS.index(band)]
    assert all(b.up_to is not None and amount > b.up_to for b in earlier)


@given(amount=money)
def test_left_empty_the_ask_is_the_bands_ceiling_and_is_accepted(amount):
    band = band_for(amount)
    d = details(amount)
    assert resolve_ask(d) == (band.max_questions, band.max_words, band.max_documents)
    check_details(d, funder=FUNDER)


@given(amount=money, over=st.integers(min_value=1, max_value=10_000))
def test_asking_more_than_the_ceiling_is_refused(amount, over):
    band = band_for(amount)
    with pytest.raises(ValidationError) as exc:
        check_details(details(amount, word_limit=band.max_words + over), funder=FUNDER)
    assert exc.value.message_dict["word_limit"] == [
        f"An opportunity whose awards are {band.label[0].lower()}{band.label[1:]} can ask at most "
        f"{band.max_words:,} words in total"
    ]
    with pytest.raises(ValidationError) as exc:
        check_details(details(amount, max_questions=band.max_questions + 1), funder=FUNDER)
    assert "max_questions" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        check_details(details(amount, extra_documents=band.max_documents + 1), funder=FUNDER)
    assert "extra_documents" in exc.value.message_dict


@given(amount=money, q=counts, w=words, d=counts)
def test_asking_less_is_always_allowed(amount, q, w, d):
    band = band_for(amount)
    ask = {"max_questions": min(q, band.max_questions), "word_limit": min(w, band.max_words)}
    check_details(details(amount, extra_documents=min(d, band.max_documents), **ask), funder=FUNDER)


def test_the_micro_band_example_from_the_issue():
    with pytest.raises(ValidationError) as exc:
        check_details(details(Decimal("10000"), word_limit=501), funder=FUNDER)
    assert exc.value.message_dict["word_limit"] == [
        "An opportunity whose awards are up to £10,000 can ask at most 500 words in total"
    ]
