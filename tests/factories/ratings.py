"""Rating cases: the files their workflow asks for, and decided cases of past years."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from ratings.models import CaseState, RatingCase
from ratings.models.choices import CaseKind

__all__ = ["decided_case", "minutes_file", "period_complaint", "rating_case"]


def minutes_file(name="bien-ban.pdf"):
    """The minutes of a review meeting (a tiny PDF)."""
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")


def decided_case(person, year, level, agency, state=CaseState.DECIDED, score=None):
    """A civil servant's rating case of ``year`` decided at ``level`` (as the workflow leaves
    it; ``state=CaseState.CANCELLED`` for a cancelled one, ``level=""`` for an open one)."""
    return rating_case(
        person,
        year,
        level,
        state=state if level or state == CaseState.CANCELLED else CaseState.DRAFT,
        agency=agency,
        score=score,
        decision_ref=f"{person.pk}/QĐ-{year}" if level else "",
        decision_date=datetime.date(year, 12, 10) if level else None,
    )


def rating_case(subject, year=2026, level="", state=None, agency=None, **kwargs):
    """A rating case of a person (``CivilServant``) or of an agency (``Agency``), written
    straight (no workflow): decided with ``level`` unless another ``state`` is given."""
    from org.models import Agency

    state = state or (CaseState.DECIDED if level else CaseState.APPRAISED)
    decided = {}
    if level:
        decided = {
            "decision_level": level,
            "decision_ref": kwargs.pop("decision_ref", "01/QĐ"),
            "decision_date": kwargs.pop("decision_date", datetime.date(year, 12, 20)),
        }
    if isinstance(subject, Agency):
        return RatingCase.objects.create(
            kind=CaseKind.AGENCY,
            year=year,
            subject_agency=subject,
            agency=agency or subject,
            state=state,
            **decided,
            **kwargs,
        )
    if agency is None:
        agency = subject.postings.order_by("-start_date").first().agency
    return RatingCase.objects.create(
        kind=CaseKind.CIVIL_SERVANT,
        year=year,
        civil_servant=subject,
        agency=agency,
        role=kwargs.pop("role", "staff"),
        position_group=kwargs.pop("position_group", "professional"),
        state=state,
        **decided,
        **kwargs,
    )


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
