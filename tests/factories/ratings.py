"""Rating cases: the files their workflow asks for."""

from django.core.files.uploadedfile import SimpleUploadedFile

__all__ = ["minutes_file", "period_complaint"]


def minutes_file(name="bien-ban.pdf"):
    """The minutes of a review meeting (a tiny PDF)."""
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")


def period_complaint(score, *, text="Kết quả chưa đúng số lượng sản phẩm đã hoàn thành.", **kwargs):
    """A complaint filed by ``score``'s civil servant on their period result, directly (no
    window check: use ``ratings.services.period_complaints.file_complaint`` for that)."""
    from ratings.models import PeriodComplaint

    person = score.civil_servant
    return PeriodComplaint.objects.create(
        score=score,
        civil_servant=person,
        period=score.period,
        agency=score.agency,
        filed_by=kwargs.pop("filed_by", None) or person.user,
        text=text,
        total_before=score.total,
        rating_before=score.rating,
        **kwargs,
    )
