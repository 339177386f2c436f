"""Forms for applying: starting an application, the draft, the consortium and its matrix.

The forms parse what people type; the services decide whether it is allowed, so the word
limits, the closing time and the share totals are checked in one place.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from cocommission.core.forms import VersionedFormMixin
from cocommission.organisations.models import Organisation

from ..models import Application, ConsortiumMember, OpportunityOutcome, Question
from ..proportionality import count_words
from ..services.application_rules import answer_field

ANSWER_TEMPLATE = "commissioning/application_answer_field.html"
YES_NO = [("yes", "Yes"), ("no", "No")]


class ApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation is applying?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the organisation that is applying"},
    )
    as_consortium = forms.ChoiceField(
        label="Are you applying as a consortium?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="A consortium is organisations applying together, sharing the work, the budget and the risk.",
        error_messages={"required": "Select yes if you are applying as a consortium"},
    )
    consortium_name = forms.CharField(
        label="Name of the consortium",
        required=False,
        max_length=200,
        help_text="Only if you are applying as a consortium. For example, Valley Wellbeing Alliance.",
        error_messages={"max_length": "Consortium name must be 200 characters or fewer"},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], consortium_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if len(organisations) == 1:
            self.initial.setdefault("organisation", organisations[0].pk)
        if consortium_only:
            del self.fields["as_consortium"]
            self.fields["consortium_name"].required = True
            self.fields[
                "consortium_name"
            ].help_text = "An alliance applies together, with no lead. For example, Valley Wellbeing Alliance."
            self.fields["consortium_name"].error_messages["required"] = "Enter a name for the consortium"

    def wants_consortium(self) -> bool:
        return "as_consortium" not in self.fields or self.cleaned_data.get("as_consortium") == "yes"


def _word_message(words: int, limit: int) -> str:
    if words > limit:
        over = words - limit
        return f"You have {over:,} word{'s' if over != 1 else ''} too many ({words:,} of {limit:,})"
    left = limit - words
    return f"You have {left:,} word{'s' if left != 1 else ''} remaining ({words:,} of {limit:,})"


class AnswerField(forms.CharField):
    """A long answer with a word limit, shown as GOV.UK's character count counting words."""

    def __init__(self, *, word_limit: int, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8}), **kwargs)
        self.word_limit = word_limit
        self.word_message = ""
        self.template_name = ANSWER_TEMPLATE


class DraftForm(VersionedFormMixin, forms.Form):
    amount_requested = forms.DecimalField(
        label="How much are you asking for?",
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Amount must be a number, like 2500 or 2500.50",
            "max_digits": "Amount must be a number, like 2500 or 2500.50",
            "max_decimal_places": "Amount must be in pounds and pence, like 2500 or 2500.50",
        },
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In a sentence or two, what you will do. Up to 300 characters.",
        error_messages={"max_length": "Summary must be 300 characters or fewer"},
    )

    def __init__(
        self,
        *args: Any,
        application: Application,
        questions: list[Question],
        max_award_text: str,
        **kwargs: Any,
    ) -> None:
        self.instance = application
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["amount_requested"].help_text = f"In pounds. The most one award can be is {max_award_text}."
        for position, question in enumerate(questions, start=1):
            guidance = f"{question.guidance} " if question.guidance else ""
            self.fields[answer_field(question)] = AnswerField(
                word_limit=question.word_limit,
                label=f"{position}. {question.text}",
                help_text=f"{guidance}Up to {question.word_limit:,} words.",
            )
        self._count_words()

    def _count_words(self) -> None:
        # What the person sees counted, before or without JavaScript: the words in the box now.
        for question in self.questions:
            name = answer_field(question)
            text = self.data.get(self.add_prefix(name), "") if self.is_bound else self.initial.get(name, "")
            field = self.fields[name]
            assert isinstance(field, AnswerField)
            field.word_message = _word_message(count_words(text or ""), question.word_limit)

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(answer_field(q)) or "" for q in self.questions}

    def typed_answers(self) -> dict[int, str]:
        """What was typed, even when the form did not validate: it is shown again, never lost."""
        return {q.pk: str(self.data.get(self.add_prefix(answer_field(q)), "")) for q in self.questions}


class InviteMemberForm(forms.Form):
    q = forms.CharField(widget=forms.HiddenInput, required=False)  # the directory search shown above the form
    organisation = forms.ModelChoiceField(
        label="Which organisation do you want to invite?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Their admins will be asked to confirm.",
        error_messages={
            "required": "Select the organisation you want to invite",
            "invalid_choice": "Choose the organisation from the search results",
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], search: str = "", **kwargs: Any) -> None:
        """`organisations`: the directory search results, never the whole directory."""
        super().__init__(*args, **kwargs)
        self.initial["q"] = search
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("confirm", "Yes, we are part of this consortium"), ("decline", "No, we are not taking part")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether your organisation is part of this consortium"},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = f"Is {organisation.name} part of this consortium?"


SHARE_ERRORS = {
    "invalid": "{label} must be a number, like 25 or 33.33",
    "max_digits": "{label} must be 100 or less",
    "max_decimal_places": "{label} must have no more than 2 decimal places, like 33.33",
    "max_whole_digits": "{label} must be 100 or less",
    "required": "Enter the {lower}",
    "min_value": "{label} must be 0 or more",
    "max_value": "{label} must be 100 or less",
}


def _share_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} (%)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={k: v.format(label=label, lower=label[0].lower() + label[1:]) for k, v in SHARE_ERRORS.items()},
    )


class MatrixForm(forms.Form):
    """One row per member that has not declined: outcomes it delivers, budget and risk shares."""

    def __init__(
        self,
        *args: Any,
        members: list[ConsortiumMember],
        outcomes: list[OpportunityOutcome],
        lead_allowed: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [(str(o.pk), o.text) for o in outcomes]
        for member in members:
            name = member.organisation.name
            if choices:
                self.fields[f"outcomes_{member.pk}"] = forms.MultipleChoiceField(
                    label=f"Outcomes {name} delivers",
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            self.fields[f"budget_share_{member.pk}"] = _share_field(f"Budget share for {name}")
            self.fields[f"risk_share_{member.pk}"] = _share_field(f"Risk share for {name}")
            if not self.is_bound:
                self.initial[f"outcomes_{member.pk}"] = [str(o.pk) for o in member.outcomes.all()]
                self.initial[f"budget_share_{member.pk}"] = member.budget_share
                self.initial[f"risk_share_{member.pk}"] = member.risk_share
        if lead_allowed:
            self.fields["lead"] = forms.ChoiceField(
                label="Lead member (optional)",
                choices=[("", "No lead: accountability is shared")]
                + [(str(m.organisation_id), m.organisation.name) for m in members],
                required=False,
                widget=forms.RadioSelect,
                help_text="A lead is optional. Each member is accountable for its own outcomes and shares.",
            )

    def rows(self) -> list[tuple[ConsortiumMember, list[forms.BoundField]]]:
        """The fields of each member, for the page to group them under the member's name."""
        names = ("outcomes_{}", "budget_share_{}", "risk_share_{}")
        return [
            (m, [self[name.format(m.pk)] for name in names if name.format(m.pk) in self.fields]) for m in self.members
        ]

    def outcome_ids(self, member: ConsortiumMember) -> frozenset[int]:
        return frozenset(int(value) for value in self.cleaned_data.get(f"outcomes_{member.pk}", []))

    def lead_organisation_id(self) -> int | None:
        value = self.cleaned_data.get("lead") or ""
        return int(value) if value else None
