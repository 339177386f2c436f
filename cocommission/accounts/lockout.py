"""How django-axes names the account behind a login attempt."""

from typing import Any

from django.http import HttpRequest


def username_from_attempt(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The email being tried, lower-cased, from allauth's or the Django admin's form."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username") or request.POST.get("email")
    return str(value or "").strip().lower()
