"""Plain-Vietnamese fallback rendering of explanation steps (no gettext, pure).

The Django layer should render the structured steps itself through gettext (one message
per ``code``, parameters by name); :func:`explanation_text_vi` is the fallback used by
:func:`~scoring.engine.score_preview` and in tests. Numbers are shown with a decimal comma.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from .decimals import fmt_plain

MUL = "\u00d7"  # multiplication sign
MINUS = "\u2212"  # minus sign

RATING_LABELS_VI: dict[str, str] = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "completed": "Hoàn thành nhiệm vụ",
    "not_completed": "Không hoàn thành nhiệm vụ",
}

CRITERION_LABELS_VI: dict[str, str] = {
    "a": "Số lượng (a)",
    "b": "Chất lượng (b)",
    "c": "Tiến độ (c)",
    "d": "Kết quả hoạt động của cơ quan, đơn vị (d)",
    "dd": "Khả năng tổ chức triển khai thực hiện nhiệm vụ (đ)",
    "e": "Năng lực tập hợp, đoàn kết công chức (e)",
}

CRITERION_LETTERS: dict[str, str] = {"a": "a", "b": "b", "c": "c", "d": "d", "dd": "đ", "e": "e"}

ROLE_LABELS_VI: dict[str, str] = {
    "staff": "công chức",
    "head": "cấp trưởng",
    "deputy": "cấp phó",
}

DISQUALIFIER_LABELS_VI: dict[str, str] = {
    "degradation_concluded": "bị kết luận có biểu hiện suy thoái",
    "discipline_reprimand_or_heavier": "bị kỷ luật từ khiển trách trở lên trong năm",
    "unit_corruption_case": "đơn vị phụ trách liên quan tham ô, tham nhũng, lãng phí",
    "personnel_work_violation": "sai phạm trong công tác cán bộ, mất đoàn kết nội bộ",
    "done_share_below_min": "hoàn thành dưới 70% nhiệm vụ",
    "score_below_lowest_level": "tổng điểm dưới mức điểm tối thiểu (50 điểm)",
    "no_level_met": "không đáp ứng điều kiện của mức nào",
}

FALL_THROUGH_LABELS_VI: dict[str, str] = {
    "lowest_level": "xếp mức thấp nhất",
    "relax_task_conditions": "xếp mức cao nhất đạt được khi không xét điều kiện hoàn thành "
    "100% và tỷ lệ trễ hạn",
    "not_completed": "xếp không hoàn thành nhiệm vụ",
}

CONDITION_LABELS_VI: dict[str, str] = {
    "score_below_min": "chưa đạt điểm tối thiểu",
    "tasks_not_all_done": "chưa hoàn thành 100% nhiệm vụ",
    "late_share_exceeded": "tỷ lệ nhiệm vụ trễ hạn vượt mức cho phép",
    "exceeded_share_too_low": "chưa đủ 30% nhiệm vụ hoàn thành vượt mức",
    "subunit_not_completed": "có đơn vị cấp dưới trực tiếp không hoàn thành nhiệm vụ",
    "shortcomings_not_remedied": "chưa khắc phục hạn chế, khuyết điểm kỳ trước",
}

OUTCOME_LABELS_VI: dict[str, str] = {
    "on_time": "đúng hạn",
    "exceeded": "vượt mức",
    "late": "trễ hạn",
    "not_done": "chưa hoàn thành",
}


ROUNDING_MODE_VI = {
    "half_up": "từ 5 trở lên làm tròn lên",
    "half_even": "làm tròn về số chẵn",
    "down": "bỏ phần lẻ",
}


def _n(value: Any) -> str:
    """Number string with a Vietnamese decimal comma."""
    return str(value).replace(".", ",")


def _pct(rate: Any) -> str:
    return _n(fmt_plain(Decimal(str(rate)) * 100)) + "%"


def _line(p: Mapping[str, Any]) -> str:
    ref = f" ({p['ref']})" if p.get("ref") else ""
    return f"Dòng {p['line'] + 1}{ref}"


def _rating(code: Any) -> str:
    return RATING_LABELS_VI.get(code, str(code))


_EVENTS = {"đánh giá chưa đạt": "failed", "chậm tiến độ": "delays"}


def _product(p: Mapping[str, Any], product: Mapping[str, Any]) -> str:
    head = f"sản phẩm {product['product']}: {product['events']} lần"
    if Decimal(product["share"]) == 0:
        return f"{head}, chưa hoàn thành nên không bị trừ thêm"
    k = _n(p["coefficient"])
    return (
        f"{head} → {_n(product['share'])} {MUL} {k} {MINUS} {_pct(p['deduction'])} {MUL} {k} "
        f"{MUL} {product['events']} = {_n(product['value'])} (không nhỏ hơn 0)"
    )


def _per_product(p: Mapping[str, Any], event: str) -> str:
    k, m = _n(p["coefficient"]), _n(p["completed"])
    base = _n(fmt_plain(Decimal(p["completed"]) * Decimal(p["coefficient"])))
    exempt = f", miễn trừ {p['exempt']}" if p["exempt"] else ""
    products = "; ".join(_product(p, product) for product in p["products"])
    return (
        f"{m} {MUL} {k} = {base}, trừ theo từng sản phẩm (có {p[_EVENTS[event]]} lần {event}"
        f"{exempt}): {products} → {_n(p['value'])}"
    )


def _deducted(p: Mapping[str, Any], event: str) -> str:
    if p.get("products") and p["counted"]:
        return _per_product(p, event)
    k, m = _n(p["coefficient"]), _n(p["completed"])
    if p["counted"] == 0:
        extra = f" (miễn trừ {p['exempt']} lần do nguyên nhân khách quan)" if p["exempt"] else ""
        return f"{m} {MUL} {k} = {_n(p['value'])}{extra}"
    exempt = f", miễn trừ {p['exempt']}" if p["exempt"] else ""
    deduction = f"{_pct(p['deduction'])} {MUL} {k} {MUL} {p['counted']} lần {event}"
    return (
        f"{m} {MUL} {k} {MINUS} {deduction} (có {p[_EVENTS[event]]} lần{exempt}) = "
        f"{_n(p['value'])} (không nhỏ hơn 0)"
    )


def _criterion(p: Mapping[str, Any]) -> str:
    label = CRITERION_LABELS_VI.get(p["criterion"], p["criterion"])
    text = f"{label} = {_n(p['numerator'])} / {_n(p['denominator'])} = "
    if p["capped"]:
        return text + (f"{_n(p['uncapped'])}%, vượt mức tối đa nên tính {_n(p['percent'])}%.")
    return text + f"{_n(p['percent'])}%."


def _task_percent(p: Mapping[str, Any]) -> str:
    letters = " + ".join(CRITERION_LETTERS.get(c, c) for c in p["criteria"])
    return f"Tỷ lệ kết quả thực hiện nhiệm vụ = ({letters}) / {p['count']} = {_n(p['percent'])}%."


def _marks(p: Mapping[str, Any]) -> str:
    if p["scale"] == p["max_points"]:
        return f"{p['label']}: {_n(p['marks'])}/{_n(p['max_points'])} điểm."
    return (
        f"{p['label']}: {_n(p['marks'])}/{_n(p['scale'])} {MUL} {_n(p['max_points'])} = "
        f"{_n(p['points'])} điểm."
    )


def _leader_lines(p: Mapping[str, Any]) -> str:
    if p["people"]:
        return (
            f"Kết quả a, b, c của lãnh đạo (Điều 15): {p['own']} dòng sản phẩm của bản thân và "
            f"{p['lines']} dòng sản phẩm của {p['people']} công chức thuộc phạm vi phụ trách "
            f"(mỗi người tính một lần; quy đổi được giao {_n(p['assigned'])}, hoàn thành "
            f"{_n(p['completed'])})."
        )
    return f"Kết quả a, b, c của lãnh đạo (Điều 15): {p['own']} dòng sản phẩm của bản thân."


def _leader_not_scored(p: Mapping[str, Any]) -> str:
    if p["leader_lines"] == "own_only":
        return (
            "Lãnh đạo không có sản phẩm nào được giao trong kỳ; khung tiêu chí chỉ tính sản phẩm "
            "của bản thân (không tính sản phẩm của công chức thuộc phạm vi phụ trách): kỳ này "
            "không được chấm điểm."
        )
    return (
        "Lãnh đạo và công chức thuộc phạm vi phụ trách không có sản phẩm nào được giao trong "
        "kỳ: kỳ này không được chấm điểm."
    )


def _unit_results(p: Mapping[str, Any]) -> str:
    below = len(p["not_met"])
    skipped = f" ({p['skipped']} người chưa được chấm điểm, không tính)" if p["skipped"] else ""
    return (
        f"Tiêu chí d: {p['counted']} công chức thuộc phạm vi quản lý{skipped}; {below} "
        f"người dưới mức {_rating(p['min_rating'])} → d = {_n(p['percent'])}%."
    )


def _quota(p: Mapping[str, Any]) -> str:
    return (
        f"Tỷ lệ xuất sắc tối đa {_pct(p['ratio'])} số người hoàn thành tốt sau cùng: "
        f"{p['candidates']} người đủ điểm xuất sắc, {p['good']} người hoàn thành tốt → "
        f"giữ {p['allowed']} người xuất sắc, {p['good_after']} người hoàn thành tốt."
    )


KIND_NAMES_VI: dict[str, str] = {
    "month": "Tháng",
    "quarter": "Quý",
    "half_year": "6 tháng",
    "year": "Năm",
}


def _period_name(p: Mapping[str, Any]) -> str:
    """ "Tháng 3", "Quý 3", "6 tháng 2", "Năm" — or "Kỳ n" for a bare total."""
    kind = p.get("kind")
    if not kind:
        return f"Kỳ {p['period'] + 1}"
    if kind == "year":
        return KIND_NAMES_VI["year"]
    return f"{KIND_NAMES_VI.get(kind, kind)} {p['number']}"


def _period_months(p: Mapping[str, Any]) -> str:
    if not p.get("kind") or not p.get("months"):
        return ""
    months = ", ".join(str(m) for m in p["months"])
    return f", tính cho tháng {months} (trọng số {p['weight']})"


def _annual_not_scored(p: Mapping[str, Any]) -> str:
    if p.get("reason") == "min_months":
        return (
            f"Chưa đủ thời gian công tác để xếp loại: {p['months']} tháng, tối thiểu "
            f"{p['min_months']} tháng."
        )
    return "Không có kỳ nào được chấm điểm trong năm: chưa xếp loại."


def _org_task(p: Mapping[str, Any]) -> str:
    ref = f" ({p['ref']})" if p.get("ref") else ""
    delays = f", trễ {p['delays']} lần" if p["outcome"] == "late" else ""
    outcome = OUTCOME_LABELS_VI.get(p["outcome"], p["outcome"])
    return f"Nhiệm vụ {p['task'] + 1}{ref}: {outcome}{delays} → {_n(p['percent'])}%."


def _org_level(p: Mapping[str, Any]) -> str:
    if p["passed"]:
        return f"Đủ điều kiện mức {_rating(p['rating'])}."
    reasons = "; ".join(CONDITION_LABELS_VI.get(c, c) for c in p["failed"])
    return f"Chưa đủ điều kiện mức {_rating(p['rating'])}: {reasons}."


_RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "framework": lambda p: (
        f"Khung đánh giá: {p['framework']} (phiên bản {p['version']}); "
        f"vai trò: {ROLE_LABELS_VI.get(p['role'], p['role'])}."
    ),
    "line": lambda p: (
        f"{_line(p)}: giao {_n(p['assigned'])} {MUL} hệ số {_n(p['coefficient'])} = "
        f"{_n(p['assigned_converted'])}; hoàn thành {_n(p['completed'])} {MUL} "
        f"{_n(p['coefficient'])} = {_n(p['completed_converted'])} (đã quy đổi)."
    ),
    "line_quality": lambda p: f"{_line(p)}: đạt chất lượng = {_deducted(p, 'đánh giá chưa đạt')}.",
    "line_timeliness": lambda p: f"{_line(p)}: đạt tiến độ = {_deducted(p, 'chậm tiến độ')}.",
    "converted_totals": lambda p: (
        f"Tổng quy đổi: được giao {_n(p['assigned'])}; hoàn thành {_n(p['completed'])}; "
        f"đạt chất lượng {_n(p['quality'])}; đạt tiến độ {_n(p['timeliness'])}."
    ),
    "period_not_scored": lambda p: (
        "Điểm tự chấm của tiêu chí " + ", ".join(p.get("marks", ())) + " chưa được người đánh "
        "giá chấm: kỳ này không được chấm điểm cho đến khi người đánh giá chấm."
        if p.get("reason") == "awaiting_evaluator"
        else "Không có sản phẩm/công việc được giao trong kỳ (tổng quy đổi được giao bằng 0): "
        "kỳ này không được chấm điểm."
    ),
    "line_capped": lambda p: (
        f"{_line(p)}: chỉ tính {_n(p['counted'])} trong {_n(p['completed'])} sản phẩm hoàn thành "
        + (
            "(dòng không có số giao)."
            if p["rule"] == "assigned_only"
            else "(không vượt số được giao, trước khi trừ điểm)."
        )
    ),
    "rounding": lambda p: (
        f"Làm tròn {p['places']} chữ số thập phân ({ROUNDING_MODE_VI.get(p['mode'], p['mode'])}), "
        + (
            "từng số in trên Phiếu, số sau tính từ số đã làm tròn"
            if p["steps"] == "each_printed_figure"
            else "chỉ làm tròn tổng điểm"
        )
        + "; xếp loại theo tổng điểm "
        + ("đã làm tròn." if p["banding"] == "rounded" else "chưa làm tròn.")
    ),
    "leader_lines": _leader_lines,
    "leader_not_scored": _leader_not_scored,
    "criterion_percent": _criterion,
    "leader_criterion": lambda p: (
        f"{CRITERION_LABELS_VI.get(p['criterion'], p['criterion'])} = {_n(p['percent'])}%."
    ),
    "leader_marks_ignored": lambda p: (
        "Điểm các tiêu chí d, đ, e chỉ áp dụng cho công chức lãnh đạo, quản lý; đã bỏ qua."
    ),
    "task_percent": _task_percent,
    "task_points": lambda p: (
        f"{p['label']}: {_n(p['percent'])}% {MUL} {_n(p['max_points'])} = {_n(p['points'])} điểm."
    ),
    "marks_points": _marks,
    "period_total": lambda p: (
        "Tổng điểm kỳ = "
        + " + ".join(_n(v) for v in p["parts"].values())
        + f" = {_n(p['total'])} điểm."
    ),
    "band": lambda p: f"Mức theo điểm {_n(p['score'])}: {_rating(p['rating'])}.",
    "disqualifier": lambda p: (
        f"Thuộc trường hợp không hoàn thành nhiệm vụ "
        f"({DISQUALIFIER_LABELS_VI.get(p['disqualifier'], p['disqualifier'])})."
    ),
    "disqualifier_not_applicable": lambda p: (
        f"Trường hợp {DISQUALIFIER_LABELS_VI.get(p['disqualifier'], p['disqualifier'])} chỉ "
        "áp dụng với công chức lãnh đạo, quản lý: không áp dụng."
    ),
    "final_rating": lambda p: f"Xếp loại: {_rating(p['rating'])}.",
    "annual_period": lambda p: (
        f"{_period_name(p)}: {_n(p['total'])} điểm" + _period_months(p) + "."
    ),
    "annual_period_skipped": lambda p: (
        f"{_period_name(p)}: không được chấm điểm, không tính vào điểm bình quân."
    ),
    "annual_period_covered": lambda p: (
        f"{_period_name(p)}: {_n(p['total'])} điểm, không tính vì các tháng của kỳ đã được tính "
        "theo kết quả từng tháng (không tính trùng)."
    ),
    "annual_mean": lambda p: (
        f"Điểm năm = {_n(p['sum'])} / {p['count']} kỳ = {_n(p['score'])} điểm."
    ),
    "annual_weighted_mean": lambda p: (
        f"Điểm năm = tổng (điểm kỳ {MUL} số tháng) / tổng số tháng = {_n(p['sum'])} / "
        f"{p['months']} tháng = {_n(p['score'])} điểm."
    ),
    "annual_not_scored": _annual_not_scored,
    "unit_results": _unit_results,
    "quota_cap": _quota,
    "quota_kept": lambda p: f"{p['id']} ({_n(p['score'])} điểm): giữ mức {_rating('excellent')}.",
    "quota_demoted": lambda p: (
        f"{p['id']} ({_n(p['score'])} điểm): chuyển xuống mức {_rating('good')} do vượt tỷ lệ."
    ),
    "quota_tie_at_cut": lambda p: (
        f"{len(p['ids'])} người cùng {_n(p['score'])} điểm tại ngưỡng cắt "
        f"({', '.join(p['ids'])}): đề nghị cấp có thẩm quyền quyết định."
    ),
    "org_task": _org_task,
    "org_task_counts": lambda p: (
        f"Tổng {p['total']} nhiệm vụ: {p['on_time']} đúng hạn, {p['exceeded']} vượt mức, "
        f"{p['late']} trễ hạn, {p['not_done']} chưa hoàn thành."
    ),
    "org_task_percent": lambda p: f"Tỷ lệ kết quả thực hiện nhiệm vụ = {_n(p['percent'])}%.",
    "org_score": lambda p: (
        f"Tổng điểm = {_n(p['score'])} điểm."
        + (
            f" Xếp mức theo tổng điểm chưa làm tròn {p['exact']}."
            if p.get("exact") is not None
            else ""
        )
    ),
    "org_level_check": _org_level,
    "org_not_completed": lambda p: (
        f"Không hoàn thành nhiệm vụ do {DISQUALIFIER_LABELS_VI.get(p['reason'], p['reason'])}."
    ),
    "org_not_scored": lambda p: (
        "Điểm tự chấm của tiêu chí " + ", ".join(p.get("marks", ())) + " chưa được cơ quan thẩm "
        "định chấm: tổ chức chưa được chấm điểm cho đến khi cơ quan thẩm định chấm."
        if p.get("reason") == "awaiting_evaluator"
        else "Không có nhiệm vụ được giao: chưa đánh giá, xếp loại."
    ),
    "org_fall_through": lambda p: (
        "Không đáp ứng điều kiện của mức nào và không thuộc trường hợp không hoàn thành nhiệm "
        f"vụ: {FALL_THROUGH_LABELS_VI.get(p['reading'], p['reading'])} → {_rating(p['rating'])}."
    ),
}


def explanation_text_vi(steps: Iterable[Mapping[str, Any]]) -> list[str]:
    """Render explanation steps as plain Vietnamese sentences (unknown codes generically)."""
    lines: list[str] = []
    for item in steps:
        renderer = _RENDERERS.get(item.get("code", ""))
        if renderer is None:
            params = ", ".join(f"{k}={v}" for k, v in item.items() if k != "code")
            lines.append(f"{item.get('code')}: {params}")
        else:
            lines.append(renderer(item))
    return lines
