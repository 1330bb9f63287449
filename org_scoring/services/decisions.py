"""Recording the rating decided for an agency/unit (``DecidedRating``), called by ``ratings``
when an agency case is saved."""

from cms.statements import kept_rows
from org_scoring.models import DecidedRating


def record_decision(agency_id: int, year: int, level: str) -> None:
    """``level`` decided for the agency in ``year``; ``""`` when no case holds a decision."""
    if level:
        DecidedRating.objects.update_or_create(
            agency_id=agency_id, year=year, defaults={"level": level}
        )
    else:
        DecidedRating.objects.filter(agency_id=agency_id, year=year).delete()


def clear_decisions(agency_ids, year: int) -> None:
    """:func:`record_decision` with ``""`` for many agencies at once (no case holds a decision:
    their agency cases were just opened)."""
    DecidedRating.objects.filter(agency_id__in=list(agency_ids), year=year).delete()


def decided_levels(year: int, agency_ids) -> dict[int, str]:
    """Agency id → the level decided for it in ``year``, for the agencies that have one."""
    return dict(kept_rows(_decided_rows, year=year, ids=list(agency_ids)))


def _decided_rows(year, ids):
    return DecidedRating.objects.filter(year=year, agency_id__in=ids).values_list(
        "agency_id", "level"
    )
