"""The score lookups' cheaper path (issue 34) answers exactly what the plain machinery answers:
django-filter's own deep-copying FilterSet, the explanation's framework name looked up by code.
Also: the integration throttle's fixed window, and one access-log row per read."""

import pytest
from django_filters.filterset import BaseFilterSet

from api import filters as api_filters
from api.models import ApiAccessLog
from api.serializers import results as result_serializers
from scoring.explain import render_steps

pytestmark = pytest.mark.django_db

ME = "/api/v1/integration/me/"


def addresses(world):
    alice, binh = world.people["alice"], world.people["binh"]
    return [
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-02",
        f"/api/v1/period-scores/?civil_servant={alice.official_id}&period=2026-03",
        f"/api/v1/period-scores/?civil_servant={binh.official_id}&period=2026-03",
        "/api/v1/period-scores/",
        "/api/v1/period-scores/?agency=SNV&ordering=-total",
        "/api/v1/annual-scores/",
    ]


def bodies(world):
    client = world.client_for("province-hr")
    answers = []
    for address in addresses(world):
        response = client.get(address)
        assert response.status_code == 200, response.content
        answers.append(response.content)
    return answers


def test_lookups_and_lists_are_byte_identical_to_the_plain_machinery(world, monkeypatch):
    fast = bodies(world)
    assert b"Khung \xc4\x91\xc3\xa1nh gi\xc3\xa1" in fast[0]  # "Khung đánh giá" in the text
    assert len(fast[0]) > 1000

    # The plain path: django-filter's deep copy, the framework name asked by its code.
    monkeypatch.setattr(api_filters.FilterSet, "__init__", BaseFilterSet.__init__)
    monkeypatch.setattr(
        result_serializers._ExplainedMixin,
        "get_explanation_text",
        lambda self, score: render_steps((score.explanation or {}).get("steps", [])),
    )
    plain = bodies(world)
    assert fast == plain


def test_every_read_leaves_its_access_log_row(world):
    before = ApiAccessLog.objects.count()
    bodies(world)
    rows = list(ApiAccessLog.objects.order_by("-id")[: len(addresses(world))])
    assert ApiAccessLog.objects.count() - before == len(addresses(world))
    assert sorted(row.path for row in rows) == sorted(addresses(world))
    system = world.systems["province-hr"]
    assert {(row.system_id, row.method) for row in rows} == {(system.pk, "GET")}
    assert rows[-1].count == 1 and rows[-1].object_type == "period_score"
    assert all(row.at is not None and row.token_id for row in rows)


def test_the_integration_throttle_is_a_fixed_window_per_token(world, settings, monkeypatch):
    from api.throttling import IntegrationThrottle

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "integration": "2/min",
        },
    }
    now = [1_000_000.0]
    monkeypatch.setattr(IntegrationThrottle, "timer", staticmethod(lambda: now[0]))
    snv = world.client_for("snv-docs")
    assert [snv.get(ME).status_code for _ in range(2)] == [200, 200]
    now[0] += 20
    refused = snv.get(ME)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"  # the window opened 20 s ago
    now[0] += 40  # the window has ended
    assert snv.get(ME).status_code == 200
