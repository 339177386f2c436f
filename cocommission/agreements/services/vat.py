"""Writes for the grant-or-contract (VAT) test."""

from decimal import Decimal

from ..models import Agreement


def vat_effect(agreement: Agreement, *, new_type: str, new_rate: Decimal | None) -> Decimal:
    """The change in VAT, in pounds, over what is still to be paid if the agreement's type (and
    VAT rate) became `new_type` / `new_rate`: positive when more VAT would be due."""
    raise NotImplementedError
