"""Catalog rules, as plain functions over plain rows.

Shared by the admin page form and the Excel importer so that both refuse the same things with
the same Vietnamese messages. Rows are addressed by their position (0-based) in the input.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from org.text import normalize_text

DEFAULT_MAX_GROUPS_PER_POSITION = 5  # Decree 335 plans: "tối đa 05 nhóm" per job position


@dataclass
class ItemRow:
    code: str
    name: str
    coefficient: object
    complexity_group: object
    is_standard: bool = False
    job_positions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogIssue:
    row: int | None  # None: the catalog as a whole
    field: str | None
    message: str


def max_groups_per_position() -> int:
    return getattr(settings, "KPI_CATALOG_MAX_GROUPS_PER_POSITION", DEFAULT_MAX_GROUPS_PER_POSITION)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def validate_catalog(  # noqa: C901
    rows: list[ItemRow], max_groups: int | None = None, row_numbers: list[int] | None = None
) -> list[CatalogIssue]:
    """Issues of a catalog's rows. Messages that name another row use ``row_numbers`` (the
    Excel rows of an import), else the row's position counted from 1 (the page form)."""
    max_groups = max_groups or max_groups_per_position()

    def number(index: int) -> int:
        return int(row_numbers[index]) if row_numbers is not None else index + 1

    issues: list[CatalogIssue] = []
    first_row_of_code: dict[str, int] = {}
    groups_by_position: dict[str, set[int]] = defaultdict(set)
    standard_rows = []

    for index, row in enumerate(rows):
        code = normalize_text(row.code).upper()
        if not code:
            issues.append(CatalogIssue(index, "code", _("Mã sản phẩm không được để trống.")))
        elif code in first_row_of_code:
            issues.append(
                CatalogIssue(
                    index,
                    "code",
                    _("Mã “%(code)s” bị trùng với dòng %(row)d.")
                    % {"code": code, "row": number(first_row_of_code[code])},
                )
            )
        else:
            first_row_of_code[code] = index

        if not normalize_text(row.name):
            issues.append(CatalogIssue(index, "name", _("Tên sản phẩm không được để trống.")))

        coefficient = _decimal(row.coefficient)
        if coefficient is None:
            issues.append(CatalogIssue(index, "coefficient", _("Hệ số quy đổi phải là một số.")))
        elif coefficient <= 0:
            issues.append(CatalogIssue(index, "coefficient", _("Hệ số quy đổi phải lớn hơn 0.")))

        group = _decimal(row.complexity_group)
        if group is None or group != group.to_integral_value() or not 1 <= group <= 5:
            issues.append(
                CatalogIssue(
                    index,
                    "complexity_group",
                    _("Nhóm mức độ phức tạp phải là số nguyên từ 1 đến 5."),
                )
            )
        else:
            for position in row.job_positions:
                groups_by_position[position].add(int(group))

        if row.is_standard:
            standard_rows.append(index)
            if coefficient is not None and coefficient != 1:
                issues.append(
                    CatalogIssue(
                        index, "coefficient", _("Sản phẩm chuẩn phải có hệ số quy đổi bằng 1.")
                    )
                )

    for position, groups in sorted(groups_by_position.items()):
        if len(groups) > max_groups:
            issues.append(
                CatalogIssue(
                    None,
                    "complexity_group",
                    _(
                        "Vị trí việc làm “%(position)s” có %(count)d nhóm mức độ phức tạp; "
                        "tối đa %(max)d nhóm."
                    )
                    % {"position": position, "count": len(groups), "max": max_groups},
                )
            )

    if not standard_rows:
        issues.append(
            CatalogIssue(
                None,
                "is_standard",
                _("Danh mục chưa có sản phẩm chuẩn: hãy đánh dấu đúng một sản phẩm chuẩn."),
            )
        )
    elif len(standard_rows) > 1:
        issues.append(
            CatalogIssue(
                None,
                "is_standard",
                _("Chỉ được có một sản phẩm chuẩn; đang đánh dấu ở các dòng %(rows)s.")
                % {"rows": ", ".join(str(number(i)) for i in standard_rows)},
            )
        )
    return issues
