"""Review 2026-11-25 (coverage A8, H2): a re-check (phúc tra) asked in a bloc a province gave to
another lead body (Ban Tổ chức Tỉnh ủy for the Party, the Front's standing committee) goes to
that body's appraisers, not to Sở Nội vụ; the pages name who re-checks."""

import pytest

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from org.access import BLOC_APPRAISER_GROUP
from org.models import AccessRole, BlocLead
from ratings.services import period_complaints as service
from tests.factories import AgencyAccessFactory, UserFactory
from tests.ratings.test_period_complaints import _file, setup  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bloc(setup):  # noqa: F811
    world = setup[0]
    lead = world.department
    lead.name = "Ban Tổ chức Tỉnh ủy"
    lead.save()
    BlocLead.objects.create(root=world.province, lead_agency=lead, reports_to="Ban Thường vụ")
    appraiser = UserFactory(
        username="thamdinh", email="thamdinh@example.vn", groups=[BLOC_APPRAISER_GROUP]
    )
    AgencyAccessFactory(user=appraiser, agency=lead, role=AccessRole.BLOC_APPRAISER)
    return setup, appraiser


def test_the_blocs_lead_body_rechecks_not_home_affairs(bloc, client):
    (_world, person, head, score, _line, _outsider, home), appraiser = bloc
    complaint = _file(person, score)
    service.answer(head.user, complaint, upheld=False, text="Không có căn cứ.")
    mail.outbox.clear()
    service.request_recheck(person.user, complaint, text="Đề nghị phúc tra.")
    complaint.refresh_from_db()
    assert list(service.waiting_for(appraiser)) == [complaint]
    assert list(service.waiting_for(home)) == []
    from cms.mail import retry_pending

    retry_pending()
    told = {address for message in mail.outbox for address in message.to}
    assert "thamdinh@example.vn" in told and "snv@example.vn" not in told
    with pytest.raises(PermissionDenied):
        service.recheck(home, complaint, upheld=False, text="x")
    client.force_login(appraiser)
    page = client.get(reverse("ratings_period_complaint", args=[complaint.pk])).content.decode()
    assert "Chờ Ban Tổ chức Tỉnh ủy phúc tra" in page
    assert "Phúc tra (Ban Tổ chức Tỉnh ủy)" in page
    service.recheck(appraiser, complaint, upheld=False, text="Giữ nguyên.")
    complaint.refresh_from_db()
    page = client.get(reverse("ratings_period_complaint", args=[complaint.pk])).content.decode()
    assert "Ban Tổ chức Tỉnh ủy phúc tra: giữ nguyên kết quả" in page
    assert "Kết luận phúc tra của Ban Tổ chức Tỉnh ủy" in page
    client.force_login(person.user)
    page = client.get(reverse("ratings_period_complaint", args=[complaint.pk])).content.decode()
    assert "Sở Nội vụ" not in page


def test_a_vien_chuc_is_not_called_cong_chuc_on_the_complaint_and_explanation(setup, client):  # noqa: F811
    """Review 2026-11-25 (ux M7): "Diễn giải" and the monthly complaint labelled viên chức and
    contract workers "Công chức"."""
    from org.models import PersonCategory

    _world, person, _head, score, _line, _outsider, _home = setup
    score.posting.category = PersonCategory.PUBLIC_EMPLOYEE
    score.posting.save()
    complaint = _file(person, score)
    client.force_login(person.user)
    page = client.get(reverse("ratings_period_complaint", args=[complaint.pk])).content.decode()
    assert "<dt>Viên chức</dt>" in page and "<dt>Công chức</dt>" not in page
    assert "Công chức gửi kiến nghị" not in page
    page = client.get(reverse("scoring_explain", args=[score.pk])).content.decode()
    assert "<dt>Viên chức</dt>" in page and "<dt>Công chức</dt>" not in page
    # The products table scrolls sideways and is reached by keyboard (axe).
    assert 'tabindex="0" role="region"' in page
