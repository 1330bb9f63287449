"""The structured editor of a criteria framework (issue 30 item 2): labelled Vietnamese fields
over the stored rules dictionary (``FrameworkRules.to_dict()``), which stays the source of truth.

* :func:`editor_sections` — the fields to show, built from a rules dictionary; the same
  description is read back by :func:`rules_from_post`, so every field shown is written back and
  nothing else in the dictionary changes (a number typed equal to the stored one keeps the
  stored text).
* :func:`locate_problems` — the engine's own checks (``rules_errors``: ``FrameworkRules.validate``)
  and, for an agency's proposal, the province's allowed changes, each put next to the field or
  the block its path names; the messages are the engine's, with a decimal comma.
* :func:`preview` — scores a sample person in a period with the rules in force and with the
  edited rules (nothing is written) and lists the explanation lines that changed.
* :func:`save_framework` — the one gate for a province framework written from the editor: who,
  on which revision the user saw, the engine's checks; saves a revision (draft) or publishes it
  as a new version (Wagtail's revisions and log: who, when).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org import access
from scoring.engine import FrameworkError, parse_framework
from scoring.engine import constants as C
from scoring.explain import criterion_label, rating_label, render_steps
from scoring.framework_display import OPTION_VALUES, OPTION_VALUES_BY_OPTION
from scoring.models import CriteriaFramework, FrameworkProposal, rules_errors
from scoring.services import contract_workers
from scoring.services.compute import compute_one
from scoring.services.frameworks import ResolvedFramework
from scoring.services.person import prepare_person
from scoring.services.scorer import no_framework_outcome

CONFIDENCE_CHOICES = (
    ("confirmed", gettext_lazy("Đã xác nhận")),
    ("secondary", gettext_lazy("Nguồn thứ cấp — tỉnh nên đối chiếu")),
    ("inferred", gettext_lazy("Suy luận — tỉnh cần xác nhận")),
    ("unknown", gettext_lazy("Chưa rõ — tỉnh cần xác nhận")),
)

RATING_CHOICES = (
    ("excellent", gettext_lazy("Hoàn thành xuất sắc nhiệm vụ")),
    ("good", gettext_lazy("Hoàn thành tốt nhiệm vụ")),
    ("completed", gettext_lazy("Hoàn thành nhiệm vụ")),
    ("not_completed", gettext_lazy("Không hoàn thành nhiệm vụ")),
)

SATISFACTION_LABELS = (
    ("5", gettext_lazy("Rất hài lòng")),
    ("4", gettext_lazy("Hài lòng")),
    ("3", gettext_lazy("Bình thường")),
    ("2", gettext_lazy("Không hài lòng")),
    ("1", gettext_lazy("Rất không hài lòng")),
)

COORDINATION_LABELS = (
    ("5", gettext_lazy("Phối hợp rất tốt")),
    ("4", gettext_lazy("Phối hợp tốt")),
    ("3", gettext_lazy("Phối hợp đạt yêu cầu")),
    ("2", gettext_lazy("Phối hợp chưa tốt")),
    ("1", gettext_lazy("Không phối hợp")),
)

#: Criterion d's ``plan_fulfilment`` (``scoring.engine.framework.rules.PLAN_FULFILMENT_MODES``).
PLAN_FULFILMENT_CHOICES = (
    ("", gettext_lazy("Không (theo xếp loại của công chức thuộc phạm vi quản lý)")),
    ("ratio", gettext_lazy("Có: d = mức cao nhất × tỷ lệ mục kế hoạch đã hoàn thành")),
)

#: Blank rows offered under each component's sub-criteria to add new ones.
NEW_ROWS = 2


# --- the fields ---------------------------------------------------------------------------------


@dataclass
class Field:
    """One input: ``path`` into the rules dictionary (keys and list indexes)."""

    path: tuple
    label: str
    kind: str = "text"  # text | textarea | decimal | choice | bool | readonly | codes
    choices: tuple = ()
    help: str = ""
    value: Any = None
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)

    @property
    def display(self) -> str:
        if self.kind == "decimal":
            return decimal_text(self.value)
        if self.kind == "codes":
            return ", ".join(self.value or ())
        if self.kind == "readonly" and isinstance(self.value, (str, Decimal)):
            return decimal_text(self.value) if _is_number(self.value) else str(self.value)
        return "" if self.value is None else str(self.value)

    @property
    def choice_label(self) -> str:
        return str(dict(self.choices).get(self.value, self.value or ""))


@dataclass
class Row:
    """A rule object: its fields side by side (a table row or a small block)."""

    title: str
    fields: list[Field]
    path: tuple = ()
    errors: list[str] = field(default_factory=list)
    removable: bool = False
    new: bool = False

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)


@dataclass
class Block:
    title: str
    rows: list[Row]
    path: tuple = ()
    help: str = ""
    table: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)

    @property
    def headers(self) -> list[str]:
        return [f.label for f in self.rows[0].fields] if self.rows else []


@dataclass
class Section:
    title: str
    blocks: list[Block]
    help: str = ""

    @property
    def has_errors(self) -> bool:
        return any(
            b.errors or any(r.errors or any(f.errors for f in r.fields) for r in b.rows)
            for b in self.blocks
        )


def decimal_text(value) -> str:
    """A stored number with a decimal comma, without trailing zeros ("0.50" → "0,5")."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f") if number == number.to_integral_value() else str(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _is_number(value) -> bool:
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


def _get(data, path):
    for part in path:
        if isinstance(data, list):
            data = data[part] if part < len(data) else None
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _basis(path: tuple, with_note: bool = False) -> list[Field]:
    fields = [
        Field((*path, "citation"), _("Căn cứ"), "text"),
        Field((*path, "confidence"), _("Độ tin cậy"), "choice", CONFIDENCE_CHOICES),
    ]
    if with_note:
        fields.append(Field((*path, "note"), _("Ghi chú, cách hiểu"), "textarea"))
    return fields


def _option_choices(codes, section: str = ""):
    return tuple(
        (code, OPTION_VALUES_BY_OPTION.get((section, code)) or OPTION_VALUES.get(code, code))
        for code in codes
    )


def _option(path: tuple, label: str, codes, section: str = "") -> Row:
    return Row(
        label,
        [
            Field((*path, "value"), _("Lựa chọn"), "choice", _option_choices(codes, section)),
            *_basis(path, with_note=True),
        ],
        path,
    )


def _parameter(path: tuple, label: str, help_text: str = "") -> Row:
    return Row(
        label,
        [Field((*path, "value"), _("Giá trị"), "decimal", help=help_text), *_basis(path, True)],
        path,
    )


def _component_blocks(
    component: dict, path: tuple, title: str, group_labels: dict | None = None
) -> list[Block]:
    label = str(component.get("label") or component.get("code") or "")
    group_labels = group_labels or {}
    head = [Field((*path, "label"), _("Tên thành phần"), "text")]
    if component.get("max_points") is not None:
        head.append(Field((*path, "max_points"), _("Điểm tối đa"), "decimal"))
    for code in component.get("max_points_by_group") or {}:
        head.append(
            Field(
                (*path, "max_points_by_group", code),
                _("Điểm tối đa — nhóm vị trí “%(group)s”")
                % {"group": group_labels.get(code) or code},
                "decimal",
            )
        )
    head += _basis(path)
    blocks = [Block(f"{title}: {label}", [Row(label, head, path)], path)]
    groups = component.get("groups") or []
    if groups:
        rows = [
            Row(
                g.get("label", ""),
                [
                    Field((*path, "groups", i, "code"), _("Nhóm"), "readonly"),
                    Field((*path, "groups", i, "label"), _("Tên nhóm tiêu chí"), "text"),
                    Field((*path, "groups", i, "max_points"), _("Điểm tối đa của nhóm"), "decimal"),
                    *_basis((*path, "groups", i)),
                ],
                (*path, "groups", i),
            )
            for i, g in enumerate(groups)
        ]
        blocks.append(
            Block(
                _("Các nhóm tiêu chí của “%(label)s”") % {"label": label},
                rows,
                (*path, "groups"),
                help=_("Tổng điểm tối đa các tiêu chí của mỗi nhóm phải bằng điểm của nhóm."),
                table=True,
            )
        )
    if component.get("kind") == "criteria_marks":
        group_choices = tuple((g.get("code"), g.get("code")) for g in groups)
        criteria = component.get("criteria") or []
        rows = []
        for i in range(len(criteria) + NEW_ROWS):
            here = (*path, "criteria", i)
            fields = [
                Field((*here, "code"), _("Mã"), "readonly" if i < len(criteria) else "text"),
                Field((*here, "label"), _("Nội dung tiêu chí"), "textarea"),
                Field((*here, "max_points"), _("Điểm tối đa"), "decimal"),
            ]
            if group_choices:
                fields.append(Field((*here, "group"), _("Thuộc nhóm"), "choice", group_choices))
            fields += _basis(here)
            rows.append(
                Row(
                    criteria[i].get("label", "") if i < len(criteria) else _("Tiêu chí mới"),
                    fields,
                    here,
                    removable=i < len(criteria),
                    new=i >= len(criteria),
                )
            )
        blocks.append(
            Block(
                _("Tiêu chí thành phần của “%(label)s”") % {"label": label},
                rows,
                (*path, "criteria"),
                help=_(
                    "Tổng điểm tối đa các tiêu chí thành phần phải bằng điểm tối đa của thành "
                    "phần. Dòng trống cuối bảng để thêm tiêu chí mới (mã để trống: tự đánh số)."
                ),
                table=True,
            )
        )
    return blocks


def editor_sections(data: dict) -> list[Section]:
    """The editor's sections for a rules dictionary (``FrameworkRules.to_dict()`` shape), with
    each field's current value."""
    sections = [
        Section(
            _("Thông tin chung"),
            [
                Block(
                    _("Khung tiêu chí"),
                    [
                        Row(
                            _("Khung tiêu chí"),
                            [
                                Field(("name",), _("Tên khung (ghi trong quy tắc)"), "text"),
                                Field(("version",), _("Số hiệu phiên bản"), "text"),
                                Field(("total_max",), _("Tổng điểm tối đa"), "readonly"),
                                *_basis((), with_note=True),
                            ],
                        )
                    ],
                )
            ],
        )
    ]
    components = []
    group_labels = {g.get("code"): g.get("label") for g in data.get("position_groups") or []}
    for i, component in enumerate(data.get("components") or []):
        components += _component_blocks(component, ("components", i), _("Thành phần"), group_labels)
    sections.append(
        Section(
            _("Thành phần điểm và tiêu chí"),
            components,
            help=_(
                "Điểm tối đa của các thành phần cộng lại phải bằng tổng điểm tối đa (Nghị định "
                "335/2025/NĐ-CP, Điều 12: 30 điểm tiêu chí chung, 70 điểm kết quả nhiệm vụ)."
            ),
        )
    )
    method = ("task_method",)
    sections.append(
        Section(
            _("Cách tính kết quả thực hiện nhiệm vụ"),
            [
                Block(
                    _("Tham số"),
                    [
                        _parameter(
                            (*method, "review_deduction"),
                            _("Mức trừ mỗi lần đánh giá chưa đạt (b)"),
                            _("Tỷ lệ từ 0 đến 1, ví dụ 0,1 = trừ 10%."),
                        ),
                        _parameter(
                            (*method, "delay_deduction"),
                            _("Mức trừ mỗi lần chậm tiến độ (c)"),
                            _("Tỷ lệ từ 0 đến 1."),
                        ),
                        _parameter(
                            (*method, "cap_percent"),
                            _("Mức trần của a, b, c (%)"),
                            _("Từ trên 0 đến 100."),
                        ),
                        _option(
                            (*method, "over_delivery"),
                            _("Sản phẩm hoàn thành vượt số giao và công việc phát sinh"),
                            C.OVER_DELIVERY_RULES,
                        ),
                        _option(
                            (*method, "leader_lines"),
                            _("Sản phẩm tính kết quả a, b, c của lãnh đạo, quản lý"),
                            C.LEADER_LINE_SOURCES,
                        ),
                    ],
                )
            ],
        )
    )
    leader_rows = []
    for i, criterion in enumerate(data.get("leader_criteria") or []):
        here = ("leader_criteria", i)
        fields = [Field((*here, "label"), _("Nội dung tiêu chí"), "textarea")]
        for j, _level in enumerate(criterion.get("levels") or []):
            fields.append(
                Field(
                    (*here, "levels", j, "percent"), _("Mức %(n)s (%%)") % {"n": j + 1}, "decimal"
                )
            )
        if criterion.get("code") == "d":
            fields.append(
                Field(
                    (*here, "min_rating"),
                    _("Mức xếp loại thấp nhất được tính là đạt"),
                    "choice",
                    RATING_CHOICES,
                )
            )
            # Đắk Lắk §III.3: d from the unit's work plans (written into the rules only when
            # chosen; the engine leaves the default out).
            fields.append(
                Field(
                    (*here, "plan_fulfilment"),
                    _("Lấy tiêu chí d từ kết quả thực hiện kế hoạch công tác"),
                    "choice",
                    PLAN_FULFILMENT_CHOICES,
                    help=_(
                        "Đắk Lắk, mục III.3: đánh giá trên cơ sở kế hoạch công tác tháng, quý, "
                        "năm. Tính theo các kế hoạch đã phê duyệt của đơn vị trong kỳ; đơn vị "
                        "chưa có kế hoạch thì tính theo xếp loại của công chức thuộc phạm vi "
                        "quản lý."
                    ),
                )
            )
        fields += _basis(here)
        leader_rows.append(Row(_leader_title(criterion.get("code")), fields, here))
    sections.append(
        Section(
            _("Tiêu chí d, đ, e của lãnh đạo, quản lý"),
            [Block(_("Tiêu chí và các mức được chấm"), leader_rows, ("leader_criteria",))],
        )
    )
    band_rows = [
        Row(
            band.get("label", ""),
            [
                Field(("bands", i, "label"), _("Tên mức xếp loại"), "text"),
                Field(("bands", i, "min_score"), _("Từ điểm"), "decimal"),
                *_basis(("bands", i)),
            ],
            ("bands", i),
        )
        for i, band in enumerate(data.get("bands") or [])
    ]
    sections.append(
        Section(
            _("Mức xếp loại"),
            [
                Block(
                    _("Ngưỡng điểm của từng mức"),
                    band_rows,
                    ("bands",),
                    help=_(
                        "Ngưỡng giảm dần từ mức cao nhất; mức thấp nhất từ 0 điểm. Mỗi mức từ "
                        "ngưỡng của nó đến dưới ngưỡng của mức trên."
                    ),
                    table=True,
                )
            ],
        )
    )
    disqualifier_rows = [
        Row(
            item.get("label", ""),
            [
                Field(("disqualifiers", i, "label"), _("Trường hợp"), "textarea"),
                Field(("disqualifiers", i, "leaders_only"), _("Chỉ với lãnh đạo, quản lý"), "bool"),
                *_basis(("disqualifiers", i)),
            ],
            ("disqualifiers", i),
        )
        for i, item in enumerate(data.get("disqualifiers") or [])
    ]
    sections.append(
        Section(
            _("Trường hợp xếp loại không hoàn thành nhiệm vụ"),
            [Block(_("Các trường hợp"), disqualifier_rows, ("disqualifiers",), table=True)],
        )
    )
    sections.append(
        Section(
            _("Tỷ lệ hoàn thành xuất sắc"),
            [
                Block(
                    _("Tỷ lệ và cách tính"),
                    [
                        _parameter(
                            ("quota", "ratio"),
                            _("Tỷ lệ tối đa được xếp hoàn thành xuất sắc"),
                            _("Trên số hoàn thành tốt; ví dụ 0,2 = 20%."),
                        ),
                        _parameter(
                            ("quota", "outstanding_ratio"),
                            _("Tỷ lệ khi có thành tích nổi trội"),
                            _("Ví dụ 0,25 = 25%."),
                        ),
                        _option(
                            ("quota", "group_by"),
                            _("Nhóm tính tỷ lệ hoàn thành xuất sắc"),
                            C.QUOTA_GROUPINGS,
                        ),
                        _option(("quota", "base"), _("Cơ sở tính tỷ lệ"), C.QUOTA_BASES),
                        _option(
                            ("quota", "rounding"),
                            _("Làm tròn số người được giữ mức xuất sắc"),
                            C.QUOTA_ROUNDINGS,
                        ),
                    ],
                    ("quota",),
                )
            ],
        )
    )
    sections.append(
        Section(
            _("Xếp loại năm"),
            [
                Block(
                    _("Cách tính điểm năm"),
                    [
                        _option(
                            ("annual", "weighting"),
                            _("Cách tính điểm bình quân năm"),
                            C.ANNUAL_WEIGHTINGS,
                        ),
                        _parameter(
                            ("annual", "min_months"),
                            _("Thời gian công tác tối thiểu để xếp loại năm (tháng)"),
                            _("Số nguyên từ 0 đến 12; 0 = không áp dụng."),
                        ),
                        _option(
                            ("annual", "leader_role"),
                            _("Trường hợp chỉ áp dụng với lãnh đạo, quản lý: xét chức vụ"),
                            C.ANNUAL_LEADER_ROLES,
                        ),
                    ],
                    ("annual",),
                )
            ],
        )
    )
    sections.append(
        Section(
            _("Làm tròn và điểm tự chấm"),
            [
                Block(
                    _("Làm tròn"),
                    [
                        _parameter(
                            ("rounding", "places"),
                            _("Số chữ số thập phân của điểm"),
                            _("Số nguyên từ 0 đến 2."),
                        ),
                        _option(("rounding", "mode"), _("Cách làm tròn điểm"), C.ROUNDING_MODES),
                        _option(("rounding", "steps"), _("Làm tròn ở bước nào"), C.ROUNDING_STEPS),
                        _option(
                            ("rounding", "banding"),
                            _("Xếp loại theo tổng điểm"),
                            C.ROUNDING_BANDINGS,
                        ),
                        _option(
                            ("marks", "self_mark_without_evaluator"),
                            _("Điểm tự chấm khi người đánh giá chưa chấm"),
                            C.SELF_MARK_RULES,
                            "marks",
                        ),
                    ],
                    ("rounding",),
                )
            ],
        )
    )
    individual = ("individual",)
    sections.append(
        Section(
            _("Quy tắc bổ sung cho cá nhân"),
            [
                Block(
                    _("Các quy định còn thiếu: lựa chọn của tỉnh"),
                    [
                        _option(
                            (*individual, "excellent_conditions"),
                            _("Điều kiện của mức hoàn thành xuất sắc"),
                            C.EXCELLENT_CONDITION_RULES,
                        ),
                        _parameter(
                            (*individual, "excellent_min_on_time_share"),
                            _("Tỷ lệ dòng sản phẩm hoàn thành đúng hạn tối thiểu (xuất sắc)"),
                            _("Tỷ lệ từ 0 đến 1, ví dụ 1 = 100%."),
                        ),
                        _parameter(
                            (*individual, "excellent_min_exceeded_share"),
                            _("Tỷ lệ dòng sản phẩm vượt số giao tối thiểu (xuất sắc)"),
                            _("Tỷ lệ từ 0 đến 1, ví dụ 0,3 = 30%."),
                        ),
                        _option(
                            (*individual, "deputy_cap"),
                            _("Xếp loại cấp phó so với cấp trưởng"),
                            C.DEPUTY_CAP_RULES,
                        ),
                        _option(
                            (*individual, "contract_workers"),
                            _("Cách chấm lao động hợp đồng"),
                            C.CONTRACT_WORKER_METHODS,
                        ),
                        _option(
                            (*individual, "concurrent_posts"),
                            _("Người giữ nhiều chức vụ, vị trí (kiêm nhiệm)"),
                            C.CONCURRENT_POST_RULES,
                        ),
                    ],
                    individual,
                    help=_(
                        "Văn bản chưa quy định rõ các điểm này; mỗi lựa chọn ghi căn cứ và độ tin "
                        "cậy của nó."
                    ),
                )
            ],
        )
    )
    feedback = ("feedback",)
    level_labels = dict(SATISFACTION_LABELS)
    sections.append(
        Section(
            _("Ý kiến của người dân, doanh nghiệp"),
            [
                Block(
                    _("Mức độ hài lòng là đầu vào của tiêu chí"),
                    [
                        Row(
                            _("Tiêu chí lấy điểm từ ý kiến"),
                            [
                                Field(
                                    (*feedback, "satisfaction_criteria"),
                                    _("Mã tiêu chí thành phần (cách nhau bởi dấu phẩy)"),
                                    "codes",
                                    help=_(
                                        "Dạng thành phần.mã, ví dụ general.II.4; để trống: "
                                        "không dùng ý kiến."
                                    ),
                                ),
                                *_basis(feedback, with_note=True),
                            ],
                            feedback,
                        ),
                        _parameter(
                            (*feedback, "min_answers"),
                            _("Số ý kiến tối thiểu để được tính"),
                            _("Số nguyên từ 1; dưới mức này số ý kiến không được hiển thị."),
                        ),
                        _option(
                            (*feedback, "below_min"),
                            _("Khi chưa đủ số ý kiến tối thiểu"),
                            C.FEEDBACK_BELOW_MIN_RULES,
                        ),
                        _parameter(
                            (*feedback, "weight"),
                            _("Tỷ trọng của ý kiến trong điểm tiêu chí"),
                            _("Từ 0 đến 1; 1 = thay điểm của người đánh giá."),
                        ),
                        Row(
                            _("Giá trị của từng mức hài lòng (%)"),
                            [
                                Field(
                                    (*feedback, "level_percents", level),
                                    str(level_labels[level]),
                                    "decimal",
                                )
                                for level in C.SATISFACTION_LEVELS
                            ],
                            (*feedback, "level_percents"),
                        ),
                    ],
                    feedback,
                    help=_("Ý kiến qua mã phản hồi in trên phiếu trả kết quả."),
                )
            ],
        )
    )
    coordination = ("coordination",)
    coordination_labels = dict(COORDINATION_LABELS)
    sections.append(
        Section(
            _("Đánh giá của đơn vị phối hợp"),
            [
                Block(
                    _("Năng lực phối hợp là đầu vào của tiêu chí"),
                    [
                        Row(
                            _("Tiêu chí lấy điểm từ đánh giá của đơn vị phối hợp"),
                            [
                                Field(
                                    (*coordination, "criteria"),
                                    _("Mã tiêu chí thành phần (cách nhau bởi dấu phẩy)"),
                                    "codes",
                                    help=_(
                                        "Dạng thành phần.mã, ví dụ coordination.C.2; để trống: "
                                        "không dùng đánh giá của đơn vị phối hợp."
                                    ),
                                ),
                                *_basis(coordination, with_note=True),
                            ],
                            coordination,
                        ),
                        _parameter(
                            (*coordination, "min_ratings"),
                            _("Số đánh giá tối thiểu để được tính"),
                            _("Số nguyên từ 1 (mỗi đơn vị phối hợp, mỗi việc một đánh giá)."),
                        ),
                        _option(
                            (*coordination, "below_min"),
                            _("Khi chưa đủ số đánh giá tối thiểu"),
                            C.FEEDBACK_BELOW_MIN_RULES,
                        ),
                        _parameter(
                            (*coordination, "weight"),
                            _("Tỷ trọng của đánh giá trong điểm tiêu chí"),
                            _("Từ 0 đến 1; 1 = thay điểm của người đánh giá."),
                        ),
                        Row(
                            _("Giá trị của từng mức đánh giá phối hợp (%)"),
                            [
                                Field(
                                    (*coordination, "level_percents", level),
                                    str(coordination_labels[level]),
                                    "decimal",
                                )
                                for level in C.SATISFACTION_LEVELS
                            ],
                            (*coordination, "level_percents"),
                        ),
                    ],
                    coordination,
                    help=_(
                        "Lãnh đạo đơn vị được ghi là đơn vị phối hợp của một việc được giao đánh "
                        "giá việc phối hợp của người thực hiện."
                    ),
                )
            ],
        )
    )
    competency = ("competency",)
    sections.append(
        Section(
            _("Năng lực theo vị trí việc làm"),
            [
                Block(
                    _("Năng lực theo vị trí việc làm là đầu vào của tiêu chí"),
                    [
                        Row(
                            _("Tiêu chí lấy điểm từ mức năng lực được đánh giá"),
                            [
                                Field(
                                    (*competency, "criteria"),
                                    _("Mã tiêu chí thành phần (cách nhau bởi dấu phẩy)"),
                                    "codes",
                                    help=_(
                                        "Dạng thành phần.mã, ví dụ general.II.1; để trống (mặc "
                                        "định): không dùng, không điểm nào thay đổi."
                                    ),
                                ),
                                *_basis(competency, with_note=True),
                            ],
                            competency,
                        ),
                        _parameter(
                            (*competency, "weight"),
                            _("Tỷ trọng của năng lực trong điểm tiêu chí"),
                            _("Từ 0 đến 1; 1 = thay điểm của người đánh giá."),
                        ),
                    ],
                    competency,
                    help=_(
                        "Người đánh giá chọn trên Mẫu 01 cấp độ của từng năng lực mà bản mô tả "
                        "công việc được phê duyệt của vị trí việc làm yêu cầu; mỗi năng lực được "
                        "tính cấp độ đánh giá / cấp độ yêu cầu (tối đa 100%) phần điểm của mình."
                    ),
                )
            ],
        )
    )
    organisation = data.get("organisation")
    if organisation:
        org = ("organisation",)
        general = organisation.get("general") or {}
        blocks = _component_blocks(general, (*org, "general"), _("Tổ chức"))
        blocks.append(
            Block(
                _("Tham số đánh giá tổ chức"),
                [
                    _parameter((*org, "task_max"), _("Điểm tối đa kết quả thực hiện nhiệm vụ")),
                    _parameter(
                        (*org, "late_deduction"),
                        _("Mức trừ nhiệm vụ hoàn thành trễ hạn"),
                        _("Tỷ lệ từ 0 đến 1."),
                    ),
                    _parameter(
                        (*org, "min_done_share"),
                        _("Tỷ lệ nhiệm vụ hoàn thành tối thiểu"),
                        _("Tỷ lệ từ 0 đến 1."),
                    ),
                    _parameter(
                        (*org, "key_task_weight"),
                        _("Hệ số của nhiệm vụ trọng tâm (nhiệm vụ khác hệ số 1)"),
                        _("Từ 1 đến 10."),
                    ),
                    _option(
                        (*org, "fall_through"),
                        _("Tổ chức không đáp ứng điều kiện của mức nào"),
                        C.ORG_FALL_THROUGHS,
                    ),
                    _option(
                        (*org, "overdue_unreported"),
                        _("Nhiệm vụ quá hạn chưa báo cáo"),
                        C.ORG_OVERDUE_UNREPORTED,
                    ),
                    _option(
                        (*org, "task_quality"),
                        _("Nhiệm vụ chưa bảo đảm chất lượng, hiệu quả"),
                        C.ORG_TASK_QUALITY_RULES,
                    ),
                    _option(
                        (*org, "staff_ratings"),
                        _("Kết quả của công chức thuộc tổ chức"),
                        C.ORG_STAFF_RATINGS_RULES,
                    ),
                ],
                org,
            )
        )
        sections.append(Section(_("Đánh giá, xếp loại tổ chức"), blocks))
    for section in sections:
        for block in section.blocks:
            for row in block.rows:
                for f in row.fields:
                    f.value = _get(data, f.path)
    return sections


def _leader_title(code) -> str:
    return criterion_label(code or "")


def all_fields(sections: list[Section]):
    for section in sections:
        for block in section.blocks:
            for row in block.rows:
                for f in row.fields:
                    yield block, row, f


# --- reading the form back ----------------------------------------------------------------------


def _set(data, path, value):
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _parse_decimal(text: str):
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def rules_from_post(data: dict, post) -> tuple[dict, list[Section]]:  # noqa: C901
    """The rules dictionary with the posted values written in (a copy of ``data``), and the
    sections with the posted values and the typing errors (a number that is not one, a new
    sub-criterion without content); the engine's checks are :func:`locate_problems`."""
    result = copy.deepcopy(data)
    sections = editor_sections(data)
    removed: list[tuple] = []
    added: dict[tuple, list[dict]] = {}
    for _block, row, f in all_fields(sections):
        if row.new:
            continue
        raw = post.get(f.name)
        if f.kind == "readonly":
            continue
        if f.kind == "bool":
            f.value = raw is not None
            _set(result, f.path, f.value)
            continue
        if raw is None:
            continue
        if f.kind == "decimal":
            f.value = raw
            number = _parse_decimal(raw)
            if number is None:
                f.errors.append(_("Phải là một số, ví dụ 2,5."))
                continue
            old = _get(data, f.path)
            if old is not None and _is_number(old) and Decimal(str(old)) == number:
                continue  # keep the stored text
            _set(result, f.path, format(number, "f"))
            continue
        if f.kind == "codes":
            f.value = [code.strip() for code in raw.replace(";", ",").split(",") if code.strip()]
            _set(result, f.path, f.value)
            continue
        if f.kind == "choice" and raw == "" and _get(data, f.path) is None:
            continue  # an optional setting left off stays out of the rules (plan_fulfilment)
        if f.kind == "choice" and raw not in dict(f.choices):
            f.errors.append(_("Hãy chọn một giá trị trong danh sách."))
            continue
        f.value = raw.strip() if f.kind in ("text", "textarea") else raw
        _set(result, f.path, f.value)
    for _block, row, _f in all_fields(sections):
        if row.removable and post.get(f"{row.name}.DELETE") and row.path not in removed:
            removed.append(row.path)
    # New sub-criteria (blank rows under a component's table).
    for section in sections:
        for block in section.blocks:
            for row in block.rows:
                if not row.new:
                    continue
                values = {f.path[-1]: (post.get(f.name) or "").strip() for f in row.fields}
                for f in row.fields:
                    f.value = values[f.path[-1]]
                if not values.get("label") and not values.get("max_points"):
                    continue
                component_path = row.path[:-2]
                new = {"code": values.get("code", ""), "label": values.get("label", "")}
                points = _parse_decimal(values.get("max_points", ""))
                by_name = {f.path[-1]: f for f in row.fields}
                if not new["label"]:
                    by_name["label"].errors.append(_("Hãy nhập nội dung tiêu chí."))
                if points is None:
                    by_name["max_points"].errors.append(_("Phải là một số, ví dụ 2,5."))
                new["max_points"] = format(points, "f") if points is not None else "0"
                new["group"] = values.get("group", "")
                new["citation"] = values.get("citation", "")
                new["confidence"] = values.get("confidence") or "unknown"
                added.setdefault(component_path, []).append(new)
    for component_path, rows in added.items():
        criteria = _get(result, (*component_path, "criteria"))
        for new in rows:
            if not new["code"]:
                new["code"] = _next_code(criteria, new["group"], component_path)
            criteria.append(new)
    for path in sorted(removed, key=lambda p: p[-1], reverse=True):
        del _get(result, path[:-1])[path[-1]]
    return result, sections


def _next_code(criteria: list[dict], group: str, component_path: tuple) -> str:
    codes = {c.get("code") for c in criteria}
    stem = group or ("tc" if component_path[-1] == "general" else f"tc{component_path[-1]}")
    n = sum(1 for c in criteria if (c.get("group", "") == group)) + 1
    while f"{stem}.{n}" in codes:
        n += 1
    return f"{stem}.{n}"


def typing_errors(sections: list[Section]) -> bool:
    return any(f.errors for _b, _r, f in all_fields(sections))


# --- the engine's problems, next to their field -------------------------------------------------

_PATH = re.compile(r"^(framework(?:\.[\w]+|\[\d+\])*)\s*:\s*(.*)$", re.S)
_NUMBER = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.])")


def human_message(message: str) -> str:
    """A decimal comma in an engine message (and no trailing zeros: "31.00" → "31")."""
    return _NUMBER.sub(lambda m: decimal_text(f"{m.group(1)}.{m.group(2)}"), message)


def _path_parts(path: str) -> tuple:
    parts: list = []
    for token in re.findall(r"\[(\d+)\]|\.?([\w]+)", path.removeprefix("framework")):
        index, name = token
        parts.append(int(index) if index else name)
    return tuple(parts)


def locate_problems(sections: list[Section], problems: list[str]) -> list[dict]:
    """Attach each problem (``"framework.<path>: message"``) to the field, row or block its path
    names (the longest known prefix); returns the summary ``[{"where", "message", "anchor"}]``
    for the top of the page."""
    targets: dict[tuple, tuple[str, Any]] = {}
    for section in sections:
        for block in section.blocks:
            targets.setdefault(block.path, (block.title, block))
            for row in block.rows:
                if row.path:
                    targets.setdefault(row.path, (row.title, row))
                for f in row.fields:
                    targets[f.path] = (f"{row.title} — {f.label}", f)
    summary = []
    for problem in problems:
        match = _PATH.match(problem)
        if match is None:
            summary.append({"where": "", "message": human_message(problem), "anchor": ""})
            continue
        parts, message = _path_parts(match.group(1)), human_message(match.group(2))
        where, target, anchor = "", None, ""
        for end in range(len(parts), -1, -1):
            if parts[:end] in targets:
                where, target = targets[parts[:end]]
                anchor = ".".join(str(p) for p in parts[:end])
                break
        if target is None or not parts:
            summary.append({"where": "", "message": message, "anchor": ""})
            if target is not None:
                target.errors.append(message)
            continue
        target.errors.append(message)
        summary.append({"where": where, "message": message, "anchor": anchor})
    return summary


def check(rules: dict, period_type: str | None) -> list[str]:
    """The engine's checks of ``rules`` (``rules_errors``)."""
    return rules_errors(rules, period_type)


def normalised(raw) -> tuple[dict | None, str]:
    """The rules in the ``to_dict`` shape (every option present with its documented default),
    or ``(None, message)`` when the stored JSON cannot be read (IT fixes it in the JSON tab)."""
    import json

    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None, _("Nội dung quy tắc không phải JSON hợp lệ.")
    try:
        return parse_framework(raw).to_dict(), ""
    except (FrameworkError, TypeError, ValueError, AttributeError) as exc:
        message = f"{exc.path}: {exc.message}" if isinstance(exc, FrameworkError) else str(exc)
        return None, message


# --- the preview ----------------------------------------------------------------------------------


@dataclass
class PreviewSide:
    scored: bool
    total: Decimal | None
    rating: str
    general: Decimal | None
    task_points: Decimal | None
    lines: list[str]
    reason: str = ""


def _side(outcome, rules) -> PreviewSide:
    general = sum(
        (points for code, points in outcome.component_points.items() if code != _task_code(rules)),
        Decimal(0),
    )
    reason = "; ".join(str(m) for m in outcome.errors.values())
    return PreviewSide(
        scored=outcome.scored,
        total=outcome.total,
        rating=rating_label(outcome.rating) if outcome.rating else "",
        general=general if outcome.component_points else None,
        task_points=outcome.task_points,
        lines=render_steps(outcome.steps),
        reason=reason,
    )


def _task_code(rules) -> str:
    try:
        return rules.task_component.code
    except KeyError:
        return ""


def preview(person, period, framework: CriteriaFramework, after: dict, before: dict | None):
    """Score ``person`` in ``period`` (their current inputs; nothing is written) with ``before``
    (the rules in force, ``None`` when never published) and ``after`` (the edited rules).
    Returns a dict for the template, or ``{"error": …}``."""
    loaded = prepare_person(person, period)
    if loaded is None:
        return {
            "error": _("%(person)s không có vị trí công tác được đánh giá trong %(period)s.")
            % {"person": person.full_name, "period": period}
        }
    data, prepared = loaded
    applying = prepared.framework
    notice = ""
    if applying is None or applying.framework_id != framework.pk:
        notice = _(
            "Trong kỳ này %(person)s đang áp dụng khung “%(other)s”; kết quả “trước” là theo "
            "khung đó, kết quả “sau” tính thử với khung đang soạn."
        ) % {
            "person": person.full_name,
            "other": applying.name if applying else _("(chưa có khung)"),
        }
    sides = []
    for key, rules_dict in (("before", before), ("after", after)):
        if key == "before" and (rules_dict is None or notice):
            resolved = applying
        else:
            rules = parse_framework(rules_dict or {})
            resolved = ResolvedFramework(
                framework.pk, -1 if key == "after" else -2, rules, framework.name, framework.code
            )
        if resolved is None:
            sides.append(_side(no_framework_outcome(), None))
            continue
        if contract_workers.own_method(resolved.rules, prepared.posting.category):
            # M7: a contract worker under the edited rules' own method, as the scorer does.
            outcome = contract_workers.prepared_outcome(
                dataclasses.replace(prepared, framework=resolved)
            )
            sides.append(_side(outcome, resolved.rules))
            continue
        trial = dataclasses.replace(prepared, framework=resolved)
        inp = trial.build(data.items)
        outcome = no_framework_outcome() if inp is None else compute_one(inp, resolved.rules)
        sides.append(_side(outcome, resolved.rules))
    before_side, after_side = sides
    removed = [line for line in before_side.lines if line not in after_side.lines]
    added = [line for line in after_side.lines if line not in before_side.lines]
    return {
        "person": person,
        "period": period,
        "notice": notice,
        "before": before_side,
        "after": after_side,
        "removed": removed,
        "added": added,
        "changed": before_side.total != after_side.total or before_side.rating != after_side.rating,
    }


# --- the gate of a province framework -----------------------------------------------------------


class EditorError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def may_edit(user, framework: CriteriaFramework) -> bool:
    """Sở Nội vụ (the model's change permission) edits the province's frameworks; an agency's
    own framework changes only through its proposal."""
    return (
        user.has_perm("scoring.change_criteriaframework")
        and access.may(user, access.CHANGE, framework)
        and not _is_variant(framework)
    )


def may_publish(user, framework: CriteriaFramework) -> bool:
    return may_edit(user, framework) and user.has_perm("scoring.publish_criteriaframework")


def _is_variant(framework: CriteriaFramework) -> bool:

    return FrameworkProposal.objects.filter(framework=framework).exists()


def editing_rules(framework: CriteriaFramework):
    """The rules the editor starts from: the latest revision (a saved draft), else the row."""
    revision = framework.latest_revision
    if revision is not None and "rules" in revision.content:
        return revision.content["rules"]
    return framework.rules


@transaction.atomic
def save_framework(
    framework: CriteriaFramework, rules: dict, user, seen_revision_id, *, publish: bool
):
    """Save ``rules`` as a new revision of ``framework`` (a draft) and, when ``publish``, make it
    the version in force. Refused (``EditorError``) when the user may not, when someone saved
    another revision since the user opened the editor, when it is locked by someone else, or
    when the engine finds a problem. Returns the revision."""
    framework = CriteriaFramework.objects.select_for_update().get(pk=framework.pk)
    allowed = may_publish(user, framework) if publish else may_edit(user, framework)
    if not allowed:
        raise EditorError([_("Bạn không có quyền thực hiện việc này với khung tiêu chí này.")])
    if framework.locked and framework.locked_by_id != user.pk:
        raise EditorError(
            [
                _("Khung đang bị khóa bởi %(user)s: chờ người đó mở khóa rồi thử lại.")
                % {"user": framework.locked_by}
            ]
        )
    if str(framework.latest_revision_id or "") != str(seen_revision_id or ""):
        raise EditorError(
            [
                _(
                    "Khung đã được người khác lưu sau khi bạn mở trang. Hãy mở lại trang để xem "
                    "bản mới nhất rồi sửa lại."
                )
            ]
        )
    problems = rules_errors(rules, framework.period_type)
    if problems:
        raise EditorError(problems)
    framework.rules = rules
    framework.save()
    revision = framework.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user, log_action=True)
    return revision


def published_history(framework: CriteriaFramework) -> list[dict]:
    """Who published which version, when (Wagtail's log), newest first."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import ModelLogEntry

    content_type = ContentType.objects.get_for_model(CriteriaFramework)
    entries = (
        ModelLogEntry.objects.filter(
            content_type=content_type,
            object_id=str(framework.pk),
            action__in=("wagtail.publish", "wagtail.edit", "wagtail.create"),
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")[:20]
    )
    labels = {
        "wagtail.publish": _("Ban hành phiên bản"),
        "wagtail.edit": _("Lưu bản nháp"),
        "wagtail.create": _("Tạo khung"),
    }
    return [
        {
            "at": entry.timestamp,
            "user": entry.user.get_full_name() or entry.user.get_username()
            if entry.user
            else _("hệ thống"),
            "action": labels[entry.action],
            "revision": entry.revision_id,
            "live": entry.revision_id and entry.revision_id == framework.live_revision_id,
        }
        for entry in entries
    ]
