"""Forms for decision moments: opening one, responding, an objection, closing. The rules live
in services/moments.py; these parse what was typed and carry the service's errors back."""

from typing import Any

from django import forms

from cocommission.needs.models import Priority
from cocommission.partnerships.models import Partnership

from ..models import DecisionMoment, DecisionOption, Response
from ..selectors.moments import priority_choices

Method = DecisionMoment.Method
Position = Response.Position

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _date_field(label: str, what: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DATE_WIDGET,
        error_messages={"invalid": f"Enter the {what} as a real date, like 31 3 2027"},
    )


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class MomentForm(forms.Form):
    subject = forms.ChoiceField(
        label="What is the decision about?",
        choices=DecisionMoment.Subject.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the decision is about"},
    )
    priority = PriorityChoiceField(
        label="Which priority?",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="Choose a priority",
        help_text="Only for a decision about a priority.",
        error_messages={"invalid_choice": "Select one of this partnership's priorities"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short name for the decision, like ‘Agree loneliness as a priority’.",
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    question = forms.CharField(
        label="The question",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is being decided, in plain words, with anything people need to know.",
        error_messages={"required": "Enter the question being decided"},
    )
    method = forms.ChoiceField(
        label="How will it be decided?",
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the decision will be made"},
    )
    proposal = forms.CharField(
        label="The proposal",
        required=False,
        max_length=200,
        help_text="For consensus or consent: the one proposal people agree to, stand aside from, block, "
        "consent to or object to.",
        error_messages={"max_length": "The proposal must be 200 characters or fewer"},
    )
    options = forms.CharField(
        label="The options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a sector-balanced vote: at least two options, one a line.",
    )
    require_lived_experience = forms.BooleanField(
        label="The quorum needs someone with lived experience to respond",
        required=False,
        help_text="Besides at least one statutory and one VCSE member.",
    )
    closes_on = _date_field(
        "Planned closing date",
        "planned closing date",
        "When you plan to close it. Responses can be given and changed until you do.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["priority"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = priority_choices(partnership)
        if not self.is_bound:
            self.initial.setdefault("require_lived_experience", partnership.lived_experience_in_quorum)


class ResponseForm(forms.Form):
    """One person's response. A vote chooses an option; consensus and consent take a position."""

    def __init__(self, *args: Any, moment: DecisionMoment, options: list[DecisionOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.moment = moment
        if moment.method == Method.BALANCED_VOTE:
            self.fields["option"] = forms.TypedChoiceField(
                label="Which option do you vote for?",
                choices=[(o.pk, o.label) for o in options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Select one of the options", "invalid_choice": "Select one of the options"},
            )
            reason_help = "Optional. Shown with your vote once the decision closes."
        else:
            positions = (
                [Position.AGREE, Position.STAND_ASIDE, Position.BLOCK]
                if moment.method == Method.CONSENSUS
                else [Position.CONSENT, Position.OBJECT]
            )
            self.fields["position"] = forms.ChoiceField(
                label="What is your response to the proposal?",
                choices=[(p.value, p.label) for p in positions],
                widget=forms.RadioSelect,
                error_messages={"required": "Select your response", "invalid_choice": "Select your response"},
            )
            reason_help = (
                "Needed when you block the proposal."
                if moment.method == Method.CONSENSUS
                else "Needed when you object."
            )
        self.fields["reason"] = forms.CharField(
            label="Your reason",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=reason_help,
        )

    def response_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "position": data.get("position", ""),
            "option_id": data.get("option"),
            "reason": data.get("reason") or "",
        }


class ObjectionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened to the objection?",
        choices=[
            (Response.Objection.RESOLVED.value, "Resolved: the proposal was changed or the concern answered"),
            (Response.Objection.RECORDED.value, "Recorded: the decision goes ahead with the objection on record"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the objection is resolved or recorded"},
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How it was resolved, or why the decision goes ahead with it recorded.",
        error_messages={
            "required": "Enter how the objection was resolved, or why the decision goes ahead with it recorded"
        },
    )


class CloseForm(forms.Form):
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why the partnership decided this, in plain words. Everyone in the partnership reads it.",
        error_messages={"required": "Enter the reasons for the decision"},
    )
    review_on = _date_field(
        "Review date",
        "review date",
        "When the partnership will look at this decision again.",
    )
