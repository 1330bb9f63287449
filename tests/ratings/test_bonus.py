"""Bonus regulation: level → coefficient per agency, inherited down the tree, exported per
period for payroll."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from ratings.models import BonusRegulation
from ratings.services.bonus import payroll_rows, regulation_for
from scoring.models import Period, PeriodKind, RunStatus, ScoringRun
from tests.factories import period_score

pytestmark = pytest.mark.django_db
D = datetime.date


def regulation(agency, start, **coefficients):
    values = {
        "annual_excellent": "1.5",
        "annual_good": "1.2",
        "annual_completed": "1.0",
        "annual_not_completed": "0",
        "period_excellent": "0.5",
        "period_good": "0.3",
        "period_completed": "0.1",
        "period_not_completed": "0",
    }
    values.update(coefficients)
    return BonusRegulation.objects.create(
        agency=agency,
        name=f"Quy chế {agency.code} {start.year}",
        effective_from=start,
        decision_ref="05/QĐ",
        **{k: Decimal(v) for k, v in values.items()},
    )


def test_regulation_lookup_walks_up_the_tree_and_takes_the_latest(world):
    old = regulation(world.department, D(2025, 1, 1))
    new = regulation(world.department, D(2026, 7, 1), period_good="0.4")
    own = regulation(world.unit2, D(2026, 1, 1))
    assert regulation_for(world.unit, D(2026, 3, 1)) == old
    assert regulation_for(world.unit, D(2026, 8, 1)) == new
    assert regulation_for(world.unit2, D(2026, 8, 1)) == own
    assert regulation_for(world.other_department, D(2026, 8, 1)) is None


def test_monthly_coefficients_follow_the_period_band(world):
    regulation(world.department, D(2026, 1, 1))
    month = Period.for_date(D(2026, 3, 1), create=True)
    people = {
        95: world.staff("Hệ Số Cao", 95),
        80: world.staff("Hệ Số Khá", 80),
        55: world.staff("Hệ Số Vừa", 55),
        40: world.staff("Hệ Số Thấp", 40),
    }
    for total, person in people.items():
        period_score(person, month, total, world.unit)
    skipped = world.staff("Nghỉ Phép", 80)
    period_score(skipped, month, 0, world.unit, scored=False)
    rows = {row.full_name: row for row in payroll_rows(world.department, month)}
    assert rows["Hệ Số Cao"].coefficient == Decimal("0.5")
    assert rows["Hệ Số Khá"].coefficient == Decimal("0.3")
    assert rows["Hệ Số Vừa"].coefficient == Decimal("0.1")
    assert rows["Hệ Số Thấp"].coefficient == Decimal("0")
    assert rows["Nghỉ Phép"].coefficient is None and rows["Nghỉ Phép"].note


def test_annual_coefficients_come_from_decisions_only(world):
    regulation(world.department, D(2026, 1, 1))
    decided = world.staff("Đã Quyết Định", 85)
    world.decided(decided, "good")
    waiting = world.staff("Chưa Quyết Định", 85)
    world.case_for(waiting)
    year = Period.objects.create(kind=PeriodKind.YEAR, year=2026, number=1)
    rows = {row.full_name: row for row in payroll_rows(world.department, year)}
    assert rows["Đã Quyết Định"].coefficient == Decimal("1.2")
    assert "15/QĐ-STN" in rows["Đã Quyết Định"].basis
    assert rows["Chưa Quyết Định"].coefficient is None
    assert rows["Chưa Quyết Định"].note == "Chưa có quyết định xếp loại"


def test_payroll_export_by_url(world, client):
    regulation(world.department, D(2026, 1, 1))
    month = Period.for_date(D(2026, 3, 1), create=True)
    period_score(world.staff("Xuất Lương", 92), month, 92, world.unit)
    # The new posting queued a rescoring of the month (the export waits for it: see
    # tests/ratings/test_stale_scores.py); this world writes its scores by hand, so the run is
    # marked done instead of recomputing them from inputs it does not have.
    ScoringRun.objects.filter(status=RunStatus.QUEUED).update(status=RunStatus.DONE)
    url = reverse("ratings_bonus_export")
    query = {"agency": world.department.pk, "period": month.pk, "format": "xlsx"}
    client.force_login(world.users["quantri"])
    response = client.get(url, query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == (
        "Mã số công chức",
        "Họ và tên",
        "Cơ quan, đơn vị",
        "Căn cứ",
        "Mức",
        "Hệ số",
    )
    assert rows[2][1] == "Xuất Lương" and rows[2][5] == 0.5
    # Another department's admin cannot pick this agency.
    client.force_login(world.users["quantrikhac"])
    response = client.get(url, query)
    assert response.status_code == 200 and "Xuất Lương" not in response.content.decode()


def test_agency_admins_edit_only_their_own_regulations(world, client):
    mine = regulation(world.department, D(2026, 1, 1))
    theirs = regulation(world.other_department, D(2026, 1, 1))
    client.force_login(world.users["quantri"])
    listing = client.get(reverse("wagtailsnippets_ratings_bonusregulation:list")).content.decode()
    assert mine.name in listing and theirs.name not in listing
    edit = reverse("wagtailsnippets_ratings_bonusregulation:edit", args=[theirs.pk])
    assert client.get(edit).status_code in (302, 403)
    edit = reverse("wagtailsnippets_ratings_bonusregulation:edit", args=[mine.pk])
    assert client.get(edit).status_code == 200


def test_a_long_payroll_is_built_in_the_background_with_the_same_cells(world, client):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the payroll lands on the export job's page; the
    file has the inline download's cells; another agency's admin never opens it."""
    from tests.export_jobs import in_background, refused_everywhere

    regulation(world.department, D(2026, 1, 1))
    month = Period.for_date(D(2026, 3, 1), create=True)
    period_score(world.staff("Xuất Lương", 92), month, 92, world.unit)
    period_score(world.staff("Xuất Lương Hai", 70), month, 70, world.unit)
    ScoringRun.objects.filter(status=RunStatus.QUEUED).update(status=RunStatus.DONE)
    client.force_login(world.users["quantri"])
    query = {"agency": world.department.pk, "period": month.pk, "format": "xlsx"}
    job, _inline, page = in_background(client, reverse("ratings_bonus_export"), query, rows=2)
    assert f"Hệ số thu nhập tăng thêm — Sở Thử nghiệm — {month.label}" in page
    client.force_login(world.users["quantrikhac"])
    refused_everywhere(client, job, "Sở Thử nghiệm")
