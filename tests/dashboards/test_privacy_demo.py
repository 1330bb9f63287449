"""No personal data in anything public: the demo province, published, rendered page by page."""

import re

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from dashboards.models import AgencyResultsPage, MethodPage, TransparencyIndexPage
from demo.dashboards_demo import load_dashboards_demo
from org.models import Agency, AgencyKind, CivilServant
from scoring.models import Period, PeriodScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with open("/dev/null", "w") as sink:
        call_command("load_demo", stdout=sink)
    try:  # scores come from the scoring demo once it exists; the pages work without them
        from demo.scoring_demo import load_scoring_demo
    except ImportError:  # pragma: no cover - depends on the other app's progress
        load_scoring_demo = None
    if load_scoring_demo is not None:
        load_scoring_demo()
    with django_capture_on_commit_callbacks(execute=True):
        summary = load_dashboards_demo()
    cache.clear()
    return summary


def public_urls(index) -> list[str]:
    agencies_page = AgencyResultsPage.objects.child_of(index).get()
    method_page = MethodPage.objects.child_of(index).get()
    urls = [agencies_page.url, method_page.url]
    # Every public agency: those under the roots and the Party and Front roots themselves; a
    # unit hanging directly under a root counts in the root (scoring.aggregates.Tree.top_of).
    codes = list(
        Agency.objects.filter(depth__lte=1)
        .exclude(kind__in=[AgencyKind.UNIT, AgencyKind.PROVINCE])
        .values_list("code", flat=True)
    )
    queries = [""] + [f"?ky={p.code}" for p in Period.objects.filter(published=True)]
    for query in queries:
        urls += [f"{index.url}{query}", f"{index.url}csv/{query}", f"{index.url}json/{query}"]
        for code in codes:
            base = agencies_page.agency_url(code)
            urls += [f"{base}{query}", f"{base}csv/{query}", f"{base}json/{query}"]
    return urls


def test_demo_public_pages_contain_no_name_id_or_individual_score(demo):
    assert demo["published"] == ["2026-01", "2026-02"]
    index = TransparencyIndexPage.objects.get()
    client = Client()
    bodies = []
    for url in public_urls(index):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append((url, response.content.decode("utf-8-sig")))
    people = list(CivilServant.objects.values_list("full_name", "official_id"))
    assert len(people) > 250
    for url, body in bodies:
        for full_name, official_id in people:
            assert full_name not in body, (url, full_name)
            assert official_id not in body, (url, official_id)
    # No individual score: an agency mean is only shown when at least 5 people are behind it,
    # so no score of a single person can appear as an agency figure.
    scored = PeriodScore.objects.filter(period__published=True, scored=True)
    assert scored.exists()
    overview = next(body for url, body in bodies if url.endswith("json/"))
    shown_means = re.findall(r'"rated": (\d+),\s*"mean_score": "', overview)
    assert shown_means
    assert all(int(size) >= 5 for size in shown_means)


def test_demo_loader_is_idempotent_and_publishes_only_existing_months(demo):
    again = load_dashboards_demo()
    assert again["published"] == demo["published"]
    assert TransparencyIndexPage.objects.count() == 1
    assert AgencyResultsPage.objects.count() == MethodPage.objects.count() == 1
    assert not Period.objects.filter(published=True, number=3).exists()
