"""Small template helpers for opportunity pages and the dashboard."""

import datetime
from typing import Any

from django import template
from django.utils import timezone

from ..routes import PSR_ROUTES, State
from ..selectors.opportunities import dashboard_opportunities

register = template.Library()

_STATE_COLOURS: dict[str, str] = {
    State.DRAFT: "govuk-tag--grey",
    State.OPEN: "govuk-tag--green",
    State.CLOSED: "govuk-tag--yellow",
    State.ASSESSING: "govuk-tag--light-blue",
    State.SCORING: "govuk-tag--light-blue",
    State.DECIDED: "govuk-tag--purple",
    State.STANDSTILL: "govuk-tag--orange",
    State.AWARDED: "govuk-tag--blue",
    State.CANCELLED: "govuk-tag--red",
}


@register.filter
def state_tag_class(state: str) -> str:
    """The GOV.UK tag colour for an opportunity's state."""
    return _STATE_COLOURS.get(state, "govuk-tag--grey")


@register.filter
def is_psr(route: str) -> bool:
    return route in PSR_ROUTES


@register.inclusion_tag("commissioning/opportunity_dashboard.html", takes_context=True)
def opportunity_dashboard(context: template.Context) -> dict[str, Any]:
    """The dashboard's 'Your opportunities' section: those the person manages or helps design."""
    user = context["request"].user
    return {"opportunities": dashboard_opportunities(user=user)}


@register.filter
def govuk_time(value: datetime.datetime | None) -> str:
    """Times as GOV.UK writes them: 'midday', '5pm', '11:59pm' (UK time)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


@register.filter
def thousands(value: int | None) -> str:
    """1000 -> '1,000'."""
    return "" if value is None else f"{value:,}"
