"""The two frameworks shipped with the engine, written as plain data.

* :data:`DECREE_335_DEFAULT` — "Nghị định 335 (mặc định)": 30 general + 70 task results.
* :data:`NGHE_AN_FOUR_GROUPS` — Nghệ An's four indicator groups weighted per job-position
  group. The four groups come from the province's KPI plan; the **weights are
  illustrative** (the plan does not publish them) and must be replaced by the province.

Both are built with :meth:`FrameworkRules.from_dict` from the literal dictionaries below,
exactly as the Django side builds frameworks stored as JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .framework.parsing import parse_framework
from .framework.rules import (
    ANNUAL_LEADER_ROLE_DEFAULT,
    ANNUAL_MIN_MONTHS_DEFAULT,
    ANNUAL_WEIGHTING_DEFAULT,
    LEADER_LINES_DEFAULT,
    QUOTA_BASE_DEFAULT,
    QUOTA_GROUP_BY_DEFAULT,
    QUOTA_ROUNDING_DEFAULT,
    FrameworkRules,
    OrganisationRules,
)
from .serialize import jsonable

ND335 = "Nghị định 335/2025/NĐ-CP"
QD366 = "Quy định 366-QĐ/TW"
GIA_LAI = "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP"
NGHE_AN = "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI"

# --------------------------------------------------------------------- shared blocks

TASK_METHOD_DATA: dict[str, Any] = {
    "review_deduction": {
        "value": "0.25",
        "citation": f"{ND335}, Điều 14 (điểm b)",
        "confidence": "confirmed",
        "note": "Mỗi lần đánh giá chưa đạt trừ 25% điểm của sản phẩm đó.",
    },
    "delay_deduction": {
        "value": "0.25",
        "citation": f"{ND335}, Điều 14 (điểm c)",
        "confidence": "confirmed",
        "note": "Mỗi lần chậm tiến độ trừ 25% điểm của sản phẩm đó; tính theo số lần chậm.",
    },
    "cap_percent": {
        "value": "100",
        "citation": f"{ND335}, Điều 14 (không quy định rõ)",
        "confidence": "secondary",
        "note": "Văn bản không nói a, b, c có được vượt 100% hay không; áp dụng như các "
        "đơn vị đã triển khai.",
    },
    "staff_criteria": ["a", "b", "c"],
    "leader_criteria": ["a", "b", "c", "d", "dd", "e"],
    "leader_roles": ["head", "deputy"],
    "leader_lines": dataclasses.asdict(LEADER_LINES_DEFAULT),
    "citation": f"{ND335}, Điều 14, 15, 16",
    "confidence": "secondary",
    "note": "Điểm nhiệm vụ = trung bình cộng các tỷ lệ nhân 70%.",
}

LEADER_CRITERIA_DATA: list[dict[str, Any]] = [
    {
        "code": "d",
        "label": "Kết quả hoạt động của cơ quan, tổ chức, đơn vị",
        "levels": [
            {
                "percent": "100",
                "label": "Toàn bộ công chức thuộc phạm vi quản lý đạt mức "
                "hoàn thành nhiệm vụ trở lên",
            },
            {
                "percent": "50",
                "label": "Có công chức thuộc phạm vi quản lý không hoàn thành nhiệm vụ",
            },
        ],
        "min_rating": "completed",
        "citation": f"{ND335}, Điều 15 khoản 3 điểm d",
        "confidence": "confirmed",
    },
    {
        "code": "dd",
        "label": "Khả năng tổ chức triển khai thực hiện nhiệm vụ",
        "levels": [
            {
                "percent": "100",
                "label": "Hoàn thành toàn bộ nhiệm vụ theo kế hoạch, đúng "
                "tiến độ, bảo đảm chất lượng, có sáng kiến, giải pháp",
            },
            {"percent": "50", "label": "Trường hợp khác"},
        ],
        "citation": f"{ND335}, Điều 15 khoản 3 điểm đ",
        "confidence": "secondary",
        "note": "Mức 100% được xác nhận; mức 50% theo các đơn vị đã triển khai.",
    },
    {
        "code": "e",
        "label": "Năng lực tập hợp, đoàn kết công chức thuộc phạm vi quản lý",
        "levels": [
            {"percent": "100", "label": "Tập hợp, đoàn kết tốt"},
            {"percent": "50", "label": "Trường hợp khác"},
        ],
        "citation": f"{ND335}, Điều 15 khoản 3 điểm e",
        "confidence": "secondary",
    },
]

BANDS_DATA: list[dict[str, Any]] = [
    {
        "code": "excellent",
        "label": "Hoàn thành xuất sắc nhiệm vụ",
        "min_score": "90",
        "citation": f"{ND335}, Điều 20",
        "confidence": "confirmed",
    },
    {
        "code": "good",
        "label": "Hoàn thành tốt nhiệm vụ",
        "min_score": "70",
        "citation": f"{ND335}, Điều 20",
        "confidence": "confirmed",
    },
    {
        "code": "completed",
        "label": "Hoàn thành nhiệm vụ",
        "min_score": "50",
        "citation": f"{ND335}, Điều 20",
        "confidence": "confirmed",
    },
    {
        "code": "not_completed",
        "label": "Không hoàn thành nhiệm vụ",
        "min_score": "0",
        "citation": f"{ND335}, Điều 20 khoản 4 điểm a",
        "confidence": "confirmed",
    },
]

DISQUALIFIERS_DATA: list[dict[str, Any]] = [
    {
        "code": "degradation_concluded",
        "label": "Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng chính trị, "
        "đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”; vi phạm những điều đảng viên "
        "không được làm; vi phạm trách nhiệm nêu gương",
        "citation": f"{ND335}, Điều 20 khoản 4 điểm b",
        "confidence": "confirmed",
    },
    {
        "code": "discipline_reprimand_or_heavier",
        "label": "Bị kỷ luật bằng hình thức từ khiển trách trở lên trong năm đánh giá do vi "
        "phạm liên quan đến hoạt động công vụ",
        "citation": f"{ND335}, Điều 20 khoản 4 điểm c",
        "confidence": "confirmed",
    },
    {
        "code": "unit_corruption_case",
        "label": "Cơ quan, tổ chức, đơn vị thuộc thẩm quyền phụ trách, quản lý trực tiếp liên "
        "quan đến tham ô, tham nhũng, lãng phí và bị xử lý theo quy định của pháp luật",
        "leaders_only": True,
        "citation": f"{ND335}, Điều 20 khoản 4 điểm d",
        "confidence": "confirmed",
    },
]

QUOTA_DATA: dict[str, Any] = {
    "ratio": {
        "value": "0.20",
        "citation": f"{ND335}, Điều 20 khoản 5 điểm a",
        "confidence": "confirmed",
    },
    "outstanding_ratio": {
        "value": "0.25",
        "citation": f"{ND335}, Điều 20 khoản 5 điểm b",
        "confidence": "secondary",
        "note": "Văn bản công khai bị cắt ở điều kiện ngoại lệ; 25% theo các đơn vị đã triển khai.",
    },
    "group_by": dataclasses.asdict(QUOTA_GROUP_BY_DEFAULT),
    "base": dataclasses.asdict(QUOTA_BASE_DEFAULT),
    "rounding": dataclasses.asdict(QUOTA_ROUNDING_DEFAULT),
    "citation": f"{ND335}, Điều 20 khoản 5",
    "confidence": "inferred",
    "note": "Cơ sở tính: số người được xếp loại hoàn thành tốt sau cùng (kể cả người bị "
    "chuyển từ xuất sắc xuống).",
}

ANNUAL_DATA: dict[str, Any] = {
    "method": "mean_of_scored_periods",
    "weighting": dataclasses.asdict(ANNUAL_WEIGHTING_DEFAULT),
    "min_months": jsonable(ANNUAL_MIN_MONTHS_DEFAULT),
    "leader_role": dataclasses.asdict(ANNUAL_LEADER_ROLE_DEFAULT),
    "citation": f"{ND335}, Điều 21",
    "confidence": "inferred",
    # The literal of scoring/migrations/0002 (tests/scoring/test_frameworks.py); the weighting
    # is the option above (a plain mean only when every counted period is one month).
    "note": "Điểm năm = trung bình cộng tổng điểm các kỳ thực tế công tác.",
}

ORG_GENERAL_CITATION = f"{ND335} (tiêu chí chung đối với cơ quan); {GIA_LAI}, mục III.2"

ORGANISATION_DATA: dict[str, Any] = {
    "general": {
        "code": "org_general",
        "label": "Tiêu chí chung",
        "kind": "criteria_marks",
        "max_points": "30",
        "criteria": [
            {
                "code": "G.1",
                "label": "Chấp hành chủ trương, đường lối của Đảng, chính sách, "
                "pháp luật của Nhà nước",
                "max_points": "7.5",
                "citation": ORG_GENERAL_CITATION,
                "confidence": "inferred",
            },
            {
                "code": "G.2",
                "label": "Kỷ luật, kỷ cương hành chính",
                "max_points": "7.5",
                "citation": ORG_GENERAL_CITATION,
                "confidence": "inferred",
            },
            {
                "code": "G.3",
                "label": "Trách nhiệm của người đứng đầu",
                "max_points": "7.5",
                "citation": ORG_GENERAL_CITATION,
                "confidence": "inferred",
            },
            {
                "code": "G.4",
                "label": "Môi trường làm việc, văn hóa công vụ",
                "max_points": "7.5",
                "citation": ORG_GENERAL_CITATION,
                "confidence": "inferred",
            },
        ],
        "citation": f"{ND335} (tiêu chí đối với cơ quan hành chính); {GIA_LAI}, mục III.2",
        "confidence": "inferred",
        "note": "Điểm chia cho từng tiêu chí thành phần chưa được công bố; 4 tiêu chí, mỗi "
        "tiêu chí 7,5 điểm là minh họa.",
    },
    "task_max": {"value": "70", "citation": f"{GIA_LAI}, mục III.2", "confidence": "secondary"},
    "late_deduction": {
        "value": "0.25",
        "citation": f"{ND335}, Điều 14 (áp dụng tương tự)",
        "confidence": "inferred",
        "note": "Nhiệm vụ trễ hạn được tính 100% trừ 25% cho mỗi lần trễ.",
    },
    "min_done_share": {
        "value": "0.70",
        "citation": f"{GIA_LAI}, mục III.3 điểm d",
        "confidence": "secondary",
        "note": "Hoàn thành dưới 70% nhiệm vụ → không hoàn thành nhiệm vụ.",
    },
    "levels": [
        {
            "rating": "excellent",
            "min_score": "90",
            "require_all_done": True,
            "max_late_share": "0",
            "min_exceeded_share": "0.30",
            "require_no_failed_subunit": True,
            "require_shortcomings_remedied": True,
            "citation": f"{QD366}, Điều 11; {GIA_LAI}, mục III.3 điểm a",
            "confidence": "secondary",
        },
        {
            "rating": "good",
            "min_score": "70",
            "require_all_done": True,
            "max_late_share": "0",
            "citation": f"{QD366}, Điều 11; {GIA_LAI}, mục III.3 điểm b",
            "confidence": "secondary",
        },
        {
            "rating": "completed",
            "min_score": "50",
            "require_all_done": True,
            "max_late_share": "0.20",
            "citation": f"{QD366}, Điều 11; {GIA_LAI}, mục III.3 điểm c",
            "confidence": "secondary",
        },
    ],
    "disqualifiers": [
        {
            "code": "personnel_work_violation",
            "label": "Bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, mất đoàn "
            "kết nội bộ, bè phái, chạy chức, chạy quyền",
            "citation": f"{GIA_LAI}, mục III.3 điểm d",
            "confidence": "secondary",
        },
    ],
    "cap_head_by_agency": {
        "enabled": True,
        "citation": "Công văn 21169/CHQ-TCCB (Cục Hải quan)",
        "confidence": "secondary",
        "note": "Người đứng đầu không được xếp loại cao hơn cơ quan, đơn vị mình.",
    },
    "citation": f"{ND335}; {QD366}, Điều 11; {GIA_LAI}, mục III",
    "confidence": "inferred",
    "note": "Công thức tỷ lệ nhiệm vụ của tổ chức do phần mềm đề xuất [suy luận].",
}

# --------------------------------------------------------------------- Decree 335 default

DECREE_335_DEFAULT_DATA: dict[str, Any] = {
    "code": "decree-335-default",
    "name": "Nghị định 335 (mặc định)",
    "version": "1",
    "period_type": "month",
    "total_max": "100",
    "components": [
        {
            "code": "general",
            "label": "Tiêu chí chung",
            "kind": "criteria_marks",
            "max_points": "30",
            "groups": [
                {
                    "code": "I",
                    "label": "Phẩm chất chính trị, đạo đức, văn hóa thực thi công vụ "
                    "và ý thức kỷ luật, kỷ cương",
                    "max_points": "10",
                    "citation": f"{ND335}, Phụ lục II, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II",
                    "label": "Năng lực chuyên môn, khả năng đáp ứng, tinh thần trách "
                    "nhiệm, thái độ phục vụ, phối hợp",
                    "max_points": "10",
                    "citation": f"{ND335}, Phụ lục II, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "III",
                    "label": "Năng lực đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm",
                    "max_points": "10",
                    "citation": f"{ND335}, Phụ lục II, Mẫu số 01",
                    "confidence": "confirmed",
                },
            ],
            "criteria": [
                {
                    "code": "I.1",
                    "group": "I",
                    "max_points": "5",
                    "label": "Phẩm chất chính trị, đạo đức, văn hóa công vụ",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "I.2",
                    "group": "I",
                    "max_points": "5",
                    "label": "Ý thức kỷ luật, kỷ cương trong thực thi công vụ",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.1",
                    "group": "II",
                    "max_points": "2.5",
                    "label": "Năng lực chuyên môn, nghiệp vụ theo yêu cầu vị trí việc làm",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.2",
                    "group": "II",
                    "max_points": "2.5",
                    "label": "Khả năng đáp ứng yêu cầu nhiệm vụ thường xuyên, đột xuất",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.3",
                    "group": "II",
                    "max_points": "2.5",
                    "label": "Tinh thần trách nhiệm trong thực thi công vụ",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.4",
                    "group": "II",
                    "max_points": "2.5",
                    "label": "Thái độ phục vụ người dân, doanh nghiệp; phối hợp với đồng nghiệp",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "III.1",
                    "group": "III",
                    "max_points": "2.5",
                    "label": "Có sản phẩm, giải pháp đột phá, sáng tạo mang lại hiệu quả",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "secondary",
                },
                {
                    "code": "III.2",
                    "group": "III",
                    "max_points": "2.5",
                    "label": "Sẵn sàng nhận nhiệm vụ chính trị đặc biệt quan trọng, cấp bách, "
                    "phức tạp, khó khăn",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "secondary",
                },
                {
                    "code": "III.3",
                    "group": "III",
                    "max_points": "2.5",
                    "label": "Dám chịu trách nhiệm về kết quả; nhận và khắc phục khuyết điểm",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "secondary",
                },
                {
                    "code": "III.4",
                    "group": "III",
                    "max_points": "2.5",
                    "label": "Quyết định đúng thẩm quyền, không né tránh; tiên phong nhiệm vụ mới",
                    "citation": f"{ND335}, Mẫu số 01",
                    "confidence": "secondary",
                },
            ],
            "citation": f"{ND335}, Điều 12 khoản 2; Phụ lục II, Mẫu số 01",
            "confidence": "confirmed",
        },
        {
            "code": "task",
            "label": "Kết quả thực hiện nhiệm vụ",
            "kind": "task_results",
            "max_points": "70",
            "citation": f"{ND335}, Điều 12",
            "confidence": "confirmed",
        },
    ],
    "task_method": TASK_METHOD_DATA,
    "leader_criteria": LEADER_CRITERIA_DATA,
    "bands": BANDS_DATA,
    "disqualifiers": DISQUALIFIERS_DATA,
    "quota": QUOTA_DATA,
    "annual": ANNUAL_DATA,
    "organisation": ORGANISATION_DATA,
    "citation": ND335,
    "confidence": "secondary",
    "note": "Khung mặc định theo Nghị định 335; mỗi giả định được ghi ở mục của nó, kèm căn cứ và "
    "độ tin cậy.",
}

# --------------------------------------------------------------------- Nghệ An


def _marks_component(
    code: str, label: str, by_group: dict[str, str], criteria: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "code": code,
        "label": label,
        "kind": "criteria_marks",
        "max_points_by_group": by_group,
        "criteria": [
            {
                "code": c,
                "label": text,
                "max_points": "5",
                "citation": NGHE_AN,
                "confidence": "inferred",
            }
            for c, text in criteria
        ],
        "citation": f"{NGHE_AN}, mục I.2",
        "confidence": "inferred",
        "note": "Nhóm chỉ số được xác nhận trong kế hoạch; trọng số và tiêu chí thành phần là "
        "minh họa.",
    }


NGHE_AN_FOUR_GROUPS_DATA: dict[str, Any] = {
    "code": "nghe-an-four-groups",
    "name": "Nghệ An — bốn nhóm chỉ số theo nhóm vị trí việc làm (minh họa)",
    "version": "1",
    "period_type": "month",
    "total_max": "100",
    "position_groups": [
        {"code": "leadership", "label": "Lãnh đạo, quản lý"},
        {"code": "professional", "label": "Chuyên môn, nghiệp vụ"},
        {"code": "support", "label": "Hỗ trợ, phục vụ"},
    ],
    "components": [
        {
            "code": "task",
            "label": "Kết quả thực hiện nhiệm vụ",
            "kind": "task_results",
            "max_points_by_group": {"leadership": "50", "professional": "60", "support": "50"},
            "citation": f"{NGHE_AN}, mục I.2",
            "confidence": "inferred",
            "note": "Trọng số minh họa.",
        },
        _marks_component(
            "satisfaction",
            "Mức độ hài lòng của đối tượng thụ hưởng kết quả công việc",
            {"leadership": "15", "professional": "15", "support": "25"},
            [
                ("S.1", "Hài lòng về kết quả, chất lượng giải quyết công việc"),
                ("S.2", "Hài lòng về thái độ, tinh thần phục vụ"),
            ],
        ),
        _marks_component(
            "coordination",
            "Năng lực phối hợp",
            {"leadership": "20", "professional": "10", "support": "10"},
            [
                ("C.1", "Phối hợp trong cơ quan, đơn vị"),
                ("C.2", "Phối hợp với cơ quan, đơn vị liên quan"),
            ],
        ),
        _marks_component(
            "discipline",
            "Kỷ luật, kỷ cương công vụ",
            {"leadership": "15", "professional": "15", "support": "15"},
            [
                ("K.1", "Chấp hành nội quy, quy chế, thời gian làm việc"),
                ("K.2", "Chấp hành sự chỉ đạo, điều hành; kỷ cương công vụ"),
            ],
        ),
    ],
    "task_method": TASK_METHOD_DATA,
    "leader_criteria": LEADER_CRITERIA_DATA,
    "bands": BANDS_DATA,
    "disqualifiers": DISQUALIFIERS_DATA,
    "quota": QUOTA_DATA,
    "annual": ANNUAL_DATA,
    "organisation": ORGANISATION_DATA,
    "feedback": {
        "satisfaction_criteria": ["satisfaction.S.1", "satisfaction.S.2"],
        "citation": f"{NGHE_AN}, mục I.2, III.2.2",
        "confidence": "inferred",
        "note": "Nhóm chỉ số mức độ hài lòng lấy từ ý kiến của người dân, doanh nghiệp (mã phản "
        "hồi, khảo sát của bộ phận một cửa); chưa đủ số ý kiến tối thiểu thì giữ điểm của người "
        "đánh giá.",
    },
    "coordination": {
        "criteria": ["coordination.C.2"],
        "citation": f"{NGHE_AN}, mục I.2, III.2.1",
        "confidence": "inferred",
        "note": "Tiêu chí phối hợp với cơ quan, đơn vị liên quan lấy điểm từ đánh giá của lãnh đạo "
        "các đơn vị phối hợp trên những việc được giao có phối hợp; chưa đủ số đánh giá tối thiểu "
        "thì giữ điểm của người đánh giá.",
    },
    "citation": f"{NGHE_AN}; {QD366}; {ND335}",
    "confidence": "inferred",
    "note": "Ví dụ cách một tỉnh tự khai báo khung đánh giá bằng dữ liệu; trọng số minh họa.",
}

DECREE_335_DEFAULT: FrameworkRules = parse_framework(DECREE_335_DEFAULT_DATA)


def _organisation_part(rules: FrameworkRules) -> OrganisationRules:
    if rules.organisation is None:  # the decree's default data declares its organisation part
        raise ValueError("the default framework has no organisation rules")
    return rules.organisation


#: The organisation rules of the decree's default: those of a framework that declares none.
DECREE_335_ORGANISATION: OrganisationRules = _organisation_part(DECREE_335_DEFAULT)
NGHE_AN_FOUR_GROUPS: FrameworkRules = parse_framework(NGHE_AN_FOUR_GROUPS_DATA)
