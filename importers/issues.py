"""One error format for every template kind, every reader and every output (page, JSON, CLI).

An issue points at a cell the way a person finds it in Excel: sheet name, row number as shown in
Excel (1-based) and column letter. Parts that do not apply (a problem with the whole file or a
whole column) are ``None`` and printed as ``-``: ``Kết quả!12:E Số lượng được giao phải là số.``
"""

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters → 0-based column index (A → 0, AA → 26)."""
    value = 0
    for char in letters.upper():
        value = value * 26 + (ord(char) - 64)
    return value - 1


@dataclass(frozen=True)
class Issue:
    message: str
    sheet: str | None = None
    row: int | None = None  # Excel row number (1-based)
    column: str | None = None  # Excel column letters
    header: str = ""  # the column's header, to show next to the letter
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def location(self) -> str:
        sheet = self.sheet or "-"
        row = str(self.row) if self.row is not None else "-"
        column = self.column or "-"
        return f"{sheet}!{row}:{column}"

    def line(self) -> str:
        """The CLI form: ``sheet!row:column message``."""
        return f"{self.location} {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Issue":
        fields = {"message", "sheet", "row", "column", "header", "severity"}
        return cls(**{k: v for k, v in data.items() if k in fields})

    def sort_key(self):
        return (
            self.sheet or "",
            self.row if self.row is not None else -1,
            column_index(self.column) if self.column else -1,
            self.message,
        )


def sort_issues(issues) -> list[Issue]:
    return sorted(issues, key=Issue.sort_key)


def errors_in(issues) -> list[Issue]:
    return [issue for issue in issues if issue.is_error]


def one_error_per_cell(issues) -> list[Issue]:
    """Several rules may object to one cell (empty because of an uncached formula, then
    "required"; not a number, then the catalog rule): keep the first, the most precise."""
    seen, kept = set(), []
    for issue in issues:
        if issue.is_error and issue.row is not None and issue.column:
            key = (issue.sheet, issue.row, issue.column)
            if key in seen:
                continue
            seen.add(key)
        kept.append(issue)
    return kept
