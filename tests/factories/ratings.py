"""Rating cases: the files their workflow asks for."""

from django.core.files.uploadedfile import SimpleUploadedFile

__all__ = ["minutes_file"]


def minutes_file(name="bien-ban.pdf"):
    """The minutes of a review meeting (a tiny PDF)."""
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")
