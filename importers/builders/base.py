"""Building a template workbook, the same way for every kind.

- an instructions sheet ("Hướng dẫn") in Vietnamese: what to fill, the rules of every column;
- data sheets from the kind's :class:`SheetSpec`: a title row and a header row, both frozen and
  LOCKED (the sheet is protected without a password, so nobody edits or moves a header by
  accident), data cells UNLOCKED (column styles), text format on code/text columns (so ``001``
  stays ``001``), date format on date columns, dropdowns on code and yes/no columns, number and
  date validation on quantities and dates, an auto-filter;
- read-only list sheets feeding the dropdowns (people, products, units, job positions);
- the template's identity in a very hidden ``_meta`` sheet and in workbook custom properties;
- workbook structure protection (sheets cannot be renamed, deleted or unhidden).

The builders describe the sheets in their order (:class:`TemplateBook`); :func:`finish` writes
them with XlsxWriter (``cms.xlsx.template_book``): an agency's Form 01 marks (55,000 rows) in
under 4 s where openpyxl took 11 s (issue 48). Every text is written as text, never as a
formula or a link.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import xlsx
from cms.xlsx import Formats, write
from importers import conf
from importers.columns import ColumnSpec, ColumnType, SheetSpec
from importers.meta import EMPTY, META_SHEET, PROPERTY_PREFIX, TemplateMeta

# XlsxWriter is imported when a template is written (``cms.xlsx``): a web worker that only
# routes URLs does not load it (tests/importers/test_structure.py).

HEADER_FILL = "#DDEBF7"
TITLE = {"bold": True, "font_size": 13}
HEADER = {"bold": True}
HEADER_FILLED = {"bold": True, "bg_color": HEADER_FILL, "pattern": 1}

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

#: What stays allowed on a protected sheet (XlsxWriter's names; the rest is locked).
ALLOWED_ON_PROTECTED = {
    "objects": True,  # the headers' notes, as openpyxl's protection left them
    "scenarios": True,
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,
    "sort": True,
    "autofilter": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}

Writer = Callable[[Any, Any, Formats], None]


class TemplateBook:
    """A template's sheets in their order (a sheet may be put before others, as the builders
    do with the instructions), each a function that writes it; :func:`finish` makes the file."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, Writer]] = []
        self.properties: list[tuple[str, str]] = []

    def add(self, name: str, write: Writer, index: int | None = None) -> None:
        if index is None:
            self.sheets.append((name, write))
        else:
            self.sheets.insert(index, (name, write))

    @property
    def sheetnames(self) -> list[str]:
        return [name for name, _write in self.sheets]


def new_workbook() -> TemplateBook:
    """An empty template; the builders add their sheets."""
    return TemplateBook()


def _protect(sheet) -> None:
    sheet.protect("", ALLOWED_ON_PROTECTED)


def add_instructions(workbook: TemplateBook, kind, context, intro_lines) -> None:
    rows = [
        (_("Cơ quan"), f"{context.agency.name} ({context.agency.code})"),
        (_("Kỳ"), context.period.label if context.period is not None else "—"),
        (_("Phiên bản mẫu"), kind.version),
    ]
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
    headers = [_("Trang tính"), _("Cột"), _("Tiêu đề"), _("Kiểu"), _("Bắt buộc"), _("Ghi chú")]
    columns = []
    for spec in kind.sheets:
        for position, column_spec in enumerate(spec.columns):
            required = _("Có") if column_spec.required else ""
            note = str(column_spec.help or "")
            if column_spec.default is not None and not column_spec.required:
                note = (
                    note + " " + _("Để trống: %(value)s.") % {"value": _default_label(column_spec)}
                ).strip()
            columns.append(
                [
                    spec.name,
                    xlsx_column(position),
                    str(column_spec.header),
                    str(TYPE_LABELS[column_spec.type]),
                    required,
                    note,
                ]
            )
    title = _("HƯỚNG DẪN ĐIỀN MẪU: %(kind)s") % {"kind": str(kind.label).upper()}

    def write_sheet(book, sheet, formats: Formats) -> None:
        for column, width in enumerate((22, 10, 34, 20, 12, 70)):
            sheet.set_column(column, column, width)
        write(sheet, 0, 0, title, formats(**TITLE))
        line = 2
        for label, value in rows:
            write(sheet, line, 0, label, formats(**HEADER))
            write(sheet, line, 1, value, date_format=formats.date)
            line += 1
        line += 1
        for text in general:
            write(sheet, line, 0, f"• {text}")
            line += 1
        line += 1
        for column, header in enumerate(headers):
            write(sheet, line, column, header, formats(**HEADER_FILLED))
        line += 1
        wrapped = formats(text_wrap=True, valign="top")
        for values in columns:
            for column, value in enumerate(values):
                write(sheet, line, column, value, wrapped)
            line += 1
        _protect(sheet)

    workbook.add(str(INSTRUCTIONS), write_sheet, 0)


def xlsx_column(position: int) -> str:
    """The column's letter from its 0-based position (0 → A)."""
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(position)


def _default_label(spec: ColumnSpec) -> str:
    if spec.type == ColumnType.BOOL:
        return _("Có") if spec.default else _("Không")
    if spec.type == ColumnType.CHOICE:
        return next((str(label) for value, label in spec.choices if value == spec.default), "")
    return str(spec.default)


def add_list_sheet(workbook: TemplateBook, name: str, headers: list[str], rows: list[list]) -> str:
    """A protected reference list; returns the absolute range of its first column's values."""
    from xlsxwriter.utility import quote_sheetname

    def write_sheet(book, sheet, formats: Formats) -> None:
        for column, header in enumerate(headers):
            write(sheet, 0, column, header, formats(**HEADER_FILLED))
            sheet.set_column(column, column, 18 if column == 0 else 40)
        for line, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                write(sheet, line, column, value, date_format=formats.date)
        sheet.freeze_panes(1, 0)
        _protect(sheet)

    workbook.add(name, write_sheet)
    last = max(len(rows) + 1, 2)
    return f"{quote_sheetname(name)}!$A$2:$A${last}"


def add_data_sheet(
    workbook: TemplateBook,
    spec: SheetSpec,
    rows: list[list],
    lists: dict[str, str],
    subtitle: str = "",
    freeze_columns: int = 0,
    index: int | None = None,
    progress=None,
) -> None:
    """The sheet users fill in; create the list sheets first so dropdowns can point to them.
    ``progress(rows)``, when given, hears how many rows are written (a template built in the
    background: ``cms.exports``)."""
    title = f"{spec.title} — {subtitle}" if subtitle else str(spec.title)
    width = len(spec.columns)
    validations = [_validation(column_spec, lists) for column_spec in spec.columns]

    def write_sheet(book, sheet, formats: Formats) -> None:
        header_row, first = spec.header_row - 1, spec.first_data_row - 1  # 0-based
        write(sheet, 0, 0, title, formats(**TITLE))  # formats are locked unless told
        for column in range(1, width):
            write(sheet, 0, column, None, formats())
        sheet.set_row(header_row, 45)
        # Each column's data cells share one format (unlocked; its number format), which the
        # column also carries for the rows a clerk adds.
        data = []
        for position, column_spec in enumerate(spec.columns):
            if column_spec.type == ColumnType.DATE:
                data.append(formats(locked=False, num_format=xlsx.DATE))
            elif column_spec.type in (ColumnType.CODE, ColumnType.TEXT, ColumnType.CODE_LIST):
                data.append(formats(locked=False, num_format="@"))
            else:
                data.append(formats(locked=False))
            sheet.set_column(position, position, column_spec.width, data[position])
            write(
                sheet,
                header_row,
                position,
                str(column_spec.header),
                formats(**HEADER_FILLED, text_wrap=True, valign="vcenter"),
            )
            if column_spec.help:
                sheet.write_comment(
                    header_row,
                    position,
                    str(column_spec.help),
                    {"author": "KPI Công vụ", "width": 260, "height": 90},
                )
        for done, values in enumerate(rows, start=1):
            line = first + done - 1
            for position, value in enumerate(values):
                write(
                    sheet,
                    line,
                    position,
                    _cell_value(value, spec.columns[position]),
                    data[position],
                )
            if progress is not None:
                progress(done)

        last = first + len(rows) + EXTRA_ROWS
        for position, validation in enumerate(validations):
            if validation is not None and sheet.data_validation(
                first, position, last, position, validation
            ):
                raise ValueError(f"{spec.name}: the validation of column {position + 1} refused")
        sheet.freeze_panes(first, freeze_columns)
        sheet.autofilter(header_row, 0, header_row + max(len(rows), 1), width - 1)
        _protect(sheet)

    workbook.add(spec.name, write_sheet, index)


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


def _validation(spec: ColumnSpec, lists: dict[str, str]) -> dict | None:
    """The column's data validation, in XlsxWriter's terms."""
    header = str(spec.header)
    if spec.informational:
        return None
    if spec.type == ColumnType.BOOL:
        validation: dict[str, Any] = {"validate": "list", "source": [_("Có"), _("Không")]}
        validation["error_message"] = _("Hãy chọn Có hoặc Không.")
    elif spec.type == ColumnType.CHOICE:
        validation = {"validate": "list", "source": [str(label) for _value, label in spec.choices]}
        validation["error_message"] = _("Hãy chọn một giá trị trong danh sách.")
    elif spec.dropdown and spec.dropdown in lists:
        validation = {"validate": "list", "source": "=" + lists[spec.dropdown]}
        validation["error_message"] = _("Hãy chọn một mã trong danh sách.")
    elif spec.type in (ColumnType.DECIMAL, ColumnType.INTEGER):
        low = spec.min_value if spec.min_value is not None else -1e12
        high = spec.max_value if spec.max_value is not None else 1e12
        validation = {
            "validate": "decimal" if spec.type == ColumnType.DECIMAL else "integer",
            "criteria": "between",
            "minimum": _number(low),
            "maximum": _number(high),
        }
        if spec.type == ColumnType.DECIMAL:
            message = _("“%(header)s” phải là số từ %(low)s trở lên.")
        else:
            message = _("“%(header)s” phải là số nguyên từ %(low)s trở lên.")
        validation["error_message"] = message % {"header": header, "low": _number(low)}
    elif spec.type == ColumnType.DATE:
        validation = {
            "validate": "date",
            "criteria": "between",
            "minimum": "=DATE(1950,1,1)",
            "maximum": "=DATE(2100,12,31)",
        }
        validation["error_message"] = _("“%(header)s” phải là ngày, dạng dd/mm/yyyy.") % {
            "header": header
        }
    else:
        return None
    validation["error_message"] = validation["error_message"][:255]
    validation.update(ignore_blank=True, error_title=_("Giá trị không hợp lệ"), error_type="stop")
    if spec.help:
        validation["input_title"] = header[:32]
        validation["input_message"] = str(spec.help)[:255]
    return validation


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def add_meta(workbook: TemplateBook, meta: TemplateMeta) -> None:
    rows = meta.as_rows()

    def write_sheet(book, sheet, formats: Formats) -> None:
        for line, values in enumerate([("key", "value"), *rows]):
            for column, value in enumerate(values):
                write(sheet, line, column, value, date_format=formats.date)
        sheet.very_hidden()
        _protect(sheet)

    workbook.add(META_SHEET, write_sheet)
    workbook.properties.extend((PROPERTY_PREFIX + key, value or EMPTY) for key, value in rows)


def finish(workbook: TemplateBook, active_sheet: str) -> bytes:
    """The template's file: its sheets in their order, ``active_sheet`` open and selected, the
    custom properties, the structure locked (``cms.xlsx.template_book``)."""
    if active_sheet not in workbook.sheetnames:
        raise ValueError(f"no sheet named {active_sheet!r} to open the template on")
    buffer = io.BytesIO()
    book = xlsx.template_book(buffer)
    formats = Formats(book)
    for name, write_sheet in workbook.sheets:
        sheet = book.add_worksheet(name)
        write_sheet(book, sheet, formats)
        if name == active_sheet:
            sheet.activate()
    for name, value in workbook.properties:
        book.set_custom_property(name, value)
    book.close()
    return buffer.getvalue()


def template_filename(kind, context) -> str:
    parts = ["mau", kind.code.replace("_", "-"), context.agency.code.lower()]
    if context.period_code:
        parts.append(context.period_code.lower())
    return "-".join(parts) + ".xlsx"
