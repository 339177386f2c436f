"""Stop keeping an uploaded file once it is over the size limit.

Django stores a whole upload (in memory, or in a temporary file when it is large) before any form
sees it, so a limit checked in the form alone would still let a 2 GB upload fill the disk. This
handler runs first and passes on at most MAX_UPLOAD_BYTES + 1 bytes of each file: the rest is read
from the connection and thrown away. The file the form receives is then one byte over the limit,
and the form's own size check gives its usual message ("The selected file must be smaller than
20MB"), with everything else the person typed kept on the page.

A reverse proxy in front of the service should also cap request bodies (nginx's
client_max_body_size), so the bytes never travel this far.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class CappedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        allowed = int(settings.MAX_UPLOAD_BYTES) + 1 - start
        if allowed <= 0:
            return None  # the handlers after this one never see the bytes
        return raw_data[:allowed]

    def file_complete(self, file_size: int) -> UploadedFile | None:
        return None  # the next handler (memory or temporary file) builds the file
