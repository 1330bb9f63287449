"""The personnel file's two sheets, their columns and the fields the resources write."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from importers.columns import DATE_BIRTH, DATE_START, ColumnSpec, ColumnType, SheetSpec
from org.categories import ALIASES as CATEGORY_ALIASES
from org.models import (
    Gender,
    LeadershipRole,
    PersonCategory,
)

UNITS = "Đơn vị"
PEOPLE = "Công chức"

UNIT_COLUMNS = (
    ColumnSpec(
        "code",
        gettext_lazy("Mã đơn vị"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        help=gettext_lazy("Duy nhất trong toàn tỉnh, ví dụ STP-VP."),
    ),
    ColumnSpec("name", gettext_lazy("Tên đơn vị"), required=True, max_length=255, width=40),
    ColumnSpec(
        "parent_code",
        gettext_lazy("Mã đơn vị cấp trên"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="units",
        help=gettext_lazy("Mã của cơ quan hoặc của một đơn vị thuộc cơ quan."),
    ),
    ColumnSpec(
        "is_active",
        gettext_lazy("Đang hoạt động"),
        ColumnType.BOOL,
        default=True,
        width=10,
        dropdown="yes_no",
    ),
)

ROLE_CHOICES = tuple(LeadershipRole.choices)  # lazy labels: shown in the user's language
GENDER_CHOICES = tuple(Gender.choices)
CATEGORY_CHOICES = tuple(PersonCategory.choices)

PEOPLE_COLUMNS = (
    ColumnSpec(
        "official_id",
        gettext_lazy("Mã số công chức"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
    ),
    ColumnSpec(
        "full_name",
        gettext_lazy("Họ và tên"),
        required=True,
        max_length=150,
        width=26,
        person_name=True,
    ),
    ColumnSpec(
        "gender",
        gettext_lazy("Giới tính"),
        ColumnType.CHOICE,
        choices=GENDER_CHOICES,
        width=8,
        dropdown="genders",
        clearable=True,
    ),
    ColumnSpec(
        "date_of_birth",
        gettext_lazy("Ngày sinh"),
        ColumnType.DATE,
        width=12,
        clearable=True,
        date_rule=DATE_BIRTH,
    ),
    ColumnSpec("email", gettext_lazy("Thư điện tử"), max_length=254, width=24, clearable=True),
    ColumnSpec(
        "phone", gettext_lazy("Số điện thoại"), max_length=20, width=14, phone=True, clearable=True
    ),
    ColumnSpec(
        "unit_code",
        gettext_lazy("Mã đơn vị công tác"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="units",
    ),
    ColumnSpec(
        "job_position_code",
        gettext_lazy("Mã vị trí việc làm"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="positions",
    ),
    ColumnSpec(
        "role",
        gettext_lazy("Chức vụ lãnh đạo"),
        ColumnType.CHOICE,
        choices=ROLE_CHOICES,
        width=22,
        help=gettext_lazy(
            "Để trống: giữ như đang lưu (dòng mới: không giữ chức vụ lãnh đạo). Đổi chức vụ "
            "của quá trình đã qua kỳ đánh giá: kết thúc dòng cũ, thêm dòng mới từ ngày quyết định."
        ),
        dropdown="roles",
        aliases=(
            ("truong", LeadershipRole.HEAD),
            ("pho", LeadershipRole.DEPUTY),
            ("khong", LeadershipRole.STAFF),
        ),
    ),
    ColumnSpec("title", gettext_lazy("Chức danh"), max_length=120, width=20, clearable=True),
    ColumnSpec(
        "start_date",
        gettext_lazy("Từ ngày"),
        ColumnType.DATE,
        required=True,
        width=12,
        date_rule=DATE_START,
    ),
    ColumnSpec("end_date", gettext_lazy("Đến ngày"), ColumnType.DATE, width=12, clearable=True),
    ColumnSpec(
        "is_concurrent",
        gettext_lazy("Kiêm nhiệm"),
        ColumnType.BOOL,
        width=10,
        dropdown="yes_no",
        help=gettext_lazy("Để trống: giữ như đang lưu (dòng mới: Không)."),
    ),
    # Cán bộ, công chức, viên chức or contract worker in this posting (docs/scope.md);
    # files from the templates before it are read as "Công chức".
    ColumnSpec(
        "category",
        pgettext_lazy("person category", "Đối tượng"),
        ColumnType.CHOICE,
        choices=CATEGORY_CHOICES,
        width=24,
        added_later=True,
        help=gettext_lazy(
            "Cán bộ, Công chức, Viên chức hoặc Người lao động hợp đồng; để trống là giữ như đang "
            "lưu (người mới: Công chức). Đổi đối tượng: kết thúc dòng cũ, thêm dòng mới từ ngày "
            "quyết định. Người lao động hợp đồng dùng mã nội bộ bắt đầu bằng HD-."
        ),
        aliases=tuple(CATEGORY_ALIASES.items()),
    ),
)

UNIT_SHEET = SheetSpec(
    name=UNITS,
    columns=UNIT_COLUMNS,
    title=gettext_lazy("CÁC ĐƠN VỊ THUỘC CƠ QUAN"),
    optional=True,
)
PEOPLE_SHEET = SheetSpec(
    name=PEOPLE, columns=PEOPLE_COLUMNS, title=gettext_lazy("CÔNG CHỨC VÀ QUÁ TRÌNH CÔNG TÁC")
)

PERSON_FIELDS = ("official_id", "full_name", "gender", "date_of_birth", "email", "phone")
POSTING_FIELDS = (
    "civil_servant",
    "agency",
    "job_position",
    "role",
    "title",
    "start_date",
    "end_date",
    "is_concurrent",
    "category",
)
