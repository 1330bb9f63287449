"""A readable view of a framework's rules (for the inspect view and the preview) and their
problems in words (:func:`rules_errors`): pure (the engine's rules, translated text), so it sits
below the models, which ask it in their ``clean`` and preview."""

import dataclasses
import functools
import json
import re

from django.utils.translation import gettext_lazy as _

from scoring.engine import (
    FrameworkError,
    FrameworkRules,
    Parameter,
    framework_problems,
    parse_framework,
)


def rules_errors(data, period_type: str | None = None) -> list[str]:
    """Vietnamese problems of a rules dictionary (empty when usable)."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return [str(_("Nội dung quy tắc không phải JSON hợp lệ."))]
    try:
        rules = parse_framework(data)
    except FrameworkError as exc:
        return [
            str(_("Cấu trúc không hợp lệ tại %(path)s: %(message)s"))
            % {"path": exc.path, "message": exc.message}
        ]
    problems = framework_problems(rules)
    if period_type and rules.period_type != period_type:
        problems.append(
            str(_("framework.period_type: phải trùng với loại kỳ của khung (%(kind)s)."))
            % {"kind": period_type}
        )
    return problems


CONFIDENCE_LABELS = {
    "confirmed": _("đã xác nhận"),
    "secondary": _("nguồn thứ cấp"),
    "inferred": _("suy luận"),
    "unknown": _("chưa rõ"),
}


def confidence_label(code: str) -> str:
    return CONFIDENCE_LABELS.get(code, code)


@functools.cache
def _option_code() -> re.Pattern:
    """An option value named in a note ("Chọn not_assessed", "Chọn exact"): a whole word that
    is one of :data:`OPTION_VALUES` (English words that Vietnamese text never uses)."""
    codes = sorted(OPTION_VALUES, key=len, reverse=True)
    return re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, codes))})(?!\w)")


#: What the default framework's note said before issue 44, still in the frameworks stored
#: from it: a file of the developers' documentation → where a person finds the assumptions.
_OLD_NOTES = {
    "các giả định được ghi trong docs/scoring.md.": (
        "mỗi giả định được ghi ở mục của nó, kèm căn cứ và độ tin cậy."
    ),
    "Các giả định được ghi trong docs/scoring.md.": (
        "Mỗi giả định được ghi ở mục của nó, kèm căn cứ và độ tin cậy."
    ),
}


def readable_note(text):
    """A note of the rules with each option value it names in words: "Chọn “không xét chất
    lượng, hiệu quả của nhiệm vụ” để không xét", not "Chọn not_assessed …" (the notes are
    written once for the rules' JSON, where the code is what one types)."""
    if not isinstance(text, str) or not text:
        return text
    for old, new in _OLD_NOTES.items():
        text = text.replace(old, new)
    return _option_code().sub(lambda match: f"“{OPTION_VALUES[match.group(0)]}”", text)


def _labelled(value):
    """Plain dicts/lists of the rules, each rule object with a ``confidence_label`` and its
    note in words (:func:`readable_note`)."""
    if isinstance(value, dict):
        result = {key: _labelled(item) for key, item in value.items()}
        if "confidence" in result:
            result["confidence_label"] = confidence_label(result["confidence"])
        if "note" in result:
            result["note"] = readable_note(result["note"])
        return result
    if isinstance(value, (list, tuple)):
        return [_labelled(item) for item in value]
    return value


#: The framework's options (``Choice`` values): where the law is silent or ambiguous, which
#: reading applies. (section, field) → what it decides.
OPTIONS = (
    (
        "task_method",
        "leader_lines",
        _("Sản phẩm tính kết quả a, b, c của lãnh đạo, quản lý"),
    ),
    ("quota", "group_by", _("Nhóm tính tỷ lệ hoàn thành xuất sắc")),
    ("quota", "base", _("Cơ sở tính tỷ lệ hoàn thành xuất sắc")),
    ("quota", "rounding", _("Làm tròn số người được giữ mức xuất sắc")),
    ("annual", "weighting", _("Cách tính điểm bình quân năm")),
    ("annual", "min_months", _("Thời gian công tác tối thiểu để xếp loại năm")),
    ("annual", "leader_role", _("Trường hợp chỉ áp dụng với lãnh đạo, quản lý: xét chức vụ")),
    (
        "organisation",
        "fall_through",
        _("Tổ chức không đáp ứng điều kiện của mức nào, không thuộc trường hợp không hoàn thành"),
    ),
    ("organisation", "overdue_unreported", _("Nhiệm vụ của tổ chức quá hạn chưa báo cáo")),
    (
        "organisation",
        "task_quality",
        _("Nhiệm vụ của tổ chức chưa bảo đảm chất lượng, hiệu quả"),
    ),
    (
        "organisation",
        "staff_ratings",
        _("Xếp loại tổ chức căn cứ kết quả của công chức"),
    ),
    (
        "individual",
        "excellent_conditions",
        _("Điều kiện của mức hoàn thành xuất sắc (cá nhân)"),
    ),
    ("individual", "deputy_cap", _("Xếp loại cấp phó so với cấp trưởng")),
    ("feedback", "below_min", _("Ý kiến người dân: khi chưa đủ số ý kiến tối thiểu")),
    ("coordination", "below_min", _("Đánh giá phối hợp: khi chưa đủ số đánh giá tối thiểu")),
    ("individual", "contract_workers", _("Cách chấm lao động hợp đồng")),
    ("individual", "concurrent_posts", _("Người giữ nhiều chức vụ, vị trí (kiêm nhiệm)")),
    ("organisation", "key_task_weight", _("Hệ số của nhiệm vụ trọng tâm (nhiệm vụ khác hệ số 1)")),
    ("rounding", "places", _("Số chữ số thập phân của điểm (công chức và tổ chức)")),
    ("rounding", "mode", _("Cách làm tròn điểm")),
    ("rounding", "steps", _("Làm tròn ở bước nào")),
    ("rounding", "banding", _("Xếp loại theo tổng điểm")),
    (
        "marks",
        "self_mark_without_evaluator",
        _("Điểm tự chấm khi người đánh giá (với tổ chức: cơ quan thẩm định) chưa chấm"),
    ),
    (
        "task_method",
        "over_delivery",
        _("Sản phẩm hoàn thành vượt số giao và công việc phát sinh"),
    ),
)

OPTION_VALUES = {
    "rater_agency": _("cơ quan có thẩm quyền xếp loại × nhóm vị trí việc làm"),
    "owning_agency": _("sở, ngành, xã nơi công tác × nhóm vị trí việc làm"),
    "posting_unit": _("phòng, đơn vị nơi công tác × nhóm vị trí việc làm"),
    "good_after": _("số hoàn thành tốt sau cùng (kể cả người bị chuyển xuống)"),
    "good_before": _("số hoàn thành tốt trước khi áp dụng tỷ lệ"),
    "floor": _("làm tròn xuống (không vượt tỷ lệ)"),
    "half_up": _("làm tròn đến số gần nhất (0,5 làm tròn lên)"),
    "months": _("bình quân theo số tháng mỗi kỳ được tính (thời gian công tác thực tế)"),
    "periods": _("trung bình cộng các kỳ được tính (mỗi kỳ một lần)"),
    "any_time_in_year": _("giữ chức vụ lãnh đạo, quản lý vào bất kỳ thời điểm nào trong năm"),
    "year_end": _("chức vụ tại ngày 31/12"),
    "lowest_level": _("xếp mức thấp nhất (hoàn thành nhiệm vụ)"),
    "relax_task_conditions": _(
        "xếp mức cao nhất đạt được khi không xét điều kiện hoàn thành 100% và tỷ lệ trễ hạn"
    ),
    "not_completed": _("xếp không hoàn thành nhiệm vụ"),
    "not_done": _("tính là không hoàn thành"),
    "excluded": _("không tính (như nhiệm vụ chưa đến hạn)"),
    "half_even": _("làm tròn về số chẵn gần nhất"),
    "down": _("bỏ phần lẻ"),
    "each_printed_figure": _(
        "từng số in trên Phiếu, số sau tính từ số đã làm tròn (cộng lại khớp tổng điểm)"
    ),
    "once": _("chỉ làm tròn tổng điểm, các bước trung gian giữ chính xác"),
    "rounded": _("tổng điểm đã làm tròn (89,995 → 90,00 là xuất sắc)"),
    "exact": _("tổng điểm chưa làm tròn (89,995 là hoàn thành tốt)"),
    "counts": _("dùng điểm tự chấm"),
    "pooled": _(
        "cộng vào tử số của a, b, c; mức trần 100% áp dụng sau khi trừ điểm (bù được thiếu hụt)"
    ),
    "cap_each_line": _("mỗi dòng tính tối đa số được giao, trước khi trừ điểm"),
    "assigned_only": _("chỉ tính các dòng có số được giao"),
    "own_and_charge": _(
        "sản phẩm của bản thân và của công chức thuộc phạm vi phụ trách (mỗi người một lần)"
    ),
    "charge_when_no_own": _(
        "sản phẩm của bản thân; nếu không có, sản phẩm của công chức thuộc phạm vi phụ trách"
    ),
    "own_only": _(
        "chỉ sản phẩm của bản thân (không có sản phẩm: kỳ không được chấm điểm, có nêu lý do)"
    ),
    "excellent_and_good": _(
        "có nhiệm vụ chưa bảo đảm chất lượng, hiệu quả: không đạt mức xuất sắc và mức tốt"
    ),
    "not_assessed": _("không xét chất lượng, hiệu quả của nhiệm vụ"),
    "not_considered": _("không xét kết quả của công chức"),
    "like_subunits": _(
        "có công chức không hoàn thành nhiệm vụ: không đạt các mức yêu cầu không có đơn vị cấp "
        "dưới không hoàn thành nhiệm vụ"
    ),
    "score_only": _("chỉ theo điểm (từ 90 điểm trở lên, Nghị định 335)"),
    "qd366": _(
        "theo điểm và điều kiện của Quy định 366 (100% đúng hạn, tỷ lệ vượt mức tối thiểu); "
        "không đạt: xếp hoàn thành tốt"
    ),
    "none": _("không giới hạn"),
    "not_above_head_when_late": _(
        "đơn vị có nhiệm vụ trễ hạn: cấp phó không được xếp cao hơn cấp trưởng"
    ),
    "not_above_head_when_any_late": _(
        "đơn vị có nhiệm vụ hoặc sản phẩm của công chức trễ hạn: cấp phó không được xếp cao "
        "hơn cấp trưởng"
    ),
    "civil_servant_method": _("chấm như công chức"),
    "own_method": _("cách riêng: (chất lượng + chấp hành + hiệu quả) / 3"),
    "evaluator_mark": _("giữ điểm của người đánh giá"),
    "full_marks": _("cho điểm tối đa của tiêu chí"),
    "primary_posting": _("theo vị trí công tác chính"),
    "highest_post": _(
        "theo chức vụ cao nhất (chức vụ tương đương: nơi làm việc nhiều thời gian nhất)"
    ),
}

#: Labels that depend on the option, not only on the value code.
OPTION_VALUES_BY_OPTION = {
    ("marks", "not_scored"): _(
        "kỳ đánh giá không được chấm điểm cho đến khi người đánh giá chấm (tổ chức: chưa chấm "
        "điểm cho đến khi cơ quan thẩm định chấm)"
    ),
}


def _value_label(choice, section: str = "") -> str:
    """A ``Choice`` by its label; a ``Parameter`` in decimal places (rounding) or months (the
    minimum worked time)."""
    if isinstance(choice, Parameter) and section == "rounding":
        return _("%(n)d chữ số") % {"n": int(choice.value)}
    if (section, choice.value) in OPTION_VALUES_BY_OPTION:
        return OPTION_VALUES_BY_OPTION[(section, choice.value)]
    if isinstance(choice, Parameter):
        months = int(choice.value)
        return _("%(n)d tháng") % {"n": months} if months else _("không áp dụng")
    return OPTION_VALUES.get(choice.value, choice.value)


def options(rules: FrameworkRules) -> list[dict]:
    """The framework's options, labelled, with their source (docs/scoring.md §8)."""
    rows = []
    for section, name, label in OPTIONS:
        owner = getattr(rules, section, None)
        choice = getattr(owner, name, None) if owner is not None else None
        if choice is None:
            continue
        rows.append(
            {
                "label": label,
                "code": f"{section}.{name}",
                "value": f"{choice.value}",
                "value_label": _value_label(choice, section),
                "citation": choice.citation,
                "confidence_label": confidence_label(choice.confidence),
                "note": readable_note(choice.note),
            }
        )
    return rows


def rules_context(data) -> dict:
    """Template context: ``rules`` (plain data, or ``None``), ``options`` and ``problems``
    (Vietnamese)."""
    try:
        parsed = parse_framework(data)
        rules = _labelled(dataclasses.asdict(parsed))
        choices = options(parsed)
    except (FrameworkError, TypeError, ValueError, AttributeError):
        rules, choices = None, []
    return {"rules": rules, "options": choices, "problems": rules_errors(data)}
