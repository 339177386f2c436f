"""Forms for partnerships. They only parse input: every rule that matters lives in services."""

from typing import Any

from django import forms

from cocommission.core.forms import VersionedFormMixin
from cocommission.organisations.models import Organisation

from .models import Partnership, PartnershipOrganisation, PartnershipPerson, Sector


class PartnershipCreateForm(forms.Form):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        error_messages={"required": "Enter the name of the partnership"},
    )
    place = forms.CharField(
        label="Place",
        max_length=200,
        help_text="The place the partnership works for, for example a town, a council area "
        "or an integrated care system.",
        error_messages={"required": "Enter the place the partnership works for"},
    )
    description = forms.CharField(
        label="What the partnership is for",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label="Which of your organisations do you represent?",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="I do not represent an organisation",
        help_text="The organisation you choose becomes a member of the partnership too.",
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None or not organisations.exists():
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PartnershipChangeForm(VersionedFormMixin):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        error_messages={"required": "Enter the name of the partnership"},
    )
    place = forms.CharField(
        label="Place",
        max_length=200,
        error_messages={"required": "Enter the place the partnership works for"},
    )
    description = forms.CharField(
        label="What the partnership is for",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    minimum_term_years = forms.IntegerField(
        label="Minimum term for recurring services, in years",
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        help_text="Agreements for services people need year after year that are shorter than this are marked "
        "short-term, and the funder must say why. Most partnerships choose 3 years.",
        error_messages={
            "required": "Enter the minimum term in years",
            "invalid": "Enter the minimum term as a whole number of years, like 3",
            "min_value": "The minimum term must be between 1 and 10 years",
            "max_value": "The minimum term must be between 1 and 10 years",
        },
    )

    def __init__(self, *args: Any, instance: Partnership, **kwargs: Any) -> None:
        self.instance = instance
        kwargs.setdefault(
            "initial",
            {
                "name": instance.name,
                "place": instance.place,
                "description": instance.description,
                "minimum_term_years": instance.minimum_term_years,
            },
        )
        super().__init__(*args, **kwargs)


class MemberOrganisationAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choose an organisation",
        help_text="Organisations in the directory. If one is missing, someone from it needs to add it first.",
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=[("", "Decide from the kind of organisation"), *Sector.choices],
        required=False,
        help_text="Statutory bodies sit for the statutory sector and VCSE organisations for VCSE, "
        "unless you choose otherwise.",
    )
    seat = forms.CharField(
        label="Seat",
        max_length=120,
        required=False,
        help_text="What the organisation brings to the table, for example 'Mental health' or 'Carers'.",
    )


class MemberOrganisationChangeForm(VersionedFormMixin):
    sector = forms.ChoiceField(
        label="Sector",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose statutory, VCSE or other"},
    )
    seat = forms.CharField(
        label="Seat",
        max_length=120,
        required=False,
        help_text="What the organisation brings to the table, for example 'Mental health' or 'Carers'.",
    )

    def __init__(self, *args: Any, instance: PartnershipOrganisation, **kwargs: Any) -> None:
        self.instance = instance
        kwargs.setdefault("initial", {"sector": instance.sector, "seat": instance.seat})
        super().__init__(*args, **kwargs)


_ROLE_FIELD = {
    "label": "Role",
    "choices": PartnershipPerson.Role.choices,
    "widget": forms.RadioSelect,
    "help_text": "Coordinators run the partnership: they add and remove members and see its change history.",
    "error_messages": {"required": "Choose coordinator or member"},
}
_LIVED_EXPERIENCE_HELP = (
    "They bring their own experience of services, as someone who uses them or cares for someone who does."
)


def _representing_field(partnership: Partnership) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Which organisation do they represent?",
        queryset=Organisation.objects.filter(partnership_seats__partnership=partnership).order_by("name"),
        required=False,
        empty_label="They do not represent an organisation",
        help_text="Only member organisations of the partnership that they belong to.",
        error_messages={"invalid_choice": "Choose a member organisation from the list, or none"},
    )


class PersonAddForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The email address they sign in with.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(initial=PartnershipPerson.Role.MEMBER, **_ROLE_FIELD)  # type: ignore[arg-type]
    lived_experience = forms.BooleanField(
        label="They bring lived experience", required=False, help_text=_LIVED_EXPERIENCE_HELP
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _representing_field(partnership)
        self.order_fields(["email", "role", "organisation", "lived_experience"])


class PersonChangeForm(VersionedFormMixin):
    role = forms.ChoiceField(**_ROLE_FIELD)  # type: ignore[arg-type]
    lived_experience = forms.BooleanField(
        label="They bring lived experience", required=False, help_text=_LIVED_EXPERIENCE_HELP
    )

    def __init__(self, *args: Any, instance: PartnershipPerson, **kwargs: Any) -> None:
        self.instance = instance
        kwargs.setdefault(
            "initial",
            {
                "role": instance.role,
                "organisation": instance.organisation_id,
                "lived_experience": instance.lived_experience,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _representing_field(instance.partnership)
        self.order_fields(["role", "organisation", "lived_experience", "version"])
