"""Forms for the decision, and for representations during standstill.

The decision form has four fields per submitted application, named by `services.decisions.
field_name`, so the service's errors land on the field they are about. The rules (amounts,
budget, every application decided) live in the service; the form runs them too, so every
problem shows at once.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from cocommission.core.templatetags.money import format_gbp
from cocommission.organisations.forms.organisations import MoneyField

from ..models import Application, ApplicationDecision, DecisionRecord, Opportunity
from ..selectors.decisions import applicant_name, decision_of
from ..services.decisions import DecisionInput, decision_errors, field_name

PARTS = ("outcome", "amount", "reasons", "feedback")
Outcome = ApplicationDecision.Outcome


@dataclass
class ApplicationGroup:
    """One application's fields, for the template to render under its own heading."""

    application: Application
    name: str
    fields: list[forms.BoundField]


class DecisionForm(forms.Form):
    decision_makers = forms.CharField(
        label="Who made the decision",
        error_messages={"required": "Enter the names and roles of the people who made the decision"},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Names and roles, one person a line. We have started with the panel: change it to match who decided.",
    )
    summary = forms.CharField(
        label="How the criteria were applied",
        error_messages={"required": "Enter how the criteria were applied"},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="How the panel's scores and the weights led to the decision, in plain English.",
    )
    conflicts_summary = forms.CharField(
        label="Declared conflicts and how they were managed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Taken from the panel's declarations. Add anything else that was declared.",
    )

    def __init__(
        self,
        *args: Any,
        opportunity: Opportunity,
        applications: list[Application],
        record: DecisionRecord | None,
        suggested_makers: str = "",
        suggested_conflicts: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        self.applications = applications
        most = format_gbp(opportunity.max_award, whole=True)
        if not self.is_bound:
            self.initial.update(
                {
                    "decision_makers": record.decision_makers if record else suggested_makers,
                    "summary": record.summary if record else "",
                    "conflicts_summary": record.conflicts_summary if record else suggested_conflicts,
                }
            )
        for application in applications:
            name = applicant_name(application)
            pk = application.pk
            asked = (
                f" They asked for {format_gbp(application.amount_requested, whole=True)}."
                if application.amount_requested
                else ""
            )
            self.fields[field_name("outcome", pk)] = forms.ChoiceField(
                label=f"Decision on {name}",
                choices=[(Outcome.AWARD.value, "Award"), (Outcome.DECLINE.value, "Do not award")],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select whether to award {name}",
                    "invalid_choice": f"Select whether to award {name}",
                },
            )
            self.fields[field_name("amount", pk)] = MoneyField(
                label=f"Amount to award to {name}, in pounds",
                required=False,
                max_digits=14,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
                help_text=f"Only when awarding. The most one award can be is {most}.{asked}",
                error_messages={
                    "invalid": f"The amount to award to {name} must be an amount of money, like 5000 or 5000.50",
                    "max_digits": f"The amount to award to {name} must be less than £1,000,000,000,000",
                    "max_whole_digits": f"The amount to award to {name} must be less than £1,000,000,000,000",
                    "max_decimal_places": f"The amount to award to {name} must be in pounds and pence, like 5000.50",
                },
            )
            self.fields[field_name("reasons", pk)] = forms.CharField(
                label=f"Reasons for the decision on {name}",
                error_messages={"required": f"Enter the reasons for the decision on {name}, referring to the criteria"},
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Refer to the criteria and the scores the panel agreed. These go in the decision record.",
            )
            self.fields[field_name("feedback", pk)] = forms.CharField(
                label=f"Feedback for {name}",
                error_messages={"required": f"Enter feedback for {name}"},
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="What was strong, and what would make a stronger application. The applicant reads this.",
            )
            decision = decision_of(application)
            if decision is not None and not self.is_bound:
                self.initial[field_name("outcome", pk)] = decision.outcome
                self.initial[field_name("amount", pk)] = decision.amount
                self.initial[field_name("reasons", pk)] = decision.reasons
                self.initial[field_name("feedback", pk)] = decision.feedback

    def clean(self) -> dict[str, Any]:
        """Show every problem at once: the service's rules run on whatever parsed."""
        cleaned = super().clean() or {}
        problems = decision_errors(
            opportunity=self.opportunity,
            applications=self.applications,
            decision_makers=cleaned.get("decision_makers") or "",
            summary=cleaned.get("summary") or "",
            items=self.decision_items(),
        )
        for key, messages in problems.items():
            if key == NON_FIELD_ERRORS:
                for message in messages:
                    self.add_error(None, message)
            elif key in self.fields and key not in self.errors:
                self.add_error(key, messages)
        return cleaned

    def record_fields(self) -> list[forms.BoundField]:
        return [self["decision_makers"], self["summary"], self["conflicts_summary"]]

    def groups(self) -> list[ApplicationGroup]:
        return [
            ApplicationGroup(
                application=application,
                name=applicant_name(application),
                fields=[self[field_name(part, application.pk)] for part in PARTS],
            )
            for application in self.applications
        ]

    def decision_items(self) -> list[DecisionInput]:
        """The decision as the service takes it, from what parsed (call after validation)."""
        data = self.cleaned_data
        return [
            DecisionInput(
                application_id=a.pk,
                outcome=data.get(field_name("outcome", a.pk)) or "",
                amount=data.get(field_name("amount", a.pk)),
                reasons=data.get(field_name("reasons", a.pk)) or "",
                feedback=data.get(field_name("feedback", a.pk)) or "",
            )
            for a in self.applications
        ]


class RepresentationForm(forms.Form):
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It must fall within the standstill period.",
        error_messages={
            "required": "Enter the date the representation was received",
            "invalid": "Date must be a real date",
        },
    )
    made_by = forms.CharField(
        label="Who made it",
        max_length=200,
        help_text="The provider or person, for example the name of a provider that was not chosen.",
        error_messages={
            "required": "Enter who made the representation",
            "max_length": "Who made it must be 200 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary of the representation",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a summary of the representation"},
    )


class ResponseForm(forms.Form):
    responded_on = forms.DateField(
        label="Date of the response",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The award stays on hold for 5 working days after this date.",
        error_messages={"required": "Enter the date of the response", "invalid": "Date must be a real date"},
    )
    response = forms.CharField(
        label="Response",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you told the person who made the representation, and whether the decision changes.",
        error_messages={"required": "Enter the response"},
    )
