"""Forms for creating and editing organisations, and for filtering the directory."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cocommission.core.forms import VersionedFormMixin

from ..models import Area, IncomeBand, Organisation
from ..services.organisations import OrganisationDetails
from ..validators import (
    normalise_charity_number,
    normalise_company_number,
    validate_charity_number,
    validate_company_number,
)

# Loose on purpose: it catches typing slips, not every postcode Royal Mail has never issued.
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


class MoneyField(forms.DecimalField):
    """Pounds and pence as people type them: "£85,000.50" reads as 85000.50."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").replace(" ", "")
        return super().to_python(value)


class OrganisationForm(VersionedFormMixin):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": "Organisation name must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of organisation it is",
            "invalid_choice": "Select what kind of organisation it is",
        },
    )
    legal_form = forms.ChoiceField(
        label="Legal form",
        choices=[("", "Choose a legal form"), *Organisation.LegalForm.choices],
        error_messages={"required": "Select the legal form", "invalid_choice": "Select the legal form"},
    )
    charity_number = forms.CharField(
        label="Charity number",
        required=False,
        max_length=20,
        help_text="If it is a registered charity. For example, 1123456, SC012345 or NIC100001.",
        error_messages={"max_length": "Charity number must be 6 or 7 digits, like 1123456"},
    )
    company_number = forms.CharField(
        label="Company number",
        required=False,
        max_length=20,
        help_text="If it is registered at Companies House. For example, 01234567 or SC123456.",
        error_messages={"max_length": "Company number must be 8 characters, like 01234567"},
    )
    latest_annual_income = MoneyField(
        label="Latest annual income in pounds",
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        help_text="Total income in the last financial year, from your accounts. For example, 85000 or 85000.50.",
        error_messages={
            "invalid": "Latest annual income must be an amount of money, like 85000 or 85000.50",
            "min_value": "Latest annual income must be £0 or more",
            "max_digits": "Latest annual income must be less than £1,000,000,000,000",
            "max_whole_digits": "Latest annual income must be less than £1,000,000,000,000",
            "max_decimal_places": "Latest annual income must be in pounds and pence, like 85000.50",
        },
    )
    areas_served = forms.ModelMultipleChoiceField(
        label="Areas served",
        queryset=Area.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "invalid_choice": "Select areas from the list",
            "invalid_pk_value": "Select areas from the list",
        },
    )
    description = forms.CharField(
        label="What the organisation does",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences for the public directory: who you work with and what you offer.",
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Enter a website address in the correct format, like https://www.example.org"},
    )
    public_email = forms.EmailField(
        label="Public email address",
        required=False,
        help_text="Shown to everyone in the directory.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    public_phone = forms.CharField(
        label="Public phone number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}),
        error_messages={"max_length": "Phone number must be 30 characters or fewer"},
    )
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
        error_messages={"max_length": "Enter a real postcode, like LS1 4AP"},
    )

    def __init__(self, *args: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        # VersionedFormMixin reads self.instance to stamp the version the person starts from.
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(instance)
        super().__init__(*args, **kwargs)

    def clean_charity_number(self) -> str:
        number = normalise_charity_number(self.cleaned_data.get("charity_number") or "")
        if number:
            validate_charity_number(number)
        return number

    def clean_company_number(self) -> str:
        number = normalise_company_number(self.cleaned_data.get("company_number") or "")
        if number:
            validate_company_number(number)
        return number

    def clean_postcode(self) -> str:
        postcode = " ".join((self.cleaned_data.get("postcode") or "").upper().split())
        if postcode and not _POSTCODE.match(postcode):
            raise ValidationError("Enter a real postcode, like LS1 4AP")
        return postcode

    def details(self) -> OrganisationDetails:
        data = self.cleaned_data
        return OrganisationDetails(
            name=data["name"],
            kind=data["kind"],
            legal_form=data["legal_form"],
            charity_number=data["charity_number"] or None,
            company_number=data["company_number"] or None,
            latest_annual_income=data["latest_annual_income"],
            areas_served=list(data["areas_served"]),
            description=data["description"],
            website=data["website"],
            public_email=data["public_email"],
            public_phone=data["public_phone"],
            address=data["address"],
            postcode=data["postcode"],
        )

    def saved_differences(self, organisation: Organisation) -> list[tuple[str, str]]:
        """The saved values that differ from what the person typed, to show after a stale save."""
        typed = self.details().model_values()
        differences = []
        for name, value in typed.items():
            saved = getattr(organisation, name)
            if (saved or None) != (value or None):
                differences.append((str(self.fields[name].label), _display(organisation, name)))
        saved_areas = set(organisation.areas_served.values_list("pk", flat=True))
        if saved_areas != {area.pk for area in self.cleaned_data["areas_served"]}:
            names = ", ".join(organisation.areas_served.order_by("name").values_list("name", flat=True))
            differences.append((str(self.fields["areas_served"].label), names))
        return differences


def _display(organisation: Organisation, name: str) -> str:
    if name in {"kind", "legal_form"}:
        return str(getattr(organisation, f"get_{name}_display")())
    value = getattr(organisation, name)
    if value is None or value == "":
        return ""
    if name == "latest_annual_income":
        return f"£{value:,}"
    return str(value)


def initial_for(organisation: Organisation) -> dict[str, Any]:
    """The form's starting values: what is saved now."""
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "legal_form": organisation.legal_form,
        "charity_number": organisation.charity_number or "",
        "company_number": organisation.company_number or "",
        "latest_annual_income": organisation.latest_annual_income,
        "areas_served": list(organisation.areas_served.values_list("pk", flat=True)),
        "description": organisation.description,
        "website": organisation.website,
        "public_email": organisation.public_email,
        "public_phone": organisation.public_phone,
        "address": organisation.address,
        "postcode": organisation.postcode,
    }


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters, read from the query string."""

    q = forms.CharField(label="Organisation name", required=False, max_length=200)
    kind = forms.MultipleChoiceField(
        label="Kind of organisation",
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select kinds of organisation from the list"},
    )
    income_band = forms.MultipleChoiceField(
        label="Size by annual income",
        choices=IncomeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select sizes from the list"},
    )
    area = forms.ModelMultipleChoiceField(
        label="Area served",
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select areas from the list"},
    )

    def filters(self) -> dict[str, Any]:
        """The filters that were understood; a mistyped one is reported and left out, not fatal."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q", ""),
            "kinds": data.get("kind", []),
            "income_bands": data.get("income_band", []),
            "areas": data.get("area", []),
        }
