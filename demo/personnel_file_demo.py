"""An agency that starts from its personnel file (issue 32, done-when 1).

Sở Văn hóa, Thể thao và Du lịch is in the demo's tree with its units and an approved catalog,
but the demo creates none of its people: its clerk filled in the personnel template and sent
the file to Sở Nội vụ. The file is written by the same builder as the template a clerk
downloads from "Nhập, xuất Excel" (``importers.builders.personnel.workbook``) and is offered to
Sở Nội vụ alone, only where the demo is allowed (``KPI_DEMO_ALLOWED``), at "Trợ giúp → Tệp hồ
sơ nhân sự gửi Sở Nội vụ (bản demo)" (``demo.views``). From there the walk needs no script: Sở
Nội vụ downloads the file, uploads it on the import page, confirms the preview, gives every
person of the agency a sign-in in one operation and prints the activation slips
(``tests/browser/test_accounts_demo.py``, guide "Sở Nội vụ" §8).

Idempotent: the agency, units and catalog are keyed on their codes.
"""

import datetime

from django.contrib.auth import get_user_model

from catalog_pages.models import AgencyCatalogPage
from catalog_pages.setup import ensure_agency_catalog, setup_catalogs
from demo.catalog_demo import VERSION_1_FROM, _item, _publish
from importers.builders.personnel import workbook
from importers.kinds import get_kind
from importers.kinds.base import Context
from org.models import Agency, AgencyKind, Gender, JobPosition, LeadershipRole, PersonCategory

AGENCY_CODE = "SVHTTDL"
AGENCY_NAME = "Sở Văn hóa, Thể thao và Du lịch"
UNITS = [
    ("SVHTTDL-VP", "Văn phòng Sở"),
    ("SVHTTDL-QLVH", "Phòng Quản lý văn hóa và gia đình"),
    ("SVHTTDL-QLDL", "Phòng Quản lý du lịch"),
]
START = datetime.date(2026, 1, 1)
FILE_NAME = "ho-so-nhan-su-SVHTTDL.xlsx"

M, F = Gender.MALE, Gender.FEMALE
HEAD, DEPUTY, STAFF = LeadershipRole.HEAD, LeadershipRole.DEPUTY, LeadershipRole.STAFF

#: One row per posting, as the clerk typed them: official ID, name, gender, birth date,
#: e-mail (some people have none: their first password goes on the printed slip only),
#: phone, unit, job position, role, title. Official IDs are outside the loader's series.
PEOPLE = [
    ("TNA900001", "Lê Thị Minh Hằng", F, (1972, 3, 14), "hang.ltm@thanhan.gov.vn", "0912000101",
     AGENCY_CODE, "LD-GD", HEAD, "Giám đốc sở"),
    ("TNA900002", "Trần Quốc Bảo", M, (1976, 9, 2), "bao.tq@thanhan.gov.vn", "",
     AGENCY_CODE, "LD-PGD", DEPUTY, "Phó Giám đốc sở"),
    ("TNA900003", "Nguyễn Hữu Phước", M, (1979, 11, 21), "", "0912000103",
     "SVHTTDL-VP", "LD-TP", HEAD, "Chánh Văn phòng"),
    ("TNA900004", "Phạm Thị Thu Trang", F, (1991, 6, 5), "", "",
     "SVHTTDL-VP", "HT-VT", STAFF, ""),
    ("TNA900005", "Đỗ Văn Khánh", M, (1988, 1, 30), "khanh.dv@thanhan.gov.vn", "",
     "SVHTTDL-VP", "HT-KT", STAFF, ""),
    ("TNA900006", "Vũ Đình Long", M, (1975, 4, 18), "", "0912000106",
     "SVHTTDL-QLVH", "LD-TP", HEAD, "Trưởng phòng"),
    ("TNA900007", "Hoàng Thị Ngọc Ánh", F, (1993, 8, 9), "", "",
     "SVHTTDL-QLVH", "CV-TH", STAFF, ""),
    ("TNA900008", "Bùi Minh Tuấn", M, (1990, 12, 1), "tuan.bm@thanhan.gov.vn", "",
     "SVHTTDL-QLVH", "CV-TH", STAFF, ""),
    ("TNA900009", "Ngô Thị Lan", F, (1981, 2, 27), "", "0912000109",
     "SVHTTDL-QLDL", "LD-TP", HEAD, "Trưởng phòng"),
    ("TNA900010", "Đặng Văn Sơn", M, (1986, 7, 16), "", "",
     "SVHTTDL-QLDL", "LD-PTP", DEPUTY, "Phó Trưởng phòng"),
    ("TNA900011", "Trịnh Thị Hồng Nhung", F, (1995, 10, 3), "", "",
     "SVHTTDL-QLDL", "CV-TH", STAFF, ""),
]  # fmt: skip

#: Its catalog, approved like the others' (version 1 from 1/1/2026).
PRODUCTS = [
    {"code": "SVHTTDL-001", "name": "Văn bản hướng dẫn quản lý di tích, lễ hội trên địa bàn",
     "unit": "văn bản", "positions": ["CV-TH", "HT-VT"], "group": 1, "coefficient": "1.00",
     "is_standard": True, "standard_minutes": 120, "evidence": "Văn bản đã ban hành"},
    {"code": "SVHTTDL-002", "name": "Hồ sơ thẩm định cấp phép tổ chức lễ hội, biểu diễn",
     "unit": "hồ sơ", "positions": ["CV-TH"], "group": 2, "coefficient": "3.00",
     "is_standard": False, "standard_minutes": 360, "evidence": "Giấy phép hoặc văn bản trả lời"},
    {"code": "SVHTTDL-003", "name": "Báo cáo chuyên đề về hoạt động du lịch của tỉnh",
     "unit": "báo cáo", "positions": ["CV-TH"], "group": 3, "coefficient": "10.00",
     "is_standard": False, "standard_minutes": None, "evidence": "Báo cáo đã trình"},
    {"code": "SVHTTDL-004", "name": "Chứng từ kế toán, hồ sơ văn thư được xử lý",
     "unit": "bộ", "positions": ["HT-KT", "HT-VT"], "group": 1, "coefficient": "0.50",
     "is_standard": False, "standard_minutes": 60, "evidence": "Sổ theo dõi"},
]  # fmt: skip


def people_rows() -> list[list]:
    """The rows of the "Công chức" sheet, in the template's column order."""
    return [
        [
            official_id,
            name,
            gender,
            datetime.date(*born),
            email,
            phone,
            unit,
            position,
            role,
            title,
            START,
            None,
            False,
            PersonCategory.CIVIL_SERVANT,
        ]
        for official_id, name, gender, born, email, phone, unit, position, role, title in PEOPLE
    ]


def _agency() -> Agency:
    province = Agency.objects.get(kind=AgencyKind.PROVINCE, parent=None)
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        agency = Agency(code=AGENCY_CODE, name=AGENCY_NAME, kind=AgencyKind.DEPARTMENT)
        agency.parent = province
        agency.save()
    for code, name in UNITS:
        if not Agency.objects.filter(code=code).exists():
            Agency(code=code, name=name, kind=AgencyKind.UNIT, parent=agency).save()
    return agency


def _catalog(agency: Agency) -> None:
    page = ensure_agency_catalog(agency, setup_catalogs())
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    if page.versions.exists() or page.has_unpublished_changes:
        return
    positions = {p.code: p for p in JobPosition.objects.all()}
    page.items = [_item(spec, positions) for spec in PRODUCTS]
    approver = get_user_model().objects.get(username="sonoivu")
    _publish(page, approver, "150/QĐ-UBND", VERSION_1_FROM)


def personnel_file(agency: Agency) -> bytes:
    """The agency's personnel file, as its clerk would send it (the template builder)."""
    return workbook(get_kind("personnel"), Context(agency=agency), people_rows())


def load_personnel_file_demo() -> dict:
    agency = _agency()
    _catalog(agency)
    return {"agency": agency, "people": len(PEOPLE)}
