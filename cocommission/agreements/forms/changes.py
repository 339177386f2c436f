"""Forms for variations (one per kind of change), rejecting one, and the renewal decision.

Field names match the keys of the services' ValidationErrors, so a refusal lands on the field
it is about. The rules live in services/variations.py and services/renewals.py.
"""

from typing import Any

from django import forms

from cocommission.organisations.forms.organisations import MoneyField

from ..models import Agreement, BudgetLine, RenewalDecision, Variation
from ..services.variation_rules import REASON_MAX_LENGTH, Proposal

Kind = Variation.Kind


def _reason_field(label: str, hint: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )


class VariationKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to change?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you want to change",
            "invalid_choice": "Select what you want to change",
        },
    )


class VariationForm(forms.Form):
    """The reason every variation has; each kind adds its own fields."""

    kind: str = ""
    reason = _reason_field(
        "Why is this change needed?",
        "The other party reads this before deciding whether to approve the change.",
        "Enter the reason for the variation",
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        # The reason comes last, after the fields of the change itself.
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        names = set(Proposal.__dataclass_fields__) & set(data)
        return Proposal(**{name: data[name] for name in names if data[name] is not None})


class ValueVariationForm(VariationForm):
    kind = Kind.VALUE
    new_value = MoneyField(
        label="New value of the agreement, in pounds",
        help_text="The whole-term value at the prices of the start, before any inflation uplift.",
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the new value",
            "invalid": "Enter the new value as an amount of money, like 95000 or 95,000.50",
            "max_digits": "The new value must be less than £1 trillion",
            "max_decimal_places": "The new value can only have pence after the point, like 95000.50",
        },
    )


class EndDateVariationForm(VariationForm):
    kind = Kind.END_DATE
    new_end_date = forms.DateField(
        label="New end date",
        help_text="The last day of the agreement. The payment schedule is worked out again; payments made are kept.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the new end date", "invalid": "The new end date must be a real date"},
    )


class ScopeVariationForm(VariationForm):
    kind = Kind.SCOPE
    new_scope = forms.CharField(
        label="New scope",
        help_text="What the provider will do: the service and who it is for.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the new scope"},
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, agreement=agreement, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("new_scope", agreement.scope)


class BudgetVariationForm(VariationForm):
    kind = Kind.BUDGET
    budget_year = forms.TypedChoiceField(
        label="Agreement year",
        coerce=int,
        error_messages={"required": "Select the agreement year", "invalid_choice": "Select the agreement year"},
    )
    budget_category = forms.ChoiceField(
        label="Category",
        choices=BudgetLine.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the budget category", "invalid_choice": "Select the budget category"},
    )
    budget_description = forms.CharField(
        label="Description",
        max_length=200,
        help_text="To change a line already in the budget, use its year, category and description exactly.",
        error_messages={
            "required": "Enter a description of the budget line",
            "max_length": "The description must be 200 characters or fewer",
        },
    )
    budget_amount = MoneyField(
        label="New amount for the line, in pounds",
        help_text="Enter 0 to remove the line.",
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the new amount for the line",
            "invalid": "Enter the amount as an amount of money, like 12000 or 12,000.50",
            "max_digits": "The amount must be less than £1 trillion",
            "max_decimal_places": "The amount can only have pence after the point, like 12000.50",
        },
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, agreement=agreement, **kwargs)
        year_field = self.fields["budget_year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", "Choose a year")] + [
            (year, f"Year {year}") for year in range(1, agreement.term_years + 1)
        ]


class TypeVariationForm(VariationForm):
    kind = Kind.TYPE
    new_type = forms.ChoiceField(
        label="Should the agreement be a grant or a contract?",
        choices=[
            (Agreement.Type.GRANT, Agreement.Type.GRANT.label),
            (Agreement.Type.CONTRACT, Agreement.Type.CONTRACT.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the agreement should be a grant or a contract",
            "invalid_choice": "Select whether the agreement should be a grant or a contract",
        },
    )
    new_vat_rate = forms.DecimalField(
        label="VAT rate, as a percentage",
        required=False,
        help_text="Only for a contract: the rate the funder states, for example 20.",
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "Enter the VAT rate as a number, like 20",
            "max_digits": "The VAT rate must be between 0% and 100%",
            "max_decimal_places": "The VAT rate can have at most 2 decimal places",
        },
    )


KIND_FORMS: dict[str, type[VariationForm]] = {
    form.kind: form
    for form in (ValueVariationForm, EndDateVariationForm, ScopeVariationForm, BudgetVariationForm, TypeVariationForm)
}


class RejectVariationForm(forms.Form):
    reason = _reason_field(
        "Why are you rejecting this variation?",
        "The other party reads this. Say what would make a change acceptable, if anything would.",
        "Enter why you are rejecting this variation",
    )


class RenewalDecisionForm(forms.Form):
    choice = forms.ChoiceField(
        label="What will happen when the agreement ends?",
        choices=RenewalDecision.Choice.choices,
        widget=forms.RadioSelect,
        help_text="To extend the end date itself, propose a variation as well.",
        error_messages={
            "required": "Select what will happen when the agreement ends",
            "invalid_choice": "Select what will happen when the agreement ends",
        },
    )
    reason = _reason_field(
        "Reason for the decision",
        "Both parties see this on the agreement page and on their timeline.",
        "Enter the reason for the decision",
    )
