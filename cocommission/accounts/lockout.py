"""How django-axes names the account behind a sign-in attempt.

allauth signs people in with `authenticate(request, email=..., password=...)`; the Django
admin login is wrapped by allauth's `secure_admin_login`, so it goes the same way. axes'
own default looks for `username`, which allauth never sends, so without this callable every
attempt would be counted against an empty name and the per-account lockout would not work.
"""

from typing import Any

from django.http import HttpRequest


def normalise_login(value: object) -> str:
    """Emails are case-insensitive here, so 'Alice@Example.org' and 'alice@example.org'
    count towards the same lockout."""
    return str(value or "").strip().lower()


def username_from_attempt(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The email being tried, lower-cased, from allauth's credentials, axes' own
    `username` key (used when a successful sign in resets the count) or the posted form."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username") or request.POST.get("email")
    return normalise_login(value)
