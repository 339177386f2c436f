"""Forms for the policy watch. The rules live in services/policies.py."""

from typing import Any

from django import forms

from cocommission.commissioning.models import Opportunity
from cocommission.partnerships.models import Partnership

from ..models import Policy, Priority
from ..selectors.policies import STAGE_ORDER, TACTICS, opportunity_choices, priority_choices

STAGE_CHOICES = [(s.value, s.label) for s in STAGE_ORDER]


class PolicyForm(forms.Form):
    name = forms.CharField(
        label="Name of the policy",
        max_length=200,
        error_messages={
            "required": "Enter the name of the policy",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="Who owns the policy, like the Department of Health and Social Care or the council.",
        error_messages={"required": "Enter who owns the policy", "max_length": "Owner must be 200 characters or fewer"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the policy says and why it matters here, in plain words.",
        error_messages={"required": "Enter a summary of the policy"},
    )
    links = forms.CharField(
        label="Links",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Web addresses of the policy and guidance, one a line, starting with https://.",
    )
    stage = forms.ChoiceField(
        label="Where does it sit on the hype cycle?",
        choices=STAGE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select where the policy sits on the hype cycle",
            "invalid_choice": "Select where the policy sits on the hype cycle",
        },
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Priorities it affects",
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select priorities of this partnership"},
    )
    opportunities = forms.ModelMultipleChoiceField(
        label="Opportunities it affects",
        queryset=Opportunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select opportunities of this partnership"},
    )

    def __init__(self, *args: Any, partnership: Partnership, policy: Policy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("priorities", priority_choices(partnership)),
            ("opportunities", opportunity_choices(partnership)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
        if not priority_choices(partnership).exists():
            del self.fields["priorities"]
        if not opportunity_choices(partnership).exists():
            del self.fields["opportunities"]
        if policy is not None and not self.is_bound:
            self.initial.update(
                {
                    "name": policy.name,
                    "owner": policy.owner,
                    "summary": policy.summary,
                    "links": policy.links,
                    "stage": policy.stage,
                    "priorities": list(policy.priorities.values_list("pk", flat=True)),
                    "opportunities": list(policy.opportunities.values_list("pk", flat=True)),
                }
            )

    def policy_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "owner": data["owner"],
            "summary": data["summary"],
            "links": data["links"],
            "stage": data["stage"],
            "priorities": list(data.get("priorities") or []),
            "opportunities": list(data.get("opportunities") or []),
        }


class ReviewForm(forms.Form):
    stage = forms.ChoiceField(
        label="Where does it sit on the hype cycle now?",
        choices=[(value, f"{label}: {TACTICS[value].split('.')[0]}") for value, label in STAGE_CHOICES],
        widget=forms.RadioSelect,
        help_text="Choose the same stage to confirm it has not moved.",
        error_messages={
            "required": "Select where the policy sits on the hype cycle now",
            "invalid_choice": "Select where the policy sits on the hype cycle now",
        },
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has changed, or why the stage stays the same.",
        error_messages={"required": "Enter a note: what has changed, or why the stage stays the same"},
    )

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stage"] = policy.stage
