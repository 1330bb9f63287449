"""A framework that departs from Decree 335's 30/70 split, assigned to a state body, is warned
about on the assignment page and the framework editor, and saving needs the warning ticked
(issue 44, coverage L8). Not a refusal: a Party or Front body, a public-service unit may differ."""

import datetime
import re
from html import unescape

import pytest

from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP
from org.models.agency import AgencyKind
from scoring.models import CriteriaFramework, FrameworkAssignment
from tests.browsing import form_data as page_form
from tests.factories import AgencyFactory, UserFactory
from tests.scoring.helpers import build_world
from tests.scoring.test_framework_editor import form_data

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_scoring_frameworkassignment:add")
NGHE_AN_WARNING = (
    "Khung “{name}” không theo tỷ lệ 30/70 của Điều 12 Nghị định 335/2025/NĐ-CP (công chức: "
    "tiêu chí chung tối đa 30 điểm, kết quả thực hiện nhiệm vụ tối đa 70 điểm) — Lãnh đạo, "
    "quản lý: 50 điểm tiêu chí chung, 50 điểm kết quả thực hiện nhiệm vụ; Chuyên môn, nghiệp "
    "vụ: 40 điểm tiêu chí chung, 60 điểm kết quả thực hiện nhiệm vụ; Hỗ trợ, phục vụ: 50 điểm "
    "tiêu chí chung, 50 điểm kết quả thực hiện nhiệm vụ — mà được áp dụng cho cơ quan hành "
    "chính nhà nước ({where}). Chỉ áp dụng khi có căn cứ (khung của cơ quan Đảng, Mặt trận, "
    "đơn vị sự nghiệp có thể khác); hãy đánh dấu ô xác nhận để lưu."
)


@pytest.fixture
def officer():
    return UserFactory(username="snv.khung", groups=[HOME_AFFAIRS_GROUP])


@pytest.fixture
def nghe_an():
    framework = CriteriaFramework.objects.get(code="nghe-an-bon-nhom-chi-so")
    framework.save_revision().publish()
    return framework


def _assign(client, framework, agency, **extra):
    data = page_form(client.get(ADD).content.decode())
    data.update(
        framework=framework.pk,
        agency=agency.pk if agency is not None else "",
        effective_from="01/01/2026",
        decision_ref="12/QĐ-UBND",
        **extra,
    )
    return client.post(ADD, data)


def _confirm_error(response) -> str:
    html = unescape(response.content.decode())
    wrapper = html.split('data-contentpath="confirm_split"', 1)[1]
    found = re.findall(r'class="error-message"[^>]*>\s*(?:<p>)?([^<]+)', wrapper[:6000])
    assert found, wrapper[:3000]
    return found[0].strip()


def test_assigning_a_departing_framework_to_a_department_asks_the_warning_ticked(
    client, officer, nghe_an
):
    world = build_world()
    client.force_login(officer)
    response = _assign(client, nghe_an, world.department)
    assert response.status_code == 200
    assert _confirm_error(response) == NGHE_AN_WARNING.format(
        name=nghe_an.name, where=world.department.name
    )
    assert not FrameworkAssignment.objects.filter(framework=nghe_an).exists()

    response = _assign(client, nghe_an, world.department, confirm_split="on")
    assert response.status_code == 302
    assignment = FrameworkAssignment.objects.get(framework=nghe_an)
    assert assignment.agency == world.department
    # Opening it again shows the warning beside the box.
    edit = client.get(
        reverse("wagtailsnippets_scoring_frameworkassignment:edit", args=[assignment.pk])
    )
    assert "không theo tỷ lệ 30/70 của Điều 12 Nghị định 335/2025/NĐ-CP" in unescape(
        edit.content.decode()
    )
    # Re-saving it unchanged but for its decision number asks nothing again.
    url = reverse("wagtailsnippets_scoring_frameworkassignment:edit", args=[assignment.pk])
    data = page_form(edit.content.decode())
    data.pop("confirm_split", None)
    data["decision_ref"] = "13/QĐ-UBND"
    assert client.post(url, data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.decision_ref == "13/QĐ-UBND"


def test_the_whole_province_is_warned_too(client, officer, nghe_an):
    build_world()
    client.force_login(officer)
    response = _assign(client, nghe_an, None)
    assert response.status_code == 200
    assert "(toàn tỉnh)" in _confirm_error(response)


def test_a_party_body_or_a_public_service_unit_or_the_decree_split_saves_without_a_word(
    client, officer, nghe_an
):
    world = build_world()
    client.force_login(officer)
    party = AgencyFactory(code="TU", name="Tỉnh ủy Thử Nghiệm", kind=AgencyKind.PARTY, parent=None)
    assert _assign(client, nghe_an, party).status_code == 302
    school = AgencyFactory(
        code="TRUONG", name="Trường Thử Nghiệm", kind=AgencyKind.PUBLIC_SERVICE,
        parent=world.department,
    )  # fmt: skip
    assert _assign(client, nghe_an, school).status_code == 302
    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    response = _assign(client, default, world.department)
    assert response.status_code == 302
    assert "30/70" not in unescape(response.content.decode())


def test_the_editor_warns_and_asks_the_box_before_saving(client, officer, nghe_an):
    world = build_world()
    FrameworkAssignment.objects.create(
        framework=nghe_an, agency=world.department, effective_from=datetime.date(2026, 1, 1)
    )
    client.force_login(officer)
    url = reverse("scoring_framework_editor", args=[nghe_an.pk])
    html = unescape(client.get(url).content.decode())
    warning = NGHE_AN_WARNING.format(name=nghe_an.name, where=world.department.name)
    shown = html.split('id="fe-split-warning"', 1)[1].split("</div>", 1)[0]
    assert warning in shown
    assert 'name="confirm_split"' in html

    refused = client.post(url, form_data(nghe_an, action="save"))
    assert refused.status_code == 400
    errors = unescape(refused.content.decode()).split('id="fe-errors"', 1)[1].split("</div>")[0]
    assert warning in errors
    nghe_an.refresh_from_db()
    before = nghe_an.latest_revision_id

    saved = client.post(url, form_data(nghe_an, action="save", confirm_split="1"))
    assert saved.status_code == 302
    nghe_an.refresh_from_db()
    assert nghe_an.latest_revision_id != before


def test_the_decree_framework_on_the_editor_has_no_warning(client, officer):
    world = build_world()
    default = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    FrameworkAssignment.objects.create(
        framework=default, agency=world.department, effective_from=datetime.date(2026, 1, 1)
    )
    client.force_login(officer)
    html = client.get(reverse("scoring_framework_editor", args=[default.pk])).content.decode()
    assert 'id="fe-split-warning"' not in html and 'name="confirm_split"' not in html
