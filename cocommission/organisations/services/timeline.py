"""Writes for the relationship timeline: remembering each contact between two organisations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.partnerships.models import Partnership, PartnershipOrganisation

from ..models import Interaction, Organisation

SUMMARY_MAX_LENGTH = 2000
# The kinds people add by hand. Entries of other kinds come from the service's own records.
MANUAL_KINDS = (Interaction.Kind.MEETING, Interaction.Kind.CALL, Interaction.Kind.EMAIL, Interaction.Kind.NOTE)


@transaction.atomic
def record_interaction(
    *,
    actor: User | None,
    organisation: Organisation,
    other: Organisation,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    partnership: Partnership | None = None,
) -> Interaction:
    """Add an entry to the timeline between `organisation` (the one acting) and `other`.

    The pair is stored lower id first, so the entry is the same whichever side records it.
    `partnership`, when given, marks the entry as that partnership's business, which lets its
    coordinators see it; both organisations must belong to it. Later parts of the service
    (decisions, applications, awards) call this too, with their own kinds. Who may call it is
    the caller's concern (see `permissions.access_timeline`). Raises ValidationError keyed on
    the form's fields.
    """
    if organisation.pk == other.pk:
        raise ValidationError({"acting_for": "Choose another organisation"})
    if kind not in Interaction.Kind.values:
        raise ValidationError({"kind": "Select what kind of contact it was"})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date must be today or in the past"})
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "Enter a summary"})
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ValidationError({"summary": f"Summary must be {SUMMARY_MAX_LENGTH:,} characters or fewer"})
    if partnership is not None:
        seats = PartnershipOrganisation.objects.filter(
            partnership=partnership, organisation_id__in=[organisation.pk, other.pk]
        ).count()
        if seats != 2:
            raise ValidationError({"partnership": "Choose a partnership that both organisations belong to"})

    first, second = sorted((organisation, other), key=lambda o: o.pk)
    created_by = actor if actor is not None and actor.is_authenticated else None
    # Locking both organisations (in id order, so two writers cannot deadlock) makes the
    # duplicate check below hold under concurrency on PostgreSQL; SQLite serialises writers.
    list(Organisation.objects.select_for_update().filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    entry = {
        "organisation_a": first,
        "organisation_b": second,
        "kind": kind,
        "occurred_on": occurred_on,
        "summary": summary,
        "partnership": partnership,
        "created_by": created_by,
    }
    # The same person sending the same note twice (a double click, a resubmitted form) is
    # refused rather than filed twice.
    if kind in MANUAL_KINDS and Interaction.objects.filter(**entry).exists():
        raise ValidationError("This entry is already on the timeline")

    interaction = Interaction.objects.create(**entry)
    # One event in each organisation's history, so both sides' admins can see who added what.
    for side in (first, second):
        audit.record_create(
            actor=actor,
            instance=interaction,
            organisation_id=side.pk,
            partnership_id=partnership.pk if partnership else None,
        )
    return interaction
