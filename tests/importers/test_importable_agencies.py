"""``importable_agencies`` (asked by the admin menu on every page) reads each agency's catalog
page and its workflow state at once; it must name the same agencies as asking every kind about
each agency on its own, including a reviewer who may edit a catalog only while it is in
appraisal (Wagtail's workflow task)."""

import pytest

from accounts.models import User
from catalog_pages.access import viewable_agencies
from catalog_pages.models import AgencyCatalogPage
from importers.access import can_use_importer, importable_agencies
from importers.kinds import KINDS
from org.access import HOME_AFFAIRS_GROUP
from org.models import AGENCY_KINDS, Agency
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _asked_one_by_one(user) -> set[int]:
    candidates = viewable_agencies(user).filter(kind__in=AGENCY_KINDS, is_active=True)
    allowed = set()
    for pk in candidates.values_list("pk", flat=True):
        agency = Agency.objects.get(pk=pk)  # nothing prefetched
        if any(kind.can_import(user, agency) for kind in KINDS.values()):
            allowed.add(pk)
    return allowed


@pytest.mark.parametrize("in_appraisal", [False, True])
def test_importable_agencies_equal_each_agency_asked_alone(world, in_appraisal):
    health_page = AgencyCatalogPage.objects.get(agency=world["health"])
    workflow = health_page.get_workflow()
    # The appraisal step: the bloc's lead body (``catalog_pages.models.appraisal``, Sở Nội vụ
    # for the state bloc) — a reviewer reaches the catalog through it, not through a group.
    reviewer = UserFactory(username="thamdinh.syt", groups=[HOME_AFFAIRS_GROUP])
    if in_appraisal:
        workflow.start(health_page, world["home_affairs"])
        workflow.start(world["justice_page"], world["justice_editor"])
    keys = ["home_affairs", "justice_admin", "health_admin", "justice_editor", "outsider"]
    for user in [*(world[key] for key in keys), reviewer]:
        expected = _asked_one_by_one(User.objects.get(pk=user.pk))
        fresh = User.objects.get(pk=user.pk)
        assert set(importable_agencies(fresh).values_list("pk", flat=True)) == expected, user
        assert can_use_importer(User.objects.get(pk=user.pk)) == bool(expected), user
