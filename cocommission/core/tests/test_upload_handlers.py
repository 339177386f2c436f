"""An uploaded file is kept only up to one byte past the limit."""

import io

import pytest
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart


def parse(data: dict) -> tuple[QueryDict, dict]:
    body = encode_multipart(BOUNDARY, data)
    request = RequestFactory().get("/")
    meta = {**request.META, "CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = request.upload_handlers  # built from FILE_UPLOAD_HANDLERS
    parser = MultiPartParser(meta, io.BytesIO(body), handlers)
    post, files = parser.parse()
    return post, files


def named(content: bytes, name: str = "big.csv") -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


@pytest.mark.parametrize("size", [1, 4096, 4097, 20_000, 3_000_000])
def test_a_file_is_cut_one_byte_past_the_limit(settings, size):
    settings.MAX_UPLOAD_BYTES = 4096
    post, files = parse({"title": "Kept", "file": named(b"x" * size)})
    kept = files["file"]
    assert kept.size == min(size, 4097)
    assert len(kept.read()) == kept.size
    assert post["title"] == "Kept"  # the rest of the form arrives whole


def test_a_file_under_the_limit_arrives_untouched(settings):
    settings.MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    content = bytes(range(256)) * 64
    _, files = parse({"file": named(content)})
    assert files["file"].read() == content


def test_each_file_gets_its_own_allowance(settings):
    settings.MAX_UPLOAD_BYTES = 100
    _, files = parse({"first": named(b"a" * 500, "a.csv"), "second": named(b"b" * 50, "b.csv")})
    assert (files["first"].size, files["second"].size) == (101, 50)


def test_a_large_upload_never_reaches_a_temporary_file_whole(settings, tmp_path):
    settings.MAX_UPLOAD_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # force the temporary-file handler
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    _, files = parse({"file": named(b"y" * 5_000_000)})
    kept = files["file"]
    assert kept.size == 1025
    assert len(kept.read()) == 1025
