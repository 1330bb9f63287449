"""Inspection records: Sở Nội vụ sees all, an agency its own; private files reach no one else;
an upload that is not what it says is refused with the field named."""

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org import access
from oversight.access import visible_inspections
from oversight.models import Inspection, InspectionAttachment
from tests.factories import (
    InspectionAttachmentFactory,
    InspectionFactory,
    InspectionFindingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspections(province):
    own = InspectionFactory(agency=province.justice, decision_ref="45/QĐ-SNV")
    InspectionFindingFactory(inspection=own, description="Thiếu minh chứng quý I")
    InspectionFindingFactory(inspection=own, description="Cập nhật chậm", severity="note")
    other = InspectionFactory(agency=province.health, decision_ref="46/QĐ-SNV")
    return {
        "own": own,
        "other": other,
        "own_file": InspectionAttachmentFactory(inspection=own),
        "other_file": InspectionAttachmentFactory(inspection=other),
    }


def test_scoping_of_the_rows(province, inspections):
    assert set(visible_inspections(province.sonoivu)) == {inspections["own"], inspections["other"]}
    assert list(visible_inspections(province.admin_stp)) == [inspections["own"]]
    assert list(visible_inspections(province.clerk)) == []
    assert not access.may(province.admin_stp, "change", inspections["own"])
    assert access.may(province.sonoivu, "change", inspections["own"])


def test_detail_page(client, province, inspections):
    client.force_login(province.admin_stp)
    response = client.get(reverse("oversight_inspection", args=[inspections["own"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thiếu minh chứng quý I" in html and "Cập nhật chậm" in html
    assert "15/09/2026" in html and "31/10/2026" in html
    assert reverse("oversight_inspection_file", args=[inspections["own_file"].pk]) in html
    assert "/edit/" not in html
    other = client.get(reverse("oversight_inspection", args=[inspections["other"].pk]))
    assert other.status_code == 403 or other["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [
        ("sonoivu", 200, 200),
        ("admin_stp", 200, 403),
        ("admin_syt", 403, 200),
        ("clerk", 403, 403),
    ],
)
def test_private_files_reach_only_who_sees_the_inspection(
    client, province, inspections, who, own, other
):
    client.force_login(getattr(province, who))
    for key, expected in (("own_file", own), ("other_file", other)):
        response = client.get(reverse("oversight_inspection_file", args=[inspections[key].pk]))
        if expected == 403 and response.status_code == 302:
            assert response["Location"] == "/admin/", key
            continue
        assert response.status_code == expected, key
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_anonymous_gets_no_file(client, inspections):
    response = client.get(reverse("oversight_inspection_file", args=[inspections["own_file"].pk]))
    assert response.status_code == 302


def test_stored_file_has_no_public_url(inspections):
    with pytest.raises(ValueError, match="private file"):
        _ = inspections["own_file"].file.url


def test_a_renamed_web_page_is_refused_naming_the_field(province):
    inspection = InspectionFactory(agency=province.justice)
    attachment = InspectionAttachment(
        inspection=inspection,
        title="Biên bản",
        file=SimpleUploadedFile("bien-ban.pdf", b"<html><script>x</script></html>"),
    )
    with pytest.raises(ValidationError, match="Tệp đính kèm"):
        attachment.full_clean()


def test_dates_must_be_in_order(province):
    import datetime

    inspection = InspectionFactory.build(
        agency=province.justice,
        covers_from=datetime.date(2026, 6, 30),
        covers_to=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        inspection.full_clean()
    assert "covers_to" in error.value.message_dict


def test_dashboard_links_the_inspection(client, province, inspections):
    client.force_login(province.admin_stp)
    response = client.get(reverse("dashboards_node", args=[province.justice.pk]))
    html = response.content.decode()
    assert reverse("oversight_inspection", args=[inspections["own"].pk]) in html
    assert "46/QĐ-SNV" not in html
    assert Inspection.objects.count() == 2


def test_edit_form_names_the_stored_file_without_a_link(client, province, inspections):
    client.force_login(province.sonoivu)
    url = reverse("wagtailsnippets_oversight_inspection:edit", args=[inspections["own"].pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp hiện tại: ket-luan" in html
    assert "oversight/inspections/" not in html
    client.force_login(province.admin_stp)
    response = client.get(url)
    assert response.status_code in (302, 403)


def _inspection_form(province, upload):
    management = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0"}
    data = {
        "agency": province.health.pk,
        "decision_ref": "47/QĐ-SNV",
        "decision_date": "15/09/2026",
        "team": "Trưởng đoàn: Phó Giám đốc Sở Nội vụ",
        "covers_from": "01/01/2026",
        "covers_to": "30/06/2026",
        "started_on": "22/09/2026",
        "ended_on": "",
        "conclusion_ref": "",
        "conclusion": "",
        "findings-0-description": "Chưa lập biên bản họp đánh giá",
        "findings-0-severity": "violation",
        "findings-0-remedy": "Lập lại biên bản",
        "findings-0-remedy_due": "31/10/2026",
        "findings-0-status": "open",
        "findings-0-status_note": "",
        "findings-0-ORDER": "1",
        "findings-0-id": "",
        "attachments-0-title": "Quyết định kiểm tra",
        "attachments-0-file": upload,
        "attachments-0-ORDER": "1",
        "attachments-0-id": "",
    }
    for prefix in ("findings", "attachments"):
        data.update({f"{prefix}-{key}": value for key, value in management.items()})
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def test_sonoivu_records_an_inspection_with_dd_mm_yyyy_dates_and_a_file(client, province):
    client.force_login(province.sonoivu)
    url = reverse("wagtailsnippets_oversight_inspection:add")
    upload = SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4 decision")
    response = client.post(url, _inspection_form(province, upload))
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(decision_ref="47/QĐ-SNV")
    assert str(inspection.decision_date) == "2026-09-15"
    assert inspection.created_by == province.sonoivu
    assert inspection.findings.get().remedy_due.isoformat() == "2026-10-31"
    assert inspection.attachments.get().filename == "quyet-dinh.pdf"


def test_a_bad_file_writes_nothing(client, province):
    client.force_login(province.sonoivu)
    url = reverse("wagtailsnippets_oversight_inspection:add")
    upload = SimpleUploadedFile("quyet-dinh.pdf", b"<html>not a pdf</html>")
    response = client.post(url, _inspection_form(province, upload))
    assert response.status_code == 200
    assert "Tệp đính kèm" in response.content.decode()
    assert not Inspection.objects.exists()


def test_listing_links_each_visible_inspection_to_its_page(client, province, inspections):
    client.force_login(province.admin_stp)
    response = client.get(reverse("wagtailsnippets_oversight_inspection:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("oversight_inspection", args=[inspections["own"].pk]) in html
    assert "46/QĐ-SNV" not in html
