"""The catalog of a job position shows the position's job description in force: its version,
decision and date (dd/mm/yyyy), its tasks and the competencies with their levels — on the public
catalog page and on a frozen catalog version in the admin."""

import datetime

import pytest

from django.urls import reverse

from org import job_descriptions
from tests.factories import (
    CompetencyFactory,
    approve_description,
    basic_items,
    job_description,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def described(catalogs):
    competency = CompetencyFactory(code="P-PL", name="Kiểm tra văn bản pháp luật")
    version = job_description(
        catalogs["position"],
        tasks=("Thẩm định dự thảo văn bản",),
        competencies=[(competency, 4)],
        approved_on=datetime.date(2026, 1, 1),
    )
    return version


def test_public_catalog_page_shows_the_description_in_force(client, catalogs, described):
    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    html = client.get(page.url).content.decode()
    assert "Bản mô tả công việc phiên bản 1, áp dụng từ ngày 01/01/2026" in html
    assert f"Quyết định số {described.decision_number} ngày 01/01/2026" in html
    assert "Thẩm định dự thảo văn bản" in html
    assert "Kiểm tra văn bản pháp luật" in html and "4/5" in html and "Biểu hiện cấp 4" in html


def test_a_draft_is_not_shown_and_the_page_says_none_is_approved(client, catalogs):
    job_description(catalogs["position"], tasks=("Nhiệm vụ chưa duyệt",))
    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    html = client.get(page.url).content.decode()
    assert "Nhiệm vụ chưa duyệt" not in html
    assert "Chưa có bản mô tả công việc được phê duyệt." in html


def test_a_later_version_shows_from_its_date_only(client, catalogs, described):
    draft = job_descriptions.new_version(catalogs["position"])
    draft.tasks.update(name="Nhiệm vụ của phiên bản 2")
    approve_description(
        draft,
        job_descriptions.Decision(
            "30/QĐ-SNV", datetime.date(2099, 1, 1), "GĐ", datetime.date(2099, 1, 1)
        ),
    )
    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    html = client.get(page.url).content.decode()
    assert "Thẩm định dự thảo văn bản" in html and "phiên bản 2" not in html


def test_admin_catalog_version_shows_the_description_in_force_on_its_date(
    client, catalogs, described
):
    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    client.force_login(catalogs["approver"])
    version = page.versions.get()
    html = client.get(reverse("catalog_version_detail", args=[version.pk])).content.decode()
    assert "áp dụng từ ngày 01/01/2026" in html and "Kiểm tra văn bản pháp luật" in html
