"""The demo province's competency dictionary and job descriptions (issue 18 item 3).

Shapes:

    COMPETENCIES = [(code, kind, name, definition), ...]   # five levels each (the default)
    LEVEL_SCALE = {level: "descriptor with {name}"}         # the wording of each level
    DESCRIPTIONS = {job position code: {
        "purpose": str,
        "tasks": [(task, output), ...],
        "requirements": [(kind, text), ...],
        "competencies": [(competency code, required level), ...],
        "decision": (number, "yyyy-mm-dd" signed, signer, "yyyy-mm-dd" in force) | None,
    }}

A position whose ``decision`` is None is left as submitted (waiting for Sở Nội vụ's approval).
"""

COMPETENCIES = [
    ("C-DD", "general", "Đạo đức công vụ", "Liêm chính, trách nhiệm, tận tụy phục vụ Nhân dân."),
    (
        "C-GT",
        "general",
        "Giao tiếp, ứng xử",
        "Giao tiếp rõ ràng, tôn trọng với người dân, đồng nghiệp.",
    ),
    ("C-SO", "general", "Ứng dụng công nghệ số", "Sử dụng phần mềm, dữ liệu số trong công việc."),
    (
        "P-VB",
        "professional",
        "Soạn thảo văn bản hành chính",
        "Đúng thể thức, kỹ thuật trình bày, đúng hạn.",
    ),
    (
        "P-TH",
        "professional",
        "Tổng hợp, phân tích, báo cáo",
        "Thu thập, phân tích số liệu, đề xuất.",
    ),
    (
        "P-PL",
        "professional",
        "Xây dựng và kiểm tra văn bản pháp luật",
        "Thẩm định, kiểm tra, rà soát văn bản.",
    ),
    (
        "P-TP",
        "professional",
        "Nghiệp vụ hành chính tư pháp",
        "Hộ tịch, chứng thực, lý lịch tư pháp.",
    ),
    (
        "P-TC",
        "professional",
        "Quản lý công chức, viên chức",
        "Tuyển dụng, đánh giá, quản lý hồ sơ.",
    ),
    (
        "M-DH",
        "managerial",
        "Lãnh đạo, điều hành",
        "Tổ chức, phân công, kiểm tra công việc của đơn vị.",
    ),
]

LEVEL_SCALE = {
    1: "Hiểu biết cơ bản về {name}; thực hiện được khi có hướng dẫn.",
    2: "Thực hiện được các việc thông thường về {name} một cách độc lập.",
    3: "Thực hiện thành thạo {name}, xử lý được việc phức tạp.",
    4: "Hướng dẫn, kèm cặp người khác về {name}; đề xuất cải tiến.",
    5: "Là chuyên gia về {name}; định hướng, xây dựng quy trình cho cơ quan.",
}

DESCRIPTIONS = {
    "CV-PC": {
        "purpose": "Tham mưu xây dựng, kiểm tra và theo dõi thi hành pháp luật của tỉnh.",
        "tasks": [
            ("Thẩm định dự thảo văn bản quy phạm pháp luật của tỉnh", "Báo cáo thẩm định"),
            ("Kiểm tra văn bản quy phạm pháp luật đã ban hành", "Kết luận kiểm tra"),
            ("Theo dõi tình hình thi hành pháp luật", "Báo cáo định kỳ"),
        ],
        "requirements": [
            ("education", "Tốt nghiệp đại học trở lên"),
            ("field", "Luật"),
            ("training", "Bồi dưỡng ngạch chuyên viên"),
        ],
        "competencies": [("C-DD", 3), ("C-SO", 2), ("P-VB", 3), ("P-PL", 3)],
        "decision": ("12/QĐ-SNV", "2025-12-26", "Giám đốc Sở Nội vụ", "2026-01-01"),
    },
    "CV-HCTP": {
        "purpose": "Tham mưu quản lý hành chính tư pháp và bổ trợ tư pháp.",
        "tasks": [
            ("Hướng dẫn nghiệp vụ hộ tịch, chứng thực cho cấp xã", "Văn bản hướng dẫn"),
            ("Giải quyết hồ sơ lý lịch tư pháp", "Phiếu lý lịch tư pháp"),
            ("Kiểm tra công tác hộ tịch, chứng thực", "Biên bản kiểm tra"),
        ],
        "requirements": [
            ("education", "Tốt nghiệp đại học trở lên"),
            ("field", "Luật, hành chính"),
        ],
        "competencies": [("C-DD", 3), ("C-GT", 3), ("P-TP", 3), ("P-VB", 2)],
        "decision": ("12/QĐ-SNV", "2025-12-26", "Giám đốc Sở Nội vụ", "2026-01-01"),
    },
    "CV-TH": {
        "purpose": "Tổng hợp, báo cáo tình hình hoạt động của cơ quan.",
        "tasks": [
            ("Xây dựng chương trình, kế hoạch công tác của cơ quan", "Kế hoạch"),
            ("Tổng hợp báo cáo tháng, quý, năm", "Báo cáo"),
            ("Theo dõi việc thực hiện nhiệm vụ được giao", "Bảng theo dõi"),
        ],
        "requirements": [("education", "Tốt nghiệp đại học trở lên")],
        "competencies": [("C-DD", 3), ("C-SO", 3), ("P-TH", 3), ("P-VB", 3)],
        "decision": ("12/QĐ-SNV", "2025-12-26", "Giám đốc Sở Nội vụ", "2026-01-01"),
    },
    "CV-CCVC": {
        "purpose": "Tham mưu quản lý đội ngũ công chức, viên chức của tỉnh.",
        "tasks": [
            ("Tham mưu tuyển dụng, nâng ngạch công chức", "Tờ trình, kế hoạch"),
            ("Tổng hợp kết quả đánh giá, xếp loại công chức", "Báo cáo tổng hợp"),
        ],
        "requirements": [("education", "Tốt nghiệp đại học trở lên")],
        "competencies": [("C-DD", 3), ("P-TC", 3), ("P-TH", 2)],
        "decision": None,
    },
}

#: The position whose approved version 1 is followed by a version 2 being written (a copy).
REVISED_POSITION = "CV-TH"
