"""Reads for the audit page: an organisation's change history in words people understand."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from cocommission.core.audit_rows import AuditChange, AuditRow
from cocommission.core.models import AuditEvent

from ..models import Organisation

# Keys that services record which are not model fields.
_EXTRA_LABELS = {"person": "Person"}


def audit_events_for(*, organisation: Organisation) -> QuerySet[AuditEvent]:
    """Every recorded change that belongs to the organisation, newest first."""
    return (
        AuditEvent.objects.filter(organisation_id=organisation.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def _model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _shown(value: Any, field: models.Field[Any, Any] | None) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, models.GeneratedField):
        field = field.output_field
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(timezone.localtime(moment), "j F Y, H:i")
    elif isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "j F Y")
    if field is not None and isinstance(field, models.DecimalField):
        return f"£{Decimal(str(value)):,}" if "income" in field.name else str(value)
    return str(value)


def describe(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Each event with its model named and each changed field as label, old value, new value."""
    rows = []
    for event in events:
        model = _model_for(event.object_type)
        thing = str(model._meta.verbose_name) if model else event.object_type
        changes = []
        for name, pair in (event.changes or {}).items():
            old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else _EXTRA_LABELS.get(name, name.replace("_", " "))
            changes.append(
                AuditChange(label=label[:1].upper() + label[1:], old=_shown(old, field), new=_shown(new, field))
            )
        rows.append(AuditRow(event=event, thing=thing[:1].upper() + thing[1:], changes=changes))
    return rows
