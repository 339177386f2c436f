"""How django-axes names the account behind a sign-in attempt.

allauth signs people in with `authenticate(request, email=..., password=...)`; the Django
admin login is wrapped by allauth's `secure_admin_login`, so it goes the same way. axes'
own default looks for `username`, which allauth never sends, so without this callable every
attempt would be counted against an empty name and the per-account lockout would not work.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
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


# One address may fail this many times in the cool-off window before it is locked out. It is
# higher than the per-account limit because an office, a library or a mobile network puts many
# people behind one address: five typing slips between them must not lock everybody out, while
# someone trying one password against many accounts still is.
ADDRESS_FAILURE_LIMIT = 20


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class AccountOrAddressHandler(AxesDatabaseHandler):
    """axes' database handler with a limit of its own for addresses.

    axes compares one number with AXES_FAILURE_LIMIT. That number is the account's failures, or
    the address's failures scaled so that ADDRESS_FAILURE_LIMIT of them reach the same limit,
    whichever is larger.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _failures(recent.filter(username=username)) if username else 0
        address = getattr(request, "axes_ip_address", None)
        by_address = _failures(recent.filter(ip_address=address)) if address else 0
        limit = int(settings.AXES_FAILURE_LIMIT)
        return max(by_account, by_address * limit // ADDRESS_FAILURE_LIMIT)
