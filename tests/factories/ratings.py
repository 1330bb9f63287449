"""Rating cases: the files their workflow asks for."""

from django.core.files.uploadedfile import SimpleUploadedFile

__all__ = ["minutes_file", "rating_case"]


def minutes_file(name="bien-ban.pdf"):
    """The minutes of a review meeting (a tiny PDF)."""
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")


def rating_case(subject, year=2026, level="", state=None, agency=None, **kwargs):
    """A rating case of a person (``CivilServant``) or of an agency (``Agency``), written
    straight (no workflow): decided with ``level`` unless another ``state`` is given."""
    import datetime

    from org.models import Agency
    from ratings.models import CaseKind, CaseState, RatingCase

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
