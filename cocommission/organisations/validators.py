"""Charity and company numbers: how people type them, and the shapes the registers issue.

People copy numbers from letters, websites and the registers with spaces and lower case, so a
number is normalised (spaces out, upper case) before it is checked or stored. Stored numbers are
always normalised, which is what lets the database's unique constraint catch duplicates.
"""

import re

from django.core.exceptions import ValidationError

# England and Wales: 6 or 7 digits. Scotland (OSCR): SC and 6 digits. Northern Ireland: NIC and 6 digits.
_CHARITY_NUMBER = re.compile(r"^(?:\d{6,7}|SC\d{6}|NIC\d{6})$")
# Companies House: 8 digits, or a 2-letter prefix (SC, NI, OC, RC, ...) and 6 digits.
_COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")

CHARITY_NUMBER_FORMAT = (
    "Charity number must be 6 or 7 digits, like 1123456, or SC or NIC followed by 6 digits, like SC012345"
)
COMPANY_NUMBER_FORMAT = (
    "Company number must be 8 digits, like 01234567, or 2 letters followed by 6 digits, like SC123456"
)


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_charity_number(value: str) -> str:
    """The number with spaces removed and letters in upper case."""
    return _squash(value)


def normalise_company_number(value: str) -> str:
    """The number with spaces removed, in upper case, and zero-padded to 8 digits.

    Companies House shows leading zeros but people often drop them, so an all-digit number of
    6 or 7 digits is padded; anything else is left for the format check to refuse.
    """
    number = _squash(value)
    if number.isdigit() and 6 <= len(number) < 8:
        number = number.zfill(8)
    return number


def validate_charity_number(value: str) -> None:
    """Refuse a (normalised) charity number that no UK register issues."""
    if not _CHARITY_NUMBER.match(value):
        raise ValidationError(CHARITY_NUMBER_FORMAT, code="invalid")


def validate_company_number(value: str) -> None:
    """Refuse a (normalised) company number that Companies House does not issue."""
    if not _COMPANY_NUMBER.match(value):
        raise ValidationError(COMPANY_NUMBER_FORMAT, code="invalid")
