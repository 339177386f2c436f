"""Forms for the indicator pages. They only parse input: the file is checked by the service."""

from typing import Any

from django import forms

from cocommission.organisations.uploads import EMPTY_MESSAGE, REQUIRED_MESSAGE, size_limit_text


class IndicatorUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": REQUIRED_MESSAGE, "empty": EMPTY_MESSAGE, "invalid": REQUIRED_MESSAGE},
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"A CSV file saved as UTF-8, smaller than {size_limit_text(max_bytes)}, with the columns described above."
        )


class IndicatorCompareForm(forms.Form):
    """Which places and periods to compare (a GET form: the page works without JavaScript)."""

    place = forms.MultipleChoiceField(
        label="Places to compare",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select the places to show on the chart and in the table.",
        error_messages={"invalid_choice": "Select places from the list"},
    )
    period_from = forms.ChoiceField(
        label="From", required=False, error_messages={"invalid_choice": "Select the first period from the list"}
    )
    period_to = forms.ChoiceField(
        label="To", required=False, error_messages={"invalid_choice": "Select the last period from the list"}
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place_field = self.fields["place"]
        assert isinstance(place_field, forms.MultipleChoiceField)
        place_field.choices = [(code, f"{name} ({code})") for code, name in places]
        for name, empty in (("period_from", "The first period"), ("period_to", "The last period")):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", empty), *((p, p) for p in periods)]
        self.periods = periods

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("period_from"), data.get("period_to")
        if first and last and self.periods.index(first) > self.periods.index(last):
            self.add_error("period_to", "The last period must be the same as or after the first period")
        return data

    def choice(self) -> dict[str, Any]:
        """What to show: the valid choices, or the defaults."""
        if not self.is_bound or not self.is_valid():
            return {"places": None, "period_from": "", "period_to": ""}
        return {
            "places": self.cleaned_data["place"] or None,
            "period_from": self.cleaned_data["period_from"],
            "period_to": self.cleaned_data["period_to"],
        }
