"""What a template says about itself, stored twice in every generated file.

- a very hidden sheet ``_meta`` (key in column A, value in column B, rows fixed below), which
  survives "Save as" in every spreadsheet program;
- workbook custom properties ``KPI.*`` (File › Info › Properties), the fallback when a user
  copied the data into a fresh workbook.

An upload is checked against them: kind, template version, agency code, period code.
"""

import datetime
from dataclasses import dataclass

META_SHEET = "_meta"
META_KEYS = (
    "kind",
    "template_version",
    "agency_code",
    "period_code",
    "catalog_version",
    "generated_at",
    "application",
)
# Excel row of each key in the _meta sheet (row 1 holds the headers).
META_ROWS = {key: index + 2 for index, key in enumerate(META_KEYS)}
PROPERTY_PREFIX = "KPI."
APPLICATION = "KPI Công vụ"
EMPTY = "-"  # custom properties cannot be empty strings


@dataclass
class TemplateMeta:
    kind: str = ""
    template_version: str = ""
    agency_code: str = ""
    period_code: str = ""
    catalog_version: str = ""
    generated_at: str = ""
    application: str = APPLICATION
    source: str = META_SHEET  # where it was read from: the sheet or the custom properties

    def as_rows(self) -> list[tuple[str, str]]:
        return [(key, str(getattr(self, key) or "")) for key in META_KEYS]

    @classmethod
    def create(cls, kind, version, agency_code, period_code="", catalog_version=""):
        return cls(
            kind=kind,
            template_version=str(version),
            agency_code=agency_code,
            period_code=period_code or "",
            catalog_version=str(catalog_version or ""),
            generated_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        )


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value or "").strip()


def meta_from_rows(rows: list[list]) -> TemplateMeta | None:
    values = {}
    for row in rows[1:]:
        if len(row) >= 2 and _text(row[0]) in META_KEYS:
            values[_text(row[0])] = _text(row[1])
    if not values.get("kind"):
        return None
    return TemplateMeta(**values, source=META_SHEET)


def meta_from_properties(properties: dict[str, str]) -> TemplateMeta | None:
    values = {}
    for key in META_KEYS:
        if PROPERTY_PREFIX + key in properties:
            value = str(properties[PROPERTY_PREFIX + key]).strip()
            values[key] = "" if value == EMPTY else value
    if not values.get("kind"):
        return None
    return TemplateMeta(**values, source="properties")
