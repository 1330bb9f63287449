"""The rules of a scoring framework: frozen dataclasses, no code, no formula strings, no ``eval``.

A :class:`FrameworkRules` describes *everything* a province may vary — components and their
weights (optionally per job-position group), general sub-criteria, the task-result method,
leader criteria and their levels, bands, disqualifiers, the excellent quota and the
organisation rules.

Each rule or parameter object carries ``citation`` (a legal reference) and ``confidence``
(``confirmed`` | ``secondary`` | ``inferred`` | ``unknown``, see docs/scoring.md).
:meth:`FrameworkRules.to_dict` produces the JSON-safe dictionary stored by the Django side
(Decimals as strings); reading it back is :mod:`.parsing`, the semantic checks :mod:`.checks`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from ..constants import (
    LEADER_CRITERIA,
    LINE_CRITERIA,
)
from ..decimals import ZERO

# --------------------------------------------------------------------------- dataclasses


#: The public names (re-exported by ``scoring.engine.framework`` and ``scoring.engine``).
__all__ = [
    "AnnualRule",
    "Band",
    "Choice",
    "CompetencyRule",
    "Component",
    "CoordinationRule",
    "CriteriaGroup",
    "Disqualifier",
    "FeedbackRule",
    "Flag",
    "FrameworkRules",
    "IndividualRules",
    "KeyTaskCriterion",
    "LeaderCriterion",
    "LeaderLevel",
    "MarksRule",
    "OrganisationLevel",
    "OrganisationRules",
    "Parameter",
    "PositionGroup",
    "QuotaRule",
    "RoundingRule",
    "SubCriterion",
    "TaskMethod",
]


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


#: Criterion d's ``unscored`` choices (docs/scoring.md §13.4).
UNSCORED_SUBORDINATES = ("skip", "not_met")

#: Criterion d's ``plan_fulfilment`` choices (Đắk Lắk §III.3, docs/scoring.md): ``""`` (off,
#: the default: d from the subordinates' ratings) or ``ratio`` (d = the highest level × the
#: share of the items of the unit's approved work plans of the period that are completed).
PLAN_FULFILMENT_MODES = ("", "ratio")

#: Field metadata: left out of :meth:`FrameworkRules.to_dict` while it holds its default, so
#: that adding an optional setting changes no stored framework's fingerprint.
OMIT_DEFAULT = {"omit_default": True}


@dataclass(frozen=True)
class LeaderCriterion:
    """Leader criterion d, đ ("dd") or e, with the marks the evaluator may choose from.

    For ``d`` (unit results) ``min_rating`` is the lowest subordinate rating that counts as
    "met": d = highest level if every counted subordinate is at ``min_rating`` or better,
    lowest level otherwise. ``unscored`` says what a subordinate whose period is "not scored"
    does (:data:`UNSCORED_SUBORDINATES`; legal review U-A): ``skip`` (default: not counted) or
    ``not_met`` (counted as not meeting d, so an evaluator cannot raise their own d by leaving
    a failing subordinate unappraised).

    ``plan_fulfilment`` (:data:`PLAN_FULFILMENT_MODES`, d only; Đắk Lắk §III.3 [secondary]):
    ``ratio`` takes d from the unit's work plans instead (the highest level × completed items /
    items of the approved plans of the period); with no plan item d falls back to the
    subordinates' rule. Written into the rules only when set.
    """

    code: str
    label: str
    levels: tuple[LeaderLevel, ...]
    min_rating: str | None = None
    unscored: str = "skip"
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""
    plan_fulfilment: str = field(default="", metadata=OMIT_DEFAULT)

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


KEY_TASK_WEIGHT_DEFAULT = Parameter(
    Decimal("1"),
    citation="Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục V.1.b, V.2.a–b "
    "(tiêu chí kết quả thực hiện nhiệm vụ trọng tâm của sở, ngành, địa phương)",
    confidence="inferred",
    note="Hệ số của một nhiệm vụ trọng tâm trong tỷ lệ kết quả thực hiện nhiệm vụ (trung bình có "
    "trọng số; nhiệm vụ khác hệ số 1). Phụ lục của kế hoạch chưa công bố hệ số: mặc định 1 (như "
    "nhiệm vụ khác) [giả định — tỉnh cần xác nhận].",
)


ORG_TASK_QUALITY_DEFAULT = Choice(
    "excellent_and_good",
    citation="Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm a, b "
    "(“100% nhiệm vụ … hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả”); Quy định "
    "366-QĐ/TW, Điều 11",
    confidence="secondary",
    note="Nhiệm vụ được báo cáo là chưa bảo đảm chất lượng, hiệu quả thì tổ chức không đạt điều "
    "kiện của mức hoàn thành xuất sắc và hoàn thành tốt (điều kiện “nhiệm vụ chưa bảo đảm chất "
    "lượng, hiệu quả”); điểm của nhiệm vụ không đổi. Nhiệm vụ chưa được nhận xét về chất lượng "
    "được coi là bảo đảm. Chọn not_assessed để không xét.",
)

ORG_STAFF_RATINGS_DEFAULT = Choice(
    "not_considered",
    citation="Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục II.2.b (đánh "
    "giá tổ chức căn cứ kết quả đánh giá các đơn vị trực thuộc và cán bộ, công chức)",
    confidence="inferred",
    note="Nghị định 335 không quy định cách kết quả của công chức vào xếp loại tổ chức: mặc định "
    "không xét (như trước). Chọn like_subunits: công chức của tổ chức có kết quả năm không hoàn "
    "thành nhiệm vụ thì tổ chức không đạt các mức yêu cầu “không có đơn vị cấp dưới không hoàn "
    "thành nhiệm vụ” (điều kiện “có công chức không hoàn thành nhiệm vụ”).",
)


@dataclass(frozen=True)
class KeyTaskCriterion:
    """One key task (nhiệm vụ trọng tâm) an agency proposed as a criterion of its own
    organisation evaluation, with its weight in the task percent (GL §V.1.b–c, §V.2.b;
    ``scoring.services.proposals``, scope "organisation"). A task of the agency linked to it
    (``OrganisationTask.key_task``) weighs ``weight``; other tasks 1.

    ``plan_fulfilment`` (:data:`PLAN_FULFILMENT_MODES`; Đắk Lắk §III.3: evaluation rests on
    the agency's monthly, quarterly and annual work plans [secondary]): ``ratio`` measures the
    criterion by the agency's approved work plans of the year instead of linked tasks — one
    entry of the task percent, weighing ``weight``, worth the share of the plans' items due (or
    completed) that are completed; with no such item it is left out. At most one criterion of
    a framework. Off by default and written into the rules only when set.
    """

    code: str
    label: str
    weight: Decimal = Decimal("1")
    plan_fulfilment: str = field(default="", metadata=OMIT_DEFAULT)


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
    #: Weight of a key task (nhiệm vụ trọng tâm) in the task percent; other tasks weigh 1.
    key_task_weight: Parameter = KEY_TASK_WEIGHT_DEFAULT
    #: The agency's own key-task criteria (proposed and approved; empty in the province's).
    key_tasks: tuple[KeyTaskCriterion, ...] = ()
    #: Organisation tasks' quality and effectiveness (legal review M3): an
    #: :data:`~scoring.engine.constants.ORG_TASK_QUALITY_RULES` code.
    task_quality: Choice = ORG_TASK_QUALITY_DEFAULT
    #: The civil servants' ratings in the organisation's (legal review M2): an
    #: :data:`~scoring.engine.constants.ORG_STAFF_RATINGS_RULES` code.
    staff_ratings: Choice = ORG_STAFF_RATINGS_DEFAULT
    citation: str = ""
    confidence: str = "unknown"
    note: str = ""


QD366_ART11 = "Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11"

EXCELLENT_CONDITIONS_DEFAULT = Choice(
    "score_only",
    citation=f"{ND335_ART20} (xuất sắc: “từ 90 điểm trở lên”); {QD366_ART11}",
    confidence="inferred",
    note="Nghị định 335 chỉ đặt ngưỡng 90 điểm cho mức hoàn thành xuất sắc; các điều kiện thêm "
    "(100% nhiệm vụ đúng hạn, ít nhất 30% vượt mức) là của Quy định 366 (đảng viên) nên mặc "
    "định không áp dụng. Chọn qd366 để áp dụng: người không đạt điều kiện xếp mức kế tiếp "
    "(hoàn thành tốt).",
)
EXCELLENT_MIN_ON_TIME_DEFAULT = Parameter(
    Decimal("1"),
    citation=QD366_ART11,
    confidence="secondary",
    note="Tỷ lệ dòng sản phẩm được giao hoàn thành đủ số lượng, không chậm tiến độ (1 = 100%).",
)
EXCELLENT_MIN_EXCEEDED_DEFAULT = Parameter(
    Decimal("0.3"),
    citation=QD366_ART11,
    confidence="secondary",
    note="Tỷ lệ dòng sản phẩm được giao hoàn thành vượt số giao (0,3 = 30%).",
)
DEPUTY_CAP_DEFAULT = Choice(
    "none",
    citation="Công văn 21169/CHQ-TCCB của Cục Hải quan (nguồn thứ cấp, quy định của một ngành)",
    confidence="secondary",
    note="Nghị định 335 không quy định; mặc định không giới hạn. Chọn not_above_head_when_late "
    "để cấp phó không được xếp cao hơn cấp trưởng khi đơn vị có nhiệm vụ (của tổ chức) hoàn "
    "thành trễ hạn hoặc không hoàn thành; chọn not_above_head_when_any_late để tính cả sản "
    "phẩm được giao cho công chức của đơn vị bị chậm tiến độ hoặc quá hạn chưa hoàn thành.",
)
CONTRACT_WORKERS_DEFAULT = Choice(
    "civil_servant_method",
    citation="Sổ tay hướng dẫn của Bộ Nội vụ, chương III (nguồn thứ cấp, chưa đối chiếu văn bản)",
    confidence="secondary",
    note="Lao động hợp đồng không phải công chức; mặc định chấm như công chức (cách hiện hành). "
    "Chọn own_method để chấm theo 3 tiêu chí riêng: điểm = (chất lượng + chấp hành + hiệu quả) "
    "/ 3, xếp mức theo các ngưỡng của khung.",
)
CONCURRENT_POSTS_DEFAULT = Choice(
    "primary_posting",
    citation="Dự thảo Nghị định đánh giá công chức (bản dự thảo; văn bản ban hành không nêu)",
    confidence="unknown",
    note="Mặc định đánh giá theo vị trí công tác chính. Chọn highest_post để đánh giá theo chức "
    "vụ cao nhất (các chức vụ tương đương: nơi làm việc nhiều thời gian nhất), như dự thảo.",
)


@dataclass(frozen=True)
class IndividualRules:
    """Rules for individuals the law leaves to the province (legal review §3).

    ``excellent_conditions`` (:data:`~scoring.engine.constants.EXCELLENT_CONDITION_RULES`,
    M4) with ``excellent_min_on_time_share`` and ``excellent_min_exceeded_share``;
    ``deputy_cap`` (:data:`~scoring.engine.constants.DEPUTY_CAP_RULES`, M5);
    ``contract_workers`` (:data:`~scoring.engine.constants.CONTRACT_WORKER_METHODS`, M7);
    ``concurrent_posts`` (:data:`~scoring.engine.constants.CONCURRENT_POST_RULES`, M11).
    """

    excellent_conditions: Choice = EXCELLENT_CONDITIONS_DEFAULT
    excellent_min_on_time_share: Parameter = EXCELLENT_MIN_ON_TIME_DEFAULT
    excellent_min_exceeded_share: Parameter = EXCELLENT_MIN_EXCEEDED_DEFAULT
    deputy_cap: Choice = DEPUTY_CAP_DEFAULT
    contract_workers: Choice = CONTRACT_WORKERS_DEFAULT
    concurrent_posts: Choice = CONCURRENT_POSTS_DEFAULT
    citation: str = (
        "Nghị định 335/2025/NĐ-CP không quy định; Quy định 366-QĐ/TW, Điều 11; công văn "
        "21169/CHQ-TCCB; Sổ tay Bộ Nội vụ chương III; dự thảo Nghị định (từng lựa chọn ghi căn cứ)"
    )
    confidence: str = "inferred"
    note: str = "Các điểm văn bản còn thiếu: mỗi lựa chọn có mặc định và căn cứ riêng."


FEEDBACK_CITATION = (
    "Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ số mức độ hài "
    "lòng của đối tượng thụ hưởng, năng lực phối hợp)"
)
FEEDBACK_MIN_ANSWERS_DEFAULT = Parameter(
    Decimal("5"),
    citation=FEEDBACK_CITATION,
    confidence="inferred",
    note="Dưới 5 ý kiến thì không đủ tin cậy và dễ lộ người trả lời: không dùng ý kiến, số ý kiến "
    "không hiển thị (tỉnh có thể đổi).",
)
FEEDBACK_BELOW_MIN_DEFAULT = Choice(
    "evaluator_mark",
    citation=FEEDBACK_CITATION,
    confidence="inferred",
    note="Chưa đủ số ý kiến tối thiểu: giữ điểm của người đánh giá cho tiêu chí. Chọn full_marks "
    "để cho điểm tối đa (không có ý kiến không hài lòng).",
)
FEEDBACK_WEIGHT_DEFAULT = Parameter(
    Decimal("1"),
    citation=FEEDBACK_CITATION,
    confidence="inferred",
    note="Tỷ trọng của ý kiến người dân, doanh nghiệp trong điểm tiêu chí (1 = thay điểm của "
    "người đánh giá; 0,5 = một nửa ý kiến, một nửa điểm người đánh giá).",
)
FEEDBACK_LEVELS_DEFAULT = {
    "5": Decimal("100"),
    "4": Decimal("75"),
    "3": Decimal("50"),
    "2": Decimal("25"),
    "1": Decimal("0"),
}


@dataclass(frozen=True)
class FeedbackRule:
    """Beneficiaries' satisfaction answers as an input of marked sub-criteria (issue 33 item 3).

    ``satisfaction_criteria``: qualified sub-criterion codes (``"component.code"``, e.g.
    ``"satisfaction.S.1"`` or ``"general.II.4"``) whose mark comes from the answers; empty (the
    Decree 335 default: Form 01 leaves the mark to the evaluator) feeds nothing.
    ``level_percents``: the percent of each answer level (5 … 1); ``min_answers``: the fewest
    answers that count; ``below_min``
    (:data:`~scoring.engine.constants.FEEDBACK_BELOW_MIN_RULES`): the mark below it;
    ``weight``: the answers' share of the mark, the evaluator's mark the rest.
    """

    satisfaction_criteria: tuple[str, ...] = ()
    level_percents: dict[str, Decimal] = field(
        default_factory=lambda: dict(FEEDBACK_LEVELS_DEFAULT)
    )
    min_answers: Parameter = FEEDBACK_MIN_ANSWERS_DEFAULT
    below_min: Choice = FEEDBACK_BELOW_MIN_DEFAULT
    weight: Parameter = FEEDBACK_WEIGHT_DEFAULT
    citation: str = FEEDBACK_CITATION
    confidence: str = "inferred"
    note: str = ""


COORDINATION_CITATION = (
    "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.1 (nhóm "
    "chỉ số năng lực phối hợp)"
)
COORDINATION_MIN_RATINGS_DEFAULT = Parameter(
    Decimal("2"),
    citation=COORDINATION_CITATION,
    confidence="inferred",
    note="Cần ít nhất 2 đánh giá của đơn vị phối hợp (mỗi đơn vị, mỗi việc phối hợp một đánh "
    "giá): một đánh giá không tự quyết định điểm tiêu chí (tỉnh có thể đổi).",
)
COORDINATION_BELOW_MIN_DEFAULT = Choice(
    "evaluator_mark",
    citation=COORDINATION_CITATION,
    confidence="inferred",
    note="Chưa đủ số đánh giá tối thiểu: giữ điểm của người đánh giá cho tiêu chí. Chọn "
    "full_marks để cho điểm tối đa.",
)
COORDINATION_WEIGHT_DEFAULT = Parameter(
    Decimal("1"),
    citation=COORDINATION_CITATION,
    confidence="inferred",
    note="Tỷ trọng của đánh giá của các đơn vị phối hợp trong điểm tiêu chí (1 = thay điểm của "
    "người đánh giá; 0,5 = một nửa đánh giá, một nửa điểm người đánh giá).",
)


@dataclass(frozen=True)
class CoordinationRule:
    """The related units' ratings of coordination on shared tasks as an input of marked
    sub-criteria (issue 33 item 3; Nghệ An's group "năng lực phối hợp").

    ``criteria``: qualified sub-criterion codes (``"component.code"``, e.g.
    ``"coordination.C.1"``) whose mark comes from the ratings; empty (the Decree 335 default)
    feeds nothing. ``level_percents``: the percent of each rating level (5 … 1);
    ``min_ratings``: the fewest ratings that count; ``below_min``
    (:data:`~scoring.engine.constants.FEEDBACK_BELOW_MIN_RULES`): the mark below it;
    ``weight``: the ratings' share of the mark, the evaluator's mark the rest.
    """

    criteria: tuple[str, ...] = ()
    level_percents: dict[str, Decimal] = field(
        default_factory=lambda: dict(FEEDBACK_LEVELS_DEFAULT)
    )
    min_ratings: Parameter = COORDINATION_MIN_RATINGS_DEFAULT
    below_min: Choice = COORDINATION_BELOW_MIN_DEFAULT
    weight: Parameter = COORDINATION_WEIGHT_DEFAULT
    citation: str = COORDINATION_CITATION
    confidence: str = "inferred"
    note: str = ""


COMPETENCY_CITATION = (
    "Kế hoạch của UBND tỉnh Đắk Lắk triển khai đánh giá, xếp loại công chức theo Nghị định "
    "335/2025/NĐ-CP, mục I.1, I.2 (lấy kết quả thực hiện nhiệm vụ gắn với khung năng lực vị trí "
    "việc làm làm thước đo chủ yếu)"
)
COMPETENCY_WEIGHT_DEFAULT = Parameter(
    Decimal("1"),
    citation=COMPETENCY_CITATION,
    confidence="inferred",
    note="Tỷ trọng của mức năng lực được đánh giá trong điểm tiêu chí (1 = thay điểm của người "
    "đánh giá; 0,5 = một nửa theo năng lực, một nửa điểm người đánh giá).",
)


@dataclass(frozen=True)
class CompetencyRule:
    """The position's required competencies, assessed by the evaluator on Form 01, as an input
    of marked sub-criteria (issue 45 item 2; Đắk Lắk plan §I.1, §I.2: "khung năng lực vị trí
    việc làm … làm thước đo chủ yếu").

    ``criteria``: qualified sub-criterion codes (``"component.code"``, e.g. ``"general.I.4"``)
    whose mark comes from the assessed levels; empty (the default: no province has decided it)
    feeds nothing, so no score changes. ``weight``: the competencies' share of the mark, the
    evaluator's mark the rest. Each competency is worth ``min(assessed, required) / required``
    of its equal share [inferred].
    """

    criteria: tuple[str, ...] = ()
    weight: Parameter = COMPETENCY_WEIGHT_DEFAULT
    citation: str = COMPETENCY_CITATION
    confidence: str = "inferred"
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
    individual: IndividualRules = IndividualRules()
    feedback: FeedbackRule = FeedbackRule()
    coordination: CoordinationRule = CoordinationRule()
    competency: CompetencyRule = CompetencyRule()
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

    # ------------------------------------------------------------------ serialise

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (Decimals as strings); ``parsing.parse_framework`` reads it back."""
        return cast(dict[str, Any], _dump(self))


# --------------------------------------------------------------------------- to_dict


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _dump(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get("omit_default") and getattr(value, f.name) == f.default)
        }
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_dump(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _dump(item) for key, item in value.items()}
    return value
