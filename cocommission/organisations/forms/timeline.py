"""The form for adding an entry to the relationship timeline."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from cocommission.partnerships.models import Partnership

from ..models import Organisation
from ..services.timeline import MANUAL_KINDS, SUMMARY_MAX_LENGTH


class InteractionForm(forms.Form):
    acting_for = forms.TypedChoiceField(
        label="Which organisation are you adding this for?",
        coerce=int,
        error_messages={"required": "Select your organisation", "invalid_choice": "Select your organisation"},
    )
    kind = forms.ChoiceField(
        label="What kind of contact was it?",
        choices=[(k.value, k.label) for k in MANUAL_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of contact it was",
            "invalid_choice": "Select what kind of contact it was",
        },
    )
    occurred_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day it happened. It cannot be in the future.",
        error_messages={"required": "Enter the date", "invalid": "Date must be a real date"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=SUMMARY_MAX_LENGTH,
        help_text="What was discussed or agreed. Only people in both organisations can read it.",
        error_messages={
            "required": "Enter a summary",
            "max_length": f"Summary must be {SUMMARY_MAX_LENGTH:,} characters or fewer",
        },
    )
    partnership = forms.ModelChoiceField(
        label="Is this partnership business?",
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="No, it is not partnership business",
        help_text="If it is, the partnership's coordinators can read it too.",
        error_messages={"invalid_choice": "Choose a partnership that both organisations belong to"},
    )

    def __init__(
        self, *args: Any, acting: list[Organisation], partnerships: QuerySet[Partnership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        acting_field = self.fields["acting_for"]
        assert isinstance(acting_field, forms.TypedChoiceField)
        acting_field.choices = [(o.pk, o.name) for o in acting]
        if acting and not self.is_bound:
            self.initial.setdefault("acting_for", acting[0].pk)
        if len(acting) == 1:
            # Nothing to choose: the one organisation is shown in the page text instead.
            acting_field.widget = forms.HiddenInput()
        partnership_field = self.fields["partnership"]
        assert isinstance(partnership_field, forms.ModelChoiceField)
        partnership_field.queryset = partnerships
        if not partnerships.exists():
            del self.fields["partnership"]

    def acting_organisation(self, acting: list[Organisation]) -> Organisation:
        wanted = self.cleaned_data["acting_for"]
        return next(o for o in acting if o.pk == wanted)
