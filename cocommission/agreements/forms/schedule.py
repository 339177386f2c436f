"""Forms for an agreement's indexation terms and the published index values.

A month is asked for as two boxes, month and year (the GOV.UK date input without the day):
`agreements/_schedule_month_input.html` lays them out as one question.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cocommission.core.forms import apply_validation_error
from cocommission.core.versioning import version_of

from ..models import Agreement, IndexValue


def _percent(label: str, help_text: str, what: str, *, allow_negative: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=None if allow_negative else Decimal(0),
        error_messages={
            "invalid": f"The {what} must be a number, like 2.5",
            "max_digits": f"The {what} must be less than 1000",
            "max_whole_digits": f"The {what} must be less than 1000",
            "max_decimal_places": f"The {what} can have at most 2 decimal places",
            "min_value": f"The {what} must be 0% or more",
        },
    )


def _month_part(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        error_messages={"invalid": f"The {label.lower()} must be a number"},
    )


class NeededDateField(forms.DateField):
    """A date shown as needed (no "(optional)" on its label) that the service insists on only
    when it is needed: the first uplift, when there is indexation."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=True, **kwargs)

    def validate(self, value: Any) -> None:
        if value not in self.empty_values:
            super().validate(value)


class MonthFormMixin(forms.Form):
    """Turns a `<name>_month` and `<name>_year` pair into the first day of that month."""

    def month_of(self, name: str, *, what: str) -> datetime.date | None:
        month = self.cleaned_data.get(f"{name}_month")
        year = self.cleaned_data.get(f"{name}_year")
        if self.errors.get(f"{name}_month") or self.errors.get(f"{name}_year"):
            return None
        if month is None and year is None:
            return None
        if month is None:
            self.add_error(f"{name}_month", f"The {what} must include a month")
        elif not 1 <= month <= 12:
            self.add_error(f"{name}_month", "The month must be a number from 1 to 12")
        if year is None:
            self.add_error(f"{name}_year", f"The {what} must include a year")
        elif not 1990 <= year <= 2100:
            self.add_error(f"{name}_year", "Enter the year as 4 digits, like 2024")
        if self.errors.get(f"{name}_month") or self.errors.get(f"{name}_year"):
            return None
        assert month is not None and year is not None
        return datetime.date(year, month, 1)


class IndexationForm(MonthFormMixin):
    # Whether a box is needed depends on the answers (no indexation needs none of them).
    use_required_attribute = False

    kind = forms.ChoiceField(
        label="How does the agreement's value keep up with prices?",
        choices=Agreement.IndexKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the agreement's value keeps up with prices"},
    )
    base_month_month = _month_part("Month")
    base_month_year = _month_part("Year")
    anniversary = NeededDateField(
        label="Date of the first uplift",
        help_text="Later uplifts take effect on the same day each year. Leave it empty when there is no indexation.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date of the first uplift as a real date"},
    )
    fixed_rate = _percent(
        "Fixed percentage each year", "Only for a fixed percentage. For example, 2.5.", "fixed percentage"
    )
    floor = _percent("Floor", "The smallest uplift, in percent, whatever the index does.", "floor")
    cap = _percent("Cap", "The largest uplift, in percent, whatever the index does.", "cap")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    # The service names the base month as one thing; the form asks for it in two boxes.
    SERVICE_FIELDS = {"base_month": "base_month_month"}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            base = agreement.index_base_month
            self.initial.update(
                {
                    "kind": agreement.index_kind,
                    "base_month_month": base.month if base else None,
                    "base_month_year": base.year if base else None,
                    "anniversary": agreement.index_anniversary,
                    "fixed_rate": agreement.index_fixed_rate,
                    "floor": agreement.index_floor,
                    "cap": agreement.index_cap,
                    "version": version_of(agreement),
                }
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["base_month"] = self.month_of("base_month", what="base month")
        return cleaned

    def apply_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {self.SERVICE_FIELDS.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        apply_validation_error(self, error)


class IndexValueForm(MonthFormMixin):
    use_required_attribute = False

    index = forms.ChoiceField(
        label="Index",
        choices=IndexValue.Index.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the index: CPI or CPIH"},
    )
    month_month = _month_part("Month")
    month_year = _month_part("Year")
    rate = _percent(
        "12-month rate",
        "In percent, as published. For example, 3.2 (or -0.1 when prices fell).",
        "rate",
        allow_negative=True,
    )
    source = forms.CharField(
        label="Source",
        help_text="Where the rate was published, like ONS, CPI annual rate 00: all items.",
        max_length=300,
        required=False,
        error_messages={"max_length": "The source must be 300 characters or fewer"},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = {"month": "month_month"}

    def __init__(self, *args: Any, instance: IndexValue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if instance is not None and not self.is_bound:
            self.initial.update(
                {
                    "index": instance.index,
                    "month_month": instance.month.month,
                    "month_year": instance.month.year,
                    "rate": instance.rate,
                    "source": instance.source,
                    "version": version_of(instance),
                }
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["month"] = self.month_of("month", what="month")
        return cleaned

    def apply_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {self.SERVICE_FIELDS.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        apply_validation_error(self, error)
