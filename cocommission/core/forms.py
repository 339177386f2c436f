"""GOV.UK Design System form rendering, and the form helpers every app shares.

Django's own form renderer points at our GOV.UK templates, so every form in the service, ours
and django-allauth's, gets labels, hints, error messages and the error summary in GOV.UK markup
without a third-party layout library.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict
from django.http import HttpRequest, QueryDict

from .versioning import StaleFormError as StaleFormError  # where forms code has always found it
from .versioning import current_version, version_of


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class SearchInForm(forms.TextInput):
    """A search box with its own button inside a bigger form. The button submits the whole form
    under `button_name`, so the page can search and show the form again with everything typed
    kept (see `searched_in_form` and `shown_again`), rather than losing it to a separate search."""

    input_type = "search"
    template_name = "govuk/forms/widgets/search_in_form.html"

    def __init__(self, *, button_text: str, button_name: str = "search", attrs: dict[str, Any] | None = None):
        super().__init__(attrs={"class": "govuk-input--width-20", "spellcheck": "false", **(attrs or {})})
        self.button_text = button_text
        self.button_name = button_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(button_text=self.button_text, button_name=self.button_name)
        return context


SEARCH_BUTTON = "Search the directory"
SEARCH_KEPT = f"select ‘{SEARCH_BUTTON}’: everything else you have typed in this form is kept."


def search_in_form_field(*, label: str, hint: str, max_length: int) -> forms.CharField:
    """A directory search box inside a bigger form. `hint` says what to type; the hint then
    says how the search keeps the rest of the form."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=f"{hint} Then {SEARCH_KEPT}",
        widget=SearchInForm(button_text=SEARCH_BUTTON),
        error_messages={"max_length": f"The name you search for must be {max_length} characters or fewer"},
    )


def searched_in_form(request: HttpRequest, button_name: str = "search") -> bool:
    """Whether the form was sent with its search button rather than to be saved."""
    return request.method == "POST" and button_name in request.POST


def shown_again(form: forms.Form) -> forms.Form:
    """The bound form shown again without being checked: after a search inside it, what was typed
    is kept and nothing is marked as an error yet, because nothing was meant to be saved."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    return form


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty, so an empty submission shows its errors (None on GET)."""
    return request.POST if request.method == "POST" else None


class ConfirmForm(forms.Form):
    """No fields: it carries the error summary on "Are you sure?" pages (core/confirm.html)."""


class VersionedFormMixin(forms.Form):
    """Carries the object's last-updated stamp so a stale second submission is refused."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = version_of(instance)

    def submitted_version(self) -> str:
        return str(self.cleaned_data.get("version") or "")


def refresh_version(form: forms.Form, instance: models.Model) -> None:
    """After a stale submission, carry the current stamp, keeping what the person typed, so
    saving again is a deliberate choice."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[form.add_prefix("version")] = current_version(instance)
    form.data = data


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form: on the field they name, or above the form.

    The form must be bound; it need not have been validated first (adding an error cleans it).
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
