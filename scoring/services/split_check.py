"""Does a criteria framework keep Decree 335's split for công chức (Art. 12: general criteria at
most 30 points, task results at most 70)? (issue 44, coverage L8.)

Not a refusal: the Party's and the Front's bodies and public-service units may score otherwise
(Quy định 366-QĐ/TW; their own regulations), and a province may pilot another split. But a
framework that departs from 30/70, assigned to a state body (the People's Committee's tree:
sở, ban, ngành, UBND xã, phường and their units — not a public-service unit), is warned about on
the assignment page and the framework editor, and saving needs the warning acknowledged."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cms.formats.values import shown
from org.models.agency import AgencyKind
from scoring.models import AppliesTo

GENERAL, TASK = Decimal("30"), Decimal("70")
TASK_KIND = "task_results"
CITATION = "Điều 12 Nghị định 335/2025/NĐ-CP"


@dataclass(frozen=True)
class Departure:
    group: str  # the position group's label ("" when the framework has none)
    general: Decimal
    task: Decimal


def _points(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def _max_for(component: dict, group: str) -> Decimal:
    by_group = component.get("max_points_by_group") or {}
    if group and group in by_group:
        return _points(by_group[group])
    return _points(component.get("max_points", 0))


def departures(rules: dict | None) -> list[Departure]:
    """The position groups (or the whole framework) whose maxima are not 30 general + 70 task."""
    if not isinstance(rules, dict):
        return []
    components = [c for c in rules.get("components") or [] if isinstance(c, dict)]
    if not components:
        return []
    groups = [
        (str(g.get("code", "")), str(g.get("label", "")))
        for g in rules.get("position_groups") or []
        if isinstance(g, dict)
    ] or [("", "")]
    found = []
    for code, label in groups:
        task = sum(
            (_max_for(c, code) for c in components if c.get("kind") == TASK_KIND), Decimal(0)
        )
        general = sum(
            (_max_for(c, code) for c in components if c.get("kind") != TASK_KIND), Decimal(0)
        )
        if task != TASK or general != GENERAL:
            found.append(Departure(label, general, task))
    return found


def is_state_body(agency) -> bool:
    """Whether the framework reaches state bodies' công chức there: the whole province (no
    agency), or a node of the People's Committee's tree outside a public-service unit."""

    if agency is None:
        return True
    chain = list(agency.ancestors(include_self=True))
    if not chain or chain[0].kind != AgencyKind.PROVINCE:
        return False
    return not any(node.kind == AgencyKind.PUBLIC_SERVICE for node in chain)


def warning(framework_name: str, rules: dict | None, where: str) -> str:
    """The Vietnamese warning, naming each departing group's split and the decree's article;
    "" when the framework keeps 30/70."""
    found = departures(rules)
    if not found:
        return ""
    parts = []
    for item in found:
        split = _("%(general)s điểm tiêu chí chung, %(task)s điểm kết quả thực hiện nhiệm vụ") % {
            "general": shown(item.general),
            "task": shown(item.task),
        }
        parts.append(f"{item.group}: {split}" if item.group else split)
    return _(
        "Khung “%(name)s” không theo tỷ lệ 30/70 của %(citation)s (công chức: tiêu chí chung "
        "tối đa 30 điểm, kết quả thực hiện nhiệm vụ tối đa 70 điểm) — %(split)s — mà được áp "
        "dụng cho cơ quan hành chính nhà nước (%(where)s). Chỉ áp dụng khi có căn cứ (khung của "
        "cơ quan Đảng, Mặt trận, đơn vị sự nghiệp có thể khác); hãy đánh dấu ô xác nhận để lưu."
    ) % {"name": framework_name, "citation": CITATION, "split": "; ".join(parts), "where": where}


def _rules_of(framework) -> dict | None:
    """The rules the framework scores with: its live (published) revision's, else its own."""
    live = getattr(framework, "live_revision", None)
    content = (live.content or {}).get("rules") if live is not None else None
    if isinstance(content, dict):
        return content
    return framework.rules if isinstance(framework.rules, dict) else None


def assignment_warning(framework, agency) -> str:
    """The warning for assigning ``framework`` to ``agency`` (None: the whole province)."""

    if framework is None or framework.applies_to != AppliesTo.CIVIL_SERVANT:
        return ""
    if not is_state_body(agency):
        return ""
    rules = _rules_of(framework)
    where = agency.name if agency is not None else _("toàn tỉnh")
    return warning(framework.name, rules, where)


def editor_warning(framework, rules: dict | None) -> str:
    """The warning on the framework editor for ``rules`` of ``framework``, when the framework is
    assigned to a state body (or to the whole province)."""

    if framework.applies_to != AppliesTo.CIVIL_SERVANT:
        return ""
    places = [a.agency for a in framework.assignments.select_related("agency")]
    state = [place for place in places if is_state_body(place)]
    if not state:
        return ""
    where = ", ".join(
        sorted({place.name if place is not None else str(_("toàn tỉnh")) for place in state})
    )
    return warning(framework.name, rules, where)
