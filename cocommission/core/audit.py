"""Recording audit events. Services call these inside their transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an instance, JSON-ready, for diffing later."""
    names = fields or [
        f.name for f in instance._meta.concrete_fields if f.name not in {"id", "created_at", "updated_at"}
    ]
    result: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            result[name] = _plain(getattr(instance, field.attname))
        else:
            result[name] = _plain(getattr(instance, name))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _blank(value: Any) -> bool:
    return value in (None, "", [], {})


def created_changes(state: dict[str, Any]) -> dict[str, list[Any]]:
    """A new object's values as changes from nothing, as {field: [None, new]}; blanks left out."""
    return {k: [None, v] for k, v in state.items() if not _blank(v)}


def deleted_changes(state: dict[str, Any]) -> dict[str, list[Any]]:
    """A removed object's last values as changes to nothing, as {field: [old, None]}; blanks left out."""
    return {k: [v, None] for k, v in state.items() if not _blank(v)}


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    partnership_id: int | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=getattr(user, "email", "") if user else "system",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_label=(label or str(instance))[:300],
        organisation_id=organisation_id,
        partnership_id=partnership_id,
        changes=changes or {},
    )


def record_create(*, actor: Any, instance: models.Model, **scope: Any) -> AuditEvent:
    changes = created_changes(snapshot(instance))
    return record(actor=actor, action=AuditEvent.Action.CREATE, instance=instance, changes=changes, **scope)


def record_update(*, actor: Any, instance: models.Model, before: dict[str, Any], **scope: Any) -> AuditEvent | None:
    """Record the changed fields, or nothing when nothing changed."""
    changes = diff(before, snapshot(instance, before.keys()))
    if not changes:
        return None
    return record(actor=actor, action=AuditEvent.Action.UPDATE, instance=instance, changes=changes, **scope)


def record_delete(*, actor: Any, instance: models.Model, **scope: Any) -> AuditEvent:
    changes = deleted_changes(snapshot(instance))
    return record(actor=actor, action=AuditEvent.Action.DELETE, instance=instance, changes=changes, **scope)
