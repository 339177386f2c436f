"""Refusing a save made from a form that is out of date.

Every form that edits a saved row carries the row's last-updated stamp; the service compares it
with the locked row, so a second person's save never silently overwrites the first one's.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

STALE_MESSAGE = "Someone else changed these details while you were editing. Check the details below and save again."


class StaleFormError(ValidationError):
    """The object changed since the form was shown; the user must look again.

    A ValidationError, so a view that shows every service error on the form shows this one too;
    a view that wants to do more (show what is saved now) catches it first.
    """

    def __init__(self, message: str = STALE_MESSAGE, code: str | None = "stale", params: Any = None) -> None:
        super().__init__(message, code=code, params=params)

    def __str__(self) -> str:
        return " ".join(self.messages)


def version_of(instance: models.Model) -> str:
    """The stamp a form carries for the row it edits."""
    return str(instance.updated_at.isoformat())  # type: ignore[attr-defined]


def current_version(instance: models.Model) -> str:
    """The stamp as the database has it now, whatever the instance in hand says."""
    manager = type(instance)._default_manager
    updated = manager.filter(pk=instance.pk).values_list("updated_at", flat=True).first()
    return updated.isoformat() if updated else ""


def ensure_unchanged(instance: models.Model, version: str | None, *, message: str = STALE_MESSAGE) -> None:
    """Refuse with StaleFormError when `version` is not the locked row's stamp.

    Pass the row as read with select_for_update, so nobody can save between the check and the
    write. None means the caller does not track versions, so there is nothing to compare.
    """
    if version is not None and version != version_of(instance):
        raise StaleFormError(message)
