"""The progress board as a person reaches it: its filters read from the query, per chosen
milestone the agencies and their statuses, the export's row count and workbook. Shared by the
board's views (``oversight.views.milestones``) and its background export (``oversight.exports``).
"""

from __future__ import annotations

from org import access as org_access
from org.models import AgencyKind
from oversight.models import Milestone
from oversight.services import export
from oversight.services.milestones import NOT_SUBMITTED, board, bound_agencies

#: The "show" filter: every agency, those that have not submitted, those late.
SHOW_ALL, SHOW_MISSING, SHOW_LATE = "", "chua-nop", "tre-han"


def _year(query) -> int | None:
    value = query.get("nam", "").strip()
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def board_filters(query, today) -> dict:
    """The board's filters read from ``query`` (the year, the milestones, what to show)."""
    years = sorted(set(Milestone.objects.values_list("year", flat=True)), reverse=True)
    year = _year(query) or (today.year if today.year in years or not years else years[0])
    milestones = list(Milestone.objects.filter(year=year).order_by("due_date", "code"))
    code = query.get("moc", "").strip()
    chosen = [m for m in milestones if m.code == code] if code else milestones
    show = query.get("hien", "")
    kind = query.get("loai", "")
    return {
        "today": today,
        "years": years,
        "year": year,
        "milestones": milestones,
        "code": code,
        "chosen": chosen,
        "show": show if show in (SHOW_MISSING, SHOW_LATE) else SHOW_ALL,
        "kind": kind if kind in AgencyKind.values else "",
    }


def _agencies(user, filters):
    agencies = org_access.visible_agencies(user)
    return agencies.filter(kind=filters["kind"]) if filters["kind"] else agencies


def board_sections(user, filters, progress=None) -> list[dict]:
    """Per chosen milestone, the agencies ``user`` reaches, their statuses and counts."""
    agencies = _agencies(user, filters)
    found = []
    done = 0
    for milestone in filters["chosen"]:
        statuses = board(milestone, agencies, filters["today"])
        counts = {
            "total": len(statuses),
            "submitted": sum(1 for s in statuses if s.state not in NOT_SUBMITTED),
            "missing": sum(1 for s in statuses if s.state in NOT_SUBMITTED),
            "late": sum(1 for s in statuses if s.late),
        }
        if filters["show"] == SHOW_MISSING:
            statuses = [s for s in statuses if s.state in NOT_SUBMITTED]
        elif filters["show"] == SHOW_LATE:
            statuses = [s for s in statuses if s.late]
        found.append({"milestone": milestone, "statuses": statuses, "counts": counts})
        done += len(statuses)
        if progress is not None:
            progress(done)
    return found


def board_rows(user, filters) -> int:
    """The export's rows counted by query: the agencies each chosen milestone binds among those
    ``user`` reaches (with "chưa nộp"/"trễ hạn" shown, at most this many)."""
    agencies = _agencies(user, filters)
    return sum(bound_agencies(m, agencies).count() for m in filters["chosen"])


def board_export(user, query, today, progress=None) -> tuple[bytes, str]:
    """The board's workbook of ``query`` as ``user`` reaches it on ``today``, and its name —
    the one builder of the download at once and of the background job (``oversight.exports``,
    issue 47)."""
    filters = board_filters(query, today)
    content = export.board_workbook(board_sections(user, filters, progress), filters["year"])
    return content, board_file_name(filters["year"], today)


def board_file_name(year: int, today) -> str:
    return f"tien-do-ke-hoach-{year}-{today.strftime('%Y%m%d')}.xlsx"
