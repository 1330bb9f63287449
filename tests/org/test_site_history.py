"""Security review 2026-11-22, L4: the site-history report (and its CSV export) showed other
agencies' changes, with the actor, to every signed-in user with any model permission."""

import pytest

from django.urls import reverse

from wagtail.log_actions import log

from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP, HOME_AFFAIRS_GROUP
from tests.factories import AgencyAccessFactory, AgencyFactory, UnitFactory, UserFactory, post

pytestmark = pytest.mark.django_db


def test_only_home_affairs_reads_the_province_wide_history(client):
    other = AgencyFactory(name="Sở Nông nghiệp thử nghiệm")
    person = post(UnitFactory(parent=other), full_name="Bùi Bảo Dung")
    log(instance=person, action="wagtail.edit", user=UserFactory(username="quantri.khac"))
    admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=AgencyFactory(name="Sở Tư pháp thử nghiệm"))
    url = reverse("wagtailadmin_reports:site_history")
    for user in (admin, UserFactory(groups=[CIVIL_SERVANT_GROUP])):
        client.force_login(user)
        results = reverse("wagtailadmin_reports:site_history_results")
        for path in (url, url + "?export=csv", results):
            response = client.get(path)
            assert response.status_code in (302, 403), path
            assert "Bùi Bảo Dung" not in response.content.decode()
        assert b"site-history" not in client.get(reverse("wagtailadmin_home")).content
    # Sở Nội vụ (with the catalog page permissions setup_catalogs gives it in a real install;
    # Wagtail's report needs some page permission to build its filters).
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP], is_superuser=True))
    assert "Bùi Bảo Dung" in client.get(url).content.decode()
