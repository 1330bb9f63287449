"""Declarative description of a template sheet: its columns, their types and rules.

The same description drives the template builder (headers, widths, dropdowns, number/date
validation, instructions) and the reader (header check, parsing, required/range rules), so what
Excel allows and what the importer accepts cannot drift apart.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from importers.issues import column_letter
from org.text import fold_for_search


def spellings(text) -> set[str]:
    """``text`` (lazy or not) folded, in every configured language: a header or a label typed
    by someone whose admin is in English still matches the Vietnamese template, and back."""
    found = {fold_for_search(str(text))}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(fold_for_search(str(text)))
    return found


#: A header, help text or title: a plain string or a lazy translation (shown with ``str()``).
Text = str | Promise

PERCENT_REFUSED = "refused"
PERCENT_POINTS = "points"
DATE_BIRTH = "birth"
DATE_START = "start"


class ColumnType(StrEnum):
    TEXT = "text"
    CODE = "code"  # text, upper-cased
    CODE_LIST = "code_list"  # codes separated by commas or semicolons
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: Text
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    default: str | float | None = None  # bool and int are floats to mypy
    min_value: float | None = None
    max_value: float | None = None
    places: int = 2
    max_length: int | None = None
    choices: tuple[tuple[str, object], ...] = ()  # (stored value, label shown in Excel)
    aliases: tuple[tuple[str, str], ...] = ()  # (folded spelling, stored value)
    width: int = 16
    help: Text = ""
    informational: bool = False  # pre-filled for reading only; ignored on import
    dropdown: str | None = None  # name of a list (see builders) offered as a dropdown
    person_name: bool = False  # text refused when pasted in a legacy encoding (TCVN3, VNI)
    phone: bool = False  # a phone typed as a number gets back the leading 0 Excel dropped
    # Headers this column had in older templates: files made from them stay readable.
    former_headers: tuple[Text, ...] = ()
    # A last column added to the template later: a file from an older template, without it,
    # is read as if the column were empty.
    added_later: bool = False
    # Percentages (a cell formatted as % or text ending in "%"): PERCENT_REFUSED in quantity
    # columns (``100%`` is stored as 1); PERCENT_POINTS where the template shows levels as
    # ``100% / 50%`` (``100%``, ``100`` both mean 100). Empty: read as the number it holds.
    percent: str = ""
    # The refusal of a percentage in a PERCENT_REFUSED column, when the default one (about
    # quantities of products) does not fit the column: ``%(header)s`` and ``%(value)s``.
    percent_message: Text = ""
    # Plausibility of a date: DATE_BIRTH (not in the future, at least 16 years old) or
    # DATE_START (not more than a year ahead).
    date_rule: str = ""
    # A stored value this column holds is kept when the cell is blank (a blank cell means "no
    # change"); the clerk clears it by typing the marker "(xoá)" (importers.pipeline).
    clearable: bool = False

    def header_spellings(self) -> set[str]:
        found = spellings(self.header)
        for former in self.former_headers:
            found |= spellings(former)
        return found

    @property
    def number_type(self) -> bool:
        return self.type in (ColumnType.DECIMAL, ColumnType.INTEGER)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    title: Text = ""
    header_row: int = 2  # Excel row of the headers; data starts on the next row
    # Columns the template pre-fills: a row with nothing else filled in is not a data row.
    filler_keys: tuple[str, ...] = ()
    optional: bool = False  # the sheet may be missing or empty
    extra: dict = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def letter(self, key: str) -> str:
        return column_letter(self.index(key))

    def index(self, key: str) -> int:
        for position, column in enumerate(self.columns):
            if column.key == key:
                return position
        raise KeyError(key)

    def column(self, key: str) -> ColumnSpec:
        return self.columns[self.index(key)]


#: The person a row is about, as the people-based kinds begin (general marks, the satisfaction
#: survey): the official ID chosen from the agency's people, and the name beside it for the
#: clerk's eyes only.
PERSON_COLUMNS = (
    ColumnSpec(
        "official_id",
        gettext_lazy("Mã số công chức"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="people",
    ),
    ColumnSpec("full_name", gettext_lazy("Họ và tên"), informational=True, width=26),
)
