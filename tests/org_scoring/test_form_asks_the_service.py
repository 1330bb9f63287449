"""The organisation-scoring admin forms ask the inputs' write service (issue 27 item 3): the
form's ``clean`` and the check under the lock are one function
(``org_scoring.services.writes.appraisal_refusal``, the write guard), so what the form says on
its field is what the service decides — an agency admin appraising its own agency's mark or
certifying its own task is refused on the field, with the service's sentence; Sở Nội vụ's
appraisal goes through."""

from decimal import Decimal
from html import unescape

import pytest

from django.test import Client

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from org_scoring.access import appraiser_refusal_message
from tests.browsing import form_data
from tests.factories import AgencyAccessFactory, UserFactory
from tests.factories.org_scoring import OrganisationGeneralMarkFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ensure_roles()
    return build_world()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mark_form_says_what_the_service_decides(world, monkeypatch):
    from org_scoring.services import writes

    mark = OrganisationGeneralMarkFactory(agency=world.department)
    url = f"/admin/snippets/org_scoring/organisationgeneralmark/edit/{mark.pk}/"
    home_affairs = browser(UserFactory(username="sonoivu.f", groups=[HOME_AFFAIRS_GROUP]))
    page = form_data(home_affairs.get(url).content.decode())

    asked = []

    def service(user, action, row):
        asked.append((user.username, action, row.appraised_mark, row.appraised_by_id))
        return "Câu trả lời của dịch vụ ghi."

    monkeypatch.setattr(writes, "appraisal_refusal", service)
    answer = home_affairs.post(url, {**page, "appraised_mark": "7"})
    assert "Câu trả lời của dịch vụ ghi." in unescape(answer.content.decode())
    # Asked on the row as the form would save it: the mark and who appraised it.
    (call,) = asked
    assert call[0] == "sonoivu.f" and call[2] == Decimal(7) and call[3] is not None
    mark.refresh_from_db()
    assert mark.appraised_mark is None

    monkeypatch.undo()
    saved = home_affairs.post(url, {**page, "appraised_mark": "7"})
    assert saved.status_code == 302, unescape(saved.content.decode())[:3000]
    mark.refresh_from_db()
    assert mark.appraised_mark == Decimal(7)


def test_an_agency_admin_does_not_move_a_unit_mark_it_appraises_up_to_itself(world):
    """Review H3 through the form: the department's admin appraises its unit's mark (allowed)
    but the same mark moved to the department itself carries an appraisal of its own agency —
    the service's sentence on the appraised mark, nothing stored."""
    admin = UserFactory(username="quantri.f", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    mark = OrganisationGeneralMarkFactory(agency=world.unit)
    url = f"/admin/snippets/org_scoring/organisationgeneralmark/edit/{mark.pk}/"
    clerk = browser(admin)
    page = form_data(clerk.get(url).content.decode())
    answer = clerk.post(url, {**page, "agency": str(world.department.pk), "appraised_mark": "7"})
    text = unescape(answer.content.decode())
    assert answer.status_code == 200
    assert appraiser_refusal_message(world.department) in text
    mark.refresh_from_db()
    assert mark.agency == world.unit and mark.appraised_mark is None

    saved = clerk.post(url, {**page, "appraised_mark": "7"})
    assert saved.status_code == 302, unescape(saved.content.decode())[:3000]
    mark.refresh_from_db()
    assert mark.appraised_mark == Decimal(7) and mark.appraised_by == admin
