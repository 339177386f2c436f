from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.http import HttpRequest

from .models import User


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(label="Full name", max_length=150)

    field_order = ["full_name", "email", "password1", "password2"]

    def save(self, request: HttpRequest) -> User:
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        return user
