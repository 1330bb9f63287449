"""The "Danh mục" sheet: its name and columns, the labels of the compared fields, and the
agency's catalog page whose latest revision it is compared with (read by the kind and by the
template builder)."""

from django.utils.translation import gettext_lazy

from catalog_pages.models import AgencyCatalogPage
from importers.columns import ColumnSpec, ColumnType, SheetSpec

SHEET = "Danh mục"

COLUMNS = (
    ColumnSpec(
        "code",
        gettext_lazy("Mã sản phẩm/công việc"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        help=gettext_lazy("Duy nhất trong danh mục, ví dụ STP-001."),
    ),
    ColumnSpec(
        "name", gettext_lazy("Tên sản phẩm/công việc"), required=True, max_length=500, width=50
    ),
    ColumnSpec(
        "output_unit",
        gettext_lazy("Đơn vị tính"),
        required=True,
        max_length=64,
        width=14,
        help=gettext_lazy("Ví dụ: văn bản, báo cáo, hồ sơ."),
    ),
    ColumnSpec(
        "complexity_group",
        gettext_lazy("Nhóm mức độ phức tạp"),
        ColumnType.DECIMAL,
        width=12,
        dropdown="groups",
        help=gettext_lazy("Số nguyên từ 1 đến 5."),
    ),
    ColumnSpec(
        "coefficient",
        gettext_lazy("Hệ số quy đổi"),
        ColumnType.DECIMAL,
        places=4,
        max_value=99_999.9999,  # DecimalField(max_digits=9, decimal_places=4)
        width=12,
        help=gettext_lazy("Số lớn hơn 0, tối đa 4 chữ số thập phân; sản phẩm chuẩn có hệ số 1."),
    ),
    ColumnSpec(
        "standard_minutes",
        gettext_lazy("Thời gian chuẩn (phút)"),
        ColumnType.INTEGER,
        min_value=0,
        max_value=2_147_483_647,  # a PostgreSQL integer
        width=12,
    ),
    ColumnSpec("evidence_required", gettext_lazy("Minh chứng yêu cầu"), max_length=255, width=30),
    ColumnSpec(
        "is_standard",
        gettext_lazy("Sản phẩm chuẩn"),
        ColumnType.BOOL,
        default=False,
        width=10,
        dropdown="yes_no",
        help=gettext_lazy("Có/Không; đúng một sản phẩm chuẩn trong danh mục."),
    ),
    ColumnSpec(
        "job_positions",
        gettext_lazy("Mã vị trí việc làm"),
        ColumnType.CODE_LIST,
        width=24,
        help=gettext_lazy(
            "Các mã vị trí việc làm, cách nhau bởi dấu phẩy (trang Vị trí việc làm)."
        ),
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET, columns=COLUMNS, title=gettext_lazy("DANH MỤC SẢN PHẨM/CÔNG VIỆC")
)

COMPARED_LABELS = (
    gettext_lazy("Tên sản phẩm/công việc"),
    gettext_lazy("Đơn vị tính"),
    gettext_lazy("Nhóm mức độ phức tạp"),
    gettext_lazy("Hệ số quy đổi"),
    gettext_lazy("Thời gian chuẩn (phút)"),
    gettext_lazy("Minh chứng yêu cầu"),
    gettext_lazy("Sản phẩm chuẩn"),
    gettext_lazy("Mã vị trí việc làm"),
)


def catalog_page(agency):
    return AgencyCatalogPage.objects.filter(agency=agency).first()
