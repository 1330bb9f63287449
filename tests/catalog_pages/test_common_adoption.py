"""The common catalog in force (issue 19 item 3): a province decision adopting the common
catalog makes the mapped agency items count with the common coefficient and unit from its
effective date (the period's first day decides), never before; a later decision supersedes it
from its own date; scores record it, are recomputed in open periods and left alone in closed
ones; agencies see what changed for them; the API shows the effective coefficient."""

import datetime
from decimal import Decimal

import pytest

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog_pages.common_catalog import AdoptionError, adopt, effective_items
from catalog_pages.models import CommonCatalogAdoption, CommonProduct, CommonProductMapping
from org.access import HOME_AFFAIRS_GROUP
from scoring.models import Period, PeriodScore, PeriodStatus, ScoringRun
from scoring.services import rescoring
from scoring.services.loading import load_items
from scoring.services.person import score_person
from tests.factories import (
    UserFactory,
    catalog_version,
    common_adoption,
    common_product,
    with_user,
)
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

FEB, MAR, APR = (datetime.date(2026, m, 1) for m in (2, 3, 4))


@pytest.fixture
def world():
    world = build_world(MAR)
    # The department's catalog: X (1, unmapped), Y (2.5, mapped to the common product at 3,
    # "hồ sơ" instead of "văn bản").
    world.version, world.items = catalog_version(world.department, (("X", "1"), ("Y", "2.5")))
    world.product = common_product("DMC-001", "3", "hồ sơ", items=[world.items["Y"]])
    world.feb = Period.for_date(FEB, create=True)
    world.sonoivu = UserFactory(username="sonoivu.test", groups=[HOME_AFFAIRS_GROUP])
    with rescoring.paused():
        person = world.person("Trần Văn Bình")
        for period in (world.feb, world.period):
            world.line(person, "Y", 4, 4, period=period)
            world.line(person, "X", 2, 2, period=period)
            world.marks(person, 27, period=period)
    return world


def _ids(world):
    return [world.items["X"].pk, world.items["Y"].pk]


def test_before_the_effective_date_items_keep_their_own_coefficient(world):
    common_adoption(MAR, user=world.sonoivu)
    x, y = _ids(world)
    before = effective_items([x, y], FEB)
    assert before[y].coefficient == Decimal("2.5") and not before[y].from_common
    last_day = effective_items([x, y], datetime.date(2026, 2, 28))
    assert last_day[y].coefficient == Decimal("2.5")
    on = effective_items([x, y], MAR)
    assert on[y].coefficient == Decimal("3") and on[y].output_unit == "hồ sơ"
    assert on[y].own_coefficient == Decimal("2.5") and on[y].from_common and on[y].changed
    # Unmapped items are unaffected.
    assert on[x].coefficient == Decimal("1") and not on[x].from_common


def test_the_period_start_decides_never_part_of_a_period(world):
    """Effective on 02/03: March started before it, so it keeps the agency's own."""
    common_adoption(datetime.date(2026, 3, 2), user=world.sonoivu)
    assert load_items(world.period)[world.items["Y"].pk].coefficient == Decimal("2.5")
    april = Period.for_date(APR, create=True)
    with rescoring.paused():
        world.line(world.people["Trần Văn Bình"], "Y", 1, 1, period=april)
    assert load_items(april)[world.items["Y"].pk].coefficient == Decimal("3")


def test_a_draft_changes_nothing(world):
    common_adoption(MAR, user=world.sonoivu, adopted=False)
    assert not effective_items(_ids(world), MAR)[world.items["Y"].pk].from_common


def test_a_later_adoption_supersedes_from_its_own_date(world):
    first = common_adoption(MAR, user=world.sonoivu)
    CommonProduct.objects.filter(pk=world.product.pk).update(coefficient=Decimal("4"))
    second = common_adoption(APR, number="40/QĐ-UBND", user=world.sonoivu)
    assert (first.version, second.version) == (1, 2)
    y = world.items["Y"].pk
    assert effective_items([y], FEB)[y].coefficient == Decimal("2.5")
    assert effective_items([y], MAR)[y].coefficient == Decimal("3")
    assert effective_items([y], MAR)[y].adoption_id == first.pk
    assert effective_items([y], APR)[y].coefficient == Decimal("4")
    assert effective_items([y], APR)[y].adoption_id == second.pk


def test_resolution_takes_a_fixed_number_of_queries(world):
    common_adoption(MAR, user=world.sonoivu)
    with CaptureQueriesContext(connection) as few:
        effective_items([world.items["Y"].pk], MAR)
    _version, more = catalog_version(world.unit, [(f"Z{n}", "2") for n in range(30)])
    with CaptureQueriesContext(connection) as many:
        effective_items([item.pk for item in more.values()] + _ids(world), MAR)
    assert len(few) == len(many) == 3


def test_adopting_twice_or_with_nothing_mapped_is_refused(world):
    adoption = common_adoption(MAR, user=world.sonoivu)
    with pytest.raises(AdoptionError):
        adopt(adoption, world.sonoivu)
    CommonProductMapping.objects.all().delete()
    draft = common_adoption(APR, number="41/QĐ-UBND", adopted=False)
    with pytest.raises(AdoptionError):
        adopt(draft, world.sonoivu)
    draft.refresh_from_db()
    assert not draft.is_adopted and draft.version is None


def test_scores_record_the_common_coefficient_and_its_adoption(world):
    person = world.people["Trần Văn Bình"]
    score_person(person, world.period)
    before = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert "common" not in before.explanation
    adoption = common_adoption(MAR, user=world.sonoivu)
    score_person(person, world.period)
    after = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert after.inputs_hash != before.inputs_hash
    assert after.explanation["common"] == {
        str(world.items["Y"].pk): {
            "coefficient": "3",
            "own_coefficient": "2.5",
            "adoption": adoption.pk,
            "code": "DMC-001",
        }
    }
    # February starts before the effective date: unchanged.
    score_person(person, world.feb)
    assert "common" not in PeriodScore.objects.get(period=world.feb).explanation


def test_adopting_rescores_open_periods_not_closed_ones(world, django_capture_on_commit_callbacks):
    person = world.people["Trần Văn Bình"]
    common_adoption(datetime.date(2026, 1, 1), number="1/QĐ-UBND", adopted=False)
    with rescoring.paused():
        score_person(person, world.feb)
        score_person(person, world.period)
    world.feb.status = PeriodStatus.CLOSED
    world.feb.save()
    stored_feb = PeriodScore.objects.get(period=world.feb).inputs_hash
    stored_mar = PeriodScore.objects.get(period=world.period).inputs_hash
    draft = CommonCatalogAdoption.objects.get()
    draft.effective_from = FEB
    draft.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        adopt(draft, world.sonoivu)
    runs = ScoringRun.objects.all()
    assert {run.period_id for run in runs} == {world.period.pk}
    assert PeriodScore.objects.get(period=world.feb).inputs_hash == stored_feb
    march = PeriodScore.objects.get(period=world.period)
    assert march.inputs_hash != stored_mar and "common" in march.explanation


# --- admin pages -------------------------------------------------------------------------------


def test_only_home_affairs_records_and_adopts(world, client):
    outsider = with_user(world.people["Trần Văn Bình"], "tranvanbinh")
    client.force_login(outsider)
    url = reverse("catalog_common_adoptions")
    data = {
        "decision_number": "25/QĐ-UBND",
        "decision_date": "16/02/2026",
        "signer": "Phó Chủ tịch UBND tỉnh",
        "effective_from": "01/03/2026",
    }
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert not CommonCatalogAdoption.objects.exists()
    client.force_login(world.sonoivu)
    response = client.post(url, {**data, "effective_from": "2026-03-01"})
    assert response.status_code == 200
    assert "Nhập ngày dạng dd/mm/yyyy." in response.content.decode()
    response = client.post(url, data)
    adoption = CommonCatalogAdoption.objects.get()
    assert response.url == reverse("catalog_common_adoption", args=[adoption.pk])
    assert adoption.recorded_by == world.sonoivu and not adoption.is_adopted
    assert adoption.history.count() == 1
    detail = reverse("catalog_common_adoption", args=[adoption.pk])
    client.force_login(outsider)
    assert client.post(detail, {"action": "adopt"}).status_code == 403
    client.force_login(world.sonoivu)
    # Irreversible: refused without the tick, with the reason (review 2026-11-23 C16).
    refused = client.post(detail, {"action": "adopt"}, follow=True).content.decode()
    assert "Chưa ban hành: hãy đánh dấu ô" in refused
    adoption.refresh_from_db()
    assert not adoption.is_adopted
    assert 'name="confirm" value="yes"' in refused
    # Issue 30 item 11: the page says what issuing does before asking, and the button shows
    # its progress while the long step runs; the result is said afterwards.
    assert "Sau khi ban hành, quyết định không sửa được." in refused
    assert 'data-w-progress-active-value="Đang ban hành, xin chờ…"' in refused
    with rescoring.paused():
        done = client.post(detail, {"action": "adopt", "confirm": "yes"}, follow=True)
    assert (
        "Đã ban hành danh mục dùng chung theo Quyết định 25/QĐ-UBND, áp dụng từ ngày "
        "01/03/2026. Các kỳ đang mở từ ngày đó sẽ được tính lại điểm."
    ) in done.content.decode()
    adoption.refresh_from_db()
    assert adoption.is_adopted and adoption.version == 1 and adoption.adopted_by == world.sonoivu
    page = client.get(detail).content.decode()
    assert "DMC-001" in page and "01/03/2026" in page


def test_effective_date_before_the_signature_is_refused(world, client):
    client.force_login(world.sonoivu)
    response = client.post(
        reverse("catalog_common_adoptions"),
        {
            "decision_number": "25/QĐ-UBND",
            "decision_date": "16/02/2026",
            "signer": "Phó Chủ tịch UBND tỉnh",
            "effective_from": "01/02/2026",
        },
    )
    assert "Ngày áp dụng không được trước ngày ký quyết định (16/02/2026)." in (
        response.content.decode()
    )
    assert not CommonCatalogAdoption.objects.exists()


def test_what_changed_page_for_an_agency(world, client):
    common_adoption(MAR, user=world.sonoivu)
    url = reverse("catalog_common_changes") + f"?agency={world.department.pk}"
    client.force_login(world.sonoivu)
    page = client.get(url).content.decode()
    assert "2,5 → <strong>3</strong>" in page
    assert "văn bản → <strong>hồ sơ</strong>" in page
    assert "01/03/2026" in page and "25/QĐ-UBND" in page
    # X is not mapped: not listed.
    assert 'data-item="X"' not in page and 'data-item="Y"' in page
    # Someone who may read no catalog is refused (an admin user: 403; others: sign-in).
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url).status_code in (302, 403)
    # The catalog version page says it too.
    client.force_login(world.sonoivu)
    version_page = client.get(reverse("catalog_version_detail", args=[world.version.pk]))
    assert "2,5 → 3" in version_page.content.decode()


def test_api_shows_the_effective_coefficient(world, client):
    common_adoption(MAR, user=world.sonoivu)
    client.force_login(world.sonoivu)
    rows = {
        (row["period"], row["item"]["code"]): row["effective"]
        for row in client.get("/api/v1/assignment-lines/?page_size=50").json()["results"]
    }
    march = rows[(world.period.code, "Y")]
    assert march["coefficient"] == "3.0000" and march["from_common_catalog"]
    assert march["output_unit"] == "hồ sơ" and march["common_code"] == "DMC-001"
    assert rows[(world.feb.code, "Y")]["coefficient"] == "2.5000"
    assert not rows[(world.period.code, "X")]["from_common_catalog"]
