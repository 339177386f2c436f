"""Forms for the priority pages. They only parse input: the rules live in services/priorities.py."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from ..models import Indicator, Priority, Story


class PriorityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Priority.Status.choices],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_bound and self.is_valid() else ""


class PriorityForm(forms.Form):
    title = forms.CharField(
        label="The priority, in a few words",
        max_length=200,
        help_text="For example, Fewer older people lonely and cut off in Eastfield.",
        error_messages={
            "required": "Enter the priority, in a few words",
            "max_length": "The priority must be 200 characters or fewer",
        },
    )
    need = forms.CharField(
        label="The need",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Who needs what, and where. Say what people told you and what the figures show.",
        error_messages={"required": "Describe the need: who, what and where"},
    )

    def __init__(self, *args: Any, instance: Priority | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"title": instance.title, "need": instance.need}
        super().__init__(*args, **kwargs)


class StoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Story) -> str:
        where = ", ".join(part for part in (obj.place, obj.population_group) if part)
        return f"{obj.published_title or obj.title}{f' ({where})' if where else ''}"


class EvidenceForm(forms.Form):
    stories = StoryChoiceField(
        label="Stories",
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Published stories of people's experience that show this need.",
        error_messages={"invalid_choice": "Choose stories from the list"},
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Population indicators",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Figures that show this need.",
        error_messages={"invalid_choice": "Choose indicators from the list"},
    )

    def __init__(
        self,
        *args: Any,
        priority: Priority,
        stories: QuerySet[Story],
        indicators: QuerySet[Indicator],
        **kwargs: Any,
    ) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "stories": list(priority.stories.values_list("pk", flat=True)),
                "indicators": list(priority.indicators.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        story_field = self.fields["stories"]
        indicator_field = self.fields["indicators"]
        assert isinstance(story_field, forms.ModelMultipleChoiceField)
        assert isinstance(indicator_field, forms.ModelMultipleChoiceField)
        story_field.queryset = stories
        indicator_field.queryset = indicators
