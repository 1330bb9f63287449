"""The demo ships one agency's personnel file, not its people (issue 32, done-when 1): Sở Văn
hóa, Thể thao và Du lịch has units and a catalog but nobody in it; its file, written by the
personnel template's own builder, waits in a documents collection only Sở Nội vụ opens, and
imports as it is."""

import pytest

from django.contrib.auth import get_user_model

from demo.personnel_file_demo import AGENCY_CODE, DOCUMENT_TITLE, PEOPLE
from importers import pipeline
from org.models import Agency, CivilServant, Posting

pytestmark = pytest.mark.django_db


def test_the_agency_has_no_people_and_its_file_imports_without_a_problem(demo, tmp_path):
    from wagtail.documents import get_document_model

    agency = Agency.objects.get(code=AGENCY_CODE)
    assert not Posting.objects.filter(agency__path__startswith=agency.path).exists()
    document = get_document_model().objects.get(title=DOCUMENT_TITLE)
    path = tmp_path / "ho-so.xlsx"
    with document.file.open("rb") as stored:
        path.write_bytes(stored.read())

    sonoivu = get_user_model().objects.get(username="sonoivu")
    analysis, job = pipeline.commit(path, user=sonoivu)
    assert job is not None, [issue.line() for issue in analysis.errors]
    assert analysis.context.agency == agency
    imported = CivilServant.objects.filter(postings__agency__path__startswith=agency.path)
    assert sorted(imported.values_list("official_id", flat=True).distinct()) == sorted(
        row[0] for row in PEOPLE
    )
    assert not imported.filter(user__isnull=False).exists()  # sign-ins are the next step


def test_only_sở_nội_vụ_sees_the_file(demo):
    from wagtail.documents import get_document_model
    from wagtail.documents.permissions import permission_policy

    document = get_document_model().objects.get(title=DOCUMENT_TITLE)
    users = get_user_model().objects
    assert permission_policy.user_has_permission_for_instance(
        users.get(username="sonoivu"), "change", document
    )
    for username in ("quantri.stp", "congchuc", "lanhdao.phong"):
        assert not permission_policy.user_has_any_permission_for_instance(
            users.get(username=username), ["change", "choose"], document
        ), username
    restriction = document.collection.get_view_restrictions().get()
    assert [g.name for g in restriction.groups.all()] == ["Sở Nội vụ"]
