"""GOV.UK Design System form rendering.

Django's own form renderer points at our GOV.UK templates, so every form in the service, ours
and django-allauth's, gets labels, hints, error messages and the error summary in GOV.UK markup
without a third-party layout library.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class StaleFormError(Exception):
    """The object changed since the form was shown; the user must look again."""


class VersionedFormMixin(forms.Form):
    """Carries the object's last-updated stamp so a stale second submission is refused."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.updated_at.isoformat()

    def submitted_version(self) -> str:
        return str(self.cleaned_data.get("version") or "")


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form: on the field they name, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
