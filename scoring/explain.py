"""Engine explanation steps rendered through Django's translation machinery.

The engine returns structured steps ``{"code": ..., **params}`` (numbers as strings). Each code
has one gettext message here, with named parameters, so the Vietnamese text lives in the
catalogue like every other string and can be translated. This is the only renderer of steps
(the explain page, the read API, the API's and the worklog's score preview, Form 01); an unknown
code is shown as ``code: name=value, …`` rather than dropped. Numbers use the active locale's
decimal separator.
"""

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import DatabaseError
from django.utils import formats
from django.utils.translation import gettext as _

from org.models import LeadershipRole
from scoring.contract_criteria import COMPONENT, short_name
from scoring.models import CriteriaFramework, Rating, TransferRule

MUL, MINUS = "\u00d7", "\u2212"


def _contract_name(code: str) -> str:
    """A contract worker's mark (M7) by its name: "chất lượng thực hiện công việc"."""
    name = short_name(code)
    return name[:1].lower() + name[1:] if name != code else code


def _mark_name(code: str) -> str:
    """A self-marked criterion ``component.criterion`` as Form 01 names it: ``I.1`` for the
    general criteria, the name of a contract worker's mark (M7), else the code as given."""
    component, _dot, criterion = code.partition(".")
    if component == COMPONENT:
        return _contract_name(criterion)
    return code.removeprefix("general.")


def num(value: Any) -> str:
    """A number string with the active locale's decimal separator."""
    if value is None:
        return "—"
    text = str(value)
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def percent(rate: Any) -> str:
    try:
        value = Decimal(str(rate)) * 100
    except InvalidOperation:
        return str(rate)
    text = f"{value.normalize():f}" if value else "0"
    return num(text) + "%"


def rating_label(code: Any) -> str:
    try:
        return str(Rating(code).label)
    except ValueError:
        return str(code)


def criterion_label(code: str) -> str:
    labels = {
        "a": _("Số lượng (a)"),
        "b": _("Chất lượng (b)"),
        "c": _("Tiến độ (c)"),
        "d": _("Kết quả hoạt động của cơ quan, đơn vị (d)"),
        "dd": _("Khả năng tổ chức triển khai thực hiện nhiệm vụ (đ)"),
        "e": _("Năng lực tập hợp, đoàn kết công chức (e)"),
    }
    return labels.get(code, code)


def role_label(code: str | None, *, in_sentence: bool = False) -> str:
    """The one label of a leadership role (``org.models.LeadershipRole``): in a heading or a
    printed form's column its choice label ("Cấp trưởng"; "—" when there is none); with
    ``in_sentence``, inside a sentence of the explanation, lower case and category-neutral:
    the same framework scores công chức, viên chức, cán bộ and contract workers (review
    2026-11-23 C2)."""
    if in_sentence:
        labels = {
            "staff": _("không giữ chức vụ lãnh đạo, quản lý"),
            "head": _("cấp trưởng"),
            "deputy": _("cấp phó"),
        }
        return labels.get(code or "", code or "")
    try:
        return str(LeadershipRole(code).label)
    except ValueError:
        return code or "—"


def framework_name(code: str) -> str:
    """The framework's name as Sở Nội vụ published it, not its code (``decree-335-default``)."""
    try:
        name = CriteriaFramework.objects.filter(code=code).values_list("name", flat=True).first()
    except (DatabaseError, RuntimeError):
        # No database to ask: rendering at import time (the API's schema example, before
        # `migrate` on a new server) or in a test without one. The generic name is still words.
        name = None
    return _framework_label(name)


def _framework_label(name: str | None) -> str:
    return name or _("khung tiêu chí theo Nghị định 335/2025/NĐ-CP")


def disqualifier_label(code: str) -> str:
    labels = {
        "degradation_concluded": _("bị kết luận có biểu hiện suy thoái"),
        "discipline_reprimand_or_heavier": _("bị kỷ luật từ khiển trách trở lên trong năm"),
        "unit_corruption_case": _("đơn vị phụ trách liên quan tham ô, tham nhũng, lãng phí"),
    }
    return labels.get(code, code)


LETTERS = {"a": "a", "b": "b", "c": "c", "d": "d", "dd": "đ", "e": "e"}


def org_outcome_label(code: str) -> str:
    labels = {
        "on_time": _("đúng hạn"),
        "exceeded": _("vượt mức yêu cầu"),
        "late": _("trễ hạn"),
        "not_done": _("không hoàn thành"),
    }
    return labels.get(code, code)


def org_condition_label(code: str) -> str:
    labels = {
        "score_below_min": _("chưa đạt điểm tối thiểu của mức"),
        "tasks_not_all_done": _("chưa hoàn thành 100% nhiệm vụ được giao"),
        "late_share_exceeded": _("số nhiệm vụ trễ hạn vượt mức cho phép"),
        "exceeded_share_too_low": _("số nhiệm vụ hoàn thành vượt mức yêu cầu chưa đủ"),
        "subunit_not_completed": _("có đơn vị cấp dưới trực tiếp không hoàn thành nhiệm vụ"),
        "shortcomings_not_remedied": _("chưa khắc phục hết hạn chế, khuyết điểm đã được chỉ ra"),
        "quality_not_ensured": _("có nhiệm vụ chưa bảo đảm chất lượng, hiệu quả"),
        "staff_not_completed": _("có công chức của tổ chức không hoàn thành nhiệm vụ"),
    }
    return labels.get(code, code)


def org_reason_label(code: str) -> str:
    labels = {
        "personnel_work_violation": _(
            "bị kết luận có sai phạm trong công tác cán bộ, mất đoàn kết nội bộ"
        ),
        "done_share_below_min": _("hoàn thành dưới mức tối thiểu số nhiệm vụ được giao"),
        "score_below_lowest_level": _("tổng điểm dưới mức điểm tối thiểu để được xếp loại"),
        "no_level_met": _("không đáp ứng điều kiện của mức xếp loại nào"),
    }
    return labels.get(code, code)


def org_fall_through_label(code: str) -> str:
    """The reading of ``OrganisationRules.fall_through`` (docs/organisation-scoring.md §3)."""
    labels = {
        "lowest_level": _("xếp mức thấp nhất"),
        "relax_task_conditions": _(
            "xếp mức cao nhất đạt được khi không xét điều kiện hoàn thành 100% nhiệm vụ và tỷ "
            "lệ nhiệm vụ trễ hạn"
        ),
        "not_completed": _("xếp mức không hoàn thành nhiệm vụ"),
    }
    return labels.get(code, code)


def _org_task(p: Mapping[str, Any]) -> str:
    params = {
        "n": p["task"] + 1,
        "ref": p.get("ref") or "—",
        "outcome": org_outcome_label(p["outcome"]),
        "delays": p["delays"],
        "pct": num(p["percent"]),
    }
    if p["outcome"] == "late":
        text = _("Nhiệm vụ %(n)d (%(ref)s): trễ hạn %(delays)d lần → %(pct)s%%.") % params
    else:
        text = _("Nhiệm vụ %(n)d (%(ref)s): %(outcome)s → %(pct)s%%.") % params
    if p.get("key_label"):
        text += " " + _(
            "Nhiệm vụ trọng tâm “%(label)s” (tiêu chí của cơ quan đã được phê duyệt), hệ số "
            "%(weight)s."
        ) % {"label": p["key_label"], "weight": num(p["weight"])}
    elif p.get("key"):
        text += " " + _("Nhiệm vụ trọng tâm, hệ số %(weight)s.") % {"weight": num(p["weight"])}
    if p.get("quality_ensured") is False:
        text += " " + _("Chưa bảo đảm chất lượng, hiệu quả.")
    return text


def _org_key_task_plan(p: Mapping[str, Any]) -> str:
    """An agency's key-task criterion measured from its work plans of the year (Đắk Lắk
    §III.3; ``organisation.key_tasks[].plan_fulfilment`` = ``ratio``)."""
    params = {"label": p["label"], "weight": num(p["weight"])}
    if not p.get("counted"):
        missing = _(
            "Nhiệm vụ trọng tâm “%(label)s” (tiêu chí của cơ quan đã được phê duyệt) đo bằng kết "
            "quả thực hiện kế hoạch công tác năm của cơ quan (Kế hoạch của UBND tỉnh Đắk Lắk, mục "
            "III.3): chưa có kế hoạch công tác được phê duyệt có mục đã đến hạn hoặc đã hoàn "
            "thành → chưa tính vào tỷ lệ kết quả thực hiện nhiệm vụ."
        )
        return missing % params
    text = _(
        "Nhiệm vụ trọng tâm “%(label)s” (tiêu chí của cơ quan đã được phê duyệt), hệ số "
        "%(weight)s, đo bằng kết quả thực hiện kế hoạch công tác năm của cơ quan (Kế hoạch của "
        "UBND tỉnh Đắk Lắk, mục III.3): %(plans)s — hoàn thành %(done)d/%(total)d mục đã đến "
        "hạn hoặc đã hoàn thành → %(pct)s%%."
    ) % {
        **params,
        "plans": "; ".join(p["plans"]),
        "done": p["done"],
        "total": p["total"],
        "pct": num(p["percent"]),
    }
    if p.get("not_due"):
        text += " " + _("%(n)d mục chưa đến hạn, chưa hoàn thành: chưa tính.") % {"n": p["not_due"]}
    return text


def _excellent_conditions(p: Mapping[str, Any]) -> str:
    params = {
        "on_time": p["on_time"],
        "exceeded": p["exceeded"],
        "lines": p["lines"],
        "on_time_pct": num(p["on_time_percent"]),
        "exceeded_pct": num(p["exceeded_percent"]),
        "min_on_time": num(p["min_on_time_percent"]),
        "min_exceeded": num(p["min_exceeded_percent"]),
        "rating": rating_label(p["rating"]),
    }
    text = (
        _(
            "Điều kiện thêm của mức hoàn thành xuất sắc (Quy định 366-QĐ/TW, Điều 11): "
            "%(on_time)d/%(lines)d dòng sản phẩm hoàn thành đúng hạn (%(on_time_pct)s%%, cần từ "
            "%(min_on_time)s%%), %(exceeded)d/%(lines)d dòng vượt số giao (%(exceeded_pct)s%%, cần "
            "từ %(min_exceeded)s%%)."
        )
        % params
    )
    if p["passed"]:
        return text + " " + _("Đạt: giữ mức %(rating)s.") % params
    return text + " " + _("Chưa đạt: xếp mức %(rating)s.") % params


def _annual_excellent_conditions(p: Mapping[str, Any]) -> str:
    params = {
        "on_time": p["on_time"],
        "exceeded": p["exceeded"],
        "lines": p["lines"],
        "on_time_pct": num(p["on_time_percent"]),
        "exceeded_pct": num(p["exceeded_percent"]),
        "min_on_time": num(p["min_on_time_percent"]),
        "min_exceeded": num(p["min_exceeded_percent"]),
        "rating": rating_label(p["rating"]),
        "unmeasured": p.get("unmeasured", 0),
    }
    text = (
        _(
            "Điều kiện thêm của mức hoàn thành xuất sắc cả năm (Quy định 366-QĐ/TW, Điều 11), "
            "tính trên mọi dòng sản phẩm được giao của các kỳ trong năm: %(on_time)d/%(lines)d "
            "dòng hoàn thành đúng hạn (%(on_time_pct)s%%, cần từ %(min_on_time)s%%), "
            "%(exceeded)d/%(lines)d dòng vượt số giao (%(exceeded_pct)s%%, cần từ "
            "%(min_exceeded)s%%)."
        )
        % params
    )
    if params["unmeasured"]:
        text += (
            " "
            + _("%(unmeasured)d kỳ không có số dòng sản phẩm để đếm (chấm lại kỳ đó để đếm).")
            % params
        )
    if p["passed"]:
        return text + " " + _("Đạt: giữ mức %(rating)s.") % params
    return (
        text
        + " "
        + _("Chưa đạt nên không xếp mức hoàn thành xuất sắc: xếp mức %(rating)s.") % params
    )


def _satisfaction_feed(p: Mapping[str, Any]) -> str:
    marks = "; ".join(f"{code} = {num(mark)}" for code, mark in p["marks"].items())
    params = {"n": p["answers"], "pct": num(p["percent"]), "marks": marks}
    text = (
        _(
            "Mức độ hài lòng của người dân, doanh nghiệp: %(n)d ý kiến, bình quân %(pct)s%% → điểm "
            "tiêu chí %(marks)s."
        )
        % params
    )
    if p.get("sources"):
        text += " " + _satisfaction_sources(p["sources"])
    if p.get("weight") not in (None, "1"):
        text += " " + _(
            "Ý kiến chiếm %(weight)s điểm tiêu chí, phần còn lại là điểm của người đánh giá."
        ) % {"weight": percent(p["weight"])}
    return text


def _coordination_feed(p: Mapping[str, Any]) -> str:
    marks = "; ".join(f"{code} = {num(mark)}" for code, mark in p["marks"].items())
    params = {
        "n": p["ratings"],
        "units": ", ".join(p["units"]),
        "pct": num(p["percent"]),
        "marks": marks,
    }
    text = (
        _(
            "Năng lực phối hợp do các đơn vị phối hợp đánh giá (%(units)s): %(n)d đánh giá, bình "
            "quân %(pct)s%% → điểm tiêu chí %(marks)s."
        )
        % params
    )
    if p.get("weight") not in (None, "1"):
        text += " " + _(
            "Đánh giá của đơn vị phối hợp chiếm %(weight)s điểm tiêu chí, phần còn lại là điểm "
            "của người đánh giá."
        ) % {"weight": percent(p["weight"])}
    return text


def _competency_lines(p: Mapping[str, Any]) -> str:
    """Each competency's required and assessed level and the points it gave."""
    return "; ".join(
        _(
            "%(name)s: yêu cầu cấp độ %(required)s, đánh giá cấp độ %(assessed)s → %(pct)s%% → "
            "%(points)s điểm"
        )
        % {
            "name": row["name"],
            "required": row["required"],
            "assessed": row["assessed"],
            "pct": num(row["percent"]),
            "points": num(row["points"]),
        }
        for row in p["competencies"]
    )


def _competency_feed(p: Mapping[str, Any]) -> str:
    marks = "; ".join(f"{code} = {num(mark)}" for code, mark in p["marks"].items())
    text = _(
        "Năng lực theo vị trí việc làm do người đánh giá đánh giá (%(lines)s): bình quân "
        "%(pct)s%% → điểm tiêu chí %(marks)s."
    ) % {"lines": _competency_lines(p), "pct": num(p["percent"]), "marks": marks}
    if p.get("weight") not in (None, "1"):
        text += " " + _(
            "Năng lực chiếm %(weight)s điểm tiêu chí, phần còn lại là điểm của người đánh giá."
        ) % {"weight": percent(p["weight"])}
    return text + " " + _("Căn cứ: %(citation)s.") % {"citation": p.get("citation", "")}


def _competency_incomplete(p: Mapping[str, Any]) -> str:
    return (
        _(
            "Tiêu chí %(criteria)s: người đánh giá chưa đánh giá năng lực %(missing)s của vị trí "
            "việc làm: giữ điểm của người đánh giá."
        )
        % {"criteria": ", ".join(p["criteria"]), "missing": ", ".join(p["missing"])}
        + " "
        + _("Căn cứ: %(citation)s.") % {"citation": p.get("citation", "")}
    )


def _competency_none(p: Mapping[str, Any]) -> str:
    return (
        _(
            "Tiêu chí %(criteria)s: vị trí việc làm chưa có bản mô tả công việc được phê duyệt "
            "nêu năng lực yêu cầu: giữ điểm của người đánh giá."
        )
        % {"criteria": ", ".join(p["criteria"])}
        + " "
        + _("Căn cứ: %(citation)s.") % {"citation": p.get("citation", "")}
    )


def _coordination_below_min(p: Mapping[str, Any]) -> str:
    params = {
        "criteria": ", ".join(p["criteria"]),
        "min": p["min_ratings"],
        "n": p["ratings"],
        "reading": _("cho điểm tối đa")
        if p["reading"] == "full_marks"
        else _("giữ điểm của người đánh giá"),
    }
    if p.get("units"):
        params["units"] = ", ".join(p["units"])
        return (
            _(
                "Tiêu chí %(criteria)s: mới có %(n)d đánh giá của đơn vị phối hợp (%(units)s), "
                "chưa đủ %(min)d: %(reading)s."
            )
            % params
        )
    return (
        _("Tiêu chí %(criteria)s: chưa có đánh giá của đơn vị phối hợp (cần %(min)d): %(reading)s.")
        % params
    )


def _satisfaction_source_label(source: str) -> str:
    if source == "survey":
        return _("phiếu khảo sát của hệ thống một cửa")
    if source == "codes":
        return _("mã phản hồi")
    return source


def _satisfaction_sources(sources: Mapping[str, Any]) -> str:
    """Where the answers came from: the number from each source, or (a source with few
    answers, suppressed) only the sources' names. Survey first, then codes, whatever order the
    stored explanation keeps (PostgreSQL's jsonb reorders keys)."""
    order = ("survey", "codes")
    sources = dict(
        sorted(sources.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 9)
    )
    if any(n is None for n in sources.values()):
        return _(
            "Nguồn ý kiến: %(sources)s (số ý kiến theo từng nguồn không hiển thị vì có nguồn "
            "có ít ý kiến)."
        ) % {"sources": ", ".join(_satisfaction_source_label(s) for s in sources)}
    return _("Trong đó: %(parts)s.") % {
        "parts": "; ".join(
            _("%(source)s %(n)d ý kiến") % {"source": _satisfaction_source_label(s), "n": n}
            for s, n in sources.items()
        )
    }


def _deputy_cap(p: Mapping[str, Any]) -> str:
    params = {
        "head": rating_label(p["head_rating"]),
        "before": rating_label(p["before"]),
        "rating": rating_label(p["rating"]),
    }
    if p["capped"]:
        return (
            _(
                "Đơn vị có nhiệm vụ trễ hạn: cấp phó không được xếp cao hơn cấp trưởng (%(head)s); "
                "%(before)s → %(rating)s."
            )
            % params
        )
    if p["rule"] == "none":
        return _("Không áp dụng giới hạn xếp loại cấp phó theo cấp trưởng.")
    return _("Cấp phó xếp %(rating)s, không vượt giới hạn theo cấp trưởng (%(head)s).") % params


def _evaluated_post(p: Mapping[str, Any]) -> str:
    params = {
        "post": p["post"],
        "role": role_label(p["role"], in_sentence=True),
        "n": len(p.get("posts", ())),
    }
    if p["rule"] == "highest_post":
        return (
            _("Giữ %(n)d vị trí công tác: đánh giá theo chức vụ cao nhất — %(post)s (%(role)s).")
            % params
        )
    return _("Giữ %(n)d vị trí công tác: đánh giá theo vị trí công tác chính — %(post)s.") % params


def _org_staff_ratings(p: Mapping[str, Any]) -> str:
    return _(
        "Kết quả của công chức thuộc tổ chức (kế hoạch Gia Lai mục II.2.b): %(counted)d người "
        "đã có kết quả năm, %(failed)d người không hoàn thành nhiệm vụ."
    ) % {"counted": p["counted"], "failed": p["not_completed"]}


def _org_task_percent(p: Mapping[str, Any]) -> str:
    if p.get("by_criteria"):
        return _(
            "Tỷ lệ kết quả thực hiện nhiệm vụ = trung bình có trọng số (nhiệm vụ trọng tâm theo "
            "hệ số của tiêu chí cơ quan đã được phê duyệt, nhiệm vụ khác hệ số 1) = %(pct)s%%."
        ) % {"pct": num(p["percent"])}
    if p.get("key_weight"):
        return _(
            "Tỷ lệ kết quả thực hiện nhiệm vụ = trung bình có trọng số (nhiệm vụ trọng tâm hệ số "
            "%(weight)s, nhiệm vụ khác hệ số 1) = %(pct)s%%."
        ) % {"pct": num(p["percent"]), "weight": num(p["key_weight"])}
    return _("Tỷ lệ kết quả thực hiện nhiệm vụ = trung bình các nhiệm vụ = %(pct)s%%.") % {
        "pct": num(p["percent"])
    }


def _org_level(p: Mapping[str, Any]) -> str:
    rating = rating_label(p["rating"])
    if p["passed"]:
        return _("Đủ điều kiện mức “%(rating)s”.") % {"rating": rating}
    return _("Chưa đủ điều kiện mức “%(rating)s”: %(reasons)s.") % {
        "rating": rating,
        "reasons": "; ".join(org_condition_label(code) for code in p["failed"]),
    }


def rounding_mode_label(code: str) -> str:
    return {
        "half_up": _("từ 5 trở lên làm tròn lên"),
        "half_even": _("làm tròn về số chẵn"),
        "down": _("bỏ phần lẻ"),
    }.get(code, code)


def rounding_steps_label(code: str) -> str:
    return {
        "each_printed_figure": _("từng số in trên Phiếu, số sau tính từ số đã làm tròn"),
        "once": _("chỉ làm tròn tổng điểm"),
    }.get(code, code)


def rounding_banding_label(code: str) -> str:
    return {
        "rounded": _("xếp loại theo tổng điểm đã làm tròn"),
        "exact": _("xếp loại theo tổng điểm chưa làm tròn"),
    }.get(code, code)


def rounding_note(rounding) -> str:
    """The rounding a framework revision uses (a ``RoundingRule``), for Form 01."""
    return _rounding(
        {
            "places": rounding.digits,
            "mode": rounding.mode.value,
            "steps": rounding.steps.value,
            "banding": rounding.banding.value,
        }
    )


def _rounding(p: Mapping[str, Any]) -> str:
    return _("Làm tròn %(places)s chữ số thập phân (%(mode)s), %(steps)s; %(banding)s.") % {
        "places": p["places"],
        "mode": rounding_mode_label(p["mode"]),
        "steps": rounding_steps_label(p["steps"]),
        "banding": rounding_banding_label(p["banding"]),
    }


def _values(parts) -> list:
    """Values of a dict, or of ``[key, value]`` pairs (the stored, order-keeping form)."""
    return [pair[1] for pair in parts] if isinstance(parts, list) else list(parts.values())


def _line_name(p: Mapping[str, Any]) -> str:
    return _("Dòng %(n)d") % {"n": p["line"] + 1}


def _product(p: Mapping[str, Any], product: Mapping[str, Any]) -> str:
    if Decimal(product["share"]) == 0:
        return _("sản phẩm %(p)d: %(n)d lần, chưa hoàn thành nên không bị trừ thêm") % {
            "p": product["product"],
            "n": product["events"],
        }
    return _(
        "sản phẩm %(p)d: %(n)d lần → %(share)s %(mul)s %(k)s %(minus)s %(rate)s %(mul)s %(k)s "
        "%(mul)s %(n)d = %(value)s (không nhỏ hơn 0)"
    ) % {
        "p": product["product"],
        "n": product["events"],
        "share": num(product["share"]),
        "k": num(p["coefficient"]),
        "rate": percent(p["deduction"]),
        "value": num(product["value"]),
        "mul": MUL,
        "minus": MINUS,
    }


def _per_product(p: Mapping[str, Any], events_key: str) -> str:
    """Art. 14 b, c [confirmed]: 25 % of *that product's* points, each product floored at 0."""
    return _(
        "%(m)s %(mul)s %(k)s = %(mk)s, trừ theo từng sản phẩm (có %(events)d lần, miễn trừ "
        "%(exempt)d): %(products)s → %(value)s"
    ) % {
        "m": num(p["completed"]),
        "k": num(p["coefficient"]),
        "mk": num(f"{(Decimal(p['completed']) * Decimal(p['coefficient'])).normalize():f}"),
        "mul": MUL,
        "events": p[events_key],
        "exempt": p["exempt"],
        "products": "; ".join(_product(p, product) for product in p["products"]),
        "value": num(p["value"]),
    }


def _deducted(p: Mapping[str, Any], events_key: str) -> str:
    if p.get("products") and p["counted"]:
        return _per_product(p, events_key)
    base = f"{num(p['completed'])} {MUL} {num(p['coefficient'])}"
    if not p["counted"]:
        text = _("%(base)s = %(value)s") % {"base": base, "value": num(p["value"])}
        if p["exempt"]:
            text += " " + _("(miễn trừ %(n)d lần do nguyên nhân khách quan)") % {"n": p["exempt"]}
        return text
    return _(
        "%(base)s %(minus)s %(rate)s %(mul)s %(k)s %(mul)s %(counted)d lần "
        "(có %(events)d lần, miễn trừ %(exempt)d) = %(value)s (không nhỏ hơn 0)"
    ) % {
        "base": base,
        "minus": MINUS,
        "mul": MUL,
        "rate": percent(p["deduction"]),
        "k": num(p["coefficient"]),
        "counted": p["counted"],
        "events": p[events_key],
        "exempt": p["exempt"],
        "value": num(p["value"]),
    }


def _criterion(p: Mapping[str, Any]) -> str:
    params = {
        "label": criterion_label(p["criterion"]),
        "num": num(p["numerator"]),
        "den": num(p["denominator"]),
        "raw": num(p["uncapped"]),
        "pct": num(p["percent"]),
    }
    if p["capped"]:
        return (
            _("%(label)s = %(num)s / %(den)s = %(raw)s%%, vượt mức tối đa nên tính %(pct)s%%.")
            % params
        )
    return _("%(label)s = %(num)s / %(den)s = %(pct)s%%.") % params


def _task_percent(p: Mapping[str, Any]) -> str:
    letters = " + ".join(LETTERS.get(c, c) for c in p["criteria"])
    return _("Tỷ lệ kết quả thực hiện nhiệm vụ = (%(letters)s) / %(count)d = %(pct)s%%.") % {
        "letters": letters,
        "count": p["count"],
        "pct": num(p["percent"]),
    }


def _marks(p: Mapping[str, Any]) -> str:
    if p["scale"] == p["max_points"]:
        return _("%(label)s: %(marks)s/%(max)s điểm.") % {
            "label": p["label"],
            "marks": num(p["marks"]),
            "max": num(p["max_points"]),
        }
    return _("%(label)s: %(marks)s/%(scale)s %(mul)s %(max)s = %(points)s điểm.") % {
        "label": p["label"],
        "marks": num(p["marks"]),
        "scale": num(p["scale"]),
        "max": num(p["max_points"]),
        "points": num(p["points"]),
        "mul": MUL,
    }


def _leader_lines(p: Mapping[str, Any]) -> str:
    if p["people"]:
        return _(
            "Kết quả a, b, c của lãnh đạo (Điều 15): %(own)d dòng sản phẩm của bản thân và "
            "%(lines)d dòng sản phẩm của %(people)d công chức thuộc phạm vi phụ trách (mỗi người "
            "tính một lần; quy đổi được giao %(assigned)s, hoàn thành %(completed)s)."
        ) % {
            "own": p["own"],
            "lines": p["lines"],
            "people": p["people"],
            "assigned": num(p["assigned"]),
            "completed": num(p["completed"]),
        }
    return _("Kết quả a, b, c của lãnh đạo (Điều 15): %(own)d dòng sản phẩm của bản thân.") % {
        "own": p["own"]
    }


def _leader_not_scored(p: Mapping[str, Any]) -> str:
    if p["leader_lines"] == "own_only":
        return _(
            "Lãnh đạo không có sản phẩm nào được giao trong kỳ; khung tiêu chí chỉ tính sản phẩm "
            "của bản thân (không tính sản phẩm của công chức thuộc phạm vi phụ trách): kỳ này "
            "không được chấm điểm."
        )
    return _(
        "Lãnh đạo và công chức thuộc phạm vi phụ trách không có sản phẩm nào được giao trong "
        "kỳ: kỳ này không được chấm điểm."
    )


def _unit_results(p: Mapping[str, Any]) -> str:
    text = _("Tiêu chí d: %(counted)d công chức thuộc phạm vi quản lý được tính") % {
        "counted": p["counted"]
    }
    if p["skipped"]:
        text += _(" (%(n)d người chưa được chấm điểm, không tính)") % {"n": p["skipped"]}
    return text + _("; %(below)d người dưới mức %(rating)s → d = %(pct)s%%.") % {
        "below": len(p["not_met"]),
        "rating": rating_label(p["min_rating"]),
        "pct": num(p["percent"]),
    }


def _unit_results_plan(p: Mapping[str, Any]) -> str:
    return _(
        "Tiêu chí d theo kết quả thực hiện kế hoạch công tác của đơn vị (Kế hoạch của UBND tỉnh "
        "Đắk Lắk, mục III.3): %(plans)s — hoàn thành %(done)d/%(total)d mục (%(share)s%%) → "
        "d = %(max)s%% × %(share)s%% = %(pct)s%%."
    ) % {
        "plans": "; ".join(p["plans"]),
        "done": p["done"],
        "total": p["total"],
        "share": num(p["share"]),
        "max": num(p["max_percent"]),
        "pct": num(p["percent"]),
    }


def _quota(p: Mapping[str, Any]) -> str:
    return _(
        "Tỷ lệ xuất sắc tối đa %(ratio)s số người hoàn thành tốt sau cùng: %(candidates)d người "
        "đủ điểm xuất sắc, %(good)d người hoàn thành tốt → giữ %(allowed)d người xuất sắc, "
        "%(good_after)d người hoàn thành tốt."
    ) % {
        "ratio": percent(p["ratio"]),
        "candidates": p["candidates"],
        "good": p["good"],
        "allowed": p["allowed"],
        "good_after": p["good_after"],
    }


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def annual_period_name(p: Mapping[str, Any]) -> str:
    """The period of an annual step: "Tháng 3", "Quý III", "6 tháng cuối năm", "Cả năm" — or
    "Kỳ n" for a period given without its calendar position."""
    kind, number = p.get("kind"), p.get("number")
    if kind == "month":
        return _("Tháng %(n)d") % {"n": number}
    if kind == "quarter":
        return _("Quý %(n)s") % {"n": ROMAN.get(number, number)}
    if kind == "half_year":
        return _("6 tháng đầu năm") if number == 1 else _("6 tháng cuối năm")
    if kind == "year":
        return _("Cả năm")
    return _("Kỳ %(n)d") % {"n": p["period"] + 1}


def months_list(months) -> str:
    return ", ".join(str(m) for m in months)


def _annual_period(p: Mapping[str, Any]) -> str:
    if not p.get("kind"):
        return _("%(period)s: %(total)s điểm.") % {
            "period": annual_period_name(p),
            "total": num(p["total"]),
        }
    return _("%(period)s: %(total)s điểm, tính cho tháng %(months)s (trọng số %(weight)d).") % {
        "period": annual_period_name(p),
        "total": num(p["total"]),
        "months": months_list(p["months"]),
        "weight": p["weight"],
    }


def _annual_not_scored(p: Mapping[str, Any]) -> str:
    if p.get("reason") == "min_months":
        return _(
            "Chưa đủ thời gian công tác để xếp loại: %(months)d tháng, tối thiểu %(minimum)d tháng."
        ) % {"months": p["months"], "minimum": p["min_months"]}
    return _("Không có kỳ nào được chấm điểm trong năm: chưa xếp loại.")


def _period_transfer(p: Mapping[str, Any]) -> str:
    import datetime

    names = list(p.get("names") or [])
    rule = p.get("rule") or TransferRule.END_OF_PERIOD
    label = dict(TransferRule.choices).get(rule, rule)
    return _(
        "Thay đổi nơi công tác trong kỳ: từ %(old)s sang %(new)s (từ ngày %(on)s). Kỳ này "
        "được tính cho %(governs)s theo quy tắc Sở Nội vụ chọn: %(rule)s. Pháp luật chưa quy "
        "định với kỳ tháng, quý; quy tắc khác có thể cho kết quả khác."
    ) % {
        "old": names[0] if names else "",
        "new": names[-1] if names else "",
        "on": datetime.date.fromisoformat(p["on"]).strftime("%d/%m/%Y"),
        "governs": p.get("governs_name") or "",
        "rule": label,
    }


def _framework_step(p: Mapping[str, Any], name: str) -> str:
    return _("Khung đánh giá: %(code)s (phiên bản %(version)s); vai trò: %(role)s.") % {
        "code": name,
        "version": p["version"],
        "role": role_label(p["role"], in_sentence=True),
    }


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "period_transfer": _period_transfer,
    "framework": lambda p: _framework_step(p, framework_name(p["framework"])),
    "line": lambda p: (
        _(
            "%(line)s: giao %(n)s %(mul)s hệ số %(k)s = %(nk)s; hoàn thành %(m)s %(mul)s %(k)s = "
            "%(mk)s (đã quy đổi)."
        )
        % {
            "line": _line_name(p),
            "n": num(p["assigned"]),
            "m": num(p["completed"]),
            "k": num(p["coefficient"]),
            "nk": num(p["assigned_converted"]),
            "mk": num(p["completed_converted"]),
            "mul": MUL,
        }
    ),
    "line_quality": lambda p: (
        _("%(line)s: đạt chất lượng = %(calc)s.")
        % {"line": _line_name(p), "calc": _deducted(p, "failed")}
    ),
    "line_timeliness": lambda p: (
        _("%(line)s: đạt tiến độ = %(calc)s.")
        % {"line": _line_name(p), "calc": _deducted(p, "delays")}
    ),
    "converted_totals": lambda p: (
        _(
            "Tổng quy đổi: được giao %(a)s; hoàn thành %(c)s; đạt chất lượng %(q)s; "
            "đạt tiến độ %(t)s."
        )
        % {
            "a": num(p["assigned"]),
            "c": num(p["completed"]),
            "q": num(p["quality"]),
            "t": num(p["timeliness"]),
        }
    ),
    "period_not_scored": lambda p: (
        _(
            "Đã có điểm tự chấm của tiêu chí %(marks)s, chờ lãnh đạo (người đánh giá) chấm: "
            "kỳ này có điểm sau khi người đánh giá chấm."
        )
        % {"marks": ", ".join(_mark_name(code) for code in p.get("marks", ()))}
        if p.get("reason") == "awaiting_evaluator"
        else _(
            "Không có sản phẩm/công việc được giao trong kỳ (tổng quy đổi được giao bằng 0): kỳ "
            "này không được chấm điểm."
        )
    ),
    "line_capped": lambda p: (
        (
            _(
                "%(line)s: chỉ tính %(counted)s trong %(completed)s sản phẩm hoàn thành (dòng "
                "không có số giao)."
            )
            if p["rule"] == "assigned_only"
            else _(
                "%(line)s: chỉ tính %(counted)s trong %(completed)s sản phẩm hoàn thành (không "
                "vượt số được giao, trước khi trừ điểm)."
            )
        )
        % {"line": _line_name(p), "counted": num(p["counted"]), "completed": num(p["completed"])}
    ),
    "rounding": lambda p: _rounding(p),
    "leader_lines": _leader_lines,
    "leader_not_scored": _leader_not_scored,
    "criterion_percent": _criterion,
    "leader_criterion": lambda p: (
        _("%(label)s = %(pct)s%%.")
        % {"label": criterion_label(p["criterion"]), "pct": num(p["percent"])}
    ),
    "leader_marks_ignored": lambda p: _(
        "Điểm các tiêu chí d, đ, e chỉ áp dụng cho công chức lãnh đạo, quản lý; đã bỏ qua."
    ),
    "task_percent": _task_percent,
    "task_points": lambda p: (
        _("%(label)s: %(pct)s%% %(mul)s %(max)s = %(points)s điểm.")
        % {
            "label": p["label"],
            "pct": num(p["percent"]),
            "max": num(p["max_points"]),
            "points": num(p["points"]),
            "mul": MUL,
        }
    ),
    "marks_points": _marks,
    "period_total": lambda p: (
        _("Tổng điểm kỳ = %(parts)s = %(total)s điểm.")
        % {"parts": " + ".join(num(v) for v in _values(p["parts"])), "total": num(p["total"])}
    ),
    "band": lambda p: (
        _("Mức theo điểm %(score)s: %(rating)s.")
        % {"score": num(p["score"]), "rating": rating_label(p["rating"])}
    ),
    "disqualifier": lambda p: (
        _("Thuộc trường hợp không hoàn thành nhiệm vụ (%(reason)s).")
        % {"reason": disqualifier_label(p["disqualifier"])}
    ),
    "disqualifier_not_applicable": lambda p: (
        _("Trường hợp %(reason)s chỉ áp dụng với công chức lãnh đạo, quản lý: không áp dụng.")
        % {"reason": disqualifier_label(p["disqualifier"])}
    ),
    "final_rating": lambda p: _("Xếp loại: %(rating)s.") % {"rating": rating_label(p["rating"])},
    "excellent_conditions": _excellent_conditions,
    "annual_excellent_conditions": _annual_excellent_conditions,
    "satisfaction_feed": _satisfaction_feed,
    "satisfaction_below_min": lambda p: (
        _(
            "Tiêu chí %(criteria)s: chưa đủ %(min)d ý kiến của người dân, doanh nghiệp (số ý "
            "kiến ít không được hiển thị): %(reading)s."
        )
        % {
            "criteria": ", ".join(p["criteria"]),
            "min": p["min_answers"],
            "reading": _("cho điểm tối đa")
            if p["reading"] == "full_marks"
            else _("giữ điểm của người đánh giá"),
        }
    ),
    "coordination_feed": _coordination_feed,
    "coordination_below_min": _coordination_below_min,
    "competency_feed": _competency_feed,
    "competency_incomplete": _competency_incomplete,
    "competency_none": _competency_none,
    "deputy_cap": _deputy_cap,
    "evaluated_post": _evaluated_post,
    "contract_worker": lambda p: (
        _(
            "Lao động hợp đồng (cách chấm riêng): chất lượng %(quality)s%%, chấp hành "
            "%(compliance)s%%, hiệu quả %(effectiveness)s%%."
        )
        % {key: num(p[key]) for key in ("quality", "compliance", "effectiveness")}
    ),
    "contract_worker_missing": lambda p: (
        _(
            "Lao động hợp đồng (cách chấm riêng): chưa có điểm %(criteria)s; kỳ này chưa được "
            "chấm điểm."
        )
        % {"criteria": ", ".join(_contract_name(code) for code in p.get("criteria", ()))}
    ),
    "contract_worker_score": lambda p: (
        _("Điểm = (chất lượng + chấp hành + hiệu quả) / 3 = %(score)s điểm: %(rating)s.")
        % {"score": num(p["score"]), "rating": rating_label(p["rating"])}
    ),
    "annual_period": _annual_period,
    "annual_period_skipped": lambda p: (
        _("%(period)s: không được chấm điểm, không tính vào điểm bình quân.")
        % {"period": annual_period_name(p)}
    ),
    "annual_period_covered": lambda p: (
        _(
            "%(period)s: %(total)s điểm, không tính vì các tháng của kỳ đã được tính theo kết quả "
            "từng tháng (không tính trùng)."
        )
        % {"period": annual_period_name(p), "total": num(p["total"])}
    ),
    "annual_mean": lambda p: (
        _("Điểm năm = %(sum)s / %(count)d kỳ = %(score)s điểm.")
        % {"sum": num(p["sum"]), "count": p["count"], "score": num(p["score"])}
    ),
    "annual_weighted_mean": lambda p: (
        _(
            "Điểm năm = tổng (điểm kỳ %(mul)s số tháng) / tổng số tháng = %(sum)s / %(months)d "
            "tháng = %(score)s điểm."
        )
        % {"mul": MUL, "sum": num(p["sum"]), "months": p["months"], "score": num(p["score"])}
    ),
    "annual_not_scored": _annual_not_scored,
    "unit_results": _unit_results,
    "unit_results_plan": _unit_results_plan,
    "quota_cap": _quota,
    "quota_kept": lambda p: (
        _("%(score)s điểm: giữ mức %(rating)s.")
        % {"score": num(p["score"]), "rating": rating_label("excellent")}
    ),
    "quota_demoted": lambda p: (
        _("%(score)s điểm: chuyển xuống mức %(rating)s do vượt tỷ lệ.")
        % {"score": num(p["score"]), "rating": rating_label("good")}
    ),
    "quota_tie_at_cut": lambda p: (
        _("%(n)d người cùng %(score)s điểm tại ngưỡng cắt: đề nghị cấp có thẩm quyền quyết định.")
        % {"n": len(p["ids"]), "score": num(p["score"])}
    ),
    "org_task": _org_task,
    "org_key_task_plan": _org_key_task_plan,
    "org_task_counts": lambda p: (
        _(
            "Tổng %(total)d nhiệm vụ được tính: %(on_time)d đúng hạn, %(exceeded)d vượt mức yêu "
            "cầu, %(late)d trễ hạn, %(not_done)d không hoàn thành."
        )
        % {key: p[key] for key in ("total", "on_time", "exceeded", "late", "not_done")}
    ),
    "org_task_percent": _org_task_percent,
    "org_score": lambda p: (
        _("Tổng điểm của tổ chức = %(score)s điểm.") % {"score": num(p["score"])}
        if p.get("exact") is None
        else _(
            "Tổng điểm của tổ chức = %(score)s điểm; xếp mức theo tổng điểm chưa làm tròn "
            "%(exact)s."
        )
        % {"score": num(p["score"]), "exact": p["exact"]}
    ),
    "org_level_check": _org_level,
    "org_staff_ratings": _org_staff_ratings,
    "org_not_completed": lambda p: (
        _("Không hoàn thành nhiệm vụ do %(reason)s.") % {"reason": org_reason_label(p["reason"])}
    ),
    "org_fall_through": lambda p: (
        _(
            "Không đáp ứng điều kiện của mức nào và không thuộc trường hợp không hoàn thành "
            "nhiệm vụ (mục III.3.d): %(reading)s → “%(rating)s”; cấp có thẩm quyền xem xét."
        )
        % {"reading": org_fall_through_label(p["reading"]), "rating": rating_label(p["rating"])}
    ),
    "org_not_scored": lambda p: (
        _(
            "Điểm tự chấm của tiêu chí %(marks)s chưa được cơ quan thẩm định chấm: tổ chức chưa "
            "được chấm điểm cho đến khi cơ quan thẩm định chấm."
        )
        % {"marks": ", ".join(p.get("marks", ()))}
        if p.get("reason") == "awaiting_evaluator"
        else _("Không có nhiệm vụ nào được tính: tổ chức chưa được đánh giá, xếp loại.")
    ),
}


def render_step(step: Mapping[str, Any], framework_names: Mapping[str, str] | None = None) -> str:
    if framework_names and step.get("code") == "framework":
        name = framework_names.get(step.get("framework"))
        if name is not None:
            # The framework row the caller already loaded: the same words, no query.
            return _framework_step(step, _framework_label(name))
    renderer = RENDERERS.get(step.get("code", ""))
    if renderer is None:
        params = ", ".join(f"{key}={value}" for key, value in step.items() if key != "code")
        return f"{step.get('code')}: {params}"
    return renderer(step)


def render_steps(
    steps: Iterable[Mapping[str, Any]], framework_names: Mapping[str, str] | None = None
) -> list[str]:
    """The steps in words. ``framework_names`` (``{code: name}``) may give the names of
    frameworks the caller has loaded already; others are looked up."""
    return [render_step(step, framework_names) for step in steps]
