"""Writes for the "tell us once" passport: uploading, replacing and removing standing documents."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit

from ..models import Organisation, PassportDocument
from ..uploads import check_upload, safe_filename

# Kinds a funder checks against a date. A governing document stays true until it is changed,
# so it may have no date; insurance is worthless without one.
DATE_OPTIONAL_KINDS = {PassportDocument.Kind.GOVERNING_DOCUMENT}
EXPIRY_REQUIRED_MESSAGES = {
    PassportDocument.Kind.INSURANCE: "Enter the date the insurance certificate expires",
}
DEFAULT_DATE_REQUIRED_MESSAGE = "Enter the expiry or review date"
DATE_IN_PAST_MESSAGE = "The expiry or review date must be today or in the future"


def _check_expiry(*, kind: str, expires_on: datetime.date | None, today: datetime.date) -> None:
    if expires_on is None:
        if kind not in DATE_OPTIONAL_KINDS:
            raise ValidationError(
                {"expires_on": EXPIRY_REQUIRED_MESSAGES.get(kind, DEFAULT_DATE_REQUIRED_MESSAGE)}  # type: ignore[call-overload]
            )
        return
    if expires_on < today:
        raise ValidationError({"expires_on": DATE_IN_PAST_MESSAGE})


def _delete_file_later(name: str, storage: Any) -> None:
    # Only once the row is gone for good: a rolled-back removal must keep its file.
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@transaction.atomic
def upload_passport_document(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    uploaded_file: UploadedFile | None,
    expires_on: datetime.date | None,
) -> PassportDocument:
    """Add a document to the passport, replacing the current one of the same kind.

    The type is decided by the file's content (see `uploads.sniff`); the name is kept for people
    only. The replaced document stays as a previous version. Raises ValidationError keyed on
    `kind`, `file` or `expires_on`.
    """
    if kind not in PassportDocument.Kind.values:
        raise ValidationError({"kind": "Select the kind of document"})
    _check_expiry(kind=kind, expires_on=expires_on, today=timezone.localdate())
    detected = check_upload(uploaded_file, size=getattr(uploaded_file, "size", None))
    assert uploaded_file is not None  # check_upload refuses a missing file

    # Locking the organisation row serialises uploads of the same kind, so two people replacing
    # the insurance certificate at once cannot both become current.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    previous = (
        PassportDocument.objects.select_for_update()
        .filter(organisation=organisation, kind=kind, is_current=True)
        .first()
    )
    if previous is not None:
        before = audit.snapshot(previous, ["is_current"])
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
        audit.record_update(actor=actor, instance=previous, before=before, organisation_id=organisation.pk)

    document = PassportDocument(
        organisation=organisation,
        kind=kind,
        original_filename=safe_filename(uploaded_file.name or "", detected),
        content_type=detected.content_type,
        size_bytes=uploaded_file.size or 0,
        expires_on=expires_on,
        is_current=True,
        uploaded_by=actor,
    )
    document.file.save("upload", uploaded_file, save=False)
    try:
        document.save()
        audit.record_create(actor=actor, instance=document, organisation_id=organisation.pk)
    except BaseException:
        # The row never existed, so nothing else will ever point at the stored file.
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def remove_passport_document(*, actor: User, document: PassportDocument) -> None:
    """Remove a document and, once the removal is committed, its stored file.

    Removing the current document leaves the kind missing; an older version is not brought
    back, because it is usually out of date. A document attached to a submitted application
    is part of that application's record, so it is retired (no longer current) instead of
    deleted, and its file is kept for the funder and the panel.
    """
    locked = PassportDocument.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None:
        # Already removed, for example by a form submitted twice: nothing left to do.
        return
    from cocommission.commissioning.models import Application

    if Application.passport_documents.through.objects.filter(passportdocument_id=locked.pk).exists():
        if locked.is_current:
            before = audit.snapshot(locked, ["is_current"])
            locked.is_current = False
            locked.save(update_fields=["is_current", "updated_at"])
            audit.record_update(actor=actor, instance=locked, before=before, organisation_id=locked.organisation_id)
        return
    name, storage = locked.file.name, locked.file.storage
    audit.record_delete(actor=actor, instance=locked, organisation_id=locked.organisation_id)
    locked.delete()
    _delete_file_later(name or "", storage)
