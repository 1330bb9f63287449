"""Every read of personal data by a token leaves one append-only ApiAccessLog row."""

import pytest

from api.models import ApiAccessLog, AppendOnlyError, IntegrationToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.mark.parametrize(
    ("url", "object_type", "count"),
    [
        ("/api/v1/period-scores/", "period_score", 4),
        ("/api/v1/period-scores/?period=2026-03", "period_score", 2),
        ("/api/v1/annual-scores/", "annual_score", 2),
        ("/api/v1/annual-ratings/", "annual_rating", 1),
        ("/api/v1/assignment-lines/", "assignment_line", 6),
        ("/api/v1/civil-servants/", "civil_servant", 2),
    ],
)
def test_token_reads_of_personal_data_are_logged(world, url, object_type, count):
    before = ApiAccessLog.objects.count()
    response = world.client_for("snv-docs").get(url)
    assert response.status_code == 200
    assert ApiAccessLog.objects.count() == before + 1
    log = ApiAccessLog.objects.latest("id")
    assert log.system == world.systems["snv-docs"]
    assert log.token == IntegrationToken.objects.get(system=world.systems["snv-docs"])
    assert (log.method, log.path, log.object_type, log.count) == ("GET", url, object_type, count)
    assert log.at is not None


def test_detail_read_counts_one(world):
    alice = world.people["alice"].official_id
    world.client_for("snv-docs").get(f"/api/v1/civil-servants/{alice}/")
    log = ApiAccessLog.objects.latest("id")
    assert (log.object_type, log.count) == ("civil_servant", 1)


def test_national_export_reads_are_logged_with_the_record_count(world):
    response = world.client_for("province-hr").get(
        "/api/v1/national-export/?format=csv&date=2099-12-31"
    )
    assert response.status_code == 200
    log = ApiAccessLog.objects.latest("id")
    assert (log.object_type, log.count) == ("national_export", 5)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("snv-docs", "/api/v1/agencies/"),  # reference data
        ("snv-docs", "/api/v1/frameworks/"),
        ("snv-docs", "/api/v1/aggregates/agencies/?period=2026-03"),  # counts, no person
        ("home_affairs", "/api/v1/period-scores/"),  # a person signed in, not a token
        ("snv-docs", "/api/v1/period-scores/999999/"),  # nothing returned
        ("snv-docs", "/api/v1/period-scores/?agency=NOPE"),  # refused
        ("snv-docs", "/api/v1/national-export/"),  # forbidden
    ],
)
def test_no_log_without_personal_data_returned_to_a_token(world, who, url):
    before = ApiAccessLog.objects.count()
    world.client_for(who).get(url)
    assert ApiAccessLog.objects.count() == before


def test_writes_are_not_read_logs(world):
    before = ApiAccessLog.objects.count()
    world.client_for("snv-docs").post(
        "/api/v1/integration/assignment-lines/bulk/", {"items": []}, format="json"
    )
    assert ApiAccessLog.objects.count() == before


def test_the_log_is_append_only(world):
    world.client_for("snv-docs").get("/api/v1/period-scores/")
    log = ApiAccessLog.objects.latest("id")
    log.count = 0
    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        log.delete()
    with pytest.raises(AppendOnlyError):
        ApiAccessLog.objects.filter(pk=log.pk).update(count=0)
    with pytest.raises(AppendOnlyError):
        ApiAccessLog.objects.all().delete()
    assert ApiAccessLog.objects.get(pk=log.pk).count == 4
