"""Uploading, replacing and removing passport documents."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from cocommission.core.models import AuditEvent
from cocommission.organisations.models import PassportDocument
from cocommission.organisations.services.passport import remove_passport_document, upload_passport_document
from cocommission.organisations.tests import passport_files as files

Kind = PassportDocument.Kind
pytestmark = pytest.mark.django_db


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _upload(actor, organisation, name, content, kind=Kind.SAFEGUARDING, expires_on=None):
    return upload_passport_document(
        actor=actor,
        organisation=organisation,
        kind=kind,
        uploaded_file=files.upload(name, content),
        expires_on=expires_on if expires_on is not None else _in(365),
    )


@pytest.mark.parametrize(("extension", "expected"), list(files.ALLOWED.items()))
def test_a_member_uploads_each_allowed_type(bob, org_a, extension, expected):
    content, content_type = expected
    document = _upload(bob, org_a, f"policy.{extension}", content)
    document.refresh_from_db()
    assert document.content_type == content_type
    assert document.size_bytes == len(content)
    assert document.original_filename == f"policy.{extension}"
    assert document.is_current and document.uploaded_by == bob
    # Stored under a random name, never the uploaded one, and the bytes are intact.
    assert "policy" not in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == content
    event = AuditEvent.objects.get(object_type="organisations.passportdocument", action="create")
    assert event.organisation_id == org_a.pk and event.actor == bob


def test_a_png_called_pdf_is_stored_as_the_png_it_is(bob, org_a):
    document = _upload(bob, org_a, "insurance.pdf", files.PNG)
    assert document.content_type == "image/png"
    assert document.original_filename == "insurance.png"


@pytest.mark.parametrize("content", [files.TEXT, files.EXE], ids=["text", "exe"])
def test_a_text_or_program_called_pdf_is_refused_and_nothing_is_kept(bob, org_a, content):
    with pytest.raises(ValidationError) as error:
        _upload(bob, org_a, "policy.pdf", content)
    assert error.value.message_dict == {"file": ["The selected file must be a PDF, DOCX, ODT, PNG or JPEG"]}
    assert not PassportDocument.objects.exists()
    assert not AuditEvent.objects.exists()


@override_settings(MAX_UPLOAD_BYTES=2048)
def test_a_file_over_the_limit_is_refused(bob, org_a):
    with pytest.raises(ValidationError) as error:
        _upload(bob, org_a, "accounts.pdf", files.PDF + b" " * 2048)
    assert error.value.message_dict == {"file": ["The selected file must be smaller than 2KB"]}
    assert not PassportDocument.objects.exists()


def test_an_empty_file_is_refused(bob, org_a):
    with pytest.raises(ValidationError) as error:
        _upload(bob, org_a, "accounts.pdf", b"")
    assert error.value.message_dict == {"file": ["The selected file is empty"]}


def test_a_new_document_replaces_the_current_one_and_keeps_it_as_history(alice, bob, org_a):
    first = _upload(alice, org_a, "v1.pdf", files.PDF)
    second = _upload(bob, org_a, "v2.docx", files.DOCX)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert PassportDocument.objects.filter(organisation=org_a, kind=Kind.SAFEGUARDING).count() == 2
    superseded = AuditEvent.objects.get(action="update", object_id=str(first.pk))
    assert superseded.changes == {"is_current": [True, False]}
    assert superseded.actor == bob and superseded.organisation_id == org_a.pk


def test_replacing_one_kind_leaves_the_others_alone(bob, org_a, org_b, charlie):
    equality = _upload(bob, org_a, "equality.pdf", files.PDF, kind=Kind.EQUALITY)
    other_org = _upload(charlie, org_b, "safeguarding.pdf", files.PDF)
    _upload(bob, org_a, "safeguarding.pdf", files.PDF)
    _upload(bob, org_a, "safeguarding-2.pdf", files.PDF)
    equality.refresh_from_db()
    other_org.refresh_from_db()
    assert equality.is_current and other_org.is_current


def test_insurance_needs_an_expiry_date(bob, org_a):
    with pytest.raises(ValidationError) as error:
        upload_passport_document(
            actor=bob,
            organisation=org_a,
            kind=Kind.INSURANCE,
            uploaded_file=files.upload("insurance.pdf", files.PDF),
            expires_on=None,
        )
    assert error.value.message_dict == {"expires_on": ["Enter the date the insurance certificate expires"]}


def test_policies_need_a_review_date_but_a_governing_document_does_not(bob, org_a):
    with pytest.raises(ValidationError) as error:
        upload_passport_document(
            actor=bob,
            organisation=org_a,
            kind=Kind.DATA_PROTECTION,
            uploaded_file=files.upload("dp.pdf", files.PDF),
            expires_on=None,
        )
    assert error.value.message_dict == {"expires_on": ["Enter the expiry or review date"]}
    document = upload_passport_document(
        actor=bob,
        organisation=org_a,
        kind=Kind.GOVERNING_DOCUMENT,
        uploaded_file=files.upload("c.pdf", files.PDF),
        expires_on=None,
    )
    assert document.expires_on is None


def test_a_date_in_the_past_is_refused_but_today_is_fine(bob, org_a):
    with pytest.raises(ValidationError) as error:
        _upload(bob, org_a, "policy.pdf", files.PDF, expires_on=_in(-1))
    assert error.value.message_dict == {"expires_on": ["The expiry or review date must be today or in the future"]}
    assert _upload(bob, org_a, "policy.pdf", files.PDF, expires_on=_in(0)).expires_on == _in(0)


def test_an_unknown_kind_is_refused(bob, org_a):
    with pytest.raises(ValidationError) as error:
        _upload(bob, org_a, "policy.pdf", files.PDF, kind="tax_return")
    assert "kind" in error.value.message_dict


def test_removing_deletes_the_row_and_the_file_only_once_committed(bob, org_a, django_capture_on_commit_callbacks):
    document = _upload(bob, org_a, "policy.pdf", files.PDF)
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remove_passport_document(actor=bob, document=document)
    assert not PassportDocument.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(name), "the file stays until the transaction commits"
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.get(action="delete")
    assert event.object_id == str(document.pk) and event.organisation_id == org_a.pk and event.actor == bob


def test_removing_twice_is_harmless(bob, org_a):
    document = _upload(bob, org_a, "policy.pdf", files.PDF)
    remove_passport_document(actor=bob, document=document)
    remove_passport_document(actor=bob, document=document)
    assert AuditEvent.objects.filter(action="delete").count() == 1


def test_a_document_attached_to_a_submitted_application_is_retired_not_deleted(alice, org_a):
    from cocommission.commissioning.tests.factories import new_application

    document = _upload(alice, org_a, "policy.pdf", files.PDF, expires_on=_in(200))
    application = new_application(organisation=org_a, submitted=True)
    application.passport_documents.add(document)

    remove_passport_document(actor=alice, document=document)

    kept = PassportDocument.objects.get(pk=document.pk)
    assert kept.is_current is False
    assert default_storage.exists(kept.file.name)
    assert list(application.passport_documents.all()) == [kept]
    assert AuditEvent.objects.filter(action="update", object_id=str(document.pk)).exists()
