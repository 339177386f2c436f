"""Proportionality: the burden of applying follows the money.

A band, chosen by the most one award can be worth, sets the ceiling on questions, words and
extra documents. An opportunity may ask for less than its band allows, never more.
"""

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    up_to: Decimal | None  # the largest award in the band; None for no upper limit
    max_questions: int
    max_words: int
    max_documents: int  # documents beyond the passport


BANDS: tuple[Band, ...] = (
    Band("micro", "Up to £10,000", Decimal("10000"), 3, 500, 0),
    Band("small", "Up to £100,000", Decimal("100000"), 6, 2000, 1),
    Band("medium", "Up to £1 million", Decimal("1000000"), 10, 6000, 3),
    Band("large", "Over £1 million", None, 15, 15000, 5),
)

WORDS_PER_HOUR = 250  # drafting and checking considered prose
HOURS_PER_QUESTION = Decimal("0.25")  # reading the question and finding the facts
HOURS_PER_DOCUMENT = 1


def band_for(max_award: Decimal) -> Band:
    """The band for an opportunity whose largest award is `max_award`."""
    for band in BANDS:
        if band.up_to is not None and max_award <= band.up_to:
            return band
    return BANDS[-1]


def estimated_hours(*, questions: int, words: int, documents: int) -> Decimal:
    """A fair estimate of the time to apply, rounded up to the next half hour."""
    raw = Decimal(words) / WORDS_PER_HOUR + HOURS_PER_QUESTION * questions + HOURS_PER_DOCUMENT * documents
    return Decimal(math.ceil(raw * 2)) / 2


def count_words(text: str) -> int:
    """Words as a person counts them: runs of characters between spaces."""
    return len(text.split())
