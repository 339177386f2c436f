"""Forms for telling a story, moderating it, and filtering the published ones."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from ..models import Story, Theme
from ..selectors.stories import StoryFilterChoices
from ..services.stories import StoryDetails


class StoryForm(forms.Form):
    """A partnership member's story. The consent to share it with the partnership is checked by
    the service, so every way in gets the same answer."""

    title = forms.CharField(
        label="Give your story a title",
        max_length=200,
        help_text="A few words about what happened, for example ‘Waiting for a call back’.",
        error_messages={
            "required": "Enter a title for your story",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Your story",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What happened, and what it meant for you or the people you support. Leave out "
        "names, addresses and phone numbers: a coordinator checks every story and removes any "
        "before anyone else reads it.",
        error_messages={"required": "Enter your story"},
    )
    place = forms.CharField(
        label="Where it happened",
        max_length=200,
        required=False,
        help_text="A town or neighbourhood, for example ‘Eastfield’. Not an address.",
        error_messages={"max_length": "The place must be 200 characters or fewer"},
    )
    population_group = forms.CharField(
        label="Who it is about",
        max_length=200,
        required=False,
        help_text="A group of people, for example ‘Older people’, ‘Young carers’ or ‘People with a learning "
        "disability’.",
        error_messages={"max_length": "The group must be 200 characters or fewer"},
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    other_themes = forms.CharField(
        label="Other themes",
        max_length=500,
        required=False,
        help_text="Separate themes with commas, for example ‘Transport, Loneliness’.",
        error_messages={"max_length": "Other themes must be 500 characters or fewer"},
    )
    consent_partnership = forms.BooleanField(
        label="I agree my story can be shared with the partnership’s members, with personal details removed",
        required=False,
        help_text="Required. A coordinator removes names, addresses and other personal details first.",
    )
    consent_public = forms.BooleanField(
        label="It can also be published on the partnership’s public pages, with personal details removed",
        required=False,
    )
    consent_reports = forms.BooleanField(
        label="It can be quoted in reports, with personal details removed",
        required=False,
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes_field = self.fields["themes"]
        assert isinstance(themes_field, forms.ModelMultipleChoiceField)
        themes_field.queryset = themes
        if not themes.exists():
            del self.fields["themes"]
            self.fields["other_themes"].label = "Themes"

    def details(self) -> StoryDetails:
        data = self.cleaned_data
        return StoryDetails(
            title=data["title"],
            text=data["text"],
            place=data["place"],
            population_group=data["population_group"],
            themes=list(data.get("themes") or []),
            other_themes=data["other_themes"],
            consent_partnership=data["consent_partnership"],
            consent_public=data["consent_public"],
            consent_reports=data["consent_reports"],
        )


class PublicStoryForm(StoryForm):
    """The same story, from anyone, with an optional address for the withdrawal link."""

    contact_email = forms.EmailField(
        label="Your email address",
        required=False,
        help_text="We will send you a link you can use to withdraw your story. We do not share your address "
        "and it is never published.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = (
            "What happened, and what it meant for you. Leave out names, addresses, phone numbers and web "
            "addresses. Someone from the partnership checks every story and removes personal details "
            "before anyone else reads it."
        )


class PublishForm(forms.Form):
    """What the moderator publishes: prefilled with the suggested details replaced."""

    published_title = forms.CharField(
        label="Title to publish",
        max_length=200,
        error_messages={
            "required": "Enter the title to publish",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    published_text = forms.CharField(
        label="Story to publish",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Personal details are replaced with [name], [address], [postcode], [phone] or [email].",
        error_messages={"required": "Enter the story to publish"},
    )
    place = forms.CharField(
        label="Where it happened",
        max_length=200,
        required=False,
        error_messages={"max_length": "The place must be 200 characters or fewer"},
    )
    population_group = forms.CharField(
        label="Who it is about",
        max_length=200,
        required=False,
        error_messages={"max_length": "The group must be 200 characters or fewer"},
    )
    names_checked = forms.BooleanField(
        label="I have checked: the remaining words flagged as names are not people’s names",
        required=False,
    )

    @classmethod
    def for_story(cls, data: Any, *, story: Story, title: str, text: str) -> "PublishForm":
        return cls(
            data,
            initial={
                "published_title": title,
                "published_text": text,
                "place": story.place,
                "population_group": story.population_group,
            },
        )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Why is the story not being published?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Other coordinators see this note, and so does the storyteller if they are a member.",
        error_messages={"required": "Enter why the story is not being published"},
    )


class StoryFilterForm(forms.Form):
    """Filters for the published stories. Built unbound from the query string, so an old link
    naming a theme or place no story has any more shows every story instead of an error."""

    theme = forms.ChoiceField(label="Theme", required=False)
    place = forms.ChoiceField(label="Place", required=False)
    group = forms.ChoiceField(label="Who it is about", required=False)

    def __init__(self, query: QueryDict, *, choices: StoryFilterChoices) -> None:
        themes = {str(t.pk): t for t in choices.themes}
        theme = themes.get(query.get("theme", ""))
        place = query.get("place", "")
        group = query.get("group", "")
        self.filters: dict[str, Any] = {
            "theme": theme,
            "place": place if place in choices.places else "",
            "population_group": group if group in choices.population_groups else "",
        }
        super().__init__(
            initial={
                "theme": str(theme.pk) if theme else "",
                "place": self.filters["place"],
                "group": self.filters["population_group"],
            }
        )
        self._choose("theme", "Any theme", [(str(t.pk), t.name) for t in choices.themes])
        self._choose("place", "Any place", [(p, p) for p in choices.places])
        self._choose("group", "Anyone", [(g, g) for g in choices.population_groups])

    def _choose(self, name: str, anything: str, options: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", anything), *options]

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())
