import pytest

from org.access import (
    HOME_AFFAIRS_GROUP,
    can_access_agency,
    can_access_civil_servant,
    visible_agencies,
    visible_civil_servants,
)
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments():
    province = ProvinceFactory()
    a, b = AgencyFactory(parent=province), AgencyFactory(parent=province)
    return province, a, UnitFactory(parent=a), b, UnitFactory(parent=b)


def test_home_affairs_sees_everything(two_departments):
    user = UserFactory(groups=[HOME_AFFAIRS_GROUP])
    assert visible_agencies(user).count() == 5


def test_agency_admin_sees_only_their_subtree(two_departments):
    _province, a, unit_a, _b, unit_b = two_departments
    access = AgencyAccessFactory(agency=a)
    user = access.user
    assert set(visible_agencies(user)) == {a, unit_a}
    assert can_access_agency(user, unit_a)
    assert not can_access_agency(user, unit_b)
    staff_a, staff_b = post(unit_a), post(unit_b)
    assert set(visible_civil_servants(user)) == {staff_a}
    assert not can_access_civil_servant(user, staff_b)


def test_civil_servant_sees_only_self(two_departments):
    _province, _a, unit_a, _b, _unit_b = two_departments
    me, colleague = post(unit_a), post(unit_a)
    me.user = UserFactory()
    me.save()
    assert list(visible_civil_servants(me.user)) == [me]
    assert not can_access_civil_servant(me.user, colleague)
    assert visible_agencies(me.user).count() == 0


def test_a_head_keeps_their_agency_when_someone_else_left_it(two_departments):
    """``headed_agencies``: the head's own posting decides, not whether any posting of the
    agency has ended (an ``exclude`` over the postings used to drop the agency)."""
    import datetime

    from org.access import headed_agencies
    from org.models import LeadershipRole
    from tests.factories import with_user

    _province, _a, unit_a, _b, _unit_b = two_departments
    head = post(unit_a, role=LeadershipRole.HEAD)
    user = with_user(head, "truongphong.a")
    post(unit_a, start=datetime.date(2022, 1, 1), end=datetime.date(2024, 12, 31))
    assert headed_agencies(user) == [unit_a]
    assert can_access_agency(user, unit_a)
