"""Production seeds of scoring, called by the data migrations (0002, 0013) and by
``demo.base_data.ensure_base_data``. Each function takes an app registry (a migration's
historical ``apps`` or ``django.apps.apps``) and skips what already exists.

Two frameworks of the engine as snippet rows with a revision each:

* "Nghị định 335 (mặc định)" — published (live) and assigned to the whole province from
  01/01/2026 (the decree's entry into force).
* "Nghệ An — bốn nhóm chỉ số" — a draft (not live, not assigned): an example a province can
  adapt, publish and assign to itself or to one agency in the admin, without code.

The rules are COPIED here as literals (``FrameworkRules.to_dict()`` of engine 1.0.0 at the
time of writing) rather than imported from ``scoring.engine.defaults``: the migration must keep
producing the same rows even after the engine's defaults change. Change a seed here only
with a new data migration in mind: migration 0002 replays this module.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

DECREE_335_RULES = {
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
            "max_points_by_group": {},
            "groups": [
                {
                    "code": "I",
                    "label": "Phẩm chất chính trị, đạo đức, văn hóa thực thi công vụ và ý "
                    "thức kỷ luật, kỷ cương",
                    "max_points": "10",
                    "citation": "Nghị định 335/2025/NĐ-CP, Phụ lục II, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II",
                    "label": "Năng lực chuyên môn, khả năng đáp ứng, tinh thần trách "
                    "nhiệm, thái độ phục vụ, phối hợp",
                    "max_points": "10",
                    "citation": "Nghị định 335/2025/NĐ-CP, Phụ lục II, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "III",
                    "label": "Năng lực đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm",
                    "max_points": "10",
                    "citation": "Nghị định 335/2025/NĐ-CP, Phụ lục II, Mẫu số 01",
                    "confidence": "confirmed",
                },
            ],
            "criteria": [
                {
                    "code": "I.1",
                    "label": "Phẩm chất chính trị, đạo đức, văn hóa công vụ",
                    "max_points": "5",
                    "group": "I",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "I.2",
                    "label": "Ý thức kỷ luật, kỷ cương trong thực thi công vụ",
                    "max_points": "5",
                    "group": "I",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.1",
                    "label": "Năng lực chuyên môn, nghiệp vụ theo yêu cầu vị trí việc làm",
                    "max_points": "2.5",
                    "group": "II",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.2",
                    "label": "Khả năng đáp ứng yêu cầu nhiệm vụ thường xuyên, đột xuất",
                    "max_points": "2.5",
                    "group": "II",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.3",
                    "label": "Tinh thần trách nhiệm trong thực thi công vụ",
                    "max_points": "2.5",
                    "group": "II",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "II.4",
                    "label": "Thái độ phục vụ người dân, doanh nghiệp; phối hợp với đồng nghiệp",
                    "max_points": "2.5",
                    "group": "II",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "confirmed",
                },
                {
                    "code": "III.1",
                    "label": "Có sản phẩm, giải pháp đột phá, sáng tạo mang lại hiệu quả",
                    "max_points": "2.5",
                    "group": "III",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "secondary",
                },
                {
                    "code": "III.2",
                    "label": "Sẵn sàng nhận nhiệm vụ chính trị đặc biệt quan trọng, cấp "
                    "bách, phức tạp, khó khăn",
                    "max_points": "2.5",
                    "group": "III",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "secondary",
                },
                {
                    "code": "III.3",
                    "label": "Dám chịu trách nhiệm về kết quả; nhận và khắc phục khuyết điểm",
                    "max_points": "2.5",
                    "group": "III",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "secondary",
                },
                {
                    "code": "III.4",
                    "label": "Quyết định đúng thẩm quyền, không né tránh; tiên phong nhiệm vụ mới",
                    "max_points": "2.5",
                    "group": "III",
                    "citation": "Nghị định 335/2025/NĐ-CP, Mẫu số 01",
                    "confidence": "secondary",
                },
            ],
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 12 khoản 2; Phụ lục II, Mẫu số 01",
            "confidence": "confirmed",
            "note": "",
        },
        {
            "code": "task",
            "label": "Kết quả thực hiện nhiệm vụ",
            "kind": "task_results",
            "max_points": "70",
            "max_points_by_group": {},
            "groups": [],
            "criteria": [],
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 12",
            "confidence": "confirmed",
            "note": "",
        },
    ],
    "task_method": {
        "review_deduction": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (điểm b)",
            "confidence": "confirmed",
            "note": "Mỗi lần đánh giá chưa đạt trừ 25% điểm của sản phẩm đó.",
        },
        "delay_deduction": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (điểm c)",
            "confidence": "confirmed",
            "note": "Mỗi lần chậm tiến độ trừ 25% điểm của sản phẩm đó; tính theo số lần chậm.",
        },
        "cap_percent": {
            "value": "100",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (không quy định rõ)",
            "confidence": "secondary",
            "note": "Văn bản không nói a, b, c có được vượt 100% hay không; "
            "áp dụng như các đơn vị đã triển khai.",
        },
        "staff_criteria": ["a", "b", "c"],
        "leader_criteria": ["a", "b", "c", "d", "dd", "e"],
        "leader_roles": ["head", "deputy"],
        "citation": "Nghị định 335/2025/NĐ-CP, Điều 14, 15, 16",
        "confidence": "secondary",
        "note": "Điểm nhiệm vụ = trung bình cộng các tỷ lệ nhân 70%.",
    },
    "leader_criteria": [
        {
            "code": "d",
            "label": "Kết quả hoạt động của cơ quan, tổ chức, đơn vị",
            "levels": [
                {
                    "percent": "100",
                    "label": "Toàn bộ công chức thuộc phạm vi quản lý đạt mức hoàn "
                    "thành nhiệm vụ trở lên",
                },
                {
                    "percent": "50",
                    "label": "Có công chức thuộc phạm vi quản lý không hoàn thành nhiệm vụ",
                },
            ],
            "min_rating": "completed",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm d",
            "confidence": "confirmed",
            "note": "",
        },
        {
            "code": "dd",
            "label": "Khả năng tổ chức triển khai thực hiện nhiệm vụ",
            "levels": [
                {
                    "percent": "100",
                    "label": "Hoàn thành toàn bộ nhiệm vụ theo kế hoạch, đúng tiến "
                    "độ, bảo đảm chất lượng, có sáng kiến, giải pháp",
                },
                {"percent": "50", "label": "Trường hợp khác"},
            ],
            "min_rating": None,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm đ",
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
            "min_rating": None,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm e",
            "confidence": "secondary",
            "note": "",
        },
    ],
    "bands": [
        {
            "code": "excellent",
            "label": "Hoàn thành xuất sắc nhiệm vụ",
            "min_score": "90",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20",
            "confidence": "confirmed",
        },
        {
            "code": "good",
            "label": "Hoàn thành tốt nhiệm vụ",
            "min_score": "70",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20",
            "confidence": "confirmed",
        },
        {
            "code": "completed",
            "label": "Hoàn thành nhiệm vụ",
            "min_score": "50",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20",
            "confidence": "confirmed",
        },
        {
            "code": "not_completed",
            "label": "Không hoàn thành nhiệm vụ",
            "min_score": "0",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm a",
            "confidence": "confirmed",
        },
    ],
    "disqualifiers": [
        {
            "code": "degradation_concluded",
            "label": "Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng "
            "chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”; vi "
            "phạm những điều đảng viên không được làm; vi phạm trách nhiệm nêu "
            "gương",
            "leaders_only": False,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm b",
            "confidence": "confirmed",
        },
        {
            "code": "discipline_reprimand_or_heavier",
            "label": "Bị kỷ luật bằng hình thức từ khiển trách trở lên trong năm đánh giá "
            "do vi phạm liên quan đến hoạt động công vụ",
            "leaders_only": False,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm c",
            "confidence": "confirmed",
        },
        {
            "code": "unit_corruption_case",
            "label": "Cơ quan, tổ chức, đơn vị thuộc thẩm quyền phụ trách, quản lý trực "
            "tiếp liên quan đến tham ô, tham nhũng, lãng phí và bị xử lý theo quy "
            "định của pháp luật",
            "leaders_only": True,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm d",
            "confidence": "confirmed",
        },
    ],
    "quota": {
        "ratio": {
            "value": "0.20",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm a",
            "confidence": "confirmed",
            "note": "",
        },
        "outstanding_ratio": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm b",
            "confidence": "secondary",
            "note": "Văn bản công khai bị cắt ở điều kiện ngoại lệ; 25% theo "
            "các đơn vị đã triển khai.",
        },
        "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5",
        "confidence": "inferred",
        "note": "Cơ sở tính: số người được xếp loại hoàn thành tốt sau cùng (kể cả người bị "
        "chuyển từ xuất sắc xuống).",
    },
    "annual": {
        "method": "mean_of_scored_periods",
        "citation": "Nghị định 335/2025/NĐ-CP, Điều 21",
        "confidence": "inferred",
        "note": "Điểm năm = trung bình cộng tổng điểm các kỳ thực tế công tác.",
    },
    "organisation": {
        "general": {
            "code": "org_general",
            "label": "Tiêu chí chung",
            "kind": "criteria_marks",
            "max_points": "30",
            "max_points_by_group": {},
            "groups": [],
            "criteria": [
                {
                    "code": "G.1",
                    "label": "Chấp hành chủ trương, đường lối của Đảng, "
                    "chính sách, pháp luật của Nhà nước",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
                {
                    "code": "G.2",
                    "label": "Kỷ luật, kỷ cương hành chính",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
                {
                    "code": "G.3",
                    "label": "Trách nhiệm của người đứng đầu",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
                {
                    "code": "G.4",
                    "label": "Môi trường làm việc, văn hóa công vụ",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
            ],
            "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí đối với cơ quan hành "
            "chính); Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định "
            "335/2025/NĐ-CP, mục III.2",
            "confidence": "inferred",
            "note": "Điểm chia cho từng tiêu chí thành phần chưa được công bố; 4 "
            "tiêu chí, mỗi tiêu chí 7,5 điểm là minh họa.",
        },
        "task_max": {
            "value": "70",
            "citation": "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III.2",
            "confidence": "secondary",
            "note": "",
        },
        "late_deduction": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (áp dụng tương tự)",
            "confidence": "inferred",
            "note": "Nhiệm vụ trễ hạn được tính 100% trừ 25% cho mỗi lần trễ.",
        },
        "min_done_share": {
            "value": "0.70",
            "citation": "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định "
            "335/2025/NĐ-CP, mục III.3 điểm d",
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
                "citation": "Quy định 366-QĐ/TW, Điều 11; Kế hoạch UBND tỉnh Gia Lai "
                "thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm a",
                "confidence": "secondary",
            },
            {
                "rating": "good",
                "min_score": "70",
                "require_all_done": True,
                "max_late_share": "0",
                "min_exceeded_share": None,
                "require_no_failed_subunit": False,
                "require_shortcomings_remedied": False,
                "citation": "Quy định 366-QĐ/TW, Điều 11; Kế hoạch UBND tỉnh Gia Lai "
                "thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm b",
                "confidence": "secondary",
            },
            {
                "rating": "completed",
                "min_score": "50",
                "require_all_done": True,
                "max_late_share": "0.20",
                "min_exceeded_share": None,
                "require_no_failed_subunit": False,
                "require_shortcomings_remedied": False,
                "citation": "Quy định 366-QĐ/TW, Điều 11; Kế hoạch UBND tỉnh Gia Lai "
                "thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm c",
                "confidence": "secondary",
            },
        ],
        "disqualifiers": [
            {
                "code": "personnel_work_violation",
                "label": "Bị cấp có thẩm quyền kết luận có sai phạm trong "
                "công tác cán bộ, mất đoàn kết nội bộ, bè phái, chạy "
                "chức, chạy quyền",
                "leaders_only": False,
                "citation": "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định "
                "335/2025/NĐ-CP, mục III.3 điểm d",
                "confidence": "secondary",
            }
        ],
        "cap_head_by_agency": {
            "enabled": True,
            "citation": "Công văn 21169/CHQ-TCCB (Cục Hải quan)",
            "confidence": "secondary",
            "note": "Người đứng đầu không được xếp loại cao hơn cơ quan, đơn vị mình.",
        },
        "citation": "Nghị định 335/2025/NĐ-CP; Quy định 366-QĐ/TW, Điều 11; Kế hoạch "
        "UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III",
        "confidence": "inferred",
        "note": "Công thức tỷ lệ nhiệm vụ của tổ chức do phần mềm đề xuất [suy luận].",
    },
    "position_groups": [],
    "citation": "Nghị định 335/2025/NĐ-CP",
    "confidence": "secondary",
    "note": "Khung mặc định theo Nghị định 335; mỗi giả định được ghi ở mục của nó, kèm căn cứ và "
    "độ tin cậy.",
}

NGHE_AN_RULES = {
    "code": "nghe-an-four-groups",
    "name": "Nghệ An — bốn nhóm chỉ số theo nhóm vị trí việc làm (minh họa)",
    "version": "1",
    "period_type": "month",
    "total_max": "100",
    "components": [
        {
            "code": "task",
            "label": "Kết quả thực hiện nhiệm vụ",
            "kind": "task_results",
            "max_points": None,
            "max_points_by_group": {"leadership": "50", "professional": "60", "support": "50"},
            "groups": [],
            "criteria": [],
            "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2",
            "confidence": "inferred",
            "note": "Trọng số minh họa.",
        },
        {
            "code": "satisfaction",
            "label": "Mức độ hài lòng của đối tượng thụ hưởng kết quả công việc",
            "kind": "criteria_marks",
            "max_points": None,
            "max_points_by_group": {"leadership": "15", "professional": "15", "support": "25"},
            "groups": [],
            "criteria": [
                {
                    "code": "S.1",
                    "label": "Hài lòng về kết quả, chất lượng giải quyết công việc",
                    "max_points": "5",
                    "group": "",
                    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI",
                    "confidence": "inferred",
                },
                {
                    "code": "S.2",
                    "label": "Hài lòng về thái độ, tinh thần phục vụ",
                    "max_points": "5",
                    "group": "",
                    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI",
                    "confidence": "inferred",
                },
            ],
            "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2",
            "confidence": "inferred",
            "note": "Nhóm chỉ số được xác nhận trong kế hoạch; trọng số và tiêu chí thành "
            "phần là minh họa.",
        },
        {
            "code": "coordination",
            "label": "Năng lực phối hợp",
            "kind": "criteria_marks",
            "max_points": None,
            "max_points_by_group": {"leadership": "20", "professional": "10", "support": "10"},
            "groups": [],
            "criteria": [
                {
                    "code": "C.1",
                    "label": "Phối hợp trong cơ quan, đơn vị",
                    "max_points": "5",
                    "group": "",
                    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI",
                    "confidence": "inferred",
                },
                {
                    "code": "C.2",
                    "label": "Phối hợp với cơ quan, đơn vị liên quan",
                    "max_points": "5",
                    "group": "",
                    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI",
                    "confidence": "inferred",
                },
            ],
            "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2",
            "confidence": "inferred",
            "note": "Nhóm chỉ số được xác nhận trong kế hoạch; trọng số và tiêu chí thành "
            "phần là minh họa.",
        },
        {
            "code": "discipline",
            "label": "Kỷ luật, kỷ cương công vụ",
            "kind": "criteria_marks",
            "max_points": None,
            "max_points_by_group": {"leadership": "15", "professional": "15", "support": "15"},
            "groups": [],
            "criteria": [
                {
                    "code": "K.1",
                    "label": "Chấp hành nội quy, quy chế, thời gian làm việc",
                    "max_points": "5",
                    "group": "",
                    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI",
                    "confidence": "inferred",
                },
                {
                    "code": "K.2",
                    "label": "Chấp hành sự chỉ đạo, điều hành; kỷ cương công vụ",
                    "max_points": "5",
                    "group": "",
                    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI",
                    "confidence": "inferred",
                },
            ],
            "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2",
            "confidence": "inferred",
            "note": "Nhóm chỉ số được xác nhận trong kế hoạch; trọng số và tiêu chí thành "
            "phần là minh họa.",
        },
    ],
    "task_method": {
        "review_deduction": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (điểm b)",
            "confidence": "confirmed",
            "note": "Mỗi lần đánh giá chưa đạt trừ 25% điểm của sản phẩm đó.",
        },
        "delay_deduction": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (điểm c)",
            "confidence": "confirmed",
            "note": "Mỗi lần chậm tiến độ trừ 25% điểm của sản phẩm đó; tính theo số lần chậm.",
        },
        "cap_percent": {
            "value": "100",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (không quy định rõ)",
            "confidence": "secondary",
            "note": "Văn bản không nói a, b, c có được vượt 100% hay không; "
            "áp dụng như các đơn vị đã triển khai.",
        },
        "staff_criteria": ["a", "b", "c"],
        "leader_criteria": ["a", "b", "c", "d", "dd", "e"],
        "leader_roles": ["head", "deputy"],
        "citation": "Nghị định 335/2025/NĐ-CP, Điều 14, 15, 16",
        "confidence": "secondary",
        "note": "Điểm nhiệm vụ = trung bình cộng các tỷ lệ nhân 70%.",
    },
    "leader_criteria": [
        {
            "code": "d",
            "label": "Kết quả hoạt động của cơ quan, tổ chức, đơn vị",
            "levels": [
                {
                    "percent": "100",
                    "label": "Toàn bộ công chức thuộc phạm vi quản lý đạt mức hoàn "
                    "thành nhiệm vụ trở lên",
                },
                {
                    "percent": "50",
                    "label": "Có công chức thuộc phạm vi quản lý không hoàn thành nhiệm vụ",
                },
            ],
            "min_rating": "completed",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm d",
            "confidence": "confirmed",
            "note": "",
        },
        {
            "code": "dd",
            "label": "Khả năng tổ chức triển khai thực hiện nhiệm vụ",
            "levels": [
                {
                    "percent": "100",
                    "label": "Hoàn thành toàn bộ nhiệm vụ theo kế hoạch, đúng tiến "
                    "độ, bảo đảm chất lượng, có sáng kiến, giải pháp",
                },
                {"percent": "50", "label": "Trường hợp khác"},
            ],
            "min_rating": None,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm đ",
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
            "min_rating": None,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm e",
            "confidence": "secondary",
            "note": "",
        },
    ],
    "bands": [
        {
            "code": "excellent",
            "label": "Hoàn thành xuất sắc nhiệm vụ",
            "min_score": "90",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20",
            "confidence": "confirmed",
        },
        {
            "code": "good",
            "label": "Hoàn thành tốt nhiệm vụ",
            "min_score": "70",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20",
            "confidence": "confirmed",
        },
        {
            "code": "completed",
            "label": "Hoàn thành nhiệm vụ",
            "min_score": "50",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20",
            "confidence": "confirmed",
        },
        {
            "code": "not_completed",
            "label": "Không hoàn thành nhiệm vụ",
            "min_score": "0",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm a",
            "confidence": "confirmed",
        },
    ],
    "disqualifiers": [
        {
            "code": "degradation_concluded",
            "label": "Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng "
            "chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”; vi "
            "phạm những điều đảng viên không được làm; vi phạm trách nhiệm nêu "
            "gương",
            "leaders_only": False,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm b",
            "confidence": "confirmed",
        },
        {
            "code": "discipline_reprimand_or_heavier",
            "label": "Bị kỷ luật bằng hình thức từ khiển trách trở lên trong năm đánh giá "
            "do vi phạm liên quan đến hoạt động công vụ",
            "leaders_only": False,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm c",
            "confidence": "confirmed",
        },
        {
            "code": "unit_corruption_case",
            "label": "Cơ quan, tổ chức, đơn vị thuộc thẩm quyền phụ trách, quản lý trực "
            "tiếp liên quan đến tham ô, tham nhũng, lãng phí và bị xử lý theo quy "
            "định của pháp luật",
            "leaders_only": True,
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm d",
            "confidence": "confirmed",
        },
    ],
    "quota": {
        "ratio": {
            "value": "0.20",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm a",
            "confidence": "confirmed",
            "note": "",
        },
        "outstanding_ratio": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm b",
            "confidence": "secondary",
            "note": "Văn bản công khai bị cắt ở điều kiện ngoại lệ; 25% theo "
            "các đơn vị đã triển khai.",
        },
        "citation": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5",
        "confidence": "inferred",
        "note": "Cơ sở tính: số người được xếp loại hoàn thành tốt sau cùng (kể cả người bị "
        "chuyển từ xuất sắc xuống).",
    },
    "annual": {
        "method": "mean_of_scored_periods",
        "citation": "Nghị định 335/2025/NĐ-CP, Điều 21",
        "confidence": "inferred",
        "note": "Điểm năm = trung bình cộng tổng điểm các kỳ thực tế công tác.",
    },
    "organisation": {
        "general": {
            "code": "org_general",
            "label": "Tiêu chí chung",
            "kind": "criteria_marks",
            "max_points": "30",
            "max_points_by_group": {},
            "groups": [],
            "criteria": [
                {
                    "code": "G.1",
                    "label": "Chấp hành chủ trương, đường lối của Đảng, "
                    "chính sách, pháp luật của Nhà nước",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
                {
                    "code": "G.2",
                    "label": "Kỷ luật, kỷ cương hành chính",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
                {
                    "code": "G.3",
                    "label": "Trách nhiệm của người đứng đầu",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
                {
                    "code": "G.4",
                    "label": "Môi trường làm việc, văn hóa công vụ",
                    "max_points": "7.5",
                    "group": "",
                    "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí chung "
                    "đối với cơ quan); Kế hoạch UBND tỉnh Gia "
                    "Lai thực hiện Nghị định 335/2025/NĐ-CP, "
                    "mục III.2",
                    "confidence": "inferred",
                },
            ],
            "citation": "Nghị định 335/2025/NĐ-CP (tiêu chí đối với cơ quan hành "
            "chính); Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định "
            "335/2025/NĐ-CP, mục III.2",
            "confidence": "inferred",
            "note": "Điểm chia cho từng tiêu chí thành phần chưa được công bố; 4 "
            "tiêu chí, mỗi tiêu chí 7,5 điểm là minh họa.",
        },
        "task_max": {
            "value": "70",
            "citation": "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III.2",
            "confidence": "secondary",
            "note": "",
        },
        "late_deduction": {
            "value": "0.25",
            "citation": "Nghị định 335/2025/NĐ-CP, Điều 14 (áp dụng tương tự)",
            "confidence": "inferred",
            "note": "Nhiệm vụ trễ hạn được tính 100% trừ 25% cho mỗi lần trễ.",
        },
        "min_done_share": {
            "value": "0.70",
            "citation": "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định "
            "335/2025/NĐ-CP, mục III.3 điểm d",
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
                "citation": "Quy định 366-QĐ/TW, Điều 11; Kế hoạch UBND tỉnh Gia Lai "
                "thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm a",
                "confidence": "secondary",
            },
            {
                "rating": "good",
                "min_score": "70",
                "require_all_done": True,
                "max_late_share": "0",
                "min_exceeded_share": None,
                "require_no_failed_subunit": False,
                "require_shortcomings_remedied": False,
                "citation": "Quy định 366-QĐ/TW, Điều 11; Kế hoạch UBND tỉnh Gia Lai "
                "thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm b",
                "confidence": "secondary",
            },
            {
                "rating": "completed",
                "min_score": "50",
                "require_all_done": True,
                "max_late_share": "0.20",
                "min_exceeded_share": None,
                "require_no_failed_subunit": False,
                "require_shortcomings_remedied": False,
                "citation": "Quy định 366-QĐ/TW, Điều 11; Kế hoạch UBND tỉnh Gia Lai "
                "thực hiện Nghị định 335/2025/NĐ-CP, mục III.3 điểm c",
                "confidence": "secondary",
            },
        ],
        "disqualifiers": [
            {
                "code": "personnel_work_violation",
                "label": "Bị cấp có thẩm quyền kết luận có sai phạm trong "
                "công tác cán bộ, mất đoàn kết nội bộ, bè phái, chạy "
                "chức, chạy quyền",
                "leaders_only": False,
                "citation": "Kế hoạch UBND tỉnh Gia Lai thực hiện Nghị định "
                "335/2025/NĐ-CP, mục III.3 điểm d",
                "confidence": "secondary",
            }
        ],
        "cap_head_by_agency": {
            "enabled": True,
            "citation": "Công văn 21169/CHQ-TCCB (Cục Hải quan)",
            "confidence": "secondary",
            "note": "Người đứng đầu không được xếp loại cao hơn cơ quan, đơn vị mình.",
        },
        "citation": "Nghị định 335/2025/NĐ-CP; Quy định 366-QĐ/TW, Điều 11; Kế hoạch "
        "UBND tỉnh Gia Lai thực hiện Nghị định 335/2025/NĐ-CP, mục III",
        "confidence": "inferred",
        "note": "Công thức tỷ lệ nhiệm vụ của tổ chức do phần mềm đề xuất [suy luận].",
    },
    "position_groups": [
        {"code": "leadership", "label": "Lãnh đạo, quản lý"},
        {"code": "professional", "label": "Chuyên môn, nghiệp vụ"},
        {"code": "support", "label": "Hỗ trợ, phục vụ"},
    ],
    "citation": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI; Quy định "
    "366-QĐ/TW; Nghị định 335/2025/NĐ-CP",
    "confidence": "inferred",
    "note": "Ví dụ cách một tỉnh tự khai báo khung đánh giá bằng dữ liệu; trọng số minh họa.",
}

#: The Nghệ An framework's feeds, added after it was first shipped: the citizens' satisfaction
#: answers for criteria S.1, S.2 (``scoring.engine`` rule ``feedback``, issue 33) and the
#: related units' ratings for criterion C.2 (rule ``coordination``). Part of its seeded rules,
#: and given by ``add_nghe_an_feed`` — called by the data migrations ``scoring`` 0016 and
#: ``worklog`` 0004 — to a database seeded before them: a database migrated from zero equals
#: these seeds (``tests/scoring/test_seeds_match_migrations.py``).
NGHE_AN_FEEDS = {
    "feedback": {
        "satisfaction_criteria": ["satisfaction.S.1", "satisfaction.S.2"],
        "level_percents": {"5": "100", "4": "75", "3": "50", "2": "25", "1": "0"},
        "min_answers": {
            "value": "5",
            "citation": (
                "Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ "
                "số mức độ hài lòng của đối tượng thụ hưởng, năng lực phối hợp)"
            ),
            "confidence": "inferred",
            "note": (
                "Dưới 5 ý kiến thì không đủ tin cậy và dễ lộ người trả lời: không dùng ý "
                "kiến, số ý kiến không hiển thị (tỉnh có thể đổi)."
            ),
        },
        "below_min": {
            "value": "evaluator_mark",
            "citation": (
                "Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ "
                "số mức độ hài lòng của đối tượng thụ hưởng, năng lực phối hợp)"
            ),
            "confidence": "inferred",
            "note": (
                "Chưa đủ số ý kiến tối thiểu: giữ điểm của người đánh giá cho tiêu chí. Chọn "
                "full_marks để cho điểm tối đa (không có ý kiến không hài lòng)."
            ),
        },
        "weight": {
            "value": "1",
            "citation": (
                "Kế hoạch UBND tỉnh Nghệ An về đánh giá bằng KPI, mục I.2, III.2.2 (nhóm chỉ "
                "số mức độ hài lòng của đối tượng thụ hưởng, năng lực phối hợp)"
            ),
            "confidence": "inferred",
            "note": (
                "Tỷ trọng của ý kiến người dân, doanh nghiệp trong điểm tiêu chí (1 = thay "
                "điểm của người đánh giá; 0,5 = một nửa ý kiến, một nửa điểm người đánh giá)."
            ),
        },
        "citation": (
            "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.2"
        ),
        "confidence": "inferred",
        "note": (
            "Nhóm chỉ số mức độ hài lòng lấy từ ý kiến của người dân, doanh nghiệp (mã phản "
            "hồi, khảo sát của bộ phận một cửa); chưa đủ số ý kiến tối thiểu thì giữ điểm của "
            "người đánh giá."
        ),
    },
    "coordination": {
        "criteria": ["coordination.C.2"],
        "level_percents": {"5": "100", "4": "75", "3": "50", "2": "25", "1": "0"},
        "min_ratings": {
            "value": "2",
            "citation": (
                "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, "
                "III.2.1 (nhóm chỉ số năng lực phối hợp)"
            ),
            "confidence": "inferred",
            "note": (
                "Cần ít nhất 2 đánh giá của đơn vị phối hợp (mỗi đơn vị, mỗi việc phối hợp "
                "một đánh giá): một đánh giá không tự quyết định điểm tiêu chí (tỉnh có thể "
                "đổi)."
            ),
        },
        "below_min": {
            "value": "evaluator_mark",
            "citation": (
                "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, "
                "III.2.1 (nhóm chỉ số năng lực phối hợp)"
            ),
            "confidence": "inferred",
            "note": (
                "Chưa đủ số đánh giá tối thiểu: giữ điểm của người đánh giá cho tiêu chí. "
                "Chọn full_marks để cho điểm tối đa."
            ),
        },
        "weight": {
            "value": "1",
            "citation": (
                "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, "
                "III.2.1 (nhóm chỉ số năng lực phối hợp)"
            ),
            "confidence": "inferred",
            "note": (
                "Tỷ trọng của đánh giá của các đơn vị phối hợp trong điểm tiêu chí (1 = thay "
                "điểm của người đánh giá; 0,5 = một nửa đánh giá, một nửa điểm người đánh "
                "giá)."
            ),
        },
        "citation": (
            "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI, mục I.2, III.2.1"
        ),
        "confidence": "inferred",
        "note": (
            "Tiêu chí phối hợp với cơ quan, đơn vị liên quan lấy điểm từ đánh giá của lãnh "
            "đạo các đơn vị phối hợp trên những việc được giao có phối hợp; chưa đủ số đánh "
            "giá tối thiểu thì giữ điểm của người đánh giá."
        ),
    },
}
NGHE_AN_RULES.update(NGHE_AN_FEEDS)

FRAMEWORKS = [
    {
        "code": "nghi-dinh-335-mac-dinh",
        "name": "Nghị định 335 (mặc định)",
        "rules": DECREE_335_RULES,
        "description": "Khung mặc định: 30 điểm tiêu chí chung (Mẫu 01) và 70 điểm kết quả thực "
        "hiện nhiệm vụ (a, b, c; lãnh đạo thêm d, đ, e). Mỗi giả định được ghi ở mục "
        "của nó, kèm căn cứ và độ tin cậy.",
        "legal_basis": "Nghị định 335/2025/NĐ-CP, Điều 12–21.",
        "live": True,
    },
    {
        "code": "nghe-an-bon-nhom-chi-so",
        "name": "Nghệ An — bốn nhóm chỉ số",
        "rules": NGHE_AN_RULES,
        "description": "Ví dụ khung theo bốn nhóm chỉ số của Nghệ An, trọng số theo nhóm vị trí "
        "việc làm. Trọng số và tiêu chí thành phần là minh họa: cần thay bằng số liệu của tỉnh "
        "trước khi phát hành.",
        "legal_basis": "Kế hoạch của Ban Thường vụ Tỉnh ủy Nghệ An xây dựng hệ thống KPI; "
        "Nghị định 335/2025/NĐ-CP.",
        "live": False,
    },
]
DEFAULT_CODE = "nghi-dinh-335-mac-dinh"
IN_FORCE = datetime.date(2026, 1, 1)


def create_frameworks(apps, schema_editor=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    FrameworkAssignment = apps.get_model("scoring", "FrameworkAssignment")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="scoring", model="criteriaframework"
    )
    now = timezone.now()
    for spec in FRAMEWORKS:
        if CriteriaFramework.objects.filter(code=spec["code"]).exists():
            continue
        live = spec["live"]
        framework = CriteriaFramework.objects.create(
            name=spec["name"],
            code=spec["code"],
            period_type=spec["rules"]["period_type"],
            applies_to="civil_servant",
            rules=spec["rules"],
            description=spec["description"],
            legal_basis=spec["legal_basis"],
            live=live,
            has_unpublished_changes=not live,
            first_published_at=now if live else None,
            last_published_at=now if live else None,
        )
        content = {
            "pk": framework.pk,
            "name": framework.name,
            "code": framework.code,
            "period_type": framework.period_type,
            "applies_to": framework.applies_to,
            "rules": spec["rules"],
            "description": framework.description,
            "legal_basis": framework.legal_basis,
            "live": live,
            "has_unpublished_changes": not live,
            "first_published_at": None,
            "last_published_at": None,
            "live_revision": None,
            "latest_revision": None,
            "go_live_at": None,
            "expire_at": None,
            "expired": False,
            "locked": False,
            "locked_at": None,
            "locked_by": None,
        }
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(framework.pk),
            created_at=now,
            object_str=framework.name,
            content=content,
        )
        framework.latest_revision = revision
        if live:
            framework.live_revision = revision
        framework.save(update_fields=["latest_revision", "live_revision"])
        if spec["code"] == DEFAULT_CODE:
            FrameworkAssignment.objects.get_or_create(
                framework=framework,
                agency=None,
                effective_from=IN_FORCE,
                defaults={"note": "Khung mặc định cho toàn tỉnh, theo Nghị định 335/2025/NĐ-CP."},
            )


def add_nghe_an_feed(apps, key: str) -> None:
    """Give the shipped Nghệ An draft its feed ``key`` of :data:`NGHE_AN_FEEDS` (rules and
    latest revision); a framework a province has already given that entry is left as it is."""
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    Revision = apps.get_model("wagtailcore", "Revision")
    feed = NGHE_AN_FEEDS[key]
    framework = CriteriaFramework.objects.filter(code="nghe-an-bon-nhom-chi-so").first()
    if framework is None or key in (framework.rules or {}):
        return
    framework.rules = {**framework.rules, key: feed}
    framework.save(update_fields=["rules"])
    if framework.latest_revision_id:
        revision = Revision.objects.get(pk=framework.latest_revision_id)
        rules = revision.content.get("rules") or {}
        if key not in rules:
            revision.content = {**revision.content, "rules": {**rules, key: feed}}
            revision.save(update_fields=["content"])


def remove_frameworks(apps, schema_editor=None):
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    FrameworkAssignment = apps.get_model("scoring", "FrameworkAssignment")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    codes = [spec["code"] for spec in FRAMEWORKS]
    frameworks = CriteriaFramework.objects.filter(code__in=codes)
    content_type = ContentType.objects.filter(
        app_label="scoring", model="criteriaframework"
    ).first()
    FrameworkAssignment.objects.filter(framework__in=frameworks).delete()
    ids = [str(pk) for pk in frameworks.values_list("pk", flat=True)]
    frameworks.update(latest_revision=None, live_revision=None)
    if content_type is not None:
        Revision.objects.filter(base_content_type=content_type, object_id__in=ids).delete()
    frameworks.delete()


# The allowed changes of agencies' variants of the default framework (docs/scoring.md §13.7).
#
# The values are the model's defaults, written out so a running province sees (and may change)
# them in the admin. [giả định — tỉnh cần xác nhận]: the plans say agencies build their own
# criteria on the province's common framework "bảo đảm tính thống nhất, đồng bộ và khả năng so
# sánh" (ĐL §II.2) and Sở Nội vụ appraises them (ĐL §IV.1, LC §III.1, NA §IV.1.2); none says
# which parts an agency may change.
VARIANT_POLICY_NOTE = (
    "Cơ quan được sửa nội dung, phân bổ lại điểm và thêm tối đa 3 tiêu chí thành phần trong "
    "mỗi thành phần chấm điểm; tổng điểm thành phần (30/70, Nghị định 335/2025/NĐ-CP Điều 12), "
    "cách tính kết quả nhiệm vụ (Điều 14–16), mức xếp loại và tỷ lệ (Điều 20) giữ nguyên. "
    "[giả định — tỉnh cần xác nhận]"
)


def create_variant_policy(apps, schema_editor=None):
    CriteriaFramework = apps.get_model("scoring", "CriteriaFramework")
    VariantPolicy = apps.get_model("scoring", "VariantPolicy")
    base = CriteriaFramework.objects.filter(code="nghi-dinh-335-mac-dinh").first()
    if base is None or VariantPolicy.objects.filter(base=base).exists():
        return
    VariantPolicy.objects.create(
        base=base,
        may_reword=True,
        may_change_points=True,
        may_add_criteria=True,
        max_added_criteria=3,
        may_remove_criteria=False,
        min_criterion_points=Decimal("0.5"),
        note=VARIANT_POLICY_NOTE,
    )
