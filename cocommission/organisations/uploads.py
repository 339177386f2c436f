"""What an uploaded file really is, decided by its content and never by its name.

A name or a browser-supplied content type is whatever the sender chose, so the passport only
trusts the bytes: magic numbers for PDF, PNG and JPEG, and for the two ZIP-based formats the
entries that make a ZIP a Word or OpenDocument text file. ZIPs are only ever listed, never
extracted, and the one entry we read (ODT's `mimetype`) is read with a small bound.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_TYPES_MESSAGE = "The selected file must be a PDF, DOCX, ODT, PNG or JPEG"
EMPTY_MESSAGE = "The selected file is empty"
REQUIRED_MESSAGE = "Select a file"

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A real document has a few dozen entries; anything far beyond that is not worth opening.
_MAX_ZIP_ENTRIES = 5_000


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str
    # Other extensions people use for the same type, kept when renaming is not needed.
    aliases: tuple[str, ...] = ()


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG", aliases=("jpeg", "jpe"))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "ODT")

ALLOWED_TYPES = (PDF, PNG, JPEG, DOCX, ODT)
LABELS_BY_CONTENT_TYPE = {t.content_type: t.label for t in ALLOWED_TYPES}


def _zip_type(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if not entries or len(entries) > _MAX_ZIP_ENTRIES:
                return None
            first = entries[0]
            # OpenDocument requires `mimetype` first and stored uncompressed, so it is tiny.
            if first.filename == "mimetype" and first.file_size <= 100:
                with archive.open(first) as member:
                    if member.read(101).strip() == _ODT_MIMETYPE:
                        return ODT
                return None
            names = {entry.filename for entry in entries}
            # Macro-enabled Word files carry a VBA project; they are not plain DOCX.
            if {"[Content_Types].xml", "word/document.xml"} <= names and "word/vbaProject.bin" not in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, ValueError):
        # Encrypted, truncated, or using a compression method we do not support.
        return None
    return None


def sniff(stream: IO[bytes]) -> FileType | None:
    """The allowed type the content says this is, or None. Leaves the stream at the start."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head == b"\x89PNG\r\n\x1a\n":
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(stream)
        return None
    finally:
        stream.seek(0)


def detect_content_type(content: bytes | IO[bytes]) -> str | None:
    """The content type of an allowed file, from its bytes or a stream, or None."""
    stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    detected = sniff(stream)
    return detected.content_type if detected else None


def size_limit_text(limit: int) -> str:
    """A limit as people say it: 20MB, or KB for small limits."""
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)}MB"
    return f"{max(limit // 1024, 1)}KB"


def check_upload(uploaded: IO[bytes] | None, *, size: int | None) -> FileType:
    """The file's type, or a ValidationError saying what is wrong with it, keyed on `file`."""
    if uploaded is None:
        raise ValidationError({"file": REQUIRED_MESSAGE})
    if not size:
        raise ValidationError({"file": EMPTY_MESSAGE})
    limit: int = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError({"file": f"The selected file must be smaller than {size_limit_text(limit)}"})
    detected = sniff(uploaded)
    if detected is None:
        raise ValidationError({"file": ALLOWED_TYPES_MESSAGE})
    return detected


def safe_filename(name: str, detected: FileType) -> str:
    """The uploaded name made safe to show and to offer back, with the extension its content earns.

    Only the last path part is kept, control characters are dropped, and a name whose extension
    does not match the content (a PNG called report.pdf) gets the right one (report.png), so a
    download never opens in the wrong program.
    """
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip(" .")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    if extension.lower() not in (detected.extension, *detected.aliases):
        extension = detected.extension
    stem = (stem or "document")[: 255 - len(extension) - 1]
    return f"{stem}.{extension}"
