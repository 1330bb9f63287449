"""The demo ships one agency's personnel file, not its people (issue 32, done-when 1): Sở Văn
hóa, Thể thao và Du lịch has units and a catalog but nobody in it; its file, written by the
personnel template's own builder, is offered to Sở Nội vụ alone ("Trợ giúp" menu, only where
the demo is allowed) and imports as it is."""

import json

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from demo.personnel_file_demo import AGENCY_CODE, FILE_NAME, PEOPLE
from importers import pipeline
from org.models import Agency, CivilServant, Posting

pytestmark = pytest.mark.django_db
#: The menu entry, as the sidebar's JSON carries it (the browser walk clicks it:
#: tests/browser/test_accounts_demo.py).
ENTRY = json.dumps("Tệp hồ sơ nhân sự gửi Sở Nội vụ (bản demo)")[1:-1]


def test_the_agency_has_no_people_and_its_file_imports_without_a_problem(demo, client, tmp_path):
    agency = Agency.objects.get(code=AGENCY_CODE)
    assert not Posting.objects.filter(agency__path__startswith=agency.path).exists()
    sonoivu = get_user_model().objects.get(username="sonoivu")
    client.force_login(sonoivu)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert ENTRY in menu
    response = client.get(reverse("demo_personnel_file"))
    assert response.status_code == 200
    assert f'filename="{FILE_NAME}"' in response["Content-Disposition"]
    path = tmp_path / FILE_NAME
    path.write_bytes(response.content)

    analysis, job = pipeline.commit(path, user=sonoivu)
    assert job is not None, [issue.line() for issue in analysis.errors]
    assert analysis.context.agency == agency
    imported = CivilServant.objects.filter(postings__agency__path__startswith=agency.path)
    assert sorted(imported.values_list("official_id", flat=True).distinct()) == sorted(
        row[0] for row in PEOPLE
    )
    assert not imported.filter(user__isnull=False).exists()  # sign-ins are the next step


def test_only_sở_nội_vụ_gets_the_file_and_only_where_the_demo_is_allowed(demo, client, settings):
    users = get_user_model().objects
    for username in ("quantri.stp", "lanhdao.phong"):
        client.force_login(users.get(username=username))
        assert ENTRY not in client.get(reverse("wagtailadmin_home")).content.decode()
        response = client.get(reverse("demo_personnel_file"))
        assert response.status_code in (302, 403) and not response.has_header(
            "Content-Disposition"
        ), username
    settings.KPI_DEMO_ALLOWED = False
    client.force_login(users.get(username="sonoivu"))
    assert ENTRY not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("demo_personnel_file")).status_code == 404
