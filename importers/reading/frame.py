"""A template sheet → a typed pandas DataFrame plus issues, vectorised.

Every column is factorised (``pandas.factorize``): each *distinct* raw value is normalised once
by the scalar rules of :mod:`importers.reading.cells` and the results are spread back with
``numpy.take``. Values repeat a lot in these files (codes, quantities, dates), so 100,000 rows
cost a few thousand Python calls per column; range and required checks are array operations.
All template kinds go through here, so they share every rule and message.

The frame has one column per ``ColumnSpec.key`` (floats for numbers with NaN when empty, Python
objects otherwise) and ``excel_row``, the Excel row number. Blank rows are dropped (and counted),
hidden rows are kept with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.formats.values import vi_decimal
from cms.lazy import lazy_module
from importers import rules as import_rules
from importers.columns import (
    DATE_BIRTH,
    DATE_START,
    PERCENT_POINTS,
    PERCENT_REFUSED,
    ColumnSpec,
    ColumnType,
    SheetSpec,
    spellings,
)
from importers.issues import ERROR, WARNING, Issue, column_letter
from importers.reading import cells, legacy
from importers.reading.inspect import CALC_MANUAL, CALC_ON_LOAD
from importers.reading.workbook import RawSheet
from org.text import fold_for_search

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

ROW = "excel_row"


@dataclass
class ParsedSheet:
    spec: SheetSpec
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    blank_rows: int = 0
    present: bool = True
    # Per PERCENT_POINTS column: the Excel rows whose cell was written as a percentage.
    percent_rows: dict[str, set[int]] = field(default_factory=dict)
    #: Column key → (letter, header as text): a file's thousands of warnings look each up once.
    _places: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def error_rows(self) -> set[int]:
        return {i.row for i in self.issues if i.is_error and i.row is not None}

    def issue(self, row, key, message, severity=ERROR) -> Issue:
        letter, header = None, ""
        if key:
            place = self._places.get(key)
            if place is None:
                column = self.spec.column(key)
                place = self._places[key] = (self.spec.letter(key), str(column.header))
            letter, header = place
        return Issue(
            message=message,
            sheet=self.spec.name,
            row=int(row) if row is not None else None,
            column=letter,
            header=header,
            severity=severity,
        )


def empty_frame(spec: SheetSpec) -> pd.DataFrame:
    return pd.DataFrame({**{c.key: [] for c in spec.columns}, ROW: []})


#: How far a header row or columns are looked for when they are not where the template put them.
MAX_HEADER_SHIFT = 3


def _header_matches(raw: RawSheet, spec: SheetSpec, row: int, shift: int, start: int = 0) -> bool:
    """Whether the template's headers from column ``start`` on stand on Excel row ``row``,
    ``shift`` columns to the right of their place."""
    return all(
        fold_for_search(cells.clean_text(raw.cell(row, position + shift)))
        in spellings(column.header)
        for position, column in enumerate(spec.columns)
        if position >= start
    )


def _shifted_headers(raw: RawSheet, spec: SheetSpec, first_wrong: int) -> Issue | None:
    """One diagnosis instead of a message per column: rows inserted above the headers, or
    columns inserted (a "STT" column) before a header."""
    for rows in range(0, MAX_HEADER_SHIFT + 1):
        for shift in range(0, MAX_HEADER_SHIFT + 1):
            if not rows and not shift:
                continue
            start = 0 if rows else first_wrong
            if not _header_matches(raw, spec, spec.header_row + rows, shift, start):
                continue
            parts = []
            if rows:
                parts.append(
                    _(
                        "dòng tiêu đề đang ở dòng %(found)d, mẫu đặt ở dòng %(expected)d (có "
                        "%(count)d dòng được chèn thêm phía trên)"
                    )
                    % {"found": spec.header_row + rows, "expected": spec.header_row, "count": rows}
                )
            if shift:
                inserted = [
                    f"{column_letter(start + i)} “"
                    f"{cells.clean_text(raw.cell(spec.header_row + rows, start + i))}”"
                    for i in range(shift)
                ]
                parts.append(
                    _("có %(count)d cột được chèn thêm: %(columns)s")
                    % {"count": shift, "columns": ", ".join(inserted)}
                )
            return Issue(
                message=_(
                    "Bố cục trang khác mẫu: %(what)s. Hãy xoá phần chèn thêm (hoặc tải mẫu mới "
                    "và dán lại dữ liệu) rồi tải lên lại."
                )
                % {"what": "; ".join(parts)},
                sheet=spec.name,
                row=spec.header_row,
                column=column_letter(start),
            )
    return None


def check_headers(raw: RawSheet, spec: SheetSpec) -> list[Issue]:
    issues = []
    for position, column in enumerate(spec.columns):
        actual = cells.clean_text(raw.cell(spec.header_row, position))
        if not actual and column.added_later:
            continue
        if fold_for_search(actual) not in column.header_spellings():
            issues.append(
                Issue(
                    message=_(
                        "Cột %(letter)s phải có tiêu đề “%(expected)s” (đang là “%(actual)s”). "
                        "Đừng thêm, xoá hay đổi thứ tự cột trong mẫu; hãy tải mẫu mới nếu cần."
                    )
                    % {
                        "letter": column_letter(position),
                        "expected": column.header,
                        "actual": actual,
                    },
                    sheet=spec.name,
                    row=spec.header_row,
                    column=column_letter(position),
                    header=str(column.header),
                )
            )
    if len(issues) > 1:
        first_wrong = next(
            position
            for position, column in enumerate(spec.columns)
            if column_letter(position) == issues[0].column
        )
        diagnosis = _shifted_headers(raw, spec, first_wrong)
        if diagnosis is not None:
            return [diagnosis]
    return issues


def parse_sheet(raw: RawSheet | None, spec: SheetSpec) -> ParsedSheet:
    if raw is None:
        if spec.optional:
            return ParsedSheet(spec, empty_frame(spec), present=False)
        return ParsedSheet(
            spec,
            empty_frame(spec),
            [
                Issue(
                    message=_(
                        "Thiếu trang tính “%(sheet)s”. Đừng đổi tên hay xoá trang tính của mẫu; "
                        "hãy tải mẫu mới nếu cần."
                    )
                    % {"sheet": spec.name},
                    sheet=spec.name,
                )
            ],
            present=False,
        )
    header_issues = check_headers(raw, spec)
    if header_issues:
        return ParsedSheet(spec, empty_frame(spec), header_issues)

    width = len(spec.columns)
    data = raw.rows[spec.header_row :]
    excel_rows = np.arange(spec.first_data_row, spec.first_data_row + len(data))
    columns = _columns(data, width)

    parsed: dict[str, np.ndarray] = {}
    empties: list[np.ndarray] = []
    issues: list[Issue] = []
    percent_rows = {}
    if raw.date1904:
        _serials_from_1904(spec, columns)
    for position, spec_column in enumerate(spec.columns):
        # Each column's distinct values found once, for its parsing and the date checks.
        distinct = _distinct(columns[position])
        values, empty, column_issues = parse_column(
            columns[position], spec_column, spec, position, excel_rows, distinct
        )
        if spec_column.percent and spec_column.number_type:
            values, found, column_issues = _percent_cells(
                raw, spec, position, columns[position], values, column_issues
            )
            if spec_column.percent == PERCENT_POINTS:
                percent_rows[spec_column.key] = found
        if spec_column.type == ColumnType.DATE:
            column_issues = _month_first(spec, position, distinct, excel_rows, column_issues)
        if spec_column.date_rule and spec_column.type == ColumnType.DATE:
            column_issues = column_issues + _implausible_dates(
                spec, position, columns[position], values, excel_rows
            )
        parsed[spec_column.key] = values
        empties.append(empty)
        issues.extend(column_issues)

    stacked = np.vstack(empties) if empties else np.zeros((0, len(data)), dtype=bool)
    meaningful = [
        i
        for i, c in enumerate(spec.columns)
        if c.key not in spec.filler_keys and not c.informational
    ]
    blank = stacked[meaningful].all(axis=0) if len(data) else np.zeros(0, dtype=bool)
    keep = ~blank
    blank_rows = set(excel_rows[blank].tolist())
    issues = [issue for issue in issues if issue.row not in blank_rows]

    # Explicit dtypes: pandas would otherwise infer its string dtype for text columns and turn
    # None into NaN, which is truthy and would be stored as "nan".
    frame = pd.DataFrame(
        {
            key: pd.Series(values[keep], dtype=np.float64 if values.dtype.kind == "f" else object)
            for key, values in parsed.items()
        }
    )
    frame[ROW] = excel_rows[keep]
    frame = frame.reset_index(drop=True)

    formula_issues = []
    for row, column in sorted(raw.uncached_formulas):
        if row < spec.first_data_row or column >= width or spec.columns[column].informational:
            continue
        formula_issues.append(
            Issue(
                message=_(
                    "Ô có công thức nhưng tệp không lưu giá trị đã tính (tệp không được lưu bằng "
                    "Excel). Hãy mở tệp bằng Excel, lưu lại rồi tải lên, hoặc thay công thức "
                    "bằng giá trị."
                ),
                sheet=spec.name,
                row=row,
                column=column_letter(column),
                header=str(spec.columns[column].header),
            )
        )

    kept_rows = set(frame[ROW].tolist())
    issues = (
        formula_issues
        + _stale_formula_issues(raw, spec, kept_rows)
        + _zero_formula_warnings(raw, spec, kept_rows)
        + issues
    )
    hidden = sorted(int(row) for row in set(frame[ROW].tolist()) & raw.hidden_rows)
    if hidden:
        # One warning for every hidden row (a filter hides dozens), naming them as ranges.
        issues.append(
            Issue(
                message=_(
                    "%(count)d dòng đang bị ẩn trong Excel (hàng ẩn hoặc bộ lọc) nhưng vẫn được "
                    "nhập: dòng %(rows)s. Bỏ ẩn, bỏ lọc để xem lại trước khi xác nhận."
                )
                % {"count": len(hidden), "rows": _ranges(hidden)},
                sheet=spec.name,
                row=hidden[0],
                severity=WARNING,
            )
        )
    kept = set(frame[ROW].tolist())
    percent_rows = {key: rows & kept for key, rows in percent_rows.items()}
    return ParsedSheet(spec, frame, issues, blank_rows=int(blank.sum()), percent_rows=percent_rows)


def _columns(data: list[list], width: int) -> list[np.ndarray]:
    """The data rows as ``width`` object arrays, one per column ("" past a row's end)."""
    if data and len(set(map(len, data))) == 1:
        # Calamine pads every row to the sheet's width: one table built and transposed at C
        # speed, each column then a contiguous copy.
        table = np.array(data, dtype=object)
        if table.shape == (len(data), len(data[0])):
            columns = list(table[:, :width].T.copy())
            while len(columns) < width:
                blank = np.empty(len(data), dtype=object)
                blank[:] = ""
                columns.append(blank)
            return columns
    columns = []
    for position in range(width):
        cells = np.empty(len(data), dtype=object)
        cells[:] = [row[position] if position < len(row) else "" for row in data]
        columns.append(cells)
    return columns


#: Days from 1900-based serial numbers to 1904-based ones (Excel's two date systems).
DAYS_1904 = 1462


def _serials_from_1904(spec: SheetSpec, columns: list[np.ndarray]) -> None:
    """In a workbook of the 1904 date system (Mac Excel), a date pasted as a plain number (a
    cell of the General format) counts days from 1904: shifted in place to the 1900 serial the
    reader reads (review 2026-11-25, importers L1: born 15/03/1985 was stored as 14/03/1981).
    Real date cells are already read in the workbook's system."""
    for position, spec_column in enumerate(spec.columns):
        if spec_column.type != ColumnType.DATE:
            continue
        column = columns[position]
        for index, value in enumerate(column):
            if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
                column[index] = value + DAYS_1904


def _stale_formula_issues(raw: RawSheet, spec: SheetSpec, rows: set[int]) -> list[Issue]:
    """Formula cells of data columns whose cached value the workbook says may be stale
    (``fullCalcOnLoad``, manual calculation): refused at each cell, with how to recalculate.
    Never imported silently (review 2026-11-23, F3, F4)."""
    if not raw.calculation or not raw.formulas:
        return []
    if raw.calculation == CALC_ON_LOAD:
        message = _(
            "Ô có công thức nhưng tệp do phần mềm không tự tính công thức tạo ra (tệp yêu cầu "
            "tính lại khi mở), nên giá trị lưu trong tệp (%(cached)s) có thể chưa đúng. Hãy mở "
            "tệp bằng Excel hoặc LibreOffice, nhấn Ctrl+Alt+F9 (LibreOffice: Ctrl+Shift+F9) để "
            "tính lại, lưu lại rồi tải lên; hoặc thay công thức bằng giá trị."
        )
    else:
        assert raw.calculation == CALC_MANUAL
        message = _(
            "Ô có công thức nhưng tệp được lưu khi đang tính toán thủ công, nên giá trị lưu trong "
            "tệp (%(cached)s) có thể đã cũ. Hãy mở tệp, chuyển sang tính tự động (Excel: Công "
            "thức › Tùy chọn tính toán › Tự động; LibreOffice: Dữ liệu › Tính toán › Tự động "
            "tính), nhấn Ctrl+Alt+F9 (LibreOffice: Ctrl+Shift+F9), lưu lại rồi tải lên; hoặc "
            "thay công thức bằng giá trị."
        )
    width = len(spec.columns)
    issues = []
    for (row, column), cached in sorted(raw.formulas.items()):
        if row not in rows or column >= width or spec.columns[column].informational:
            continue
        if (row, column) in raw.uncached_formulas:
            continue  # its own message: no value at all
        issues.append(
            Issue(
                message=message % {"cached": cached.replace(".", ",")},
                sheet=spec.name,
                row=row,
                column=column_letter(column),
                header=str(spec.columns[column].header),
            )
        )
    return issues


def _zero_formula_warnings(raw: RawSheet, spec: SheetSpec, rows: set[int]) -> list[Issue]:
    """A number column whose formulas all hold 0 in a workbook that says its values are
    current: a report generator's file (formulas cached 0) opened and saved by LibreOffice,
    which does not recalculate files that say they come from Excel and drops the request to
    recalculate (review 2026-11-25, importers M2). The zeros may be what the clerk saw, or not:
    one warning per column, naming the rows."""
    if raw.calculation or not raw.formulas:
        return []
    width = len(spec.columns)
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, column), cached in raw.formulas.items():
        if (row, column) in raw.uncached_formulas:
            continue  # its own message: no value at all
        if row in rows and column < width and spec.columns[column].number_type:
            by_column.setdefault(column, []).append((row, cached))
    issues = []
    for column, cells_of in sorted(by_column.items()):
        if any(cells.parse_number(cached or "0") != 0 for _row, cached in cells_of):
            continue
        spec_column = spec.columns[column]
        found = sorted(row for row, _cached in cells_of)
        issues.append(
            Issue(
                message=_(
                    "Cột “%(header)s” có %(count)d ô công thức và tất cả đều đang là 0 (dòng "
                    "%(rows)s): tệp có thể do phần mềm không tự tính công thức tạo ra rồi được "
                    "lưu lại mà chưa tính lại (LibreOffice không tự tính lại tệp ghi là của "
                    "Excel). Nếu số đúng không phải 0: mở tệp, nhấn Ctrl+Shift+F9 (LibreOffice) "
                    "hoặc Ctrl+Alt+F9 (Excel) để tính lại, lưu rồi tải lên lại; hoặc thay công "
                    "thức bằng giá trị."
                )
                % {"header": spec_column.header, "count": len(found), "rows": _ranges(found)},
                sheet=spec.name,
                row=found[0],
                column=column_letter(column),
                header=str(spec_column.header),
                severity=WARNING,
            )
        )
    return issues


def _shown_percent(value: float) -> str:
    return f"{vi_decimal(value * 100)}%"


def _percent_cells(raw, spec, position, column, values, issues):
    """A percentage in a number column (a cell formatted as %, or text ending in "%").

    PERCENT_REFUSED (quantities): refused at the cell — ``100%`` is stored as 1 by the
    spreadsheet. PERCENT_POINTS (leaders' đ/e, whose template shows ``100% / 50%``): read as
    points, ``100%`` → 100, and the rows are returned for the kind to check."""
    spec_column = spec.columns[position]
    first = spec.first_data_row
    formatted = sorted(
        row - first
        for row, col in raw.percent_cells
        if col == position and first <= row < first + len(values)
    )
    # Text ending in "%", looked for among the distinct values (100,000 rows, a few values).
    codes, uniques = pd.factorize(pd.Series(column, dtype=object), use_na_sentinel=True)
    flags = np.array(
        [isinstance(u, str) and u.strip().endswith("%") for u in uniques] + [False], dtype=bool
    )
    typed = np.flatnonzero(flags[np.where(codes < 0, len(uniques), codes)]).tolist()
    found: set[int] = set()
    issues = list(issues)
    values = values.copy()
    if spec_column.percent == PERCENT_REFUSED:
        message = str(spec_column.percent_message) or _(
            "“%(header)s” là số lượng, không ghi theo phần trăm (đang là “%(value)s”). Hãy ghi "
            "số lượng, không có dấu %%, ví dụ 3 nếu đã hoàn thành cả 3; ô đang định dạng phần "
            "trăm thì đổi về Số (Định dạng ô › Số › Chung) trước khi ghi."
        )
        letter = column_letter(position)
        # What the cell holds (a share 0,6 shown as 60 %), also where the column's own parser
        # refused it (an integer column): the percent message replaces "phải là số nguyên".
        numbers = {
            index: float(column[index])
            for index in formatted
            if isinstance(column[index], int | float)
            and not isinstance(column[index], bool)
            and column[index] == column[index]
        }
        refused = [
            _percent_issue(spec, position, first + index, message, _shown_percent(number))
            for index, number in numbers.items()
        ]
        refused += [
            _percent_issue(spec, position, first + index, message, column[index].strip())
            for index in typed
        ]
        # The most precise message first: it replaces "“100%” không phải là số".
        cells_refused = {(first + index, letter) for index in [*typed, *numbers]}
        issues = [i for i in issues if (i.row, i.column) not in cells_refused]
        return values, found, refused + issues
    # PERCENT_POINTS
    for index in formatted:
        if not np.isnan(values[index]):
            values[index] = round(values[index] * 100, 6)
            found.add(first + index)
    letter = column_letter(position)
    for index in typed:
        number = cells.parse_number(column[index].strip()[:-1])
        if isinstance(number, float):
            values[index] = number
            found.add(first + index)
            issues = [i for i in issues if (i.row, i.column) != (first + index, letter)]
    return values, found, issues


def _percent_issue(spec, position, row, message, shown) -> Issue:
    column = spec.columns[position]
    return Issue(
        message=message % {"header": column.header, "value": shown},
        sheet=spec.name,
        row=row,
        column=column_letter(position),
        header=str(column.header),
    )


def _month_first(spec, position, distinct, excel_rows, issues) -> list[Issue]:
    """A date column typed month first (import rule 5, ``importers.rules.month_first_text``):
    its misread cells refused, each naming the day meant, instead of any other message.
    ``distinct``: the column's :func:`_distinct` values."""
    # Tested once per distinct cell (a date column holds a few hundred days), then the rows of
    # the texts that look like dates, in row order.
    codes, uniques = distinct
    dated = [
        code
        for code, value in enumerate(uniques)
        if isinstance(value, str) and any(separator in value for separator in "/.-")
    ]
    if not dated:
        return issues
    texts = [
        (int(excel_rows[index]), uniques[codes[index]])
        for index in np.flatnonzero(np.isin(codes, dated))
    ]
    spec_column = spec.columns[position]
    found = import_rules.month_first_text(str(spec_column.header), texts)
    if not found:
        return issues
    letter = column_letter(position)
    kept = [i for i in issues if not (i.column == letter and i.row in found)]
    return kept + [
        Issue(message, spec.name, row, letter, str(spec_column.header))
        for row, message in sorted(found.items())
    ]


def _implausible_dates(spec, position, column, values, excel_rows) -> list[Issue]:
    """Birth dates in the future or under 16 years, postings starting more than a year
    ahead: usually a two-digit or mistyped year (review 2026-11-23, F5)."""
    spec_column = spec.columns[position]
    today = timezone.localdate()
    issues = []
    for index, day in enumerate(values):
        if day is None:
            continue
        typed = cells.clean_text(column[index])
        message = None
        if spec_column.date_rule == DATE_BIRTH:
            sixteen = _years_before(today, 16)
            if day > today:
                message = _(
                    "“%(header)s” %(value)s ở tương lai (ô đang là “%(typed)s”). Hãy ghi ngày "
                    "sinh theo dạng dd/mm/yyyy, năm đủ bốn chữ số, ví dụ 15/03/1985."
                )
            elif day > sixteen:
                message = _(
                    "“%(header)s” %(value)s: người này chưa đủ 16 tuổi (ô đang là “%(typed)s”). "
                    "Hãy ghi đúng ngày sinh theo dạng dd/mm/yyyy, năm đủ bốn chữ số, ví dụ "
                    "15/03/1985."
                )
        elif spec_column.date_rule == DATE_START and (day - today).days > 366:
            message = _(
                "“%(header)s” %(value)s còn hơn một năm nữa mới tới (ô đang là “%(typed)s”): "
                "quá trình công tác này sẽ không thuộc kỳ đánh giá nào. Hãy ghi đúng ngày bắt "
                "đầu theo dạng dd/mm/yyyy, năm đủ bốn chữ số, ví dụ 01/09/1998."
            )
        if message:
            issues.append(
                Issue(
                    message=message
                    % {
                        "header": spec_column.header,
                        "value": day.strftime("%d/%m/%Y"),
                        "typed": typed,
                    },
                    sheet=spec.name,
                    row=int(excel_rows[index]),
                    column=column_letter(position),
                    header=str(spec_column.header),
                )
            )
    return issues


def _years_before(day, years: int):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- one column ---------------------------------------------------------------------------------


def _distinct(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A column's distinct values and each cell's index among them (-1: missing)."""
    return pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=True)


def parse_column(
    raw: np.ndarray, spec: ColumnSpec, sheet: SheetSpec, position, excel_rows, distinct=None
):
    """→ (typed values, empty mask, issues) for one column; ``distinct``: its
    :func:`_distinct` values when the caller has them already."""
    codes, uniques = distinct if distinct is not None else _distinct(raw)
    plain = cells.plain_codes(uniques) if spec.type == ColumnType.CODE else None
    if plain is not None:  # every distinct value a code needing no cleaning (``_code``)
        parsed_values: list = plain
        errors: list = [None] * (len(plain) + 1)
        empties = [False] * len(plain)
    else:
        parser = PARSERS[spec.type]
        results = [parser(value, spec) for value in uniques]
        parsed_values = [value for value, _error, _empty in results]
        errors = [error for _value, error, _empty in results] + [None]
        empties = [empty for _v, _e, empty in results]
    # Index len(uniques) stands for "missing" (NaN sentinel -1 in codes).
    codes = np.where(codes < 0, len(uniques), codes)
    parsed_values.append(EMPTY_VALUES.get(spec.type))
    empty_table = np.array([*empties, True], dtype=bool)
    empty = empty_table[codes]

    if spec.number_type:
        table = np.array(
            [np.nan if v is None else float(v) for v in parsed_values], dtype=np.float64
        )
    else:
        table = np.empty(len(parsed_values), dtype=object)
        table[:] = parsed_values
    values = table[codes]

    letter = column_letter(position)
    header = str(spec.header)

    def issue(index, message, severity=ERROR):
        return Issue(message, sheet.name, int(excel_rows[index]), letter, header, severity)

    issues: list[Issue] = []
    if spec.informational:
        return values, empty, issues

    error_table = np.array([e is not None for e in errors], dtype=bool)
    for index in np.flatnonzero(error_table[codes] & ~empty):
        issues.append(issue(index, errors[codes[index]]))

    if spec.default is not None:
        if spec.number_type:
            values = np.where(empty, float(spec.default), values)
        else:
            values = values.copy()
            values[empty] = spec.default
    elif spec.required:
        message = _("“%(header)s” không được để trống.") % {"header": header}
        for index in np.flatnonzero(empty):
            issues.append(issue(index, message))

    if spec.number_type:
        issues.extend(_range_issues(values, spec, issue))
    if spec.max_length and spec.type in (ColumnType.TEXT, ColumnType.CODE):
        if spec.default is None:  # one len() per distinct value
            lengths = np.array([len(v) if v else 0 for v in table], dtype=np.int64)[codes]
        else:
            lengths = np.fromiter(
                (len(v) if v else 0 for v in values), dtype=np.int64, count=len(values)
            )
        message = _("“%(header)s” dài quá %(max)d ký tự.") % {
            "header": header,
            "max": spec.max_length,
        }
        for index in np.flatnonzero(lengths > spec.max_length):
            issues.append(issue(index, message))
    return values, empty, issues


def _range_issues(values: np.ndarray, spec: ColumnSpec, issue) -> list[Issue]:
    issues = []
    header = str(spec.header)
    present = ~np.isnan(values)
    if spec.min_value is not None:
        for index in np.flatnonzero(present & (values < spec.min_value)):
            if spec.min_value == 0:
                message = _("“%(header)s” không được âm (đang là %(value)s).")
            else:
                message = _("“%(header)s” không được nhỏ hơn %(min)s (đang là %(value)s).")
            issues.append(
                issue(
                    index,
                    message
                    % {
                        "header": header,
                        "value": vi_decimal(values[index]),
                        "min": vi_decimal(spec.min_value),
                    },
                )
            )
    if spec.max_value is not None:
        for index in np.flatnonzero(present & (values > spec.max_value)):
            issues.append(
                issue(
                    index,
                    _("“%(header)s” không được lớn hơn %(max)s (đang là %(value)s).")
                    % {
                        "header": header,
                        "value": vi_decimal(values[index]),
                        "max": vi_decimal(spec.max_value),
                    },
                )
            )
    if spec.type == ColumnType.DECIMAL:
        scaled = values * (10**spec.places)
        # Binary floats carry ~16 significant digits: near 1e10 a value with 2 decimals is off
        # by ~1e-4 once scaled, so the tolerance grows with the magnitude (one more decimal
        # digit still shows as ≥ 0.1).
        tolerance = np.maximum(1e-6, np.abs(scaled) * 1e-14)
        with np.errstate(invalid="ignore"):
            too_precise = present & (np.abs(scaled - np.round(scaled)) > tolerance)
        for index in np.flatnonzero(too_precise):
            issues.append(
                issue(
                    index,
                    _(
                        "“%(header)s” chỉ được có tối đa %(places)d chữ số thập phân (đang là "
                        "%(value)s). Hãy ghi số đã làm tròn, hoặc với công thức dùng ROUND, ví dụ "
                        "=ROUND(10/3; %(places)d)."
                    )
                    % {
                        "header": header,
                        "places": spec.places,
                        "value": _shown_float(values[index]),
                    },
                )
            )
    return issues


def _ranges(rows: list[int]) -> str:
    """5, 6, 7, 9 → "5–7, 9"."""
    parts, start, previous = [], rows[0], rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if row is not None:
            start = previous = row
    return ", ".join(parts)


def _shown_float(value: float) -> str:
    """A value with more decimals than allowed, as the clerk's Excel shows it (decimal comma,
    at most 10 decimals)."""
    return f"{value:.10f}".rstrip("0").rstrip(".").replace(".", ",")


# --- scalar parsers per type: value → (parsed or None, error message or None, is empty) -------

EMPTY_VALUES = {ColumnType.TEXT: "", ColumnType.CODE: "", ColumnType.CODE_LIST: ()}


def _text(value, spec):
    if spec.person_name and isinstance(value, str):
        error = legacy_name_error(value)
        if error:
            return None, error, False
    if spec.phone and isinstance(value, int | float) and not isinstance(value, bool):
        return cells.phone_from_number(value), None, False
    text = cells.clean_text(value)
    if spec.phone:
        text = cells.without_text_prefix(text)
    return text, None, not text


def legacy_name_error(value: str) -> str | None:
    """Why a garbled name is refused, with the repaired name and the fix (None if fine)."""
    found = legacy.legacy_encoding(value)
    if found is None:
        return None
    encoding, likely = found
    shown = cells.clean_text(value)
    if encoding == legacy.TCVN3:
        return _(
            "Họ tên “%(value)s” được dán từ văn bản dùng bảng mã cũ TCVN3 (phông .VnTime), có lẽ "
            "là “%(likely)s”. Hãy chuyển sang Unicode (Unikey › Công cụ chuyển mã, nguồn "
            "TCVN3, đích Unicode) hoặc gõ lại họ tên, rồi tải lên."
        ) % {"value": shown, "likely": likely}
    if encoding == legacy.VNI:
        return _(
            "Họ tên “%(value)s” được dán từ văn bản dùng bảng mã cũ VNI (phông VNI-Times), có lẽ "
            "là “%(likely)s”. Hãy chuyển sang Unicode (Unikey › Công cụ chuyển mã, nguồn VNI "
            "Windows, đích Unicode) hoặc gõ lại họ tên, rồi tải lên."
        ) % {"value": shown, "likely": likely}
    if encoding == legacy.UTF8_AS_ANSI:
        return _(
            "Họ tên “%(value)s” bị lỗi mã chữ: văn bản Unicode (UTF-8) đã được mở như ANSI "
            "(Windows-1252), thường do mở tệp CSV bằng cách bấm đúp; có lẽ là “%(likely)s”. Hãy "
            "gõ lại họ tên “%(likely)s”, hoặc mở lại tệp gốc bằng Dữ liệu › Từ văn bản/CSV, chọn "
            "mã 65001: Unicode (UTF-8), chép lại họ tên, rồi tải lên."
        ) % {"value": shown, "likely": likely}
    return _(
        "Họ tên “%(value)s” có ký tự không phải chữ tiếng Việt, có lẽ được dán từ văn bản dùng "
        "bảng mã cũ (TCVN3, VNI) hoặc bị lỗi phông. Hãy gõ lại họ tên bằng Unicode rồi tải lên."
    ) % {"value": shown}


def _code(value, spec):
    text = cells.clean_code(value)
    return text, None, not text


def _code_list(value, spec):
    text = cells.clean_code(value)
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    return tuple(part for part in parts if part), None, not text


def _not_number(value):
    return _("“%(value)s” không phải là số.") % {"value": cells.clean_text(value)}


def ambiguous_message(number: cells.Ambiguous) -> str:
    """Both readings of ``1,125`` / ``2.500`` and how to write the intended one unambiguously."""
    decimal = vi_decimal(number.decimal)
    # Three decimals written as-is would read two ways again: one more zero makes it a decimal.
    written_decimal = decimal + "0" if len(decimal.partition(",")[2]) == 3 else decimal
    grouped = str(int(number.grouped))
    return _(
        "“%(value)s” đọc được hai cách: %(decimal)s (nếu “%(sep)s” là dấu thập phân) hoặc "
        "%(grouped)s (nếu “%(sep)s” ngăn cách hàng nghìn). Hãy ghi lại cho rõ: %(written)s "
        "hoặc %(grouped)s."
    ) % {
        "value": number.text,
        "sep": number.separator,
        "decimal": decimal,
        "grouped": grouped,
        "written": written_decimal,
    }


def _decimal(value, spec):
    if isinstance(value, float):  # calamine's numbers: the common case, kept fast
        return value, None, False
    if cells.is_empty(value):
        return None, None, True
    number = cells.parse_number(value)
    if number is None:
        return None, _not_number(value), False
    if isinstance(number, cells.Ambiguous):
        return None, ambiguous_message(number), False
    return number, None, False


def _integer(value, spec):
    number, error, empty = _decimal(value, spec)
    if number is not None and not float(number).is_integer():
        message = _("“%(header)s” phải là số nguyên (đang là %(value)s).") % {
            "header": spec.header,
            "value": vi_decimal(number),
        }
        return None, message, False
    return number, error, empty


def _date(value, spec):
    if cells.is_empty(value):
        return None, None, True
    day = cells.parse_date(value)
    if day is None:
        text = cells.clean_text(value)
        if cells.names_missing_day(text):
            # The right shape, a day the calendar does not have: say so, not "wrong format"
            # (review 2026-11-23 C8).
            message = _(
                "“%(value)s” không có trong lịch (tháng đó không có ngày này); hãy kiểm tra lại "
                "ngày, tháng."
            ) % {"value": text}
        else:
            message = _("“%(value)s” không phải là ngày hợp lệ; hãy nhập theo dạng dd/mm/yyyy.") % {
                "value": text
            }
        return None, message, False
    return day, None, False


def _bool(value, spec):
    if cells.is_empty(value):
        return None, None, True
    parsed = cells.parse_bool(value)
    if parsed is None:
        message = _("“%(value)s” không hợp lệ; hãy chọn Có hoặc Không.") % {
            "value": cells.clean_text(value)
        }
        return None, message, False
    return parsed, None, False


def _choice(value, spec):
    if cells.is_empty(value):
        return None, None, True
    folded = fold_for_search(cells.clean_text(value))
    for stored, label in spec.choices:
        if folded == fold_for_search(stored) or folded in spellings(label):
            return stored, None, False
    for spelling, stored in spec.aliases:
        if folded == spelling:
            return stored, None, False
    message = _("“%(value)s” không hợp lệ; hãy chọn một trong: %(choices)s.") % {
        "value": cells.clean_text(value),
        "choices": ", ".join(str(label) for _stored, label in spec.choices),
    }
    return None, message, False


PARSERS = {
    ColumnType.TEXT: _text,
    ColumnType.CODE: _code,
    ColumnType.CODE_LIST: _code_list,
    ColumnType.DECIMAL: _decimal,
    ColumnType.INTEGER: _integer,
    ColumnType.DATE: _date,
    ColumnType.BOOL: _bool,
    ColumnType.CHOICE: _choice,
}
