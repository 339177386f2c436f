"""Dates kept as ISO 8601 strings (in frozen notices and records), written the GOV.UK way."""

import datetime

from django import template

register = template.Library()


@register.filter
def iso_date(value: str | None) -> str:
    """`{{ "2027-01-06"|iso_date }}` or a full timestamp -> 6 January 2027; "" when empty or unreadable."""
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return f"{day.day} {day:%B %Y}"
