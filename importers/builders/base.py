"""Building a template workbook with openpyxl, the same way for every kind.

- an instructions sheet ("Hướng dẫn") in Vietnamese: what to fill, the rules of every column;
- data sheets from the kind's :class:`SheetSpec`: a title row and a header row, both frozen and
  LOCKED (the sheet is protected without a password, so nobody edits or moves a header by
  accident), data cells UNLOCKED (column styles), text format on code/text columns (so ``001``
  stays ``001``), date format on date columns, dropdowns on code and yes/no columns, number and
  date validation on quantities and dates, an auto-filter;
- read-only list sheets feeding the dropdowns (people, products, units, job positions);
- the template's identity in a very hidden ``_meta`` sheet and in workbook custom properties;
- workbook structure protection (sheets cannot be renamed, deleted or unhidden).
"""

from __future__ import annotations

import functools
import io
from copy import copy
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import xlsx
from cms.spreadsheets import neutralise_formulas
from importers import conf
from importers.columns import ColumnSpec, ColumnType, SheetSpec
from importers.meta import EMPTY, META_SHEET, PROPERTY_PREFIX, TemplateMeta

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

# openpyxl is imported by the functions below, when a template is built: a web worker that only
# routes URLs does not load it (tests/importers/test_structure.py).


@functools.cache
def _styles() -> dict[str, Any]:
    """The shared fills, fonts and protections, built on first use."""
    from openpyxl.styles import Font, PatternFill, Protection

    return {
        "HEADER_FILL": PatternFill("solid", fgColor="DDEBF7"),
        "TITLE_FONT": Font(bold=True, size=13),
        "HEADER_FONT": Font(bold=True),
        "LOCKED": Protection(locked=True),
        "UNLOCKED": Protection(locked=False),
    }


DATE_FORMAT = "dd/mm/yyyy"
EXTRA_ROWS = 2_000  # empty, validated rows offered below the pre-filled ones
INSTRUCTIONS = gettext_lazy("Hướng dẫn")

TYPE_LABELS = {
    ColumnType.TEXT: gettext_lazy("Chữ"),
    ColumnType.CODE: gettext_lazy("Mã"),
    ColumnType.CODE_LIST: gettext_lazy("Danh sách mã"),
    ColumnType.DECIMAL: gettext_lazy("Số"),
    ColumnType.INTEGER: gettext_lazy("Số nguyên"),
    ColumnType.DATE: gettext_lazy("Ngày (dd/mm/yyyy)"),
    ColumnType.BOOL: gettext_lazy("Có/Không"),
    ColumnType.CHOICE: gettext_lazy("Chọn trong danh sách"),
}


def new_workbook() -> Workbook:
    """An empty workbook of the kit (``cms.xlsx``); the template adds its sheets."""
    return xlsx.empty_book()


def _protect(sheet) -> None:
    protection = sheet.protection
    protection.sheet = True
    # False = the action stays allowed on a protected sheet.
    for action in (
        "formatColumns",
        "formatRows",
        "insertRows",
        "deleteRows",
        "sort",
        "autoFilter",
        "selectLockedCells",
        "selectUnlockedCells",
    ):
        setattr(protection, action, False)


def add_instructions(workbook, kind, context, intro_lines) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(str(INSTRUCTIONS), 0)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 34
    sheet.column_dimensions["D"].width = 20
    sheet.column_dimensions["E"].width = 12
    sheet.column_dimensions["F"].width = 70
    sheet["A1"] = _("HƯỚNG DẪN ĐIỀN MẪU: %(kind)s") % {"kind": str(kind.label).upper()}
    sheet["A1"].font = _styles()["TITLE_FONT"]
    rows = [
        (_("Cơ quan"), f"{context.agency.name} ({context.agency.code})"),
        (_("Kỳ"), context.period.label if context.period is not None else "—"),
        (_("Phiên bản mẫu"), kind.version),
    ]
    line = 3
    for label, value in rows:
        sheet.cell(line, 1, label).font = _styles()["HEADER_FONT"]
        sheet.cell(line, 2, value)
        line += 1
    line += 1
    general = [
        *intro_lines,
        _(
            "Không thêm, xoá, đổi tên hay đổi thứ tự các cột và trang tính; các dòng tiêu đề đã "
            "được khoá."
        ),
        _("Có thể thêm, xoá dòng dữ liệu; dòng trống bị bỏ qua; dòng bị ẩn vẫn được nhập."),
        _(
            "Ngày nhập theo dạng dd/mm/yyyy (ví dụ 31/03/2026). Số thập phân dùng dấu phẩy hoặc "
            "dấu chấm đều được (2,5 hoặc 2.5); số có phân cách hàng nghìn như 1.234,5 được hiểu "
            "là 1234,5."
        ),
        _("Ô có công thức được nhập theo giá trị Excel đã tính khi lưu tệp."),
        _(
            "Lưu tệp dạng Excel (.xlsx), không đặt mật khẩu, rồi tải lên tại trang Nhập, xuất "
            "Excel. Hệ thống kiểm tra và cho xem trước trước khi ghi; tải lên lại cùng cơ quan, "
            "cùng kỳ sẽ thay thế lần nhập trước (lần trước vẫn được lưu trong lịch sử)."
        ),
        _("Tệp tối đa %(size)d MB.") % {"size": conf.max_bytes() // (1024 * 1024)},
    ]
    for text in general:
        cell = sheet.cell(line, 1, f"• {text}")
        cell.alignment = Alignment(wrap_text=False)
        line += 1
    line += 1
    headers = [_("Trang tính"), _("Cột"), _("Tiêu đề"), _("Kiểu"), _("Bắt buộc"), _("Ghi chú")]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(line, column, header)
        cell.font = _styles()["HEADER_FONT"]
        cell.fill = _styles()["HEADER_FILL"]
    line += 1
    for spec in kind.sheets:
        for position, column_spec in enumerate(spec.columns):
            required = _("Có") if column_spec.required else ""
            note = str(column_spec.help or "")
            if column_spec.default is not None and not column_spec.required:
                note = (
                    note + " " + _("Để trống: %(value)s.") % {"value": _default_label(column_spec)}
                ).strip()
            values = [
                spec.name,
                get_column_letter(position + 1),
                str(column_spec.header),
                str(TYPE_LABELS[column_spec.type]),
                required,
                note,
            ]
            for column, value in enumerate(values, start=1):
                sheet.cell(line, column, value).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
            line += 1
    _protect(sheet)


def _default_label(spec: ColumnSpec) -> str:
    if spec.type == ColumnType.BOOL:
        return _("Có") if spec.default else _("Không")
    if spec.type == ColumnType.CHOICE:
        return next((str(label) for value, label in spec.choices if value == spec.default), "")
    return str(spec.default)


def add_list_sheet(workbook, name: str, headers: list[str], rows: list[list]) -> str:
    """A protected reference list; returns the absolute range of its first column's values."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    sheet = workbook.create_sheet(name)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column, header)
        cell.font = _styles()["HEADER_FONT"]
        cell.fill = _styles()["HEADER_FILL"]
        sheet.column_dimensions[get_column_letter(column)].width = 18 if column == 1 else 40
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    _protect(sheet)
    last = max(len(rows) + 1, 2)
    return f"{quote_sheetname(name)}!$A$2:$A${last}"


def add_data_sheet(
    workbook,
    spec: SheetSpec,
    rows: list[list],
    lists: dict[str, str],
    subtitle: str = "",
    freeze_columns: int = 0,
    index: int | None = None,
    progress=None,
):
    """The sheet users fill in; create the list sheets first so dropdowns can point to them.
    ``progress(rows)``, when given, hears how many rows are written (a template built in the
    background: ``cms.exports``)."""
    from openpyxl.cell.cell import Cell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(spec.name, index)
    width = len(spec.columns)
    sheet.cell(
        1, 1, f"{spec.title} — {subtitle}" if subtitle else str(spec.title)
    ).font = _styles()["TITLE_FONT"]
    sheet.row_dimensions[spec.header_row].height = 45
    for position, column_spec in enumerate(spec.columns, start=1):
        letter = get_column_letter(position)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column_spec.width
        dimension.protection = _styles()["UNLOCKED"]
        if column_spec.type == ColumnType.DATE:
            dimension.number_format = DATE_FORMAT
        elif column_spec.type in (ColumnType.CODE, ColumnType.TEXT, ColumnType.CODE_LIST):
            dimension.number_format = "@"
        cell = sheet.cell(spec.header_row, position, str(column_spec.header))
        cell.font = _styles()["HEADER_FONT"]
        cell.fill = _styles()["HEADER_FILL"]
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.protection = _styles()["LOCKED"]
        if column_spec.help:
            cell.comment = Comment(str(column_spec.help), "KPI Công vụ", width=260, height=90)
    for column in range(1, width + 1):
        sheet.cell(1, column).protection = _styles()["LOCKED"]

    # Each column's data cells share one style (unlocked; its number format): it is worked
    # out on the column's first cell and copied to the others (setting it cell by cell looks
    # each part up in the workbook's style lists again: a third of a large template's time).
    # The rows are appended (the header row is the sheet's last so far: data starts on the
    # next, ``SheetSpec.first_data_row``), cells made whole before they join the sheet.
    styles: dict[int, Any] = {}
    for done, values in enumerate(rows, start=1):
        cells = []
        for position, value in enumerate(values, start=1):
            column_spec = spec.columns[position - 1]
            cell = Cell(sheet, value=_cell_value(value, column_spec))
            cells.append(cell)
            style = styles.get(position)
            if style is not None:
                cell._style = copy(style)
                continue
            cell.protection = _styles()["UNLOCKED"]
            if column_spec.type == ColumnType.DATE:
                cell.number_format = DATE_FORMAT
            elif column_spec.type in (ColumnType.CODE, ColumnType.TEXT, ColumnType.CODE_LIST):
                cell.number_format = "@"
            styles[position] = copy(cell._style)
        sheet.append(cells)
        if progress is not None:
            progress(done)

    last_row = spec.first_data_row + len(rows) + EXTRA_ROWS
    for position, column_spec in enumerate(spec.columns, start=1):
        validation = _validation(column_spec, lists)
        if validation is None:
            continue
        letter = get_column_letter(position)
        validation.add(f"{letter}{spec.first_data_row}:{letter}{last_row}")
        sheet.add_data_validation(validation)

    sheet.freeze_panes = sheet.cell(spec.first_data_row, freeze_columns + 1)
    sheet.auto_filter.ref = (
        f"A{spec.header_row}:{get_column_letter(width)}{spec.header_row + max(len(rows), 1)}"
    )
    _protect(sheet)
    return sheet


def _cell_value(value, spec: ColumnSpec):
    if value is None:
        return None
    if spec.type == ColumnType.BOOL:
        return _("Có") if value else _("Không")
    if spec.type == ColumnType.CHOICE:
        return next((str(label) for stored, label in spec.choices if stored == value), value)
    if spec.type == ColumnType.CODE_LIST:
        return ", ".join(value)
    if spec.type in (ColumnType.DECIMAL, ColumnType.INTEGER):
        return float(value) if not float(value).is_integer() else int(value)
    return value


def _validation(spec: ColumnSpec, lists: dict[str, str]) -> DataValidation | None:
    from openpyxl.worksheet.datavalidation import DataValidation

    header = str(spec.header)
    if spec.informational:
        return None
    if spec.type == ColumnType.BOOL:
        validation = DataValidation(type="list", formula1=f'"{_("Có")},{_("Không")}"')
        validation.error = _("Hãy chọn Có hoặc Không.")
    elif spec.type == ColumnType.CHOICE:
        labels = ",".join(str(label) for _value, label in spec.choices)
        validation = DataValidation(type="list", formula1=f'"{labels}"')
        validation.error = _("Hãy chọn một giá trị trong danh sách.")
    elif spec.dropdown and spec.dropdown in lists:
        validation = DataValidation(type="list", formula1=lists[spec.dropdown])
        validation.error = _("Hãy chọn một mã trong danh sách.")
    elif spec.type in (ColumnType.DECIMAL, ColumnType.INTEGER):
        kind = "decimal" if spec.type == ColumnType.DECIMAL else "whole"
        low = spec.min_value if spec.min_value is not None else -1e12
        high = spec.max_value if spec.max_value is not None else 1e12
        validation = DataValidation(
            type=kind, operator="between", formula1=_number(low), formula2=_number(high)
        )
        if spec.type == ColumnType.DECIMAL:
            validation.error = _("“%(header)s” phải là số từ %(low)s trở lên.") % {
                "header": header,
                "low": _number(low),
            }
        else:
            validation.error = _("“%(header)s” phải là số nguyên từ %(low)s trở lên.") % {
                "header": header,
                "low": _number(low),
            }
    elif spec.type == ColumnType.DATE:
        validation = DataValidation(
            type="date", operator="between", formula1="DATE(1950,1,1)", formula2="DATE(2100,12,31)"
        )
        validation.error = _("“%(header)s” phải là ngày, dạng dd/mm/yyyy.") % {"header": header}
    else:
        return None
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.errorStyle = "stop"
    if spec.help:
        validation.showInputMessage = True
        validation.promptTitle = header[:32]
        validation.prompt = str(spec.help)[:255]
    return validation


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def add_meta(workbook, meta: TemplateMeta) -> None:
    from openpyxl.packaging.custom import StringProperty

    sheet = workbook.create_sheet(META_SHEET)
    sheet.append(["key", "value"])
    for key, value in meta.as_rows():
        sheet.append([key, value])
        workbook.custom_doc_props.append(
            StringProperty(name=PROPERTY_PREFIX + key, value=value or EMPTY)
        )
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


def finish(workbook, active_sheet: str) -> bytes:
    from openpyxl.workbook.protection import WorkbookProtection

    workbook.active = workbook.sheetnames.index(active_sheet)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == active_sheet
    workbook.security = WorkbookProtection(lockStructure=True)
    neutralise_formulas(workbook)  # pre-filled names and items stay text (cms.spreadsheets)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_filename(kind, context) -> str:
    parts = ["mau", kind.code.replace("_", "-"), context.agency.code.lower()]
    if context.period_code:
        parts.append(context.period_code.lower())
    return "-".join(parts) + ".xlsx"
