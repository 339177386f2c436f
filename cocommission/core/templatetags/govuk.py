"""Template helpers for GOV.UK Design System markup."""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """Render a simple widget with GOV.UK classes and the ARIA links to hint and error."""
    widget_type = field.widget_type
    base = _CLASSES.get(widget_type, "govuk-input")
    classes = [base]
    if field.errors:
        classes.append(f"{base}--error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_choice_attrs(field: BoundField) -> str:
    return "govuk-radios" if field.widget_type == "radioselect" else "govuk-checkboxes"


@register.simple_tag(takes_context=True)
def querystring_page(context: template.Context, page: int, param: str = "page") -> str:
    """The current query string with only the page number (`param`) replaced."""
    request = context["request"]
    params = request.GET.copy()
    params[param or "page"] = page
    return "?" + params.urlencode()
