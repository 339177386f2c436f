"""The dashboard's agreements section."""

from typing import Any

from django import template

from ..selectors.dashboard import agreements_waiting_for

register = template.Library()


@register.inclusion_tag("agreements/agreement_dashboard.html", takes_context=True)
def agreement_dashboard(context: template.Context) -> dict[str, Any]:
    """'Agreements waiting for you': what the person's side needs to do next."""
    return {"waiting": agreements_waiting_for(context["request"].user)}
