"""Job positions (vị trí việc làm) for the demo province, in the spirit of the framework
lists of Decree 361/2025/NĐ-CP: leadership/management, professional (chuyên môn,
nghiệp vụ) and support/service (hỗ trợ, phục vụ), at province or commune level.

Shapes:

    JOB_POSITIONS = [
        {"code": str, "name": str,
         "group": "leadership" | "professional" | "support",
         "level": "province" | "commune"},
        ...
    ]
    POSITION_FOR_UNIT_HINTS = {unit_or_agency_code: [professional position code, ...]}

Code prefixes: ``LD-`` leadership, ``CV-`` province professional, ``CVX-`` commune
professional, ``HT-`` support. Commune-level codes end in ``X`` for leadership and
support positions. ``LD-CTT`` is left free: the demo loader uses it for the Chairman of
the provincial People's Committee (Chủ tịch Ủy ban nhân dân tỉnh); the chief provincial
inspector is ``LD-CTTR``.
"""

JOB_POSITIONS = [
    # --- Leadership / management, province level -------------------------------------
    {"code": "LD-GD", "name": "Giám đốc sở", "group": "leadership", "level": "province"},
    {"code": "LD-PGD", "name": "Phó Giám đốc sở", "group": "leadership", "level": "province"},
    {
        "code": "LD-CTTR",
        "name": "Chánh Thanh tra tỉnh",
        "group": "leadership",
        "level": "province",
    },
    {
        "code": "LD-PCTTR",
        "name": "Phó Chánh Thanh tra tỉnh",
        "group": "leadership",
        "level": "province",
    },
    {
        "code": "LD-CVP",
        "name": "Chánh Văn phòng Ủy ban nhân dân tỉnh",
        "group": "leadership",
        "level": "province",
    },
    {
        "code": "LD-PCVP",
        "name": "Phó Chánh Văn phòng Ủy ban nhân dân tỉnh",
        "group": "leadership",
        "level": "province",
    },
    {
        "code": "LD-TP",
        "name": "Trưởng phòng và tương đương thuộc sở",
        "group": "leadership",
        "level": "province",
    },
    {
        "code": "LD-PTP",
        "name": "Phó Trưởng phòng và tương đương thuộc sở",
        "group": "leadership",
        "level": "province",
    },
    {"code": "LD-CCT", "name": "Chi cục trưởng", "group": "leadership", "level": "province"},
    {
        "code": "LD-PCCT",
        "name": "Phó Chi cục trưởng",
        "group": "leadership",
        "level": "province",
    },
    # --- Leadership / management, commune level --------------------------------------
    {
        "code": "LD-CTX",
        "name": "Chủ tịch Ủy ban nhân dân cấp xã",
        "group": "leadership",
        "level": "commune",
    },
    {
        "code": "LD-PCTX",
        "name": "Phó Chủ tịch Ủy ban nhân dân cấp xã",
        "group": "leadership",
        "level": "commune",
    },
    {
        "code": "LD-TPX",
        "name": "Trưởng phòng và tương đương thuộc Ủy ban nhân dân cấp xã",
        "group": "leadership",
        "level": "commune",
    },
    {
        "code": "LD-PTPX",
        "name": "Phó Trưởng phòng và tương đương thuộc Ủy ban nhân dân cấp xã",
        "group": "leadership",
        "level": "commune",
    },
    # --- Professional, province level ------------------------------------------------
    {
        "code": "CV-TH",
        "name": "Chuyên viên tổng hợp",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-TCBM",
        "name": "Chuyên viên về tổ chức bộ máy, biên chế",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-CCVC",
        "name": "Chuyên viên về quản lý công chức, viên chức",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-XDCQ",
        "name": "Chuyên viên về xây dựng chính quyền",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-NS",
        "name": "Chuyên viên về quản lý tài chính, ngân sách",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-DT",
        "name": "Chuyên viên về quản lý đầu tư",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-PC",
        "name": "Chuyên viên về xây dựng, kiểm tra và theo dõi thi hành pháp luật",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-HCTP",
        "name": "Chuyên viên về hành chính tư pháp và bổ trợ tư pháp",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-XD",
        "name": "Chuyên viên về quản lý xây dựng, quy hoạch và hạ tầng giao thông",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-YT",
        "name": "Chuyên viên về quản lý y tế",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-BTXH",
        "name": "Chuyên viên về bảo trợ xã hội và trẻ em",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-GD",
        "name": "Chuyên viên về quản lý giáo dục",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-NN",
        "name": "Chuyên viên về nông nghiệp, lâm nghiệp",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-TNMT",
        "name": "Chuyên viên về quản lý đất đai, tài nguyên và môi trường",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-KSTT",
        "name": "Chuyên viên về kiểm soát thủ tục hành chính",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-TTV",
        "name": "Thanh tra viên",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-TCD",
        "name": "Chuyên viên về tiếp công dân, xử lý đơn thư",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-KHCN",
        "name": "Chuyên viên về quản lý khoa học, công nghệ và đổi mới sáng tạo",
        "group": "professional",
        "level": "province",
    },
    {
        "code": "CV-CDS",
        "name": "Chuyên viên về chuyển đổi số, công nghệ thông tin",
        "group": "professional",
        "level": "province",
    },
    # --- Professional, commune level -------------------------------------------------
    {
        "code": "CVX-VP",
        "name": "Chuyên viên văn phòng - tổng hợp",
        "group": "professional",
        "level": "commune",
    },
    {
        "code": "CVX-TPHT",
        "name": "Chuyên viên tư pháp - hộ tịch",
        "group": "professional",
        "level": "commune",
    },
    {
        "code": "CVX-DC",
        "name": "Chuyên viên địa chính, nông nghiệp và môi trường",
        "group": "professional",
        "level": "commune",
    },
    {
        "code": "CVX-KTHT",
        "name": "Chuyên viên kinh tế, hạ tầng và đô thị",
        "group": "professional",
        "level": "commune",
    },
    {
        "code": "CVX-TCKH",
        "name": "Chuyên viên tài chính - kế hoạch",
        "group": "professional",
        "level": "commune",
    },
    {
        "code": "CVX-VHXH",
        "name": "Chuyên viên văn hóa - xã hội",
        "group": "professional",
        "level": "commune",
    },
    # --- Support / service -----------------------------------------------------------
    {"code": "HT-VT", "name": "Văn thư", "group": "support", "level": "province"},
    {"code": "HT-LT", "name": "Lưu trữ", "group": "support", "level": "province"},
    {"code": "HT-KT", "name": "Kế toán", "group": "support", "level": "province"},
    {"code": "HT-TQ", "name": "Thủ quỹ", "group": "support", "level": "province"},
    {
        "code": "HT-HCTH",
        "name": "Hành chính - tổng hợp",
        "group": "support",
        "level": "province",
    },
    {"code": "HT-QTCS", "name": "Quản trị công sở", "group": "support", "level": "province"},
    {
        "code": "HT-VTX",
        "name": "Văn thư - lưu trữ cấp xã",
        "group": "support",
        "level": "commune",
    },
    {"code": "HT-KTX", "name": "Kế toán cấp xã", "group": "support", "level": "commune"},
]


def _commune_hints(code: str, *, ward: bool) -> dict[str, list[str]]:
    economy = f"{code}-KTHTDT" if ward else f"{code}-KT"
    return {
        code: ["CVX-VP", "CVX-TPHT", "CVX-DC", "CVX-KTHT", "CVX-TCKH", "CVX-VHXH"],
        f"{code}-VP": ["CVX-VP", "CVX-TPHT"],
        economy: ["CVX-DC", "CVX-KTHT", "CVX-TCKH"],
        f"{code}-VHXH": ["CVX-VHXH"],
        f"{code}-HCC": ["CVX-TPHT", "CVX-DC", "CVX-VP"],
    }


POSITION_FOR_UNIT_HINTS: dict[str, list[str]] = {
    # Sở Nội vụ
    "SNV": ["CV-TCBM", "CV-CCVC", "CV-XDCQ", "CV-TH"],
    "SNV-VP": ["CV-TH"],
    "SNV-TCBC": ["CV-TCBM"],
    "SNV-CCVC": ["CV-CCVC"],
    "SNV-XDCQ": ["CV-XDCQ"],
    # Sở Tài chính
    "STC": ["CV-NS", "CV-DT", "CV-TH"],
    "STC-VP": ["CV-TH"],
    "STC-QLNS": ["CV-NS"],
    "STC-QLDT": ["CV-DT"],
    "STC-GCS": ["CV-NS"],
    # Sở Tư pháp
    "STP": ["CV-PC", "CV-HCTP", "CV-TH"],
    "STP-VP": ["CV-TH"],
    "STP-XDVB": ["CV-PC"],
    "STP-HCTP": ["CV-HCTP"],
    "STP-BTTP": ["CV-HCTP"],
    "STP-PBGD": ["CV-PC"],
    # Sở Xây dựng
    "SXD": ["CV-XD", "CV-TH"],
    "SXD-VP": ["CV-TH"],
    "SXD-QLXD": ["CV-XD"],
    "SXD-QHKT": ["CV-XD"],
    "SXD-NHA": ["CV-XD"],
    "SXD-HTGT": ["CV-XD"],
    # Sở Y tế
    "SYT": ["CV-YT", "CV-BTXH", "CV-NS", "CV-TH"],
    "SYT-VP": ["CV-TH"],
    "SYT-NVYD": ["CV-YT"],
    "SYT-KHTC": ["CV-NS"],
    "SYT-BTXH": ["CV-BTXH"],
    "SYT-CCDS": ["CV-YT"],
    # Sở Giáo dục và Đào tạo
    "SGDDT": ["CV-GD", "CV-CCVC", "CV-NS", "CV-TH"],
    "SGDDT-VP": ["CV-TH"],
    "SGDDT-GDPT": ["CV-GD"],
    "SGDDT-TCCB": ["CV-CCVC"],
    "SGDDT-KHTC": ["CV-NS"],
    "SGDDT-QLCL": ["CV-GD"],
    # Sở Nông nghiệp và Môi trường
    "SNNMT": ["CV-TNMT", "CV-NN", "CV-TH"],
    "SNNMT-VP": ["CV-TH"],
    "SNNMT-QLDD": ["CV-TNMT"],
    "SNNMT-MT": ["CV-TNMT"],
    "SNNMT-CCKL": ["CV-NN"],
    "SNNMT-CCTT": ["CV-NN"],
    # Văn phòng Ủy ban nhân dân tỉnh
    "VPUBND": ["CV-TH", "CV-KSTT"],
    "VPUBND-TH": ["CV-TH"],
    "VPUBND-KT": ["CV-TH"],
    "VPUBND-KGVX": ["CV-TH"],
    "VPUBND-HCTC": ["CV-TH"],
    "VPUBND-HCC": ["CV-KSTT"],
    # Thanh tra tỉnh
    "TTT": ["CV-TTV", "CV-TCD", "CV-TH"],
    "TTT-VP": ["CV-TH"],
    "TTT-NV1": ["CV-TTV"],
    "TTT-NV2": ["CV-TTV"],
    "TTT-TCD": ["CV-TCD"],
    "TTT-PCTN": ["CV-TTV"],
    # Sở Khoa học và Công nghệ
    "SKHCN": ["CV-KHCN", "CV-CDS", "CV-TH"],
    "SKHCN-VP": ["CV-TH"],
    "SKHCN-QLKH": ["CV-KHCN"],
    "SKHCN-CDS": ["CV-CDS"],
    "SKHCN-TDC": ["CV-KHCN"],
    # Communes and wards
    **_commune_hints("P-THANHXUAN", ward=True),
    **_commune_hints("P-DONGTHANH", ward=True),
    **_commune_hints("X-ANPHU", ward=False),
    **_commune_hints("X-TANLAP", ward=False),
    **_commune_hints("X-HOAPHONG", ward=False),
    **_commune_hints("X-YENSON", ward=False),
}
"""Professional positions that fit staff of a unit (or, as a fallback, of a whole agency).

Leadership and support staff are placed by role (head/deputy of the unit, office staff),
not through these hints.
"""
