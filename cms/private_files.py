"""Private uploads (work evidence, meeting minutes, complaint attachments, imported workbooks):
one allow-list for what may be uploaded and one way to hand a file back.

Uploads live under ``MEDIA_ROOT``, which nothing serves directly: not Django (no ``/media/``
route) and not the reverse proxy (``deploy/nginx/kpi.conf`` answers 404 there). A file leaves
the server only through a view that has checked who asks (``org.access`` and the app's own
rules) and then calls :func:`serve_private`, which always sends it as a download — never
rendered inline on the application's origin, so an uploaded HTML or SVG file cannot run.
"""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Office documents, PDF, images and plain text: what evidence and minutes are made of.
UPLOAD_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "jpg", "jpeg", "png", "txt"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The first bytes each kind of file must start with (a renamed HTML page does not).
_SIGNATURES = {
    "pdf": (b"%PDF",),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "odt": (_ZIP,),
    "ods": (_ZIP,),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_HELP = gettext_lazy("Chấp nhận: PDF, Word, Excel, OpenDocument, ảnh JPG/PNG, văn bản TXT.")


def max_upload_bytes() -> int:
    return int(getattr(settings, "KPI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def validate_upload(upload) -> None:
    """Refuse a file whose extension is not allowed, whose content does not match its
    extension, or which is too large; the message names what is accepted."""
    if not upload:
        return
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            _("Không nhận tệp “%(name)s”. %(allowed)s") % {"name": name, "allowed": ALLOWED_HELP},
            code="extension",
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (tối đa %(mb)d MB).")
            % {"name": name, "mb": max_upload_bytes() // (1024 * 1024)},
            code="size",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(512)
    upload.seek(position)
    signatures = _SIGNATURES.get(extension)
    looks_like_markup = head.lstrip().lower().startswith((b"<", b"\xef\xbb\xbf<"))
    if (signatures and not head.startswith(signatures)) or (
        extension == "txt" and looks_like_markup
    ):
        raise ValidationError(
            _(
                "Nội dung tệp “%(name)s” không đúng định dạng .%(ext)s (có thể là trang web đổi "
                "đuôi). Hãy tải lên tệp gốc."
            )
            % {"name": name, "ext": extension},
            code="content",
        )


def serve_private(field_file, filename: str) -> FileResponse:
    """A checked private file, as a download that no browser renders or sniffs."""
    if not field_file:
        raise Http404
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
