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
    #: The form's number in its annex, printed in the top corner (e.g. "Mẫu số 02").
    form_number: str = ""
    #: The legal basis printed under the title, one line each (Form 02: the decree the rating
    #: follows and the annex whose layout the form reproduces).
    basis: list[str] = field(default_factory=list)
    #: Whom the form is about (the person or the body): with the subtitle it names the page,
    #: so two people's forms of one month are two titles, not one.
    about: str = ""


@dataclass
class Row:
    label: str
    value: str


@dataclass
class Signature:
    title: str
    note: str
    name: str
    #: "Ngày … tháng … năm …", filled when the step was taken (the official forms date each
    #: signature); empty: no date line.
    date: str = ""


@dataclass
class Section:
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)
    #: The line in italics under the title, e.g. "(Phần dành cho cấp có thẩm quyền đánh giá)".
    note: str = ""
    #: Who signs this part, right under it (Form 02's official layout signs each part).
    signature: Signature | None = None


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


def signed_on(value) -> str:
    """The date line of a signature: "Ngày 05 tháng 12 năm 2026", or blanks to fill by hand."""
    if not value:
        return _("Ngày …… tháng …… năm ……")
    return _("Ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": f"{value.day:02d}",
        "month": f"{value.month:02d}",
        "year": value.year,
    }


def date_text(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def number(value) -> str:
    return num(value) if value is not None else "—"
