"""Sends people who must use MFA to set it up before they can do anything else."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .policy import has_mfa, requires_mfa

# Paths a person may still reach while their second factor is not set up yet.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/favicon")


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.COCOMMISSION_MFA_REQUIRED
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not has_mfa(user)
        ):
            messages.info(
                request,
                "Your role needs two-step sign in. Set up an authenticator app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
