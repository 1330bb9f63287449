"""What the explain page shows for one stored ``PeriodScore``.

Everything comes from the stored row — its line snapshot, marks, leader criteria and engine
steps — plus immutable data it points to (catalog version items, the framework revision).
Per-line values are recomputed by the engine from the snapshot under the stored framework
revision (batch scoring pre-merges lines, so their steps are not stored). Current deduction
rows give the exemption reasons, and the current inputs are hashed to warn when they changed
after the score was computed.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.models import CatalogVersion, CatalogVersionItem, CommonCatalogAdoption
from org.models import CivilServant, PositionGroup
from scoring.engine import compute_task_results
from scoring.engine.decimals import fmt_min2
from scoring.explain import (
    annual_period_name,
    months_list,
    num,
    rating_label,
    render_step,
    render_steps,
    role_label,
)
from scoring.models import Deduction, GeneralCriteriaMark, PeriodScore, Rating
from scoring.services import contract_workers
from scoring.services.frameworks import revision_rules
from scoring.services.loading import ItemInfo, LineRow
from scoring.services.merge import engine_line
from scoring.services.person import prepare_person


@dataclass
class LineView:
    number: int
    row: LineRow
    item: CatalogVersionItem | None
    coefficient: str | None = None
    #: When the coefficient came from the common catalog: the agency's own, the common code
    #: and the adoption (its decision number) — as stored with the score.
    own_coefficient: str | None = None
    common_code: str = ""
    adoption: object = None
    quality_value: str | None = None
    timeliness_value: str | None = None
    deductions: list = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    #: The duties of the job description the product serves (frozen with the catalog version):
    #: those of the person's position when the product names some, else all of them.
    duties: list = field(default_factory=list)


def _duties_served(item, position_id) -> list:
    duties = list(item.duties.all())
    own = [d for d in duties if d.description.job_position_id == position_id]
    return own or duties


def _line_views(score, rules) -> list[LineView]:
    rows = [LineRow(*values) for values in score.explanation.get("lines", [])]
    items = (
        CatalogVersionItem.objects.select_related("version")
        .prefetch_related("duties__description__job_position")
        .in_bulk({row.item_id for row in rows})
    )
    deductions = defaultdict(list)
    for deduction in Deduction.objects.filter(line_id__in=[r.id for r in rows]).select_related(
        "recorded_by", "exempt_by"
    ):
        deductions[deduction.line_id].append(deduction)
    position_id = score.posting.job_position_id if score.posting_id else None
    views = [
        LineView(
            i + 1,
            row,
            items.get(row.item_id),
            deductions=deductions[row.id],
            duties=(
                _duties_served(items[row.item_id], position_id) if row.item_id in items else []
            ),
        )
        for i, row in enumerate(rows)
    ]
    common = score.explanation.get("common", {})
    adoptions = CommonCatalogAdoption.objects.in_bulk({c["adoption"] for c in common.values()})
    infos = {}
    for pk, item in items.items():
        used = common.get(str(pk))
        coefficient = Decimal(used["coefficient"]) if used else item.coefficient
        infos[pk] = ItemInfo(coefficient, item.version_id)
    for view in views:
        if view.item is not None:
            view.coefficient = num(f"{infos[view.item.pk].coefficient.normalize():f}")
            used = common.get(str(view.item.pk))
            if used:
                view.own_coefficient = num(used["own_coefficient"])
                view.common_code = used["code"]
                view.adoption = adoptions.get(used["adoption"])
    if rules is None or not rows or len(items) < len({r.item_id for r in rows}):
        return views
    tasks = compute_task_results([engine_line(row, infos) for row in rows], rules)
    by_line = defaultdict(list)
    for step in tasks.explanation:
        if "line" in step:
            by_line[step["line"]].append(render_step(step))
    for view, result in zip(views, tasks.lines, strict=True):
        view.quality_value = num(fmt_min2(result.quality_value))
        view.timeliness_value = num(fmt_min2(result.timeliness_value))
        view.steps = by_line[result.index]
    return views


def _marks(score, rules) -> list[dict]:
    stored = score.explanation.get("marks", {})
    current = {
        (m.component, m.criterion): m
        for m in GeneralCriteriaMark.objects.filter(
            civil_servant_id=score.civil_servant_id, period_id=score.period_id
        )
    }
    tables = []
    groups = [(c.code, c.label, c.criteria) for c in (rules.marks_components if rules else ())]
    if contract_workers.COMPONENT in stored:
        # M7: a contract worker scored by the own method — the three marks that counted.
        groups = [
            (
                contract_workers.COMPONENT,
                _("Đánh giá người lao động hợp đồng (cách chấm riêng)"),
                contract_workers.CRITERIA,
            )
        ]
    for code, label, criteria in groups:
        rows = []
        for criterion in criteria:
            entry = current.get((code, criterion.code))
            rows.append(
                {
                    # A contract worker's marks by their number (1, 2, 3), as on Form 01.
                    "code": getattr(criterion, "number", criterion.code),
                    "label": criterion.label,
                    "max": criterion.max_points,
                    "counted": _num(stored.get(code, {}).get(criterion.code)),
                    "self_mark": entry.self_mark if entry else None,
                    "evaluator_mark": entry.evaluator_mark if entry else None,
                }
            )
        tables.append({"code": code, "label": label, "rows": rows})
    return tables


#: People of a leader's charge listed a page at a time on the explain page (the chairman's is
#: the province: 87,000 names and lines on one page took seconds to read and render).
CHARGE_PER_PAGE = 100


def _charge_summary(ratings: dict) -> list[dict]:
    """How many people of the charge have each rating (what criterion d counts), in the
    ratings' order, the not yet scored last."""
    counts = Counter(rating or "" for rating in ratings.values())
    order = [code for code in Rating.values if code in counts]
    order += sorted(code for code in counts if code and code not in order)
    return [{"label": rating_label(code), "people": counts[code]} for code in order] + (
        [{"label": _("chưa được chấm điểm"), "people": counts[""]}] if counts[""] else []
    )


def _subordinates(score, page_number=None) -> tuple[list[dict], object]:
    """One page of the charge (by person id, as stored) and the page."""
    ratings = score.explanation.get("subordinates") or {}
    page = Paginator(sorted(ratings, key=int), CHARGE_PER_PAGE).get_page(page_number)
    people = CivilServant.objects.in_bulk([int(pk) for pk in page])
    return [
        {
            "person": people.get(int(pk)),
            "rating": ratings[pk],
            "label": rating_label(ratings[pk]) if ratings[pk] else "",
        }
        for pk in page
    ], page


def _unit_lines(score, page_number=None) -> tuple[list[dict], object]:
    """The lines of the people in a leader's charge that joined the leader's a, b, c (Decree
    335 Art. 15; ``task_method.leader_lines``): whose, how many, converted totals — one page."""
    page = Paginator(score.explanation.get("unit_lines") or [], CHARGE_PER_PAGE).get_page(
        page_number
    )
    people = CivilServant.objects.in_bulk([entry[0] for entry in page])
    return [
        {
            "person": people.get(person),
            "lines": len(line_ids),
            "assigned": num(assigned),
            "completed": num(completed),
        }
        for person, line_ids, assigned, completed in page
    ], page


def _num(value):
    return None if value is None else num(value)


def _components(score, rules) -> list[tuple[str, str]]:
    """(label, points) of the mark-based components, e.g. ("Tiêu chí chung", "27,00")."""
    points = score.component_points or {}
    if rules is None:
        return [(code, num(value)) for code, value in points.items()]
    return [
        (component.label or component.code, num(points[component.code]))
        for component in rules.marks_components
        if component.code in points
    ]


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def inputs_changed(score) -> bool:
    """True when the current inputs would no longer give this stored score."""
    loaded = prepare_person(score.civil_servant, score.period)
    return loaded is None or loaded[1].inputs_hash != score.inputs_hash


def explain_context(score, *, charge_page=None, lines_page=None) -> dict:
    """The page's context; ``charge_page`` / ``lines_page``: which page of a leader's charge
    and of their charge's lines to list (the first when not given)."""
    rules = revision_rules(score.framework_revision_id) if score.framework_revision_id else None
    unit_lines, unit_lines_page = _unit_lines(score, lines_page)
    subordinates, subordinates_page = _subordinates(score, charge_page)
    return {
        "score": score,
        "rules": rules,
        "components": _components(score, rules),
        "role_label": role_label(score.role),
        "position_group_label": _label(PositionGroup, score.position_group),
        "catalog_versions": list(
            CatalogVersion.objects.filter(pk__in=score.catalog_version_ids).select_related("agency")
        ),
        "lines": _line_views(score, rules),
        "unit_lines": unit_lines,
        "unit_lines_page": unit_lines_page,
        "mark_tables": _marks(score, rules),
        "leader": score.explanation.get("leader"),
        "subordinates": subordinates,
        "subordinates_page": subordinates_page,
        "charge_summary": _charge_summary(score.explanation.get("subordinates") or {}),
        "steps": render_steps(score.explanation.get("steps", [])),
        "input_errors": sorted(score.input_errors.items()),
        "inputs_changed": inputs_changed(score),
    }


# --- annual score: what it was computed from (Decree 335 Art. 21) ------------------------------

ANNUAL_STATUS_LABELS = {
    "counted": gettext_lazy("được tính"),
    "not_scored": gettext_lazy("không được chấm điểm, không tính"),
    "covered": gettext_lazy("không tính: các tháng của kỳ đã được tính theo kết quả từng tháng"),
}
ANNUAL_WEIGHTING_LABELS = {
    "months": gettext_lazy("bình quân theo số tháng mỗi kỳ được tính (thời gian công tác thực tế)"),
    "periods": gettext_lazy("trung bình cộng các kỳ được tính (mỗi kỳ một lần)"),
}


def annual_basis(annual) -> dict | None:
    """The stored basis of an annual score, in Vietnamese: every period of the year with its
    status, the months it counted for and its weight; the options; the months worked; whether
    the leaders-only disqualifiers applied. ``None`` for a row stored before the basis was."""
    inputs = (annual.explanation or {}).get("inputs")
    if not inputs:
        return None
    # The row ids are in ``period_score_ids``, in the order of the basis's periods (the basis
    # itself names periods, so that a rebuild from the inputs stores it identically).
    ids = list(annual.period_score_ids or [])
    # Without their explanations (a leader's lists the lines of the whole charge: 1.5 s of JSON
    # for the chairman's year at 100,000 people); the basis shows their periods and agencies.
    scores = (
        PeriodScore.objects.select_related("period", "agency").defer("explanation").in_bulk(ids)
    )
    rows = []
    for index, entry in enumerate(inputs["periods"]):
        score = scores.get(ids[index]) if index < len(ids) else None
        rows.append(
            {
                "score": score,
                "label": score.period.label if score else annual_period_name(entry),
                "agency": score.agency.name if score else "",
                "total": num(entry["total"]) if entry["total"] is not None else "—",
                "status": entry["status"],
                "status_label": ANNUAL_STATUS_LABELS.get(entry["status"], entry["status"]),
                "months": months_list(entry["months"]) or "—",
                "weight": entry["weight"] if entry["status"] == "counted" else "—",
            }
        )
    minimum = inputs["min_months"]
    not_scored = ""
    if inputs["not_scored_reason"] == "min_months":
        not_scored = _(
            "Chưa đủ thời gian công tác để xếp loại: %(months)d tháng, tối thiểu %(minimum)d tháng."
        ) % {"months": inputs["months_worked"], "minimum": minimum}
    elif inputs["not_scored_reason"]:
        not_scored = _("Không có kỳ nào được chấm điểm trong năm: chưa xếp loại.")
    if inputs["is_leader"]:
        leader = _(
            "Có giữ chức vụ lãnh đạo, quản lý trong năm (%(roles)s): áp dụng các trường hợp "
            "không hoàn thành nhiệm vụ chỉ dành cho lãnh đạo, quản lý."
        ) % {
            "roles": ", ".join(str(role_label(r, in_sentence=True)) for r in inputs["leader_roles"])
        }
    else:
        leader = _("Không giữ chức vụ lãnh đạo, quản lý trong năm.")
    return {
        "rows": rows,
        "weighting": ANNUAL_WEIGHTING_LABELS.get(inputs["weighting"], inputs["weighting"]),
        "min_months": (_("%(n)d tháng") % {"n": minimum} if minimum else _("không áp dụng")),
        "months_worked": inputs["months_worked"],
        "not_scored": not_scored,
        "leader": leader,
        "steps": render_steps(annual.explanation.get("steps", [])),
    }
