"""Forms for the money parts of an agreement: the grant-or-contract test, budget lines, the
overhead cap, and organisations' overhead rates. They only parse input: the rules live in
services/vat.py and services/budget.py."""

from decimal import Decimal
from typing import Any

from django import forms

from cocommission.core.forms import VersionedFormMixin

from ..models import Agreement, BudgetLine, OverheadRate
from ..selectors.budget import as_percent, year_starts

YES_NO = [(Agreement.Answer.YES.value, "Yes"), (Agreement.Answer.NO.value, "No")]


def money_field(label: str, what: str, help_text: str = "", *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as an amount in pounds, like 20000 or 20000.50",
            "max_digits": f"The {what} is too large",
            "max_decimal_places": f"Enter the {what} in pounds and pence, like 20000.50",
            "max_whole_digits": f"The {what} is too large",
        },
    )


def percent_field(label: str, what: str, help_text: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=5,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a number, like 20 or 17.5",
            "max_digits": f"The {what} must be between 0% and 100%",
            "max_decimal_places": f"Enter the {what} with at most 2 decimal places, like 17.5",
            "max_whole_digits": f"The {what} must be between 0% and 100%",
        },
    )


def _radios(label: str, help_text: str, choices: list[tuple[str, str]], required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": required},
    )


class VatTestForm(VersionedFormMixin, forms.Form):
    """The four questions of the grant-or-contract test, and the VAT rate for a contract."""

    consideration = _radios(
        "Is the payment consideration for a supply to the funder?",
        "Answer yes if the funder pays in return for something it receives, such as a service it would "
        "otherwise have to provide or buy. Answer no if the money is given to support the provider's work.",
        YES_NO,
        "Select whether the payment is consideration for a supply to the funder",
    )
    direct_link = _radios(
        "Is there a direct link between the payment and the service?",
        "Answer yes if the payment depends on delivering a set service, such as paying per person supported "
        "or withholding money when a specification is not met.",
        YES_NO,
        "Select whether there is a direct link between the payment and the service",
    )
    beneficiary = _radios(
        "Who gets the benefit: the funder itself or the public?",
        "The funder benefits when the service meets its own duties or needs. The public benefits when the "
        "service is for the community or the people who use it.",
        [(Agreement.Beneficiary.FUNDER.value, "The funder itself"), (Agreement.Beneficiary.PUBLIC.value, "The public")],
        "Select who gets the benefit of the service",
    )
    purchase_conditions = _radios(
        "Are there conditions that make it a purchase?",
        "For example, the funder owns what is produced, fixes the price of a defined service, or can use the "
        "work for its own purposes. Conditions that only make sure the money is spent properly do not count.",
        YES_NO,
        "Select whether there are conditions that make it a purchase",
    )
    vat_rate = percent_field(
        "VAT rate, if this is a contract",
        "VAT rate",
        "In percent, for example 20. Needed only when your answers make this a contract.",
    )

    def __init__(self, *args: Any, instance: Agreement, **kwargs: Any) -> None:
        self.instance = instance
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "consideration": instance.vat_consideration,
                "direct_link": instance.vat_direct_link,
                "beneficiary": instance.vat_beneficiary,
                "purchase_conditions": instance.vat_purchase_conditions,
                "vat_rate": instance.vat_rate,
            }
        super().__init__(*args, **kwargs)


def year_choices(agreement: Agreement) -> list[tuple[str, str]]:
    choices = []
    for number in range(1, agreement.term_years + 1):
        starts = year_starts(agreement, number)
        label = f"Year {number}" if starts is None else f"Year {number} (from {starts.day} {starts:%B %Y})"
        choices.append((str(number), label))
    return choices


class BudgetLineForm(VersionedFormMixin, forms.Form):
    """A direct cost in one year of an agreement."""

    year = forms.TypedChoiceField(
        label="Year of the agreement",
        coerce=int,
        error_messages={
            "required": "Choose the year of the agreement",
            "invalid_choice": "Choose a year from the list",
        },
    )
    category = forms.ChoiceField(
        label="Kind of cost",
        choices=BudgetLine.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of cost", "invalid_choice": "Choose the kind of cost"},
    )
    description = forms.CharField(
        label="Description",
        max_length=200,
        help_text="For example, ‘Support worker (0.8 full-time equivalent)’ or ‘Room hire, 2 days a week’.",
        error_messages={
            "required": "Enter a description of the cost",
            "max_length": "The description must be 200 characters or fewer",
        },
    )
    amount = money_field("Amount for the year", "amount", "In pounds. Direct costs only: core costs are added for you.")

    def __init__(self, *args: Any, agreement: Agreement, instance: BudgetLine | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "year": instance.year,
                "category": instance.category,
                "description": instance.description,
                "amount": instance.amount,
            }
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = year_choices(agreement)


class OverheadCapForm(VersionedFormMixin, forms.Form):
    cap_percent = percent_field(
        "Cap on the core-cost share",
        "cap",
        "A percentage of direct costs, for example 10. Leave empty to fund the provider's full overhead rate.",
    )

    def __init__(self, *args: Any, instance: Agreement, **kwargs: Any) -> None:
        self.instance = instance
        if "initial" not in kwargs:
            kwargs["initial"] = {"cap_percent": as_percent(instance.overhead_cap)}
        super().__init__(*args, **kwargs)


class OverheadRateForm(VersionedFormMixin, forms.Form):
    """A year's core and direct costs; the year is fixed once recorded."""

    financial_year = forms.IntegerField(
        label="Financial year starting in",
        help_text="The year the financial year starts: for 2026-27, enter 2026.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={"required": "Enter the year the financial year starts", "invalid": "Enter a year, like 2026"},
    )
    annual_core_costs = money_field(
        "Annual core costs",
        "annual core costs",
        "The costs of running the organisation that no single service pays for: management, finance, "
        "governance, office and IT.",
    )
    total_direct_costs = money_field(
        "Total direct costs",
        "total direct costs",
        "The costs of delivering all the organisation's services and projects in the year.",
    )

    def __init__(self, *args: Any, instance: OverheadRate | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "annual_core_costs": instance.annual_core_costs,
                "total_direct_costs": instance.total_direct_costs,
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["financial_year"]

    def cleaned_amount(self, name: str) -> Decimal | None:
        value = self.cleaned_data.get(name)
        return value if isinstance(value, Decimal) else None
