"""The "Kết quả" sheet: its name, columns and limits, and the catalog version whose products
it lists (read by the rules and by the template builder)."""

from django.utils.translation import gettext_lazy

from catalog_pages.models import CatalogVersion
from importers.columns import PERCENT_REFUSED, ColumnSpec, ColumnType, SheetSpec

SHEET = "Kết quả"

#: Largest values the stored columns hold (``DecimalField(max_digits=12, decimal_places=2)`` and
#: a PostgreSQL ``integer``): a larger number would overflow on PostgreSQL and, on SQLite, be
#: stored and then break every read of the line.
MAX_QUANTITY = 9_999_999_999.99
MAX_COUNT = 2_147_483_647

COLUMNS = (
    ColumnSpec(
        "official_id",
        gettext_lazy("Mã số công chức"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="people",
        help=gettext_lazy("Chọn trong danh sách công chức của cơ quan (trang Công chức)."),
    ),
    ColumnSpec(
        "full_name",
        gettext_lazy("Họ và tên"),
        informational=True,
        width=26,
        help=gettext_lazy("Chỉ để đối chiếu, không được nhập vào hệ thống."),
    ),
    ColumnSpec(
        "product_code",
        gettext_lazy("Mã sản phẩm/công việc"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="products",
        help=gettext_lazy("Chọn trong danh mục đã phê duyệt áp dụng cho kỳ (trang Danh mục)."),
    ),
    ColumnSpec(
        "product_name",
        gettext_lazy("Tên sản phẩm/công việc"),
        informational=True,
        width=40,
        help=gettext_lazy("Chỉ để đối chiếu, không được nhập vào hệ thống."),
    ),
    ColumnSpec(
        "assigned",
        gettext_lazy("Số lượng được giao"),
        ColumnType.DECIMAL,
        percent=PERCENT_REFUSED,
        required=True,
        min_value=0,
        max_value=MAX_QUANTITY,
        width=12,
        help=gettext_lazy("Số không âm, tối đa 2 chữ số thập phân."),
    ),
    ColumnSpec(
        "completed",
        gettext_lazy("Số lượng hoàn thành"),
        ColumnType.DECIMAL,
        percent=PERCENT_REFUSED,
        default=0,
        min_value=0,
        max_value=MAX_QUANTITY,
        width=12,
        help=gettext_lazy("Số không âm; để trống là 0. Lớn hơn số được giao sẽ được cảnh báo."),
    ),
    ColumnSpec(
        "deadline",
        gettext_lazy("Hạn hoàn thành"),
        ColumnType.DATE,
        width=13,
        help=gettext_lazy("Ngày, dạng dd/mm/yyyy."),
    ),
    ColumnSpec(
        "completed_on",
        gettext_lazy("Ngày hoàn thành"),
        ColumnType.DATE,
        width=13,
        help=gettext_lazy("Ngày, dạng dd/mm/yyyy; chỉ nhập khi đã có số lượng hoàn thành."),
    ),
    ColumnSpec(
        "failed_reviews",
        gettext_lazy("Số lần đánh giá chưa đạt"),
        ColumnType.INTEGER,
        percent=PERCENT_REFUSED,
        default=0,
        min_value=0,
        max_value=MAX_COUNT,
        width=12,
        help=gettext_lazy(
            "Tổng của cả dòng: mỗi sản phẩm bị trả lại một lần là một lần (trừ 25% điểm chất "
            "lượng của sản phẩm đó)."
        ),
    ),
    ColumnSpec(
        "delays",
        gettext_lazy("Số sản phẩm trễ hạn"),
        ColumnType.INTEGER,
        percent=PERCENT_REFUSED,
        default=0,
        min_value=0,
        max_value=MAX_COUNT,
        width=12,
        help=gettext_lazy(
            "Số sản phẩm hoàn thành sau hạn; mỗi sản phẩm là một lần chậm tiến độ (trừ 25% điểm "
            "tiến độ của sản phẩm đó)."
        ),
        former_headers=(gettext_lazy("Số lần chậm tiến độ"),),
    ),
    ColumnSpec(
        "line_code",
        gettext_lazy("Mã dòng (nếu có)"),
        ColumnType.CODE,
        max_length=40,
        width=14,
        help=gettext_lazy(
            "Tuỳ chọn: mã của dòng ở phần mềm nguồn, để phân biệt hai dòng cùng công "
            "chức, sản phẩm và hạn."
        ),
    ),
    ColumnSpec("note", gettext_lazy("Ghi chú"), max_length=2000, width=30),
    ColumnSpec(
        "failed_by_product",
        gettext_lazy("Số lần chưa đạt của từng sản phẩm"),
        max_length=2000,
        width=22,
        help=gettext_lazy(
            "Tuỳ chọn, khi một dòng có nhiều sản phẩm: số lần đánh giá chưa đạt của sản phẩm 1, "
            "2, … cách nhau bởi dấu chấm phẩy, các sản phẩm đã hoàn thành ghi trước (ví dụ "
            "“0; 2”: sản phẩm 2 bị trả lại hai lần). Tổng phải bằng “Số lần đánh giá chưa đạt”. "
            "Để trống: các lần chưa đạt được tính lần lượt cho từng sản phẩm đã hoàn thành."
        ),
        added_later=True,
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET,
    columns=COLUMNS,
    title=gettext_lazy("KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRONG KỲ"),
    filler_keys=("official_id", "full_name"),
)


def version_for(agency, period):
    """The approved catalog version in force on the period's last day."""
    return CatalogVersion.objects.in_force(agency, period.end_date)
