"""Private uploads (work evidence, meeting minutes, complaint attachments, imported workbooks,
Wagtail's original files): where they live, what may be uploaded, and one way to hand a file back.

They live in ``PRIVATE_MEDIA_ROOT`` (``KPI_PRIVATE_MEDIA_ROOT``), the project's DEFAULT storage
(:class:`PrivateFileStorage`): outside ``MEDIA_ROOT`` (public media, which the reverse proxy may
serve) and without any URL of its own. A file leaves the server only through a view that has
checked who asks (``org.access`` and the app's own rules) and then calls :func:`serve_private`,
which always sends it as a download — never rendered inline on the application's origin, so an
uploaded HTML or SVG file cannot run.
"""

import hashlib
import mimetypes
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.http import FileResponse, Http404
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@deconstructible(path="cms.private_files.PrivateFileStorage")
class PrivateFileStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``; asking one for a URL is a programming error."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location, **kwargs)
        setting_changed.connect(self._clear_private_root)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_private_root(self, *, setting, **kwargs):
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(
            f"{name!r} is a private file: it has no URL. Serve it from a view that checks "
            "access, with cms.private_files.serve_private."
        )


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
#: The type each allowed extension is sent with (fixed here, not the host's mime.types).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain",
}
ALLOWED_HELP = gettext_lazy(
    "Chỉ nhận: PDF, Word (.doc, .docx), Excel (.xls, .xlsx), OpenDocument (.odt, .ods), ảnh "
    "JPG/PNG, văn bản TXT."
)


def extension_of(name: str) -> str:
    name = PurePath(name or "").name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def original_name(name: str | None) -> str:
    """The uploaded file's own name, fit to keep and to send back: no folders, no control
    characters, at most 255 characters (the extension kept)."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 254 - len(extension)]}.{extension}" if dot else name[:255]
    return name


def content_type_for(name: str) -> str:
    """The type a stored file is sent with: from the allow-list, else a generic download."""
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


def file_facts(upload) -> dict:
    """Size, type and sha256 of an upload (read in chunks; the position is restored)."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return {
        "size": size,
        "content_type": content_type_for(upload.name),
        "sha256": digest.hexdigest(),
    }


def max_upload_bytes() -> int:
    return int(getattr(settings, "KPI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def _megabytes(size: int) -> str:
    megabytes = round(size / (1024 * 1024), 1)
    if megabytes == int(megabytes):
        return str(int(megabytes))
    return formats.number_format(megabytes, decimal_pos=1)


def upload_help() -> str:
    return _("%(allowed)s Tối đa %(mb)s MB.") % {
        "allowed": ALLOWED_HELP,
        "mb": _megabytes(max_upload_bytes()),
    }


def validate_upload(upload, label=None) -> None:
    """Refuse a file whose extension is not allowed, which is empty or too large, or whose first
    bytes do not match its extension (a web page renamed .pdf); the message names the field,
    the file and what is accepted."""
    if not upload:
        return
    values = {
        "field": label or _("Tệp tải lên"),
        "name": original_name(upload.name),
        "allowed": ALLOWED_HELP,
        "mb": _megabytes(max_upload_bytes()),
    }
    extension = extension_of(upload.name)
    if extension not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            _("%(field)s: không nhận tệp “%(name)s”. %(allowed)s") % values, code="extension"
        )
    if not upload.size:
        raise ValidationError(_("%(field)s: tệp “%(name)s” rỗng.") % values, code="empty")
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("%(field)s: tệp “%(name)s” quá lớn (%(size)s MB; tối đa %(mb)s MB).")
            % {**values, "size": _megabytes(upload.size)},
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
                "%(field)s: nội dung tệp “%(name)s” không phải tệp .%(ext)s (có thể là trang web "
                "hoặc tệp khác đổi đuôi). Hãy tải lên tệp gốc. %(allowed)s"
            )
            % {**values, "ext": extension},
            code="content",
        )


class PrivateUploadField(forms.FileField):
    """A form's file field for a private upload: the one allow-list, size limit and content
    check, with the field's own label in every message and the accepted types as help."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", lazy(upload_help, str)())
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        validate_upload(value, label=self.label)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(PrivateUploadField):
    """Several private uploads in one field, each checked by the one allow-list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


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
