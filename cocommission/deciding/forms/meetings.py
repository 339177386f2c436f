"""Forms for meetings and contributions. They only parse input: the rules live in services."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.organisations.uploads import EMPTY_MESSAGE, REQUIRED_MESSAGE, size_limit_text

from ..models import Attendance, Contribution, Meeting
from ..permissions import VoiceOf


class MeetingForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, ‘Partnership board, spring’.",
        error_messages={
            "required": "Enter the meeting's title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date of the meeting", "invalid": "Enter the date as a real date"},
    )
    time = forms.TimeField(
        label="Start time",
        help_text="In 24-hour time, like 18:30.",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}, format="%H:%M"),
        error_messages={"required": "Enter the start time", "invalid": "Enter the start time like 18:30"},
    )
    location = forms.CharField(
        label="Where",
        max_length=200,
        required=False,
        help_text="A room and address, or how to join online.",
        error_messages={"max_length": "Where must be 200 characters or fewer"},
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        starts = timezone.localtime(meeting.starts_at)
        return {"title": meeting.title, "date": starts.date(), "time": starts.time(), "location": meeting.location}

    def starts_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Item",
        max_length=200,
        error_messages={
            "required": "Enter the item's title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    details = forms.CharField(
        label="Details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be discussed or decided, and who leads it.",
    )


class PaperForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the paper's title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput,
        error_messages={"required": REQUIRED_MESSAGE, "empty": EMPTY_MESSAGE, "invalid": REQUIRED_MESSAGE},
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"A PDF, DOCX, ODT, PNG or JPEG file, smaller than {size_limit_text(max_bytes)}."


def attendee_label(user: User, voice: VoiceOf) -> str:
    sector = {"statutory": "statutory", "vcse": "VCSE", "lived_experience": "lived experience"}.get(
        voice.voice, "other"
    )
    if voice.organisation is None:
        return f"{user} ({sector})"
    lived = ", brings lived experience" if voice.lived_experience else ""
    return f"{user} ({voice.organisation.name}, {sector}{lived})"


class AttendanceForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label="Who came?",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who attended. Each person's organisation and sector come from the partnership.",
        error_messages={"invalid_choice": "Choose people from the list"},
    )

    def __init__(
        self, *args: Any, attendees: list[tuple[User, VoiceOf]], attendances: list[Attendance], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"people": [a.user_id for a in attendances]})
        super().__init__(*args, **kwargs)
        choices = [(user.pk, attendee_label(user, voice)) for user, voice in attendees]
        listed = {pk for pk, _ in choices}
        # Someone who attended but has since left the partnership stays tickable, so saving
        # the form does not silently drop them.
        choices += [(a.user_id, f"{a.user} (no longer a member)") for a in attendances if a.user_id not in listed]
        self.fields["people"].choices = choices  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="What was discussed and agreed, and who will do what. Questions and follows are recorded separately.",
    )


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=[
            (Contribution.Kind.QUESTION, "A question"),
            (Contribution.Kind.POINT, "A point"),
            (Contribution.Kind.FOLLOW, "A follow: picking up an earlier question and building on it"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether this is a question, a point or a follow",
            "invalid_choice": "Choose whether this is a question, a point or a follow",
        },
    )
    text = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For a follow, say how it builds on the question.",
        error_messages={"required": "Enter what was said"},
    )
    to_the_room = forms.BooleanField(
        label="Put this question to the room",
        required=False,
        help_text="Other members see the question without a name. Only the coordinator sees who asked.",
    )
    follows = forms.IntegerField(
        label="The question it follows",
        required=False,
        widget=forms.Select(),
        help_text="Only for a follow: a question from this meeting or an earlier one.",
        error_messages={"invalid": "Choose a question from the list"},
    )
    speaker = forms.TypedChoiceField(
        label="Who said it",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="As the coordinator you can record what someone who attended said.",
        error_messages={"invalid_choice": "Choose someone who attended"},
    )

    def __init__(
        self,
        *args: Any,
        follow_choices: list[tuple[Any, Any]],
        speakers: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follows"].widget.choices = follow_choices
        if speakers is None:
            del self.fields["speaker"]
        else:
            self.fields["speaker"].choices = [("", "Me"), *speakers]  # type: ignore[attr-defined]


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label="Organisation's name",
        max_length=100,
        help_text="Type part of the name; up to 20 matches are shown.",
        error_messages={
            "required": "Enter part of the organisation's name",
            "max_length": "Enter 100 characters or fewer",
        },
    )
