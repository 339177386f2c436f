from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .policy import has_mfa, requires_mfa


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/settings.html",
        {"has_mfa": has_mfa(user), "requires_mfa": requires_mfa(user)},  # type: ignore[arg-type]
    )
