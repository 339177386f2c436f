"""The dashboard's commissioning sections: the person's applications and panel seats."""

from typing import Any

from django import template

from ..selectors.applications import applications_for
from ..selectors.panels import panels_for_user

register = template.Library()

# The dashboard shows the latest few; the full lists are a link away.
DASHBOARD_ROWS = 5


@register.inclusion_tag("commissioning/application_dashboard.html", takes_context=True)
def application_dashboard(context: template.Context) -> dict[str, Any]:
    """'Your applications': the latest from the person's organisations."""
    user = context["request"].user
    return {"applications": list(applications_for(user)[:DASHBOARD_ROWS])}


@register.inclusion_tag("commissioning/panel_dashboard.html", takes_context=True)
def panel_dashboard(context: template.Context) -> dict[str, Any]:
    """'Your panels': the panels the person sits on, newest opportunity first."""
    user = context["request"].user
    return {"seats": list(panels_for_user(user)[:DASHBOARD_ROWS]) if user.is_authenticated else []}
