"""Pieces shared by the printed forms: the official header and the value formatting."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from scoring.explain import num


@dataclass
class Header:
    """Top of an official Vietnamese administrative form (Nghị định 30/2020/NĐ-CP layout)."""

    upper_body: str  # governing body, e.g. "UBND TỈNH THANH AN"
    agency: str  # issuing agency, e.g. "SỞ TƯ PHÁP"
    title: str
    subtitle: str = ""
    motto: tuple[str, str] = field(
        default_factory=lambda: (
            _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            _("Độc lập - Tự do - Hạnh phúc"),
        )
    )
    place_date: str = field(default_factory=lambda: _("……………, ngày …… tháng …… năm ……"))


@dataclass
class Row:
    label: str
    value: str


@dataclass
class Section:
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Signature:
    title: str
    note: str
    name: str


def header_for(agency, title: str, subtitle: str = "") -> Header:
    """The issuing agency is the one owning ``agency``; above it its parent (the province)."""
    owner = agency.owning_agency or agency
    upper = owner.parent.name if owner.parent_id else ""
    return Header(
        upper_body=upper.upper(), agency=owner.name.upper(), title=title, subtitle=subtitle
    )


def text(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def date_text(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def number(value) -> str:
    return num(value) if value is not None else "—"
