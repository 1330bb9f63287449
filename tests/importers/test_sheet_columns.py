"""A sheet's cells read column by column the same whatever the rows' lengths: rows padded to
one width (calamine's), rows of different lengths (merged cells extend some), rows shorter than
the template (a file saved from an older template) — ``importers.reading.frame.parse_sheet``."""

import datetime

import pytest

from importers.columns import ColumnSpec, ColumnType, SheetSpec
from importers.reading.frame import ROW, parse_sheet
from importers.reading.workbook import RawSheet

SPEC = SheetSpec(
    name="Thử",
    columns=(
        ColumnSpec("code", "Mã", ColumnType.CODE),
        ColumnSpec("amount", "Số lượng", ColumnType.DECIMAL),
        ColumnSpec("day", "Ngày", ColumnType.DATE),
        ColumnSpec("note", "Ghi chú"),
    ),
    header_row=2,
)
HEADERS = ["Mã", "Số lượng", "Ngày", "Ghi chú"]
MARCH = datetime.date(2026, 3, 5)


def frame_of(data):
    sheet = parse_sheet(RawSheet(name="Thử", rows=[["Tiêu đề"], HEADERS, *data]), SPEC)
    return sheet.frame.to_dict("list"), [issue.message for issue in sheet.issues]


EXPECTED = {
    "code": ["SP-1", "SP-2", "SP-3"],
    "amount": [2.0, 1.5, None],
    "day": [MARCH, None, None],
    "note": ["ghi chú", "", ""],
    ROW: [3, 4, 5],
}


@pytest.mark.parametrize(
    "data",
    [
        # Every row as wide as the template (calamine pads rows to the sheet's width).
        [["sp-1", 2.0, MARCH, "ghi chú"], ["SP-2", 1.5, "", ""], ["SP-3", "", "", ""]],
        # Wider: a stray cell past the template's last column is not read.
        [["sp-1", 2.0, MARCH, "ghi chú", "x"], ["SP-2", 1.5, "", "", ""], ["SP-3", "", "", "", ""]],
        # Rows of different lengths.
        [["sp-1", 2.0, MARCH, "ghi chú"], ["SP-2", 1.5], ["SP-3"]],
        # Empty cells as None (how other readers give them).
        [["sp-1", 2.0, MARCH, "ghi chú"], ["SP-2", 1.5, None, ""], ["SP-3", None, None, ""]],
    ],
)
def test_the_same_cells_give_the_same_rows_whatever_the_rows_lengths(data):
    values, issues = frame_of(data)
    values["amount"] = [None if amount != amount else amount for amount in values["amount"]]
    values["note"] = [note or "" for note in values["note"]]
    assert values == EXPECTED
    assert issues == []


def test_rows_shorter_than_the_template_read_as_empty_cells():
    values, issues = frame_of([["SP-1", 2.0], ["SP-2", 1.0]])
    assert values["code"] == ["SP-1", "SP-2"]
    assert values["day"] == [None, None]
    assert issues == []
