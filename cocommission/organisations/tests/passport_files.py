"""Tiny but genuine files of each allowed type (and some impostors) for passport tests."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
)


def zip_bytes(entries: list[tuple[str, bytes]], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if first_stored and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


DOCX = zip_bytes(
    [
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'),
        ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
        ("word/document.xml", b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body/></w:document>'),
    ]
)
ODT = zip_bytes(
    [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b'<?xml version="1.0"?><office:document-content xmlns:office="urn:o"/>'),
        ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:m"/>'),
    ],
    first_stored=True,
)
# Look-alikes that must be refused.
ODS = zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")], first_stored=True)
PLAIN_ZIP = zip_bytes([("notes.txt", b"hello")])
DOCM = zip_bytes(
    [
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
        ("word/vbaProject.bin", b"\x00" * 16),
    ]
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
TEXT = b"Our safeguarding policy, typed in a text file.\n"
BROKEN_ZIP = b"PK\x03\x04" + b"\x00" * 60

ALLOWED = {
    "pdf": (PDF, "application/pdf"),
    "png": (PNG, "image/png"),
    "jpg": (JPEG, "image/jpeg"),
    "docx": (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": (ODT, "application/vnd.oasis.opendocument.text"),
}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as Django hands it to a view; the browser's content type is deliberately ignored."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_document(organisation, kind, *, expires_on=None, is_current=True, uploaded_by=None, name="policy.pdf"):
    """A stored passport document, made directly for tests that are not about uploading."""
    from django.core.files.base import ContentFile

    from cocommission.organisations.models import PassportDocument

    document = PassportDocument(
        organisation=organisation,
        kind=kind,
        original_filename=name,
        content_type="application/pdf",
        size_bytes=len(PDF),
        expires_on=expires_on,
        is_current=is_current,
        uploaded_by=uploaded_by,
    )
    document.file.save("upload", ContentFile(PDF), save=False)
    document.save()
    return document
