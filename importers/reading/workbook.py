"""Reading sheets with python-calamine, after :mod:`importers.reading.inspect` passed the file.

calamine returns every number as ``float`` and dates as ``date``/``datetime``; conversion is the
job of :mod:`importers.reading.cells` and :mod:`importers.reading.frame`. Two normalisations
happen here because they need the workbook itself:

- merged cells: calamine puts the value in the top-left cell only; every cell of a merged block
  gets that value (a person's code merged over their three lines counts for all three);
- formulas: calamine returns the value Excel cached when it last saved the file; a formula saved
  without one (written by a program that does not calculate) is reported by the parser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from importers.reading.errors import UnreadableFile
from importers.reading.inspect import FileCheck

if TYPE_CHECKING:
    import python_calamine


@dataclass
class RawSheet:
    name: str
    rows: list[list]  # rows[i] is Excel row i + 1, cells from column A
    hidden_rows: set[int] = field(default_factory=set)  # Excel row numbers
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # Formula cells → cached value, and why those values cannot be trusted ("" if they can;
    # see ``inspect.FileCheck.calculation``).
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    calculation: str = ""
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    date1904: bool = False  # see ``inspect.FileCheck.date1904``

    def cell(self, row: int, column: int):
        """Value at Excel row ``row`` (1-based), 0-based ``column``; ``""`` when absent."""
        if row - 1 < len(self.rows):
            values = self.rows[row - 1]
            if column < len(values):
                return values[column]
        return ""


def open_workbook(path) -> python_calamine.CalamineWorkbook:
    import python_calamine  # here, not at the top: web workers load this module without reading

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise UnreadableFile(
            _("Tệp được đặt mật khẩu nên hệ thống không đọc được. Hãy gỡ mật khẩu rồi tải lên."),
            "encrypted",
        ) from None
    except Exception:  # calamine raises several error types for broken packages  # noqa: BLE001
        raise UnreadableFile(
            _("Tệp .xlsx bị hỏng, không đọc được. Hãy mở tệp bằng Excel, lưu lại rồi tải lên."),
            "corrupt",
        ) from None


def read_sheets(workbook, names: Iterable[str], check: FileCheck) -> dict[str, RawSheet]:
    """The named sheets that exist in the workbook (missing ones are simply absent)."""
    sheets = {}
    available = set(workbook.sheet_names)
    for name in names:
        if name not in available:
            continue
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception:  # calamine raises several types for a broken sheet  # noqa: BLE001
            raise UnreadableFile(
                _(
                    "Trang tính “%(sheet)s” bị hỏng, không đọc được. Hãy mở tệp bằng Excel, "
                    "lưu lại rồi tải lên."
                )
                % {"sheet": name},
                "corrupt",
                sheet=name,
            ) from None
        scan = check.sheets.get(name)
        raw = RawSheet(
            name=name,
            rows=rows,
            hidden_rows=set(scan.hidden_rows) if scan else set(),
            uncached_formulas=set(scan.uncached_formulas) if scan else set(),
            merged=merged,
            formulas=dict(scan.formulas) if scan else {},
            calculation=check.calculation,
            percent_cells=set(scan.percent_cells) if scan else set(),
            date1904=check.date1904,
        )
        fill_merged(raw)
        sheets[name] = raw
    return sheets


def fill_merged(sheet: RawSheet) -> None:
    for (top, left), (bottom, right) in sheet.merged:
        if top >= len(sheet.rows):
            continue
        source = sheet.rows[top]
        value = source[left] if left < len(source) else ""
        for r in range(top, min(bottom, len(sheet.rows) - 1) + 1):
            row = sheet.rows[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    row[c] = value
