"""Scoring frameworks as data.

A :class:`FrameworkRules` describes *everything* a province may vary — components and their
weights (optionally per job-position group), general sub-criteria, the task-result method,
leader criteria and their levels, bands, disqualifiers, the excellent quota and the
organisation rules — as frozen dataclasses with no code, no formula strings and no ``eval``.

Each rule or parameter object carries ``citation`` (a legal reference) and ``confidence``
(``confirmed`` | ``secondary`` | ``inferred`` | ``unknown``, see docs/scoring.md).

* :meth:`FrameworkRules.from_dict` parses the JSON-safe dictionary stored by the Django side
  (structure/type errors raise :class:`~scoring.engine.errors.FrameworkError`);
* :meth:`FrameworkRules.to_dict` produces it (Decimals as strings);
* :meth:`FrameworkRules.validate` returns the list of semantic problems (empty = usable).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from .constants import (
    ANNUAL_LEADER_ROLES,
    ANNUAL_METHODS,
    ANNUAL_WEIGHTINGS,
    COMPONENT_KINDS,
    CONFIDENCE_LEVELS,
    LEADER_CRITERIA,
    LEADER_LINE_SOURCES,
    LINE_CRITERIA,
    ORG_FALL_THROUGHS,
    ORG_OVERDUE_UNREPORTED,
    OVER_DELIVERY_RULES,
    PERIOD_TYPES,
    QUOTA_BASES,
    QUOTA_GROUPINGS,
    QUOTA_ROUNDINGS,
    RATINGS,
    ROUNDING_BANDINGS,
    ROUNDING_MODES,
    ROUNDING_STEPS,
    SELF_MARK_RULES,
)
from .decimals import ONE, ZERO, to_decimal
from .errors import FrameworkError

T = TypeVar("T")

# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class Parameter:
    """A numeric framework parameter with its legal basis."""

    value: Decimal
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


@dataclass(frozen=True)
class Flag:
    """A boolean framework switch with its legal basis."""

    enabled: bool
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


@dataclass(frozen=True)
class Choice:
    """A framework option picked from a closed list of codes, with its legal basis."""

    value: str
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


ND335_ART20_5 = "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5"


@dataclass(frozen=True)
class PositionGroup:
    """A job-position group (nhóm vị trí việc làm), e.g. leadership/professional/support."""

    code: str
    label: str = ""


@dataclass(frozen=True)
class CriteriaGroup:
    """A heading grouping sub-criteria (e.g. Form 01 groups I, II, III, 10 points each)."""

    code: str
    label: str
    max_points: Decimal
    citation: str = ""
    confidence: str = "unknown"


@dataclass(frozen=True)
class SubCriterion:
    """A marked sub-criterion (e.g. I.1, max 5)."""

    code: str
    label: str
    max_points: Decimal
    group: str = ""
    citation: str = ""
    confidence: str = "unknown"


@dataclass(frozen=True)
class Component:
    """A weighted part of the 100-point score.

    ``kind`` is ``"criteria_marks"`` (the evaluator marks sub-criteria; points =
    marks / Σ sub-criteria max * component max) or ``"task_results"`` (points =
    task percent * component max / 100).

    The maximum is either fixed (``max_points``) or depends on the job-position group
    (``max_points_by_group``), never both.
    """

    code: str
    label: str
    kind: str
    max_points: Decimal | None = None
    max_points_by_group: dict[str, Decimal] = field(default_factory=dict)
    groups: tuple[CriteriaGroup, ...] = ()
    criteria: tuple[SubCriterion, ...] = ()
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""

    @property
    def marks_scale(self) -> Decimal:
        """Σ of the sub-criteria maxima: the scale marks are entered on."""
        return sum((c.max_points for c in self.criteria), ZERO)

    @property
    def depends_on_group(self) -> bool:
        return bool(self.max_points_by_group)

    def max_for(self, position_group: str | None) -> Decimal:
        """The component maximum for a job-position group (``KeyError`` if unknown)."""
        if self.max_points is not None:
            return self.max_points
        if position_group is None or position_group not in self.max_points_by_group:
            raise KeyError(position_group)
        return self.max_points_by_group[position_group]


ND335_ART14 = "Nghị định 335/2025/NĐ-CP, Điều 14"

OVER_DELIVERY_DEFAULT = Choice(
    "pooled",
    citation=f"{ND335_ART14} (a = sản phẩm hoàn thành / sản phẩm được giao; mức trần 100 % là "
    "cách hiểu)",
    confidence="inferred",
    note="Sản phẩm hoàn thành vượt số giao và công việc phát sinh (số giao = 0) được cộng vào tử "
    "số của a, b, c; mức trần áp dụng cho từng tiêu chí sau khi trừ điểm, nên làm vượt bù được "
    "sản phẩm chưa hoàn thành và lần trừ điểm (C05, C06). Chọn cap_each_line để mỗi dòng chỉ "
    "tính tối đa số giao trước khi trừ, hoặc assigned_only để chỉ tính các dòng có số giao.",
)

LEADER_LINES_DEFAULT = Choice(
    "own_and_charge",
    citation="Nghị định 335/2025/NĐ-CP, Điều 15 khoản 1, 2",
    confidence="inferred",
    note="Nhiệm vụ của lãnh đạo gồm nhiệm vụ trực tiếp thực hiện và nhiệm vụ chỉ đạo, tổ chức, "
    "hướng dẫn, kiểm tra, giám sát liên quan đến sản phẩm của công chức thuộc phạm vi phụ trách: "
    "kết quả a, b, c của lãnh đạo tính trên sản phẩm của bản thân cộng sản phẩm của công chức "
    "thuộc phạm vi phụ trách (cấp trưởng: toàn bộ cơ quan, đơn vị mình đứng đầu; cấp phó: các "
    "đơn vị, người được phân công phụ trách — cùng phạm vi với tiêu chí d), mỗi người tính một "
    "lần. Lãnh đạo không có sản phẩm nào trong kỳ vẫn được chấm điểm.",
)


@dataclass(frozen=True)
class TaskMethod:
    """How a, b, c (and the leader criteria) become a task percent.

    Task percent = mean of the percentages listed in ``staff_criteria`` (role "staff") or
    ``leader_criteria`` (roles in ``leader_roles``); each of a, b, c is capped at
    ``cap_percent``. ``over_delivery`` (:data:`~scoring.engine.constants.OVER_DELIVERY_RULES`)
    says how completed > assigned and unplanned lines count. ``validate()`` requires 0 < cap ≤ 100
    (``None`` computes uncapped values but is never accepted: the total could exceed its maximum).

    ``leader_lines`` (:data:`~scoring.engine.constants.LEADER_LINE_SOURCES`, Art. 15 cl. 1-2
    [confirmed], the choice [inferred]) says which lines the service hands the engine for a
    leader's a, b, c; the engine itself only ever sees lines.
    """

    review_deduction: Parameter
    delay_deduction: Parameter
    cap_percent: Parameter | None
    staff_criteria: tuple[str, ...] = LINE_CRITERIA
    leader_criteria: tuple[str, ...] = LINE_CRITERIA + LEADER_CRITERIA
    leader_roles: tuple[str, ...] = ("head", "deputy")
    over_delivery: Choice = OVER_DELIVERY_DEFAULT
    leader_lines: Choice = LEADER_LINES_DEFAULT
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


@dataclass(frozen=True)
class LeaderLevel:
    """One allowed mark of a leader criterion (e.g. 100 % or 50 %)."""

    percent: Decimal
    label: str = ""


@dataclass(frozen=True)
class LeaderCriterion:
    """Leader criterion d, đ ("dd") or e, with the marks the evaluator may choose from.

    For ``d`` (unit results) ``min_rating`` is the lowest subordinate rating that counts as
    "met": d = highest level if every counted subordinate is at ``min_rating`` or better,
    lowest level otherwise.
    """

    code: str
    label: str
    levels: tuple[LeaderLevel, ...]
    min_rating: str | None = None
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""

    @property
    def allowed_percents(self) -> tuple[Decimal, ...]:
        return tuple(level.percent for level in self.levels)


@dataclass(frozen=True)
class Band:
    """A rating band: scores ≥ ``min_score`` (after rounding) get ``code``."""

    code: str
    label: str
    min_score: Decimal
    citation: str = ""
    confidence: str = "unknown"


@dataclass(frozen=True)
class Disqualifier:
    """A fact that forces "not_completed" regardless of the score."""

    code: str
    label: str
    leaders_only: bool = False
    citation: str = ""
    confidence: str = "unknown"


QUOTA_GROUP_BY_DEFAULT = Choice(
    "rater_agency",
    citation=f"{ND335_ART20_5} (“trong cùng cơ quan, tổ chức, đơn vị”)",
    confidence="inferred",
    note="Nhóm tính tỷ lệ là cơ quan có thẩm quyền xếp loại (người đứng đầu quyết định) × nhóm "
    "vị trí việc làm; dùng chung cho xếp loại dự kiến và khi quyết định.",
)
QUOTA_BASE_DEFAULT = Choice(
    "good_after",
    citation=ND335_ART20_5,
    confidence="inferred",
    note="Cơ sở tính là số được xếp loại hoàn thành tốt sau cùng (kể cả người bị chuyển từ "
    "xuất sắc xuống).",
)
QUOTA_ROUNDING_DEFAULT = Choice(
    "floor",
    citation=f"{ND335_ART20_5} (“không vượt quá”)",
    confidence="inferred",
    note="Làm tròn xuống: số xuất sắc không bao giờ vượt quá tỷ lệ.",
)


@dataclass(frozen=True)
class QuotaRule:
    """Excellent ≤ ratio * (number rated good), per quota group.

    ``group_by`` (a :data:`~scoring.engine.constants.QUOTA_GROUPINGS` code) says which agency a
    group is formed in — always split by job-position group (similar tasks); ``base`` whether
    the good count is taken after or before trimming; ``rounding`` how ratio × base becomes a
    whole number of people.
    """

    ratio: Parameter
    outstanding_ratio: Parameter
    group_by: Choice = QUOTA_GROUP_BY_DEFAULT
    base: Choice = QUOTA_BASE_DEFAULT
    rounding: Choice = QUOTA_ROUNDING_DEFAULT
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


ND335_ART21 = "Nghị định 335/2025/NĐ-CP, Điều 21"

ANNUAL_WEIGHTING_DEFAULT = Choice(
    "months",
    citation=f"{ND335_ART21} (“làm căn cứ tính điểm trung bình” của thời gian công tác)",
    confidence="inferred",
    note="Điểm năm là bình quân theo thời gian công tác thực tế: mỗi kỳ được tính theo số tháng "
    "kỳ đó bao phủ (tháng 1, quý 3, 6 tháng 6, năm 12, trừ các tháng đã có kết quả tháng); chỉ "
    "khác trung bình cộng khi một năm có kỳ dài ngắn khác nhau (chuyển công tác).",
)
ANNUAL_MIN_MONTHS_DEFAULT = Parameter(
    Decimal(0),
    citation=f"{ND335_ART21} (vắng mặt, nghỉ ốm, nghỉ thai sản: xếp loại theo kết quả thời gian "
    "công tác thực tế)",
    confidence="inferred",
    note="Không áp dụng thời gian công tác tối thiểu: Điều 21 cho xếp loại theo thời gian công tác "
    "thực tế; điều kiện 6 tháng của dự thảo (và của Nghị định 90/2020) không còn trong văn bản "
    "ban hành. Tỉnh có thể đặt 6 để áp dụng như Nghị định 90.",
)
ANNUAL_LEADER_ROLE_DEFAULT = Choice(
    "any_time_in_year",
    citation="Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm d",
    confidence="inferred",
    note="Trường hợp chỉ áp dụng với công chức lãnh đạo, quản lý được xét khi người đó giữ chức vụ "
    "lãnh đạo, quản lý vào bất kỳ thời điểm nào trong năm, không chỉ ngày 31/12.",
)


@dataclass(frozen=True)
class AnnualRule:
    """How period totals become the annual score (Art. 21).

    ``weighting`` (:data:`~scoring.engine.constants.ANNUAL_WEIGHTINGS`) weighs each counted
    period by the months it covers or counts it once; ``min_months`` (a whole number 0–12) is
    the worked time below which no annual score is formed (0 = none); ``leader_role`` says
    whether a leaders-only disqualifier considers a leader role held at any time in the year
    or only the role on 31 December.
    """

    method: str = "mean_of_scored_periods"
    weighting: Choice = ANNUAL_WEIGHTING_DEFAULT
    min_months: Parameter = ANNUAL_MIN_MONTHS_DEFAULT
    leader_role: Choice = ANNUAL_LEADER_ROLE_DEFAULT
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


ND335_ART20 = "Nghị định 335/2025/NĐ-CP, Điều 20"
FORM01 = "Mẫu số 01 kèm theo Nghị định 335/2025/NĐ-CP"

ROUNDING_PLACES_DEFAULT = Parameter(
    Decimal(2),
    citation=f"{FORM01} (điểm ghi đến hai chữ số thập phân)",
    confidence="inferred",
    note="Văn bản không quy định làm tròn; điểm được ghi đến 2 chữ số thập phân (0 đến 2).",
)
ROUNDING_MODE_DEFAULT = Choice(
    "half_up",
    citation=FORM01,
    confidence="inferred",
    note="Làm tròn thông thường (từ 5 trở lên làm tròn lên).",
)
ROUNDING_STEPS_DEFAULT = Choice(
    "each_printed_figure",
    citation=FORM01,
    confidence="inferred",
    note="Mỗi số in trên Phiếu (a, b, c, tỷ lệ kết quả nhiệm vụ, điểm nhiệm vụ, điểm tiêu chí "
    "chung) được làm tròn và số sau tính từ số đã làm tròn, nên công chức cộng lại các số in "
    "trên Phiếu sẽ ra đúng tổng điểm và mức xếp loại (C23). Chọn once để giữ chính xác đến "
    "cuối và chỉ làm tròn tổng điểm.",
)
ROUNDING_BANDING_DEFAULT = Choice(
    "rounded",
    citation=f"{ND335_ART20} (“từ 90 điểm trở lên”, “từ 70 điểm đến dưới 90 điểm”)",
    confidence="inferred",
    note="Mức xếp loại theo tổng điểm đã làm tròn (tổng điểm in trên Phiếu): 89,995 → 90,00 là "
    "xuất sắc. Chọn exact để so tổng điểm chưa làm tròn với ngưỡng (89,995 là hoàn thành tốt).",
)


@dataclass(frozen=True)
class RoundingRule:
    """How reported figures are rounded and which total the bands see (Art. 20 [unknown] on
    rounding).

    ``places`` (0–2) and ``mode`` (:data:`~scoring.engine.constants.ROUNDING_MODES`) round
    every reported figure; ``steps`` (:data:`~scoring.engine.constants.ROUNDING_STEPS`) says
    whether each printed figure is rounded and the next one computed from it, or only the
    total; ``banding`` (:data:`~scoring.engine.constants.ROUNDING_BANDINGS`) whether the bands
    compare the rounded or the exact total.
    """

    places: Parameter = ROUNDING_PLACES_DEFAULT
    mode: Choice = ROUNDING_MODE_DEFAULT
    steps: Choice = ROUNDING_STEPS_DEFAULT
    banding: Choice = ROUNDING_BANDING_DEFAULT
    citation: str = f"{ND335_ART20}; {FORM01}"
    confidence: str = "inferred"
    note: str = "Văn bản không quy định làm tròn; đây là lựa chọn của khung."

    @property
    def digits(self) -> int:
        return int(self.places.value)


SELF_MARK_DEFAULT = Choice(
    "not_scored",
    citation=f"{FORM01} (cột điểm của người đánh giá riêng với cột tự chấm); kế hoạch Gia Lai "
    "§III.4.b (kết quả thẩm định là kết quả đánh giá)",
    confidence="inferred",
    note="Điểm tự chấm chưa được người đánh giá chấm không được dùng: kỳ đánh giá “không được "
    "chấm điểm” (lý do: chờ người đánh giá chấm) cho đến khi người đánh giá chấm. Chọn counts "
    "để dùng điểm tự chấm khi chưa có điểm của người đánh giá.",
)


@dataclass(frozen=True)
class MarksRule:
    """How general-criteria marks are taken: ``self_mark_without_evaluator``
    (:data:`~scoring.engine.constants.SELF_MARK_RULES`)."""

    self_mark_without_evaluator: Choice = SELF_MARK_DEFAULT
    citation: str = FORM01
    confidence: str = "inferred"
    note: str = ""


@dataclass(frozen=True)
class OrganisationLevel:
    """Score threshold and extra conditions for one organisation rating level."""

    rating: str
    min_score: Decimal
    require_all_done: bool = True
    max_late_share: Decimal | None = None
    min_exceeded_share: Decimal | None = None
    require_no_failed_subunit: bool = False
    require_shortcomings_remedied: bool = False
    citation: str = ""
    confidence: str = "unknown"


GIA_LAI_III_3_D = (
    "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm d; "
    "Quy định 366-QĐ/TW, Điều 11"
)
ORG_FALL_THROUGH_DEFAULT = Choice(
    "lowest_level",
    citation=GIA_LAI_III_3_D,
    confidence="secondary",
    note="Tổ chức không đáp ứng điều kiện của mức nào nhưng không thuộc trường hợp không hoàn "
    "thành nhiệm vụ (điểm d liệt kê đủ các trường hợp: dưới 50 điểm, hoàn thành dưới 70% "
    "nhiệm vụ, bị kết luận sai phạm trong công tác cán bộ) được xếp mức thấp nhất (hoàn thành "
    "nhiệm vụ), ghi rõ các điều kiện chưa đạt để cấp có thẩm quyền xem xét.",
)
ORG_OVERDUE_UNREPORTED_DEFAULT = Choice(
    "not_done",
    citation="Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm d "
    "(“hoàn thành dưới 70% nhiệm vụ theo chương trình, kế hoạch trong năm”)",
    confidence="inferred",
    note="Nhiệm vụ đã quá hạn mà chưa báo cáo kết quả được tính là không hoàn thành; nhiệm vụ "
    "chưa đến hạn không được tính.",
)


@dataclass(frozen=True)
class OrganisationRules:
    """Rules for rating agencies and units (30 general + 70 task results).

    ``fall_through`` (an :data:`~scoring.engine.constants.ORG_FALL_THROUGHS` code): the rating
    when no level's conditions hold and no "not completed" case applies; ``overdue_unreported``
    (:data:`~scoring.engine.constants.ORG_OVERDUE_UNREPORTED`): how a task past its deadline
    without a reported outcome counts (used by the Django side when it builds the inputs).
    """

    general: Component
    task_max: Parameter
    late_deduction: Parameter
    min_done_share: Parameter
    levels: tuple[OrganisationLevel, ...]
    disqualifiers: tuple[Disqualifier, ...] = ()
    cap_head_by_agency: Flag = Flag(True)
    fall_through: Choice = ORG_FALL_THROUGH_DEFAULT
    overdue_unreported: Choice = ORG_OVERDUE_UNREPORTED_DEFAULT
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


@dataclass(frozen=True)
class FrameworkRules:
    """A complete scoring framework (see module docstring)."""

    code: str
    name: str
    version: str
    period_type: str
    total_max: Decimal
    components: tuple[Component, ...]
    task_method: TaskMethod
    leader_criteria: tuple[LeaderCriterion, ...]
    bands: tuple[Band, ...]
    disqualifiers: tuple[Disqualifier, ...]
    quota: QuotaRule
    annual: AnnualRule = AnnualRule()
    organisation: OrganisationRules | None = None
    rounding: RoundingRule = RoundingRule()
    marks: MarksRule = MarksRule()
    position_groups: tuple[PositionGroup, ...] = ()
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""

    # ----------------------------------------------------------------- lookups

    def component(self, code: str) -> Component:
        for component in self.components:
            if component.code == code:
                return component
        raise KeyError(code)

    @property
    def task_component(self) -> Component:
        for component in self.components:
            if component.kind == "task_results":
                return component
        raise KeyError("task_results")

    @property
    def marks_components(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.kind == "criteria_marks")

    @property
    def needs_position_group(self) -> bool:
        return any(c.depends_on_group for c in self.components)

    def leader_criterion(self, code: str) -> LeaderCriterion:
        for criterion in self.leader_criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(code)

    def disqualifier(self, code: str) -> Disqualifier:
        for disqualifier in self.disqualifiers:
            if disqualifier.code == code:
                return disqualifier
        raise KeyError(code)

    def is_leader_role(self, role: str) -> bool:
        return role in self.task_method.leader_roles

    def criteria_for_role(self, role: str) -> tuple[str, ...]:
        method = self.task_method
        return method.leader_criteria if self.is_leader_role(role) else method.staff_criteria

    # ----------------------------------------------------------- (de)serialise

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (Decimals as strings); inverse of :meth:`from_dict`."""
        return _dump(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FrameworkRules:
        """Parse a dictionary produced by :meth:`to_dict` (or written by hand).

        Optional keys may be omitted (citations default to ``""``, confidence to
        ``"unknown"``). Raises :class:`FrameworkError` with a path on structural errors.
        """
        return _parse_framework(_Reader(data, "framework"))

    # ---------------------------------------------------------------- validate

    def validate(self) -> list[str]:
        """Semantic checks; returns Vietnamese messages prefixed with a path."""
        return _validate(self)


def framework_from_dict(data: Mapping[str, Any]) -> FrameworkRules:
    """Module-level alias of :meth:`FrameworkRules.from_dict`."""
    return FrameworkRules.from_dict(data)


# --------------------------------------------------------------------------- to_dict


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_dump(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _dump(item) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------- from_dict

_MISSING = object()


class _Reader:
    """Typed access to a mapping, raising :class:`FrameworkError` with a path."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise FrameworkError(path, "phải là một đối tượng (dict)")
        self.data = data
        self.path = path

    def _raw(self, key: str, default: Any) -> Any:
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        if default is _MISSING:
            raise FrameworkError(f"{self.path}.{key}", "thiếu trường bắt buộc")
        return default

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is not default and not isinstance(value, str):
            raise FrameworkError(f"{self.path}.{key}", "phải là chuỗi ký tự")
        return value

    def flag(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is not default and not isinstance(value, bool):
            raise FrameworkError(f"{self.path}.{key}", "phải là true/false")
        return value

    def dec(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is default:
            return value
        return _decimal(value, f"{self.path}.{key}")

    def sub(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is default:
            return value
        return _Reader(value, f"{self.path}.{key}")

    def items(self, key: str, parse: Callable[[_Reader], T], default: Any = ()) -> tuple[T, ...]:
        value = self._raw(key, default)
        if value is default:
            return value
        if not isinstance(value, (list, tuple)):
            raise FrameworkError(f"{self.path}.{key}", "phải là một danh sách")
        return tuple(
            parse(_Reader(item, f"{self.path}.{key}[{i}]")) for i, item in enumerate(value)
        )

    def strs(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is default:
            return value
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise FrameworkError(f"{self.path}.{key}", "phải là danh sách chuỗi ký tự")
        return tuple(value)

    def dec_map(self, key: str) -> dict[str, Decimal]:
        value = self._raw(key, {})
        if not isinstance(value, Mapping):
            raise FrameworkError(f"{self.path}.{key}", "phải là một đối tượng (dict)")
        return {str(k): _decimal(v, f"{self.path}.{key}.{k}") for k, v in value.items()}

    def meta(self) -> dict[str, str]:
        """citation / confidence / note of a rule object."""
        return {
            "citation": self.text("citation", ""),
            "confidence": self.text("confidence", "unknown"),
        }

    def meta_note(self) -> dict[str, str]:
        return {**self.meta(), "note": self.text("note", "")}


def _decimal(value: Any, path: str) -> Decimal:
    try:
        return to_decimal(value)
    except (TypeError, ValueError) as exc:
        raise FrameworkError(path, "phải là một số") from exc


def _parse_parameter(r: _Reader) -> Parameter:
    return Parameter(value=r.dec("value"), **r.meta_note())


def _parse_flag(r: _Reader) -> Flag:
    return Flag(enabled=r.flag("enabled"), **r.meta_note())


def _parse_position_group(r: _Reader) -> PositionGroup:
    return PositionGroup(code=r.text("code"), label=r.text("label", ""))


def _parse_criteria_group(r: _Reader) -> CriteriaGroup:
    return CriteriaGroup(
        code=r.text("code"), label=r.text("label", ""), max_points=r.dec("max_points"), **r.meta()
    )


def _parse_sub_criterion(r: _Reader) -> SubCriterion:
    return SubCriterion(
        code=r.text("code"),
        label=r.text("label", ""),
        max_points=r.dec("max_points"),
        group=r.text("group", ""),
        **r.meta(),
    )


def _parse_component(r: _Reader) -> Component:
    return Component(
        code=r.text("code"),
        label=r.text("label", ""),
        kind=r.text("kind"),
        max_points=r.dec("max_points", None),
        max_points_by_group=r.dec_map("max_points_by_group"),
        groups=r.items("groups", _parse_criteria_group),
        criteria=r.items("criteria", _parse_sub_criterion),
        **r.meta_note(),
    )


def _parse_task_method(r: _Reader) -> TaskMethod:
    cap = r.sub("cap_percent", None)
    return TaskMethod(
        review_deduction=_parse_parameter(r.sub("review_deduction")),
        delay_deduction=_parse_parameter(r.sub("delay_deduction")),
        cap_percent=None if cap is None else _parse_parameter(cap),
        staff_criteria=r.strs("staff_criteria", LINE_CRITERIA),
        leader_criteria=r.strs("leader_criteria", LINE_CRITERIA + LEADER_CRITERIA),
        leader_roles=r.strs("leader_roles", ("head", "deputy")),
        over_delivery=_parse_choice(r, "over_delivery", OVER_DELIVERY_DEFAULT),
        leader_lines=_parse_choice(r, "leader_lines", LEADER_LINES_DEFAULT),
        **r.meta_note(),
    )


def _parse_leader_level(r: _Reader) -> LeaderLevel:
    return LeaderLevel(percent=r.dec("percent"), label=r.text("label", ""))


def _parse_leader_criterion(r: _Reader) -> LeaderCriterion:
    return LeaderCriterion(
        code=r.text("code"),
        label=r.text("label", ""),
        levels=r.items("levels", _parse_leader_level, _MISSING),
        min_rating=r.text("min_rating", None),
        **r.meta_note(),
    )


def _parse_band(r: _Reader) -> Band:
    return Band(
        code=r.text("code"), label=r.text("label", ""), min_score=r.dec("min_score"), **r.meta()
    )


def _parse_disqualifier(r: _Reader) -> Disqualifier:
    return Disqualifier(
        code=r.text("code"),
        label=r.text("label", ""),
        leaders_only=r.flag("leaders_only", False),
        **r.meta(),
    )


def _parse_choice(r: _Reader, key: str, default: Choice) -> Choice:
    """An option given as ``{"value": code, "citation": …}`` (or a bare code string)."""
    raw = r.data.get(key)
    if raw is None:
        return default
    if isinstance(raw, str):
        return Choice(value=raw)
    sub = r.sub(key)
    return Choice(value=sub.text("value"), **sub.meta_note())


def _parse_quota(r: _Reader) -> QuotaRule:
    return QuotaRule(
        ratio=_parse_parameter(r.sub("ratio")),
        outstanding_ratio=_parse_parameter(r.sub("outstanding_ratio")),
        group_by=_parse_choice(r, "group_by", QUOTA_GROUP_BY_DEFAULT),
        base=_parse_choice(r, "base", QUOTA_BASE_DEFAULT),
        rounding=_parse_choice(r, "rounding", QUOTA_ROUNDING_DEFAULT),
        **r.meta_note(),
    )


def _parse_annual(r: _Reader) -> AnnualRule:
    minimum = r.sub("min_months", None)
    return AnnualRule(
        method=r.text("method", "mean_of_scored_periods"),
        weighting=_parse_choice(r, "weighting", ANNUAL_WEIGHTING_DEFAULT),
        min_months=ANNUAL_MIN_MONTHS_DEFAULT if minimum is None else _parse_parameter(minimum),
        leader_role=_parse_choice(r, "leader_role", ANNUAL_LEADER_ROLE_DEFAULT),
        **r.meta_note(),
    )


def _parse_rounding(r: _Reader) -> RoundingRule:
    places = r.sub("places", None)
    return RoundingRule(
        places=ROUNDING_PLACES_DEFAULT if places is None else _parse_parameter(places),
        mode=_parse_choice(r, "mode", ROUNDING_MODE_DEFAULT),
        steps=_parse_choice(r, "steps", ROUNDING_STEPS_DEFAULT),
        banding=_parse_choice(r, "banding", ROUNDING_BANDING_DEFAULT),
        **r.meta_note(),
    )


def _parse_marks(r: _Reader) -> MarksRule:
    return MarksRule(
        self_mark_without_evaluator=_parse_choice(
            r, "self_mark_without_evaluator", SELF_MARK_DEFAULT
        ),
        **r.meta_note(),
    )


def _parse_org_level(r: _Reader) -> OrganisationLevel:
    return OrganisationLevel(
        rating=r.text("rating"),
        min_score=r.dec("min_score"),
        require_all_done=r.flag("require_all_done", True),
        max_late_share=r.dec("max_late_share", None),
        min_exceeded_share=r.dec("min_exceeded_share", None),
        require_no_failed_subunit=r.flag("require_no_failed_subunit", False),
        require_shortcomings_remedied=r.flag("require_shortcomings_remedied", False),
        **r.meta(),
    )


def _parse_organisation(r: _Reader) -> OrganisationRules:
    cap = r.sub("cap_head_by_agency", None)
    return OrganisationRules(
        general=_parse_component(r.sub("general")),
        task_max=_parse_parameter(r.sub("task_max")),
        late_deduction=_parse_parameter(r.sub("late_deduction")),
        min_done_share=_parse_parameter(r.sub("min_done_share")),
        levels=r.items("levels", _parse_org_level, _MISSING),
        disqualifiers=r.items("disqualifiers", _parse_disqualifier),
        cap_head_by_agency=Flag(True) if cap is None else _parse_flag(cap),
        fall_through=_parse_choice(r, "fall_through", ORG_FALL_THROUGH_DEFAULT),
        overdue_unreported=_parse_choice(r, "overdue_unreported", ORG_OVERDUE_UNREPORTED_DEFAULT),
        **r.meta_note(),
    )


def _parse_framework(r: _Reader) -> FrameworkRules:
    annual = r.sub("annual", None)
    organisation = r.sub("organisation", None)
    rounding = r.sub("rounding", None)
    marks = r.sub("marks", None)
    return FrameworkRules(
        code=r.text("code"),
        name=r.text("name", ""),
        version=r.text("version", "1"),
        period_type=r.text("period_type", "month"),
        total_max=r.dec("total_max", Decimal(100)),
        components=r.items("components", _parse_component, _MISSING),
        task_method=_parse_task_method(r.sub("task_method")),
        leader_criteria=r.items("leader_criteria", _parse_leader_criterion),
        bands=r.items("bands", _parse_band, _MISSING),
        disqualifiers=r.items("disqualifiers", _parse_disqualifier),
        quota=_parse_quota(r.sub("quota")),
        annual=AnnualRule() if annual is None else _parse_annual(annual),
        organisation=None if organisation is None else _parse_organisation(organisation),
        rounding=RoundingRule() if rounding is None else _parse_rounding(rounding),
        marks=MarksRule() if marks is None else _parse_marks(marks),
        position_groups=r.items("position_groups", _parse_position_group),
        **r.meta_note(),
    )


# --------------------------------------------------------------------------- validate


def _validate(rules: FrameworkRules) -> list[str]:
    errors: list[str] = []

    def err(path: str, message: str) -> None:
        errors.append(f"{path}: {message}")

    _check_confidence(rules, "framework", err)
    if not rules.code:
        err("framework.code", "không được để trống")
    if rules.period_type not in PERIOD_TYPES:
        err("framework.period_type", f"phải là một trong {', '.join(PERIOD_TYPES)}")
    if rules.total_max <= 0:
        err("framework.total_max", "phải lớn hơn 0")

    group_codes = [g.code for g in rules.position_groups]
    _check_unique(group_codes, "framework.position_groups", err)
    _validate_components(rules, set(group_codes), err)
    _validate_task_method(rules, err)
    _validate_leader_criteria(rules, err)
    _validate_bands(rules.bands, rules.total_max, "framework.bands", err)
    _validate_disqualifiers(rules.disqualifiers, "framework.disqualifiers", err)
    for name in ("ratio", "outstanding_ratio"):
        value = getattr(rules.quota, name).value
        if not ZERO < value <= ONE:
            err(f"framework.quota.{name}", "phải lớn hơn 0 và không vượt quá 1")
    for name, allowed in (
        ("group_by", QUOTA_GROUPINGS),
        ("base", QUOTA_BASES),
        ("rounding", QUOTA_ROUNDINGS),
    ):
        _check_choice(getattr(rules.quota, name), allowed, f"framework.quota.{name}", err)
    _validate_annual(rules.annual, err)
    _validate_rounding(rules.rounding, err)
    _check_choice(
        rules.marks.self_mark_without_evaluator,
        SELF_MARK_RULES,
        "framework.marks.self_mark_without_evaluator",
        err,
    )
    if rules.organisation is not None:
        _validate_organisation(rules.organisation, rules.total_max, err)
    return errors


def _validate_annual(annual: AnnualRule, err: Callable[[str, str], None]) -> None:
    path = "framework.annual"
    if annual.method not in ANNUAL_METHODS:
        err(f"{path}.method", f"phải là một trong {', '.join(ANNUAL_METHODS)}")
    _check_choice(annual.weighting, ANNUAL_WEIGHTINGS, f"{path}.weighting", err)
    _check_choice(annual.leader_role, ANNUAL_LEADER_ROLES, f"{path}.leader_role", err)
    minimum = annual.min_months.value
    if minimum != minimum.to_integral_value() or not ZERO <= minimum <= 12:
        err(f"{path}.min_months", "phải là số tháng nguyên từ 0 đến 12")


def _validate_rounding(rounding: RoundingRule, err: Callable[[str, str], None]) -> None:
    path = "framework.rounding"
    places = rounding.places.value
    # Stored scores keep 2 decimals: more places would be rounded again when saved.
    if places != places.to_integral_value() or not ZERO <= places <= 2:
        err(f"{path}.places", "phải là số nguyên từ 0 đến 2")
    _check_choice(rounding.mode, ROUNDING_MODES, f"{path}.mode", err)
    _check_choice(rounding.steps, ROUNDING_STEPS, f"{path}.steps", err)
    _check_choice(rounding.banding, ROUNDING_BANDINGS, f"{path}.banding", err)


def _check_confidence(obj: Any, path: str, err: Callable[[str, str], None]) -> None:
    """Walk all rule objects and check their confidence tag."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name == "confidence" and value not in CONFIDENCE_LEVELS:
            err(f"{path}.confidence", f"phải là một trong {', '.join(CONFIDENCE_LEVELS)}")
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                _check_confidence(item, f"{path}.{f.name}[{i}]", err)
        else:
            _check_confidence(value, f"{path}.{f.name}", err)


def _check_choice(
    choice: Choice, allowed: tuple[str, ...], path: str, err: Callable[[str, str], None]
) -> None:
    if choice.value not in allowed:
        err(f"{path}.value", f"phải là một trong {', '.join(allowed)}")


def _check_unique(codes: list[str], path: str, err: Callable[[str, str], None]) -> None:
    seen: set[str] = set()
    for code in codes:
        if not code:
            err(path, "mã không được để trống")
        elif code in seen:
            err(path, f"mã '{code}' bị trùng")
        seen.add(code)


def _validate_component(
    component: Component,
    path: str,
    group_codes: set[str],
    err: Callable[[str, str], None],
) -> None:
    if component.kind not in COMPONENT_KINDS:
        err(f"{path}.kind", f"phải là một trong {', '.join(COMPONENT_KINDS)}")
    fixed, by_group = component.max_points, component.max_points_by_group
    if (fixed is None) == (not by_group):
        err(path, "phải có đúng một trong max_points hoặc max_points_by_group")
    if fixed is not None and fixed <= 0:
        err(f"{path}.max_points", "phải lớn hơn 0")
    if by_group:
        if set(by_group) != group_codes:
            err(
                f"{path}.max_points_by_group",
                "phải khai báo đúng các nhóm vị trí việc làm: " + ", ".join(sorted(group_codes)),
            )
        for code, value in by_group.items():
            if value <= 0:
                err(f"{path}.max_points_by_group.{code}", "phải lớn hơn 0")
    if component.kind == "task_results" and (component.criteria or component.groups):
        err(f"{path}.criteria", "thành phần kết quả nhiệm vụ không có tiêu chí chấm điểm")
    if component.kind != "criteria_marks":
        return
    if not component.criteria:
        err(f"{path}.criteria", "phải có ít nhất một tiêu chí thành phần")
        return
    _check_unique([c.code for c in component.criteria], f"{path}.criteria", err)
    for i, criterion in enumerate(component.criteria):
        if criterion.max_points <= 0:
            err(f"{path}.criteria[{i}].max_points", "phải lớn hơn 0")
    if fixed is not None and component.marks_scale != fixed:
        err(
            f"{path}.criteria",
            f"tổng điểm tối đa của các tiêu chí thành phần ({component.marks_scale}) "
            f"phải bằng điểm tối đa của thành phần ({fixed})",
        )
    if component.groups:
        _check_unique([g.code for g in component.groups], f"{path}.groups", err)
        for i, group in enumerate(component.groups):
            total = sum((c.max_points for c in component.criteria if c.group == group.code), ZERO)
            if total != group.max_points:
                err(
                    f"{path}.groups[{i}]",
                    f"tổng điểm tối đa các tiêu chí của nhóm '{group.code}' ({total}) "
                    f"phải bằng {group.max_points}",
                )
        known = {g.code for g in component.groups}
        for i, criterion in enumerate(component.criteria):
            if criterion.group not in known:
                err(f"{path}.criteria[{i}].group", f"nhóm '{criterion.group}' chưa được khai báo")


def _validate_components(
    rules: FrameworkRules, group_codes: set[str], err: Callable[[str, str], None]
) -> None:
    path = "framework.components"
    if not rules.components:
        err(path, "phải có ít nhất một thành phần")
        return
    _check_unique([c.code for c in rules.components], path, err)
    task_count = sum(1 for c in rules.components if c.kind == "task_results")
    if task_count != 1:
        err(path, "phải có đúng một thành phần loại task_results")
    for i, component in enumerate(rules.components):
        _validate_component(component, f"{path}[{i}]", group_codes, err)
    if any(c.depends_on_group for c in rules.components) and not group_codes:
        err("framework.position_groups", "phải khai báo nhóm vị trí việc làm")
    for group in sorted(group_codes) or [None]:
        try:
            total = sum((c.max_for(group) for c in rules.components), ZERO)
        except KeyError:
            continue  # reported above
        if total != rules.total_max:
            where = f" (nhóm '{group}')" if group else ""
            err(
                path,
                f"tổng điểm tối đa các thành phần{where} là {total}, phải bằng {rules.total_max}",
            )


def _validate_task_method(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.task_method"
    method = rules.task_method
    for name in ("review_deduction", "delay_deduction"):
        value = getattr(method, name).value
        if not ZERO <= value <= ONE:
            err(f"{path}.{name}", "phải nằm trong khoảng 0 đến 1")
    # Art. 12: the task component is worth at most its maximum, so a, b, c must be capped at
    # 100 % at most; otherwise over-delivery gives totals above total_max (W7: 135 points).
    cap = method.cap_percent
    if cap is None or not ZERO < cap.value <= 100:
        err(
            f"{path}.cap_percent",
            "bắt buộc, từ trên 0 đến 100 (%) để tổng điểm không vượt quá điểm tối đa",
        )
    if not method.staff_criteria:
        err(f"{path}.staff_criteria", "không được để trống")
    for code in method.staff_criteria:
        if code not in LINE_CRITERIA:
            err(f"{path}.staff_criteria", f"'{code}' không phải là a, b hoặc c")
    defined = {c.code for c in rules.leader_criteria}
    if not method.leader_criteria:
        err(f"{path}.leader_criteria", "không được để trống")
    for code in method.leader_criteria:
        if code not in LINE_CRITERIA and code not in defined:
            err(f"{path}.leader_criteria", f"tiêu chí '{code}' chưa được khai báo")
    for name in ("staff_criteria", "leader_criteria", "leader_roles"):
        values = list(getattr(method, name))
        if len(values) != len(set(values)):
            err(f"{path}.{name}", "có mã bị trùng")
    _check_choice(method.over_delivery, OVER_DELIVERY_RULES, f"{path}.over_delivery", err)
    for role in method.leader_roles:
        if role not in ("head", "deputy"):
            err(f"{path}.leader_roles", f"vai trò '{role}' không hợp lệ (head, deputy)")
    _check_choice(method.leader_lines, LEADER_LINE_SOURCES, f"{path}.leader_lines", err)


def _validate_leader_criteria(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.leader_criteria"
    _check_unique([c.code for c in rules.leader_criteria], path, err)
    for i, criterion in enumerate(rules.leader_criteria):
        here = f"{path}[{i}]"
        if criterion.code not in LEADER_CRITERIA:
            err(f"{here}.code", "phải là d, dd hoặc e")
        if not criterion.levels:
            err(f"{here}.levels", "phải có ít nhất một mức")
        percents = criterion.allowed_percents
        if len(set(percents)) != len(percents):
            err(f"{here}.levels", "có mức bị trùng")
        for j, percent in enumerate(percents):
            if not ZERO <= percent <= 100:
                err(f"{here}.levels[{j}].percent", "phải nằm trong khoảng 0 đến 100")
        if criterion.code == "d" and criterion.min_rating not in RATINGS:
            err(f"{here}.min_rating", f"phải là một trong {', '.join(RATINGS)}")


def _validate_bands(
    bands: tuple[Band, ...], total_max: Decimal, path: str, err: Callable[[str, str], None]
) -> None:
    codes = tuple(b.code for b in bands)
    if codes != RATINGS:
        err(path, f"phải gồm đúng các mức theo thứ tự: {', '.join(RATINGS)}")
        return
    for i in range(1, len(bands)):
        if bands[i].min_score >= bands[i - 1].min_score:
            err(f"{path}[{i}].min_score", "các ngưỡng điểm phải giảm dần")
    if bands[-1].min_score != 0:
        err(f"{path}[{len(bands) - 1}].min_score", "ngưỡng của mức thấp nhất phải là 0")
    if bands[0].min_score > total_max:
        err(f"{path}[0].min_score", "không được vượt quá tổng điểm tối đa")


def _validate_disqualifiers(
    items: tuple[Disqualifier, ...], path: str, err: Callable[[str, str], None]
) -> None:
    _check_unique([d.code for d in items], path, err)


def _validate_organisation(
    org: OrganisationRules, total_max: Decimal, err: Callable[[str, str], None]
) -> None:
    path = "framework.organisation"
    if org.general.kind != "criteria_marks" or org.general.max_points is None:
        err(f"{path}.general", "phải là thành phần criteria_marks có max_points cố định")
    else:
        _validate_component(org.general, f"{path}.general", set(), err)
        if org.general.max_points + org.task_max.value != total_max:
            err(path, f"điểm tiêu chí chung + điểm kết quả nhiệm vụ phải bằng {total_max}")
    if org.task_max.value <= 0:
        err(f"{path}.task_max", "phải lớn hơn 0")
    for name in ("late_deduction", "min_done_share"):
        if not ZERO <= getattr(org, name).value <= ONE:
            err(f"{path}.{name}", "phải nằm trong khoảng 0 đến 1")
    ratings = [level.rating for level in org.levels]
    expected = [r for r in RATINGS[:-1] if r in ratings]
    if ratings != expected or not ratings:
        err(f"{path}.levels", "các mức phải thuộc excellent, good, completed, theo thứ tự đó")
    for i, level in enumerate(org.levels):
        if i and level.min_score >= org.levels[i - 1].min_score:
            err(f"{path}.levels[{i}].min_score", "các ngưỡng điểm phải giảm dần")
        for name in ("max_late_share", "min_exceeded_share"):
            value = getattr(level, name)
            if value is not None and not ZERO <= value <= ONE:
                err(f"{path}.levels[{i}].{name}", "phải nằm trong khoảng 0 đến 1")
    _validate_disqualifiers(org.disqualifiers, f"{path}.disqualifiers", err)
    _check_choice(org.fall_through, ORG_FALL_THROUGHS, f"{path}.fall_through", err)
    _check_choice(org.overdue_unreported, ORG_OVERDUE_UNREPORTED, f"{path}.overdue_unreported", err)
