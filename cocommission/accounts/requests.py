from typing import cast

from django.http import HttpRequest

from .models import User


def user_of(request: HttpRequest) -> User:
    """The person making the request, typed as our User. Anonymous visitors behave as a user
    with no roles: every permission helper checks `is_authenticated` first."""
    return cast(User, request.user)
