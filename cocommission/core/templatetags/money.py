"""Money as people read it: £1,234.56, or £1,234 when there are no pence."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def format_gbp(value: Decimal | int | str | None, *, whole: bool = False) -> str:
    """£ with thousands separators and pence. `whole` drops ".00" for round amounts."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}"
    if whole and text.endswith(".00"):
        text = text[:-3]
    return f"{sign}£{text}"


@register.filter
def gbp(value: Decimal | int | str | None) -> str:
    """`{{ value|gbp }}` -> £1,234.56"""
    return format_gbp(value)


@register.filter
def gbp_whole(value: Decimal | int | str | None) -> str:
    """`{{ value|gbp_whole }}` -> £10,000 for round amounts, £10,000.50 otherwise."""
    return format_gbp(value, whole=True)
