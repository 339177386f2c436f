from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.core.money import PENNY, allocate, split_evenly, to_pence

# Drawing is most of the cost of 10,000 examples, so arguments are plain integers, turned into
# money and weights in the test. Totals: up to £10m either way, in pence.
pence_totals = st.integers(min_value=-1_000_000_000, max_value=1_000_000_000)
# Each raw weight is an int, a Decimal in pence or a Fraction, chosen by its last digit.
raw_weights = st.lists(st.integers(min_value=0, max_value=30_000), min_size=1, max_size=16)


def _weight(raw: int) -> Decimal | int | Fraction:
    value, kind = divmod(raw, 3)
    if kind == 0:
        return value
    if kind == 1:
        return Decimal(value) / 100
    return Fraction(value, 1 + value % 31)


@settings(max_examples=10_000, deadline=None)
@given(total_pence=pence_totals, raw=raw_weights)
def test_allocation_and_even_splits_never_lose_or_invent_a_penny(total_pence: int, raw: list[int]) -> None:
    total = Decimal(total_pence) / 100
    weights = [_weight(r) for r in raw]
    if not any(weights):
        with pytest.raises(ValueError):
            allocate(total, weights)
        return
    parts = allocate(total, weights)

    assert len(parts) == len(weights)
    assert sum(parts, Decimal(0)) == total
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0))
    for part, weight in zip(parts, weights, strict=True):
        assert part == part.quantize(PENNY)
        # Largest remainder: every part is within a penny of its exact share...
        exact = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
        # ...and a zero weight gets nothing.
        if weight == 0:
            assert part == 0

    # An even split is the same allocation with equal weights: parts a penny apart at most,
    # the odd pence on the first parts.
    even = split_evenly(total, len(weights))
    assert sum(even, Decimal(0)) == total
    assert max(even) - min(even) <= PENNY
    assert even == sorted(even, key=abs, reverse=True)


def test_to_pence_rounds_halves_away_from_zero() -> None:
    assert to_pence(Decimal("0.005")) == Decimal("0.01")
    assert to_pence(Decimal("0.0049")) == Decimal("0.00")
    assert to_pence(Decimal("-0.005")) == Decimal("-0.01")
    assert to_pence(Decimal("2.675")) == Decimal("2.68")
    assert to_pence(12) == Decimal("12.00")
    assert to_pence("1.234") == Decimal("1.23")


def test_to_pence_refuses_floats() -> None:
    with pytest.raises(TypeError):
        to_pence(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_pence(True)


def test_allocate_splits_in_proportion_with_ties_going_to_earlier_positions() -> None:
    assert allocate(Decimal("100.00"), [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert allocate(Decimal("10.00"), [3, 0, 1]) == [Decimal("7.50"), Decimal("0.00"), Decimal("2.50")]
    assert allocate(Decimal("0.01"), [1, 1]) == [Decimal("0.01"), Decimal("0.00")]
    assert allocate(Decimal("-1.00"), [1, 1, 1]) == [Decimal("-0.34"), Decimal("-0.33"), Decimal("-0.33")]
    assert allocate(0, [1, 2]) == [Decimal("0.00"), Decimal("0.00")]


def test_allocate_gives_the_left_over_penny_to_the_largest_remainder() -> None:
    # Exact shares 0.0333…, 0.0666…: the second has the larger fraction of a penny.
    assert allocate(Decimal("0.10"), [1, 2]) == [Decimal("0.03"), Decimal("0.07")]


@pytest.mark.parametrize(
    ("total", "weights", "error"),
    [
        (Decimal("10"), [0, 0], ValueError),
        (Decimal("10"), [], ValueError),
        (Decimal("10"), [1, -1], ValueError),
        (Decimal("10.005"), [1], ValueError),
        (Decimal("NaN"), [1], ValueError),
        (10.0, [1], TypeError),
        (Decimal("10"), [0.5, 0.5], TypeError),
        ("10", [1], TypeError),
    ],
)
def test_allocate_refuses_bad_input(total: object, weights: list[object], error: type[Exception]) -> None:
    with pytest.raises(error):
        allocate(total, weights)  # type: ignore[arg-type]


def test_split_evenly_refuses_no_parts_and_floats() -> None:
    with pytest.raises(ValueError):
        split_evenly(Decimal("1"), 0)
    with pytest.raises(TypeError):
        split_evenly(1.0, 2)  # type: ignore[arg-type]
    assert split_evenly(Decimal("0.05"), 3) == [Decimal("0.02"), Decimal("0.02"), Decimal("0.01")]
