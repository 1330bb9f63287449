"""The score preview of one person's period so far — through the same path as the stored score.

``scoring.services.person.prepare_person`` loads exactly what ``score_person`` would score:
the governing posting and its role, the framework in force for the person's agency (its live
revision, not the Decree 335 default), every line with its exemptions and per-product events,
the marks, đ and e, and for a leader criterion d from the people in their charge. Only what is
not entered yet is ASSUMED, and the page says so: a marked criterion without a mark counts at
its maximum, đ and e missing at the framework's highest level. The engine then scores it like
any stored score, and the steps are put into words by ``scoring.explain`` (issue 15 item 4: an
agency on another framework used to see a preview that disagreed with its score).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from scoring.engine import ScoringInputError, score_period
from scoring.explain import num, render_steps
from scoring.services.person import prepare_person


@dataclass
class Preview:
    """``role`` and ``framework`` of the person's period; ``result`` the figures as strings
    with two decimals (``None`` when nothing could be scored: ``errors`` says why)."""

    role: str = ""
    framework: str = ""
    result: dict | None = None
    assumptions: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)

    @property
    def shown(self) -> dict:
        """The figures as the page writes them (the active language's decimal separator)."""
        figures = ("quantity", "quality", "timeliness", "task_points", "total")
        return {key: num(self.result[key]) for key in figures} if self.result else {}


def _two(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _assume_marks(rules, prepared, assumptions) -> None:
    marks = {component: dict(values) for component, values in prepared.marks.items()}
    for component in rules.marks_components:
        given = marks.setdefault(component.code, {})
        missing = [criterion for criterion in component.criteria if criterion.code not in given]
        if not missing:
            continue
        for criterion in missing:
            given[criterion.code] = str(criterion.max_points)
        assumptions.append(
            gettext(
                "%(component)s chưa chấm đủ (%(count)d tiêu chí): tạm tính mỗi tiêu chí còn "
                "thiếu ở điểm tối đa, tổng tối đa %(max)s điểm."
            )
            % {
                "component": component.label,
                "count": len(missing),
                "max": num(component.marks_scale),
            }
        )
    prepared.marks = marks


def _assume_leader(rules, prepared, assumptions) -> None:
    if not rules.is_leader_role(prepared.posting.role) or prepared.leader_marks is not None:
        return
    top = {criterion.code: max(criterion.allowed_percents) for criterion in rules.leader_criteria}
    prepared.leader_marks = (str(top.get("dd", 100)), str(top.get("e", 100)))
    assumptions.append(
        gettext("Tiêu chí đ, e chưa chấm: tạm tính mức cao nhất (%(dd)s%%, %(e)s%%).")
        % {"dd": num(top.get("dd", 100)), "e": num(top.get("e", 100))}
    )


def period_preview(person, period, today: datetime.date) -> Preview:
    """``today`` is kept for the callers; the role is the governing posting's, as scored."""
    loaded = prepare_person(person, period)
    if loaded is None:
        return Preview(errors={"posting": gettext("Không có quá trình công tác trong kỳ này.")})
    data, prepared = loaded
    if prepared.framework is None:
        return Preview(
            role=prepared.posting.role,
            errors={
                "framework": gettext("Chưa có khung tiêu chí đánh giá đang áp dụng cho cơ quan.")
            },
        )
    if prepared.contract:
        # M7: a contract worker under the framework's own method is scored from three marks
        # on Form 01, not from products: nothing to estimate from the worklog.
        return Preview(
            role=prepared.posting.role,
            framework=prepared.framework.name,
            errors={
                "method": gettext(
                    "Người lao động hợp đồng được chấm theo ba tiêu chí riêng (chất lượng, chấp "
                    "hành, hiệu quả) trên Mẫu 01, không theo sản phẩm, công việc: không có điểm "
                    "tạm tính ở đây."
                )
            },
        )
    rules = prepared.framework.rules
    preview = Preview(role=prepared.posting.role, framework=prepared.framework.name)
    _assume_marks(rules, prepared, preview.assumptions)
    _assume_leader(rules, prepared, preview.assumptions)
    if prepared.unappraised:
        # The stored score waits for the evaluator (marks.self_mark_without_evaluator); the
        # preview counts the self-marks meanwhile, and says so.
        prepared.unappraised = ()
        preview.assumptions.append(
            gettext("Điểm tự chấm chưa được người đánh giá chấm: tạm tính theo điểm tự chấm.")
        )
    inp = prepared.build(data.items, merge=False)
    try:
        result = score_period(inp, rules)
    except ScoringInputError as exc:
        preview.errors = dict(exc.errors)
        return preview
    preview.result = {
        "quantity": _two(result.quantity),
        "quality": _two(result.quality),
        "timeliness": _two(result.timeliness),
        "task_points": _two(result.task_points),
        "total": _two(result.total),
        "rating": result.rating,
        "explanation": render_steps([*prepared.d_steps, *result.explanation]),
    }
    return preview
