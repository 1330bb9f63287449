"""The documented cell normalisation rules (importers.reading.cells), one by one."""

import datetime
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.issues import Issue, column_index, column_letter
from importers.reading import cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12.345.678", 12345678.0),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("0,125", 0.125),
        ("0.125", 0.125),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),
        ("-3", -3.0),
        ("+4", 4.0),
        (" 7 ", 7.0),
        ("abc", None),
        ("1.2.3", None),
        ("1,2,3", None),
        ("", None),
        ("12a", None),
    ],
)
def test_numbers_written_as_text(text, expected):
    assert cells.parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "decimal", "grouped"),
    [("1,125", 1.125, 1125.0), ("2.375", 2.375, 2375.0), ("2,500", 2.5, 2500.0),
     ("1.234", 1.234, 1234.0), ("-1,250", -1.25, -1250.0)],
)  # fmt: skip
def test_one_separator_before_three_digits_reads_two_ways(text, decimal, grouped):
    """Issue 14: never a silent guess between 1,125 (Vietnamese) and 1125 (English)."""
    number = cells.parse_number(text)
    assert isinstance(number, cells.Ambiguous)
    assert (number.decimal, number.grouped) == (decimal, grouped)


def test_calamine_floats_are_numbers_and_bools_are_not():
    assert cells.parse_number(20.0) == 20.0
    assert cells.parse_number(True) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/03/2026", datetime.date(2026, 3, 31)),
        ("1/3/2026", datetime.date(2026, 3, 1)),
        ("01-03-2026", datetime.date(2026, 3, 1)),
        ("01.03.2026", datetime.date(2026, 3, 1)),
        ("1/3/26", datetime.date(2026, 3, 1)),
        ("2026-03-01", datetime.date(2026, 3, 1)),
        ("31/03/2026 08:30", datetime.date(2026, 3, 31)),
        (datetime.datetime(2026, 3, 5, 10, 0), datetime.date(2026, 3, 5)),
        (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5)),
        (46082.0, datetime.date(2026, 3, 1)),  # an Excel serial day in a General-format cell
        ("31/02/2026", None),
        ("13/13/2026", None),
        ("hôm qua", None),
        (5.0, None),
    ],
)
def test_dates(value, expected):
    assert cells.parse_date(value) == expected


def test_text_is_nfc_with_spaces_and_invisible_characters_cleaned():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    assert cells.clean_text(f"  {decomposed}\u200b \t") == "Nguyễn Thị Ánh"
    assert cells.clean_text("a\u00a0\u00a0b\nc") == "a b c"
    assert cells.clean_text(20.0) == "20"
    assert cells.clean_text(2.5) == "2.5"
    assert cells.clean_code(" stp-001  ") == "STP-001"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Có", True), ("có", True), ("x", True), (1.0, True), ("Không", False), ("0", False),
     (True, True), ("có lẽ", None)],
)  # fmt: skip
def test_yes_no(value, expected):
    assert cells.parse_bool(value) is expected


def test_issue_location_format_and_columns():
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(26) == "AA"
    assert column_index("AA") == 26 and column_index("XFD") == 16383
    assert Issue("Sai.", "Kết quả", 12, "E").line() == "Kết quả!12:E Sai."
    assert Issue("Tệp hỏng.").line() == "-!-:- Tệp hỏng."


# --- a column of codes cleaned at once (``plain_codes``) gives what ``clean_code`` gives each ---

CODE_CHARACTERS = st.sampled_from(list("AbZz09-_./ '`\t\u2019\u00a0\u200bđĐ"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(CODE_CHARACTERS, max_size=6), max_size=8))
def test_codes_cleaned_together_are_the_codes_cleaned_one_by_one(values):
    plain = cells.plain_codes(values)
    if plain is not None:
        assert plain == [cells.clean_code(value) for value in values]


@pytest.mark.parametrize(
    "values",
    [
        ["bm001", "L-000.1/2", "a b"],  # plain: cleaned together
        ["BM001", 12.0],  # a number typed in the column: one by one
        ["BM001", ""],
        [" BM001"],
        ["BM001 "],
        ["BM  001"],
        ["'001"],
        ["A`B"],
        ["ĐB01"],
        ["A\tB"],
        [],
    ],
)
def test_which_columns_of_codes_are_cleaned_together(values):
    plain = cells.plain_codes(values)
    if values and all(isinstance(v, str) for v in values) and values[0] == "bm001":
        assert plain == ["BM001", "L-000.1/2", "A B"]
    else:
        assert plain is None
