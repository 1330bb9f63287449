"""Organisation of the fictional province "Thanh An" (after the 2025 mergers and the
two-level local government reform: province + commune/ward, no district level).

Shapes:

    PROVINCE = {"code": str, "name": str, "short_name": str}
    DEPARTMENTS / COMMUNES = [
        {"code": str, "name": str, "kind": "department" | "commune",
         "units": [{"code": str, "name": str}, ...]},
        ...
    ]

Codes are uppercase ASCII letters, digits and hyphens, unique across the whole province.
Unit codes are prefixed with their agency code.
"""

PROVINCE = {
    "code": "TNA",
    "name": "Ủy ban nhân dân tỉnh Thanh An",
    "short_name": "UBND tỉnh Thanh An",
}

_VP_SO = "Văn phòng Sở"

DEPARTMENTS = [
    {
        "code": "SNV",
        "name": "Sở Nội vụ",
        "kind": "department",
        "units": [
            {"code": "SNV-VP", "name": _VP_SO},
            {"code": "SNV-TCBC", "name": "Phòng Tổ chức, biên chế và tổ chức phi chính phủ"},
            {"code": "SNV-CCVC", "name": "Phòng Công chức, viên chức"},
            {"code": "SNV-XDCQ", "name": "Phòng Xây dựng chính quyền và công tác thanh niên"},
        ],
    },
    {
        "code": "STC",
        "name": "Sở Tài chính",
        "kind": "department",
        "units": [
            {"code": "STC-VP", "name": _VP_SO},
            {"code": "STC-QLNS", "name": "Phòng Quản lý ngân sách"},
            {"code": "STC-QLDT", "name": "Phòng Quản lý đầu tư"},
            {"code": "STC-GCS", "name": "Phòng Quản lý giá và công sản"},
        ],
    },
    {
        "code": "STP",
        "name": "Sở Tư pháp",
        "kind": "department",
        "units": [
            {"code": "STP-VP", "name": _VP_SO},
            {"code": "STP-XDVB", "name": "Phòng Xây dựng và kiểm tra văn bản quy phạm pháp luật"},
            {"code": "STP-HCTP", "name": "Phòng Hành chính tư pháp"},
            {"code": "STP-BTTP", "name": "Phòng Bổ trợ tư pháp"},
            {
                "code": "STP-PBGD",
                "name": "Phòng Phổ biến, giáo dục pháp luật và theo dõi thi hành pháp luật",
            },
        ],
    },
    {
        "code": "SXD",
        "name": "Sở Xây dựng",
        "kind": "department",
        "units": [
            {"code": "SXD-VP", "name": _VP_SO},
            {"code": "SXD-QLXD", "name": "Phòng Quản lý hoạt động xây dựng"},
            {"code": "SXD-QHKT", "name": "Phòng Quy hoạch - Kiến trúc"},
            {"code": "SXD-NHA", "name": "Phòng Quản lý nhà và thị trường bất động sản"},
            {"code": "SXD-HTGT", "name": "Phòng Quản lý kết cấu hạ tầng giao thông"},
        ],
    },
    {
        "code": "SYT",
        "name": "Sở Y tế",
        "kind": "department",
        "units": [
            {"code": "SYT-VP", "name": _VP_SO},
            {"code": "SYT-NVYD", "name": "Phòng Nghiệp vụ Y - Dược"},
            {"code": "SYT-KHTC", "name": "Phòng Kế hoạch - Tài chính"},
            {
                "code": "SYT-BTXH",
                "name": "Phòng Bảo trợ xã hội, trẻ em và phòng, chống tệ nạn xã hội",
            },
            {"code": "SYT-CCDS", "name": "Chi cục Dân số"},
        ],
    },
    {
        "code": "SGDDT",
        "name": "Sở Giáo dục và Đào tạo",
        "kind": "department",
        "units": [
            {"code": "SGDDT-VP", "name": _VP_SO},
            {"code": "SGDDT-GDPT", "name": "Phòng Giáo dục phổ thông"},
            {"code": "SGDDT-TCCB", "name": "Phòng Tổ chức cán bộ"},
            {"code": "SGDDT-KHTC", "name": "Phòng Kế hoạch - Tài chính"},
            {"code": "SGDDT-QLCL", "name": "Phòng Quản lý chất lượng"},
        ],
    },
    {
        "code": "SNNMT",
        "name": "Sở Nông nghiệp và Môi trường",
        "kind": "department",
        "units": [
            {"code": "SNNMT-VP", "name": _VP_SO},
            {"code": "SNNMT-QLDD", "name": "Phòng Quản lý đất đai"},
            {"code": "SNNMT-MT", "name": "Phòng Môi trường"},
            {"code": "SNNMT-CCKL", "name": "Chi cục Kiểm lâm"},
            {"code": "SNNMT-CCTT", "name": "Chi cục Trồng trọt và Bảo vệ thực vật"},
        ],
    },
    {
        "code": "VPUBND",
        "name": "Văn phòng Ủy ban nhân dân tỉnh",
        "kind": "department",
        "units": [
            {"code": "VPUBND-TH", "name": "Phòng Tổng hợp"},
            {"code": "VPUBND-KT", "name": "Phòng Kinh tế"},
            {"code": "VPUBND-KGVX", "name": "Phòng Khoa giáo - Văn xã"},
            {"code": "VPUBND-HCTC", "name": "Phòng Hành chính - Tổ chức"},
            {"code": "VPUBND-HCC", "name": "Trung tâm Phục vụ hành chính công tỉnh"},
        ],
    },
    {
        "code": "TTT",
        "name": "Thanh tra tỉnh",
        "kind": "department",
        "units": [
            {"code": "TTT-VP", "name": "Văn phòng Thanh tra tỉnh"},
            {"code": "TTT-NV1", "name": "Phòng Nghiệp vụ 1"},
            {"code": "TTT-NV2", "name": "Phòng Nghiệp vụ 2"},
            {"code": "TTT-TCD", "name": "Phòng Tiếp công dân và xử lý đơn thư"},
            {"code": "TTT-PCTN", "name": "Phòng Phòng, chống tham nhũng, tiêu cực"},
        ],
    },
    {
        "code": "SKHCN",
        "name": "Sở Khoa học và Công nghệ",
        "kind": "department",
        "units": [
            {"code": "SKHCN-VP", "name": _VP_SO},
            {"code": "SKHCN-QLKH", "name": "Phòng Quản lý khoa học"},
            {"code": "SKHCN-CDS", "name": "Phòng Chuyển đổi số và Bưu chính, viễn thông"},
            {"code": "SKHCN-TDC", "name": "Chi cục Tiêu chuẩn Đo lường Chất lượng"},
        ],
    },
]


def _commune(code: str, name: str, *, ward: bool) -> dict:
    """A commune/ward People's Committee with the four usual units after the 2025 reform."""
    if ward:
        economy = {"code": f"{code}-KTHTDT", "name": "Phòng Kinh tế, Hạ tầng và Đô thị"}
    else:
        economy = {"code": f"{code}-KT", "name": "Phòng Kinh tế"}
    return {
        "code": code,
        "name": name,
        "kind": "commune",
        "units": [
            {"code": f"{code}-VP", "name": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"},
            economy,
            {"code": f"{code}-VHXH", "name": "Phòng Văn hóa - Xã hội"},
            {"code": f"{code}-HCC", "name": "Trung tâm Phục vụ hành chính công"},
        ],
    }


COMMUNES = [
    # Central urban ward.
    _commune("P-THANHXUAN", "Ủy ban nhân dân phường Thanh Xuân", ward=True),
    # Industrial ward next to the industrial park, many migrant workers.
    _commune("P-DONGTHANH", "Ủy ban nhân dân phường Đông Thành", ward=True),
    # Lowland rice-growing commune.
    _commune("X-ANPHU", "Ủy ban nhân dân xã An Phú", ward=False),
    # Mountainous commune, forestry, ethnic-minority population.
    _commune("X-TANLAP", "Ủy ban nhân dân xã Tân Lập", ward=False),
    # Coastal fishing commune.
    _commune("X-HOAPHONG", "Ủy ban nhân dân xã Hòa Phong", ward=False),
    # Midland tea-growing commune.
    _commune("X-YENSON", "Ủy ban nhân dân xã Yên Sơn", ward=False),
]

AGENCIES = DEPARTMENTS + COMMUNES
"""Every evaluated agency (departments first, then communes/wards)."""
