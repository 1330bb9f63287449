"""Form 02 in the official layout (coverage F3; ratings/printing/form02.py, docs/ratings.md
§6a): the emblem header, the form's number and title, the person, then I. the self-assessment
results, II. the self-comment and self-rating signed and dated by the person, III. the direct
manager's comments signed and dated, IV. the part of the competent authority (related bodies'
opinions, appraisal, the level decided among the four) signed and dated — in that order, on the
printed page and in the .xlsx; the viên chức variant names its category. Under the title the
form states its legal basis as far as the sources support it (docs/ratings.md §5): the decree
the rating follows and the annex whose layout it reproduces."""

import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from org.models import PersonCategory
from tests.ratings.world import DECISION_DAY, reload

pytestmark = pytest.mark.django_db


def _signed(day) -> str:
    return f"Ngày {day:%d} tháng {day:%m} năm {day.year}"


def _page_text(client, case) -> str:
    html = client.get(reverse("ratings_form02", args=[case.pk])).content.decode()
    body = html.split('id="printable"', 1)[1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def _in_order(text: str, parts) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at}: …{text[at : at + 300]}…"
        at = found + len(part)


@pytest.fixture
def decided(world):
    person = world.staff("Đinh Văn Mẫu")
    case = world.case_for(person)
    world.to_appraised(case)
    world.decide(reload(case), ref="99/QĐ-STN")
    return reload(case)


#: The basis of a công chức's form (and an agency's): Decree 335, and the layout's annex.
CIVIL_SERVANT_BASIS = [
    "Căn cứ đánh giá, xếp loại: Nghị định số 335/2025/NĐ-CP ngày 21/12/2025 của Chính phủ.",
    "Bố cục phiếu: Mẫu số 02 (công chức) ban hành kèm theo Nghị định số 90/2020/NĐ-CP ngày "
    "13/8/2020 của Chính phủ; chưa đối chiếu với mẫu phiếu của Nghị định số 335/2025/NĐ-CP.",
]
#: A viên chức is not rated under Decree 335 here: only the layout's annex (Decree 90's Mẫu 03).
PUBLIC_EMPLOYEE_BASIS = [
    "Bố cục phiếu: Mẫu số 03 (viên chức) ban hành kèm theo Nghị định số 90/2020/NĐ-CP ngày "
    "13/8/2020 của Chính phủ."
]


def expected_order(
    case, category="CÔNG CHỨC", lower="công chức", number="Mẫu số 02", basis=CIVIL_SERVANT_BASIS
):
    self_day = timezone.localtime(case.self_assessed_at).date()
    return [
        number,
        "SỞ THỬ NGHIỆM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {category}",
        "Năm 2026",
        *basis,
        "Họ và tên:",
        "Đinh Văn Mẫu",
        "Chức vụ, chức danh:",
        "Cơ quan, đơn vị công tác:",
        "I. KẾT QUẢ TỰ ĐÁNH GIÁ",
        "Điểm đánh giá năm",
        "II. TỰ NHẬN XÉT, XẾP LOẠI CHẤT LƯỢNG",
        "1. Tự nhận xét ưu, khuyết điểm:",
        "Hoàn thành đầy đủ nhiệm vụ được giao.",
        "2. Tự xếp loại chất lượng:",
        "Hoàn thành tốt nhiệm vụ",
        "☐ Hoàn thành xuất sắc nhiệm vụ ☒ Hoàn thành tốt nhiệm vụ ☐ Hoàn thành nhiệm vụ "
        "☐ Không hoàn thành nhiệm vụ",
        _signed(self_day),
        "NGƯỜI TỰ NHẬN XÉT",
        "(Ký, ghi rõ họ tên)",
        "Đinh Văn Mẫu",
        "III. Ý KIẾN NHẬN XÉT, ĐÁNH GIÁ CỦA NGƯỜI QUẢN LÝ TRỰC TIẾP",
        "Ngô Trưởng Phòng",
        "25/11/2026",
        "Tập thể thống nhất.",
        "Ngày 25 tháng 11 năm 2026",
        "NGƯỜI QUẢN LÝ TRỰC TIẾP",
        "Ngô Trưởng Phòng",
        f"IV. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {category} "
        "(Phần dành cho cấp có thẩm quyền đánh giá)",
        "IV.1. Thẩm định, đề xuất của cơ quan tham mưu về tổ chức, cán bộ",
        "Đủ điều kiện.",
        "IV.2. Kết quả đánh giá, xếp loại chất lượng",
        "Mức xếp loại chất lượng: Hoàn thành tốt nhiệm vụ",
        "☐ Hoàn thành xuất sắc nhiệm vụ ☒ Hoàn thành tốt nhiệm vụ",
        "99/QĐ-STN",
        "10/12/2026",
        _signed(DECISION_DAY),
        "NGƯỜI CÓ THẨM QUYỀN ĐÁNH GIÁ",
        "(Ký, ghi rõ họ tên, đóng dấu)",
        "Lê Giám Đốc",
    ]


def test_the_printed_form02_follows_the_official_layout_part_by_part(client, world, decided):
    client.force_login(world.users["sonoivu"])
    text = _page_text(client, decided)
    _in_order(text, expected_order(decided))
    # The old procedural headings are no longer separate top-level parts.
    assert "V. QUYẾT ĐỊNH XẾP LOẠI" not in text


def test_the_xlsx_form02_has_the_same_parts_signatures_and_dates_in_order(client, world, decided):
    client.force_login(world.users["sonoivu"])
    response = client.get(reverse("ratings_form02_xlsx", args=[decided.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    # The header's two columns share rows: both halves are there.
    assert {
        "Mẫu số 02",
        "SỞ THỬ NGHIỆM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    } <= set(values)
    # The basis, a cell a line, right under the title and the year.
    title = values.index("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC")
    assert values[title + 1 : title + 4] == ["Năm 2026", *CIVIL_SERVANT_BASIS]
    # From the title on, the parts in the printed page's order (a label and its value are
    # two cells, without the colon).
    body = [
        part.replace(": ", " ").rstrip(":")
        for part in expected_order(decided)[4:]
        if part not in CIVIL_SERVANT_BASIS
    ]
    _in_order(re.sub(r"\s+", " ", " ".join(values)), body)


def test_a_viên_chức_gets_the_viên_chức_form(client, world):
    person = world.staff("Đinh Văn Mẫu")
    posting = person.postings.get()
    posting.category = PersonCategory.PUBLIC_EMPLOYEE
    posting.save()
    case = world.case_for(person)
    world.to_appraised(case)
    world.decide(reload(case), ref="99/QĐ-STN")
    client.force_login(world.users["sonoivu"])
    text = _page_text(client, reload(case))
    _in_order(
        text,
        expected_order(reload(case), "VIÊN CHỨC", "viên chức", "Mẫu số 03", PUBLIC_EMPLOYEE_BASIS),
    )
    assert "Mã số viên chức" in text
    assert "Nghị định số 335/2025/NĐ-CP" not in text


def test_a_case_not_yet_decided_leaves_the_authoritys_date_to_fill_by_hand(client, world):
    person = world.staff("Đinh Văn Mẫu")
    case = world.case_for(person)
    world.self_assess(case)
    client.force_login(world.users["sonoivu"])
    text = _page_text(client, reload(case))
    _in_order(
        text,
        [
            "NGƯỜI TỰ NHẬN XÉT",
            "Ngày …… tháng …… năm …… NGƯỜI QUẢN LÝ TRỰC TIẾP",
            "☐ Hoàn thành xuất sắc nhiệm vụ ☐ Hoàn thành tốt nhiệm vụ ☐ Hoàn thành nhiệm vụ "
            "☐ Không hoàn thành nhiệm vụ",
            "Ngày …… tháng …… năm …… NGƯỜI CÓ THẨM QUYỀN ĐÁNH GIÁ",
        ],
    )
