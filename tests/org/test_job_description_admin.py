"""The job description and competency admin: who lists, adds, changes and approves; approved
versions read-only; approval as a confirmed action with its decision typed dd/mm/yyyy."""

import datetime
from html import unescape

import pytest

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import Competency, DescriptionStatus, JobDescription
from org.roles import ensure_roles
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    CompetencyFactory,
    JobPositionFactory,
    UserFactory,
    job_description,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


def refused(response) -> bool:
    """Wagtail answers a refusal with 403 or a redirect to the admin home."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] in ("/admin/", "/admin/login/")
    )


def url(model, action, *args):
    return reverse(f"wagtailsnippets_org_{model}:{action}", args=args)


@pytest.fixture
def users():
    ensure_roles()
    agency_admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=agency_admin, agency=AgencyFactory())
    return {
        "home_affairs": UserFactory(groups=[HOME_AFFAIRS_GROUP]),
        "agency_admin": agency_admin,
        "civil_servant": UserFactory(groups=["Công chức"]),
    }


def test_agency_admin_reads_but_writes_only_its_own_drafts_and_never_approves(client, users):
    from org import job_descriptions

    approved = job_description(JobPositionFactory(name="Chuyên viên pháp chế"), approved_on=JAN)
    common_draft = job_description()
    other_draft = job_description(agency=AgencyFactory(name="Sở Khác"))
    own = users["agency_admin"].agency_accesses.get().agency
    own_draft = job_description(agency=own)
    submitted = job_descriptions.submit(job_description(agency=own), users["agency_admin"])
    client.force_login(users["agency_admin"])
    assert "Chuyên viên pháp chế" in client.get(url("jobdescription", "list")).content.decode()
    inspect = client.get(url("jobdescription", "inspect", approved.pk))
    assert inspect.status_code == 200 and "Chuyên viên pháp chế" in inspect.content.decode()
    assert client.get(url("jobdescription", "add")).status_code == 200
    assert client.get(url("jobdescription", "edit", own_draft.pk)).status_code == 200
    assert refused(client.get(url("jobdescription", "edit", common_draft.pk)))
    assert refused(client.get(url("jobdescription", "edit", other_draft.pk)))
    assert refused(client.get(url("competency", "add")))
    for step in ("appraise", "approve"):
        action = url("jobdescription", "action", submitted.pk, step)
        assert refused(client.get(action))
        assert refused(client.post(action, {}))
    submitted.refresh_from_db()
    assert submitted.status == DescriptionStatus.SUBMITTED


def test_civil_servant_is_refused(client, users):
    version = job_description(approved_on=JAN)
    client.force_login(users["civil_servant"])
    assert refused(client.get(url("jobdescription", "list")))
    assert refused(client.get(url("jobdescription", "inspect", version.pk)))


def test_an_approved_version_is_read_only_even_for_home_affairs(client, users):
    version = job_description(approved_on=JAN)
    client.force_login(users["home_affairs"])
    assert refused(client.get(url("jobdescription", "edit", version.pk)))
    assert refused(client.post(url("jobdescription", "delete", version.pk)))
    html = client.get(url("jobdescription", "list")).content.decode()
    assert url("jobdescription", "edit", version.pk) not in html
    assert url("jobdescription", "action", version.pk, "new_version") in html
    inspect = client.get(url("jobdescription", "inspect", version.pk)).content.decode()
    assert "01/01/2026" in inspect and "Biểu hiện cấp 3" in inspect


def test_home_affairs_submits_appraises_then_approves_with_a_confirmed_decision(client, users):
    version = job_description()
    client.force_login(users["home_affairs"])
    submit = url("jobdescription", "action", version.pk, "submit")
    confirm = client.get(submit)
    # The step asks to confirm, naming the description's position.
    assert confirm.status_code == 200
    assert version.job_position.name in unescape(confirm.content.decode())
    client.post(submit, {})
    version.refresh_from_db()
    assert version.status == DescriptionStatus.SUBMITTED
    client.post(url("jobdescription", "action", version.pk, "appraise"), {"comment": "Đạt"})
    version.refresh_from_db()
    assert version.status == DescriptionStatus.APPRAISED

    approve = url("jobdescription", "action", version.pk, "approve")
    page = client.get(approve).content.decode()
    assert "Số quyết định phê duyệt" in page and "không sửa được nữa" in page
    response = client.post(
        approve,
        {
            "decision_number": "20/QĐ-SNV",
            "decision_date": "15/12/2025",
            "signer": "Giám đốc Sở Nội vụ",
            "effective_from": "01/01/2026",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == DescriptionStatus.APPROVED
    assert version.decision_date == datetime.date(2025, 12, 15)
    assert version.effective_from == JAN
    assert version.approved_by == users["home_affairs"]


def test_a_bad_decision_is_shown_on_its_field(client, users):
    from org import job_descriptions

    snv = users["home_affairs"]
    version = job_descriptions.appraise(job_descriptions.submit(job_description(), snv), snv)
    client.force_login(users["home_affairs"])
    response = client.post(
        url("jobdescription", "action", version.pk, "approve"),
        {
            "decision_number": "20/QĐ-SNV",
            "decision_date": "15/11/2026",
            "signer": "Giám đốc",
            "effective_from": "01/01/2026",
        },
    )
    assert response.status_code == 200
    assert "Ngày áp dụng không được trước ngày ký quyết định (15/11/2026)." in (
        response.content.decode()
    )
    version.refresh_from_db()
    assert version.status == DescriptionStatus.APPRAISED


def test_new_version_action_copies_and_opens_the_draft(client, users):
    version = job_description(approved_on=JAN)
    client.force_login(users["home_affairs"])
    response = client.post(url("jobdescription", "action", version.pk, "new_version"), {})
    draft = JobDescription.objects.get(job_position=version.job_position, number=2)
    assert response["Location"] == url("jobdescription", "edit", draft.pk)
    assert draft.tasks.count() == version.tasks.count()
    edit = client.get(url("jobdescription", "edit", draft.pk))
    assert edit.status_code == 200
    assert draft.job_position.name in unescape(edit.content.decode())


def _competency_form(level_count, levels):
    data = {
        "code": "nl-moi",
        "name": "Năng lực mới",
        "kind": "general",
        "level_count": str(level_count),
        "is_active": "on",
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for n, level in enumerate(levels):
        data |= {
            f"levels-{n}-level": str(level),
            f"levels-{n}-descriptor": f"Cấp {level}",
            f"levels-{n}-ORDER": str(n),
            f"levels-{n}-DELETE": "",
            f"levels-{n}-id": "",
        }
    return data


def test_home_affairs_keeps_the_dictionary_and_levels_stay_within_the_scale(client, users):
    client.force_login(users["home_affairs"])
    response = client.post(url("competency", "add"), _competency_form(3, [1, 2, 4]))
    assert response.status_code == 200
    assert "Cấp độ phải từ 1 đến 3" in response.content.decode()
    assert not Competency.objects.filter(code="NL-MOI").exists()
    response = client.post(url("competency", "add"), _competency_form(3, [1, 2, 3]))
    assert response.status_code == 302
    competency = Competency.objects.get(code="NL-MOI")
    assert competency.levels.count() == 3 and competency.descriptor(2) == "Cấp 2"


def test_competency_chooser_in_the_description_form(client, users):
    CompetencyFactory(name="Soạn thảo văn bản")
    client.force_login(users["home_affairs"])
    html = client.get(url("jobdescription", "add")).content.decode()
    assert "Năng lực yêu cầu" in html and "Nhiệm vụ" in html


def test_agency_admin_adds_a_task_to_its_own_draft_through_the_form(client, users):
    """The inline rows of an agency's own draft are written by the agency (a new task is
    checked under the description it joins, not refused as out of reach)."""
    from tests.browsing import form_data

    own = users["agency_admin"].agency_accesses.get().agency
    draft = job_description(agency=own)
    client.force_login(users["agency_admin"])
    edit = url("jobdescription", "edit", draft.pk)
    data = form_data(client.get(edit).content.decode())
    n = int(data["tasks-TOTAL_FORMS"])
    data.update(
        {
            "tasks-TOTAL_FORMS": str(n + 1),
            f"tasks-{n}-name": "Rà soát văn bản",
            f"tasks-{n}-output": "",
            f"tasks-{n}-frequency": "",
            f"tasks-{n}-ORDER": str(n + 1),
            f"tasks-{n}-id": "",
            f"tasks-{n}-DELETE": "",
        }
    )
    response = client.post(edit, data)
    assert response.status_code == 302, unescape(response.content.decode())[:3000]
    assert draft.tasks.filter(name="Rà soát văn bản").exists()
    # Another agency's admin gets the same body refused, and nothing is written.
    common = job_description()
    data = form_data(client.get(url("jobdescription", "edit", draft.pk)).content.decode())
    assert refused(client.post(url("jobdescription", "edit", common.pk), data))
    assert not common.tasks.filter(name="Rà soát văn bản").exists()
