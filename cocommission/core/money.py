"""Money arithmetic in pence: one rounding rule, and splits that never lose or invent a penny.

Money is `Decimal`, never float: every function here refuses floats with TypeError, because a
float has already lost pence before we see it (0.1 + 0.2 != 0.3).
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import lcm
from typing import TypeAlias

PENNY = Decimal("0.01")

Weight: TypeAlias = Decimal | int | Fraction


def _refuse_float(value: object, what: str) -> None:
    # bool is an int subclass; True pounds is a bug, not an amount.
    if isinstance(value, (float, bool)) or not isinstance(value, (Decimal, int, str, Fraction)):
        raise TypeError(f"{what} must be a Decimal or an int, not {type(value).__name__}")


def to_pence(value: Decimal | int | str) -> Decimal:
    """`value` rounded to the nearest penny, halves away from zero (£0.005 → £0.01).

    The one rounding helper: everything that turns an exact amount into money goes through it,
    so the whole product rounds the same way.
    """
    _refuse_float(value, "An amount")
    if isinstance(value, Fraction):
        raise TypeError("An amount must be a Decimal or an int, not Fraction")
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def _whole_pence(total: Decimal | int) -> int:
    _refuse_float(total, "The total")
    if isinstance(total, (str, Fraction)):
        raise TypeError(f"The total must be a Decimal or an int, not {type(total).__name__}")
    amount = Decimal(total)
    if not amount.is_finite() or amount != amount.quantize(PENNY):
        raise ValueError(f"The total must be a whole number of pence, not {total}")
    return int(amount * 100)


def allocate(total: Decimal | int, weights: Sequence[Weight]) -> list[Decimal]:
    """Split `total` into parts in proportion to `weights`; the parts sum exactly to `total`.

    Largest-remainder method on whole pence: each part gets the pence its exact share rounds down
    to, then the pence left over go one each to the parts with the largest fractions, earlier
    positions first on a tie (so the result is deterministic). Each part is therefore within a
    penny of its exact share. A zero weight gets £0.00. A negative total is split the same way
    and negated, so the parts of -£1 are the negatives of the parts of £1.

    Raises ValueError when there are no weights, a weight is negative, every weight is zero, or
    the total is not a whole number of pence; TypeError for floats.
    """
    pence = _whole_pence(total)
    if not weights:
        raise ValueError("There must be at least one weight")
    # Exact integer arithmetic throughout: put every weight over a common denominator.
    ratios: list[tuple[int, int]] = []
    for weight in weights:
        _refuse_float(weight, "A weight")
        if isinstance(weight, str):
            raise TypeError("A weight must be a Decimal, an int or a Fraction, not str")
        if isinstance(weight, Decimal) and not weight.is_finite():
            raise ValueError(f"Weights must be finite, not {weight}")
        ratio = (weight, 1) if isinstance(weight, int) else weight.as_integer_ratio()
        if ratio[0] < 0:
            raise ValueError(f"Weights must not be negative, not {weight}")
        ratios.append(ratio)
    denominator = lcm(*(d for _, d in ratios))
    scaled = [n * (denominator // d) for n, d in ratios]
    weight_sum = sum(scaled)
    if weight_sum == 0:
        raise ValueError("At least one weight must be more than zero")

    sign = -1 if pence < 0 else 1
    magnitude = abs(pence)
    shares = [divmod(magnitude * weight, weight_sum) for weight in scaled]
    parts = [whole for whole, _ in shares]
    left_over = magnitude - sum(parts)
    # Python's sort is stable, so equal remainders keep their order: position breaks ties.
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i][1], reverse=True)
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return [(Decimal(sign * part) / 100).quantize(PENNY) for part in parts]


def split_evenly(total: Decimal | int, n: int) -> list[Decimal]:
    """`total` in `n` parts as equal as pence allow, the odd pence going to the first parts."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("The number of parts must be an int")
    if n < 1:
        raise ValueError("There must be at least one part")
    return allocate(total, [1] * n)
