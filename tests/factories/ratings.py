"""Rating cases: the files their workflow asks for, and decided cases of past years."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from ratings.models import CaseState, RatingCase
from ratings.models.choices import CaseKind

__all__ = ["decided_case", "minutes_file"]


def minutes_file(name="bien-ban.pdf"):
    """The minutes of a review meeting (a tiny PDF)."""
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")


def decided_case(person, year, level, agency, state=CaseState.DECIDED, score=None):
    """A civil servant's rating case of ``year`` decided at ``level`` (as the workflow leaves
    it; ``state=CaseState.CANCELLED`` for a cancelled one, ``level=""`` for an open one)."""
    return RatingCase.objects.create(
        kind=CaseKind.CIVIL_SERVANT,
        year=year,
        civil_servant=person,
        agency=agency,
        state=state if level or state == CaseState.CANCELLED else CaseState.DRAFT,
        score=score,
        decision_level=level,
        decision_ref=f"{person.pk}/QĐ-{year}" if level else "",
        decision_date=datetime.date(year, 12, 10) if level else None,
    )
