"""Forms for inviting people and changing their role."""

from django import forms

from ..models import Membership

_ROLE_HELP = "Admins can change the organisation's details, invite people and manage members."


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will email them a link to join. It works for 14 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address of the person you want to invite",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text=_ROLE_HELP,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        help_text=_ROLE_HELP,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
