"""A body of the Party bloc drafts the job description of one of its positions and the bloc's lead
body appraises and approves it (issue 45 item 1; P2 §II.1: agencies draft, the competent level
approves; org.blocs: Ban Tổ chức Tỉnh ủy for the Party bloc). Through the admin's pages, as the
people click them: Ban Tuyên giáo's admin adds the description with its duties and required
competency and submits it; Sở Nội vụ and the Front's appraiser cannot appraise it; Ban Tổ chức's
appraiser appraises and approves it with the decision. What each is told and what is stored."""

import re
from html import unescape

import pytest

from django.urls import reverse
from django.utils import timezone

from org.models import DescriptionStatus, JobDescription
from org.roles import ensure_roles
from tests.browsing import form_data
from tests.factories import CompetencyFactory, JobPositionFactory
from tests.org.test_blocs import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

DUTIES = ("Tham mưu tuyên truyền nghị quyết của Đảng", "Tổng hợp dư luận xã hội hằng tháng")


def url(action, *args):
    return reverse(f"wagtailsnippets_org_jobdescription:{action}", args=args)


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] in ("/admin/", "/admin/login/")
    )


def test_a_party_body_drafts_its_description_and_ban_to_chuc_appraises_and_approves_it(
    client,
    world,  # noqa: F811
):
    ensure_roles()
    w = world
    position = JobPositionFactory(name="Chuyên viên tuyên truyền")
    competency = CompetencyFactory(name="Nắm vững chủ trương, đường lối")

    # 1. Ban Tuyên giáo's admin adds the description of its position, for its own body.
    admin = w["admins"]["TU-BTG"]
    client.force_login(admin)
    add = url("add")
    data = form_data(client.get(add).content.decode())
    data.update(
        {
            "job_position": str(position.pk),
            "agency": str(w["propaganda"].pk),
            "purpose": "Tuyên truyền chủ trương, đường lối của Đảng",
            "note": "",
            "tasks-TOTAL_FORMS": str(len(DUTIES)),
            "tasks-INITIAL_FORMS": "0",
            "requirements-TOTAL_FORMS": "0",
            "requirements-INITIAL_FORMS": "0",
            "competencies-TOTAL_FORMS": "1",
            "competencies-INITIAL_FORMS": "0",
            "competencies-0-id": "",
            "competencies-0-ORDER": "1",
            "competencies-0-DELETE": "",
            "competencies-0-competency": str(competency.pk),
            "competencies-0-required_level": "3",
        }
    )
    for n, duty in enumerate(DUTIES):
        data.update(
            {
                f"tasks-{n}-id": "",
                f"tasks-{n}-ORDER": str(n + 1),
                f"tasks-{n}-DELETE": "",
                f"tasks-{n}-name": duty,
                f"tasks-{n}-output": "",
                f"tasks-{n}-frequency": "",
            }
        )
    response = client.post(add, data)
    assert response.status_code == 302, text(response)[:3000]
    version = JobDescription.objects.get(job_position=position)
    assert (version.agency, version.status, version.number) == (
        w["propaganda"],
        DescriptionStatus.DRAFT,
        1,
    )
    assert list(version.tasks.order_by("sort_order").values_list("name", flat=True)) == list(DUTIES)
    assert [(r.competency, r.required_level) for r in version.competencies.all()] == [
        (competency, 3)
    ]
    # The body of another bloc (the Women's Union) neither edits nor submits it.
    client.force_login(w["admins"]["HLHPN"])
    assert refused(client.get(url("edit", version.pk)))
    assert refused(client.post(url("action", version.pk, "submit"), {}))

    # 2. The body's admin submits it; it says where it goes.
    client.force_login(admin)
    submit = url("action", version.pk, "submit")
    assert "Đã trình thẩm định." in text(client.post(submit, {}, follow=True))
    version.refresh_from_db()
    assert version.status == DescriptionStatus.SUBMITTED
    # The drafting body does not appraise its own description.
    assert refused(client.get(url("action", version.pk, "appraise")))

    # 3. Neither Sở Nội vụ (the state bloc's) nor the Front's appraiser appraises it.
    for who in ("home", "front_appraiser"):
        client.force_login(w[who])
        appraise = url("action", version.pk, "appraise")
        assert refused(client.get(appraise)), who
        client.post(appraise, {"comment": "Đạt"})
        version.refresh_from_db()
        assert version.status == DescriptionStatus.SUBMITTED, who

    # 4. Ban Tổ chức Tỉnh ủy's appraiser appraises it, then approves it with the decision.
    appraiser = w["party_appraiser"]
    client.force_login(appraiser)
    page = text(client.get(url("inspect", version.pk)))
    assert DUTIES[0] in page and "Thẩm định đạt" in page
    done = client.post(
        url("action", version.pk, "appraise"), {"comment": "Đạt yêu cầu"}, follow=True
    )
    assert "Đã thẩm định. Bản mô tả chờ phê duyệt." in text(done)
    approve = url("action", version.pk, "approve")
    today = timezone.localdate()
    done = client.post(
        approve,
        {
            "decision_number": "12-QĐ/BTCTU",
            "decision_date": today.strftime("%d/%m/%Y"),
            "signer": "Trưởng Ban Tổ chức Tỉnh ủy",
            "effective_from": today.strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert "Đã phê duyệt. Phiên bản này không còn sửa được." in text(done)
    version.refresh_from_db()
    assert version.status == DescriptionStatus.APPROVED
    assert (version.appraised_by, version.appraisal_comment, version.approved_by) == (
        appraiser,
        "Đạt yêu cầu",
        appraiser,
    )
    assert (version.decision_number, version.signer, version.effective_from) == (
        "12-QĐ/BTCTU",
        "Trưởng Ban Tổ chức Tỉnh ủy",
        today,
    )
    # Approved, it is frozen for its own body too.
    client.force_login(admin)
    assert refused(client.get(url("edit", version.pk)))
