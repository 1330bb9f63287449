"""The public pages show an agency's stored organisation score of the period's year, where
the published data has one, next to — never instead of — the mean of its civil servants' scores
in the period; each labelled with what it measures and when (tests/dashboards/
test_public_measures.py checks that the page and the downloads agree)."""

import json
from decimal import Decimal

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from dashboards.setup import ensure_public_pages
from org_scoring.services import score_organisations
from tests.dashboards.helpers import month, scores, small_province
from tests.factories.org_scoring import YEAR, marks, tasks

pytestmark = pytest.mark.django_db
BIG = {"excellent": 12, "good": 60, "completed": 20, "not_completed": 2}
OTHER = {"excellent": 8, "good": 40, "completed": 10, "not_completed": 6}


@pytest.fixture
def public(db):
    cache.clear()
    w = small_province()
    jan = month(1)
    scores(jan, w["big_unit"], BIG)
    scores(jan, w["other_unit"], OTHER)
    scores(jan, w["tiny"], {"good": 2, "completed": 1})
    for agency, outcomes in (
        (w["big"], ("exceeded", "on_time", "on_time", "on_time")),
        (w["tiny"], ("on_time", "on_time")),
    ):
        marks(agency, "7")
        tasks(agency, *outcomes)
    score_organisations(YEAR)
    w["index"] = ensure_public_pages()
    cache.clear()
    return w


def get(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def agency(data, code):
    return next(a for a in data["periods"][-1]["agencies"] if a["agency_code"] == code)


def test_the_overview_shows_the_stored_organisation_score_beside_the_staff_mean(public):
    data = json.loads(get(f"{public['index'].url}json/"))
    big, other = agency(data, "SBIG"), agency(data, "SKHAC")
    assert big["organisation_score"] == "98.00" and big["organisation_year"] == 2026
    assert big["organisation_rating"] == "good"  # 1 of 4 exceeded: under 30 % for excellent
    assert big["mean_score"] == "76.49"  # the staff mean is still published as such
    assert other["organisation_score"] is None and other["organisation_year"] is None
    assert other["organisation_rating"] is None
    # The small commune's staff mean is suppressed; its own score is not a figure about people.
    tiny = agency(data, "XNHO")
    assert tiny["mean_score"] is None and tiny["organisation_score"] == "98.00"
    html = get(public["index"].url)
    assert "Điểm đánh giá tổ chức năm 2026" in html
    assert "Điểm trung bình của công chức, Tháng 01/2026" in html


def test_the_agency_page_shows_its_organisation_result_or_says_there_is_none(public):
    html = get(f"{public['index'].url}co-quan/sbig/")
    assert "Điểm đánh giá tổ chức năm 2026" in html and "98,00" in html
    assert "Hoàn thành tốt nhiệm vụ" in html
    data = json.loads(get(f"{public['index'].url}co-quan/sbig/json/"))
    assert data["organisation_result"] == {"year": 2026, "score": "98.00", "rating": "good"}
    html = get(f"{public['index'].url}co-quan/skhac/")
    assert "Chưa có điểm đánh giá của chính cơ quan trong năm 2026" in html
    assert (
        json.loads(get(f"{public['index'].url}co-quan/skhac/json/"))["organisation_result"] is None
    )


def test_published_figures_change_only_when_refreshed(public):
    get(public["index"].url)  # builds the January snapshot
    marks(public["other"], "7.5")
    tasks(public["other"], "on_time")
    score_organisations(YEAR)
    cache.clear()
    data = json.loads(get(f"{public['index'].url}json/"))
    assert agency(data, "SKHAC")["organisation_score"] is None
    call_command("refresh_public_results", stdout=open("/dev/null", "w"))  # noqa: SIM115
    data = json.loads(get(f"{public['index'].url}json/"))
    assert agency(data, "SKHAC")["organisation_score"] == "100.00"


def test_kind_comparison_ranks_by_the_staff_mean_of_the_period(public):
    from dashboards.presenters import kind_comparisons
    from dashboards.snapshots import public_tables
    from scoring.models import Period

    jan = Period.objects.get(kind="month", year=YEAR, number=1)
    groups = kind_comparisons(public_tables([jan])[jan.pk], lambda code: "")
    departments = next(g for g in groups if g["kind"] == "Sở, ban, ngành")
    # One measure for every row: Sở Lớn's organisation score (98.00) is not what is compared.
    assert departments["rows"][0]["name"] == "Sở Lớn"
    assert departments["rows"][0]["mean"] == Decimal("76.49")


def _decided_above_ceiling(agency, reason, state="decided"):
    import datetime

    from ratings.models import CaseKind, RatingCase

    return RatingCase.objects.create(
        kind=CaseKind.AGENCY,
        year=YEAR,
        subject_agency=agency,
        agency=agency,
        state=state,
        decision_level="excellent",
        decision_ref="120/QĐ-UBND",
        decision_date=datetime.date(YEAR, 12, 10),
        ceiling_lifted_from="good",
        force_majeure_reason=reason,
    )


def test_the_method_page_states_the_force_majeure_discretion_and_shows_each_lift(public):
    """W4 [secondary] Gia Lai §III.3.d: the public method page says that the competent
    authority may decide above the computed ceiling for force majeure, and shows it — with the
    recorded reason — for an agency whose organisation result of the year is public."""
    url = f"{public['index'].url}phuong-phap/"
    html = get(url)
    assert "cấp có thẩm quyền xếp loại căn cứ điều kiện, hoàn cảnh" in html
    assert "hoàn thành dưới 70% nhiệm vụ theo chương trình" in html  # the cases of §III.3.d
    assert "Chưa có quyết định nào vượt mức tối đa" in html
    # The fall-through reading in force is listed with the framework's options.
    assert "xếp mức thấp nhất (hoàn thành nhiệm vụ)" in html
    _decided_above_ceiling(public["big"], "Lũ quét tháng 9 làm hư hỏng trụ sở.")
    # Sở Khác has no public organisation result: its decision is not listed.
    _decided_above_ceiling(public["other"], "Không công khai vì chưa có kết quả tổ chức.")
    cache.clear()
    html = get(url)
    table = html.split('id="lifted-ceilings"', 1)[1].split("</table>", 1)[0]
    assert public["big"].name in table and "Lũ quét tháng 9 làm hư hỏng trụ sở." in table
    assert "Hoàn thành tốt nhiệm vụ" in table and "Hoàn thành xuất sắc nhiệm vụ" in table
    assert "Số 120/QĐ-UBND ngày 10/12/2026" in table
    assert "Không công khai" not in html and public["other"].name not in table
