"""The type of an upload is what its content says, never what its name says."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from cocommission.organisations import uploads
from cocommission.organisations.tests import passport_files as files


@pytest.mark.parametrize(("extension", "expected"), list(files.ALLOWED.items()))
def test_each_allowed_type_is_recognised_by_content(extension, expected):
    content, content_type = expected
    detected = uploads.sniff(io.BytesIO(content))
    assert detected is not None and detected.content_type == content_type
    assert uploads.detect_content_type(content) == content_type


@pytest.mark.parametrize(
    "content",
    [files.TEXT, files.EXE, files.PLAIN_ZIP, files.ODS, files.DOCM, files.BROKEN_ZIP, b"", b"%PD", b"\x89PNG\r\n"],
    ids=["text", "exe", "plain-zip", "ods", "docm", "broken-zip", "empty", "short-pdf", "short-png"],
)
def test_other_content_is_refused(content):
    assert uploads.sniff(io.BytesIO(content)) is None


def test_an_odt_whose_mimetype_is_not_first_is_refused():
    content = files.zip_bytes([("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.text")])
    assert uploads.sniff(io.BytesIO(content)) is None


def test_sniffing_leaves_the_stream_at_the_start():
    stream = io.BytesIO(files.DOCX)
    stream.seek(10)
    uploads.sniff(stream)
    assert stream.tell() == 0


def test_check_upload_messages():
    with pytest.raises(ValidationError) as missing:
        uploads.check_upload(None, size=None)
    assert missing.value.message_dict == {"file": ["Select a file"]}
    with pytest.raises(ValidationError) as empty:
        uploads.check_upload(io.BytesIO(b""), size=0)
    assert empty.value.message_dict == {"file": ["The selected file is empty"]}
    with pytest.raises(ValidationError) as wrong:
        uploads.check_upload(io.BytesIO(files.TEXT), size=len(files.TEXT))
    assert wrong.value.message_dict == {"file": ["The selected file must be a PDF, DOCX, ODT, PNG or JPEG"]}


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_a_file_over_the_limit_is_refused_before_it_is_read():
    big = files.PDF + b"0" * 1024
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(io.BytesIO(big), size=len(big))
    assert error.value.message_dict == {"file": ["The selected file must be smaller than 1KB"]}
    assert uploads.check_upload(io.BytesIO(files.PDF), size=len(files.PDF)) == uploads.PDF


def test_the_real_limit_is_20mb_and_says_so():
    assert settings.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert uploads.size_limit_text(settings.MAX_UPLOAD_BYTES) == "20MB"


@pytest.mark.parametrize(
    ("name", "detected", "expected"),
    [
        ("Safeguarding policy 2025.pdf", uploads.PDF, "Safeguarding policy 2025.pdf"),
        ("logo.pdf", uploads.PNG, "logo.png"),
        ("photo.JPEG", uploads.JPEG, "photo.JPEG"),
        ("C:\\Users\\sam\\Desktop\\policy.docx", uploads.DOCX, "policy.docx"),
        ("../../etc/passwd", uploads.PDF, "passwd.pdf"),
        ('bad"name\x00\n.odt', uploads.ODT, "badname.odt"),
        ("", uploads.PDF, "document.pdf"),
        ("x" * 300 + ".pdf", uploads.PDF, "x" * 251 + ".pdf"),
    ],
)
def test_safe_filename_keeps_people_s_names_but_follows_the_content(name, detected, expected):
    assert uploads.safe_filename(name, detected) == expected
