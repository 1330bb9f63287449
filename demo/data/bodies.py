"""The political-system bodies, the public-service unit and the contract workers of Thanh An
(issue 18 item 5, docs/scope.md §3 and §6).

* the Party tree: Tỉnh ủy Thanh An (``party``, a root) with Ban Tổ chức Tỉnh ủy
  (``party_body``) and one of its units;
* the Front tree: Ủy ban MTTQ Việt Nam tỉnh (``front``, a root) with one of its ban (``unit``)
  and Hội Liên hiệp Phụ nữ tỉnh (``socio_political``);
* Bệnh viện Đa khoa tỉnh (``public_service``) under Sở Y tế, with two khoa/phòng and viên chức;
* contract workers (Decree 111/2022): two at Sở Khoa học và Công nghệ, which switches them on
  (``applies_to_contract_workers``, Gia Lai plan §V.1.e), one at Thanh tra tỉnh, which does not.

Shapes:

    BODIES = [{"code", "name", "kind", "parent" (agency code or None),
               "applies_to_contract_workers"?: bool,
               "people": [(role, position code, title, category), ...]}, ...]
    CONTRACT_WORKERS = [(official id, agency code, position code), ...]
    POSITIONS = [(code, name, group, level), ...]   # job positions the bodies add
    BODY_PRODUCTS = {agency code: [product dict as in demo.data.products], ...}

Official ids: ``TNB…`` (national numbers of the bodies' people, after the ``TNA…`` of the
state administration, so the people generated before keep their random draws) and ``HD-…`` for
contract workers (an internal code, ``org.categories.INTERNAL_ID_PREFIX``).
"""

CADRE = "cadre"
CIVIL_SERVANT = "civil_servant"
PUBLIC_EMPLOYEE = "public_employee"
CONTRACT_WORKER = "contract_worker"

HEAD, DEPUTY, STAFF = "head", "deputy", "staff"

BODY_ID_PREFIX = "TNB"
CONTRACT_ID_PREFIX = "HD-"

POSITIONS = [
    ("LD-BTTU", "Bí thư Tỉnh ủy", "leadership", "province"),
    ("LD-TBTU", "Trưởng ban của Tỉnh ủy", "leadership", "province"),
    ("LD-PTBTU", "Phó Trưởng ban của Tỉnh ủy", "leadership", "province"),
    ("LD-CTMT", "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "leadership", "province"),
    ("LD-PCTMT", "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "leadership", "province"),
    ("LD-CTH", "Chủ tịch hội cấp tỉnh", "leadership", "province"),
    ("LD-PCTH", "Phó Chủ tịch hội cấp tỉnh", "leadership", "province"),
    ("LD-GDBV", "Giám đốc bệnh viện", "leadership", "province"),
    ("LD-PGDBV", "Phó Giám đốc bệnh viện", "leadership", "province"),
    ("LD-TK", "Trưởng khoa, trưởng phòng bệnh viện", "leadership", "province"),
    ("CV-DANG", "Chuyên viên công tác đảng, tổ chức", "professional", "province"),
    ("CV-MT", "Chuyên viên công tác mặt trận, đoàn thể", "professional", "province"),
    ("VC-BS", "Bác sĩ", "professional", "province"),
    ("VC-DD", "Điều dưỡng", "professional", "province"),
    ("VC-KHTH", "Viên chức kế hoạch tổng hợp", "professional", "province"),
    ("HT-LX", "Lái xe", "support", "province"),
    ("HT-BV", "Bảo vệ", "support", "province"),
]

BODIES = [
    {
        "code": "TU",
        "name": "Tỉnh ủy Thanh An",
        "kind": "party",
        "parent": None,
        "people": [
            (HEAD, "LD-BTTU", "Bí thư Tỉnh ủy", CADRE),
            (STAFF, "CV-DANG", "", CIVIL_SERVANT),
            (STAFF, "CV-DANG", "", CIVIL_SERVANT),
        ],
    },
    {
        "code": "TU-BTC",
        "name": "Ban Tổ chức Tỉnh ủy",
        "kind": "party_body",
        "parent": "TU",
        "people": [
            (HEAD, "LD-TBTU", "Trưởng Ban Tổ chức Tỉnh ủy", CADRE),
            (DEPUTY, "LD-PTBTU", "Phó Trưởng Ban Tổ chức Tỉnh ủy", CIVIL_SERVANT),
            (STAFF, "CV-DANG", "", CIVIL_SERVANT),
            (STAFF, "CV-DANG", "", CIVIL_SERVANT),
        ],
    },
    {
        "code": "TU-BTC-TCCB",
        "name": "Phòng Tổ chức cán bộ đảng viên",
        "kind": "unit",
        "parent": "TU-BTC",
        "people": [
            (HEAD, "LD-TP", "Trưởng phòng", CIVIL_SERVANT),
            (STAFF, "CV-DANG", "", CIVIL_SERVANT),
            (STAFF, "CV-DANG", "", CIVIL_SERVANT),
        ],
    },
    {
        "code": "MTTQ",
        "name": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thanh An",
        "kind": "front",
        "parent": None,
        "people": [
            (HEAD, "LD-CTMT", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", CADRE),
            (DEPUTY, "LD-PCTMT", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", CADRE),
            (STAFF, "CV-MT", "", CIVIL_SERVANT),
            (STAFF, "CV-MT", "", CIVIL_SERVANT),
        ],
    },
    {
        "code": "MTTQ-DCPL",
        "name": "Ban Dân chủ - Pháp luật",
        "kind": "unit",
        "parent": "MTTQ",
        "people": [
            (HEAD, "LD-TP", "Trưởng ban", CIVIL_SERVANT),
            (STAFF, "CV-MT", "", CIVIL_SERVANT),
        ],
    },
    {
        "code": "MTTQ-HLHPN",
        "name": "Hội Liên hiệp Phụ nữ tỉnh Thanh An",
        "kind": "socio_political",
        "parent": "MTTQ",
        "people": [
            (HEAD, "LD-CTH", "Chủ tịch Hội Liên hiệp Phụ nữ tỉnh", CADRE),
            (DEPUTY, "LD-PCTH", "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh", CADRE),
            (STAFF, "CV-MT", "", CIVIL_SERVANT),
            (STAFF, "CV-MT", "", CIVIL_SERVANT),
            (STAFF, "CV-MT", "", CIVIL_SERVANT),
        ],
    },
    {
        "code": "SYT-BVDK",
        "name": "Bệnh viện Đa khoa tỉnh Thanh An",
        "kind": "public_service",
        "parent": "SYT",
        "people": [
            (HEAD, "LD-GDBV", "Giám đốc Bệnh viện", PUBLIC_EMPLOYEE),
            (DEPUTY, "LD-PGDBV", "Phó Giám đốc Bệnh viện", PUBLIC_EMPLOYEE),
        ],
    },
    {
        "code": "SYT-BVDK-NOI",
        "name": "Khoa Nội tổng hợp",
        "kind": "unit",
        "parent": "SYT-BVDK",
        "people": [
            (HEAD, "LD-TK", "Trưởng khoa", PUBLIC_EMPLOYEE),
            (STAFF, "VC-BS", "", PUBLIC_EMPLOYEE),
            (STAFF, "VC-DD", "", PUBLIC_EMPLOYEE),
            (STAFF, "VC-DD", "", PUBLIC_EMPLOYEE),
        ],
    },
    {
        "code": "SYT-BVDK-KHTH",
        "name": "Phòng Kế hoạch tổng hợp (Bệnh viện)",
        "kind": "unit",
        "parent": "SYT-BVDK",
        "people": [
            (HEAD, "LD-TK", "Trưởng phòng", PUBLIC_EMPLOYEE),
            (STAFF, "VC-KHTH", "", PUBLIC_EMPLOYEE),
            (STAFF, "VC-KHTH", "", PUBLIC_EMPLOYEE),
        ],
    },
]

# The departments that decide about their contract workers (Gia Lai plan §V.1.e).
CONTRACT_SWITCH = {"SKHCN": True, "TTT": False}
CONTRACT_WORKERS = [
    ("HD-0001", "SKHCN", "HT-LX"),
    ("HD-0002", "SKHCN", "HT-BV"),
    ("HD-0003", "TTT", "HT-LX"),
]

# Every agency code the bodies add (their own catalogs, ratings and sign-ins).
BODY_CODES = [body["code"] for body in BODIES]
CATALOG_OWNERS = [body["code"] for body in BODIES if body["kind"] != "unit"]

_EV_VB = "Số, ký hiệu văn bản trên hệ thống quản lý văn bản của cơ quan"
_EV_BA = "Bệnh án điện tử, sổ theo dõi của khoa trên hệ thống thông tin bệnh viện"


def _products(code: str, rows) -> list[dict]:
    return [
        {
            "code": f"{code}-{n:03d}",
            "name": name,
            "unit": unit,
            "positions": positions.split(),
            "group": group,
            "coefficient": coefficient,
            "is_standard": n == 1,
            "standard_minutes": minutes,
            "evidence": evidence,
        }
        for n, (name, unit, positions, group, coefficient, minutes, evidence) in enumerate(
            rows, start=1
        )
    ]


BODY_PRODUCTS = {
    "TU": _products(
        "TU",
        [
            ("Công văn của Văn phòng cấp ủy gửi các đảng bộ trực thuộc", "văn bản",
             "CV-DANG", 1, "1.00", 120, _EV_VB),
            ("Thông báo kết luận hội nghị Ban Thường vụ Tỉnh ủy", "thông báo",
             "CV-DANG", 2, "3.00", 360, _EV_VB),
            ("Báo cáo sơ kết thực hiện nghị quyết đại hội đảng bộ tỉnh", "báo cáo",
             "CV-DANG LD-BTTU", 3, "12.00", None, _EV_VB),
            ("Hồ sơ chuẩn bị kỳ họp Ban Chấp hành Đảng bộ tỉnh", "hồ sơ",
             "CV-DANG", 3, "10.00", None, _EV_VB),
        ],
    ),
    "TU-BTC": _products(
        "TU-BTC",
        [
            ("Tờ trình về công tác cán bộ thuộc diện Ban Thường vụ quản lý", "tờ trình",
             "CV-DANG", 1, "1.00", 180, _EV_VB),
            ("Hồ sơ kết nạp đảng viên được thẩm định", "hồ sơ",
             "CV-DANG", 1, "0.80", 150, _EV_VB),
            ("Đề án quy hoạch cán bộ lãnh đạo, quản lý nhiệm kỳ tới", "đề án",
             "CV-DANG LD-TBTU", 4, "30.00", None, _EV_VB),
            ("Báo cáo kiểm điểm, đánh giá chất lượng tổ chức đảng cuối năm", "báo cáo",
             "CV-DANG", 2, "5.00", None, _EV_VB),
        ],
    ),
    "MTTQ": _products(
        "MTTQ",
        [
            ("Văn bản hướng dẫn Ủy ban Mặt trận các xã, phường", "văn bản",
             "CV-MT", 1, "1.00", 120, _EV_VB),
            ("Cuộc giám sát, phản biện xã hội do Mặt trận chủ trì", "cuộc",
             "CV-MT", 3, "15.00", None, _EV_VB),
            ("Tổng hợp ý kiến, kiến nghị cử tri gửi kỳ họp Hội đồng nhân dân", "báo cáo",
             "CV-MT", 2, "4.00", None, _EV_VB),
            ("Đợt vận động Quỹ Vì người nghèo được tổ chức", "đợt",
             "CV-MT", 2, "6.00", None, _EV_VB),
        ],
    ),
    "MTTQ-HLHPN": _products(
        "MTTQ-HLHPN",
        [
            ("Văn bản chỉ đạo hội phụ nữ cơ sở", "văn bản",
             "CV-MT", 1, "1.00", 120, _EV_VB),
            ("Lớp tập huấn kỹ năng cho chi hội trưởng phụ nữ", "lớp",
             "CV-MT", 2, "5.00", None, _EV_VB),
            ("Hồ sơ hỗ trợ phụ nữ khởi nghiệp được thẩm định", "hồ sơ",
             "CV-MT", 2, "3.00", None, _EV_VB),
            ("Mô hình phụ nữ tham gia bảo vệ môi trường được nhân rộng", "mô hình",
             "CV-MT LD-CTH", 3, "12.00", None, _EV_VB),
        ],
    ),
    "SYT-BVDK": _products(
        "SYT-BVDK",
        [
            ("Lượt khám bệnh ngoại trú có kết luận chẩn đoán", "lượt khám",
             "VC-BS", 1, "1.00", 20, _EV_BA),
            ("Người bệnh nội trú được điều trị và ra viện", "người bệnh",
             "VC-BS VC-DD", 2, "4.00", None, _EV_BA),
            ("Phiếu chăm sóc điều dưỡng cấp I được thực hiện", "phiếu",
             "VC-DD", 1, "0.50", 10, _EV_BA),
            ("Báo cáo thống kê hoạt động khám chữa bệnh tháng", "báo cáo",
             "VC-KHTH", 2, "3.00", None, _EV_BA),
            ("Hồ sơ kiểm tra chất lượng bệnh viện theo bộ tiêu chí", "hồ sơ",
             "VC-KHTH LD-GDBV", 3, "10.00", None, _EV_BA),
        ],
    ),
}  # fmt: skip
