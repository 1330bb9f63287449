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


def test_a_request_reads_the_headed_agencies_once(two_departments, django_assert_num_queries):
    """The menu's entries, the reach and the page ask ``headed_agencies`` on every admin page:
    read once per request and day (kept on the user object, which lives for one request)."""
    from org.access import headed_agencies
    from org.models import LeadershipRole
    from tests.factories import with_user

    _province, _a, unit_a, _b, _unit_b = two_departments
    user = with_user(post(unit_a, role=LeadershipRole.HEAD), "truongphong.mot-lan")
    assert headed_agencies(user) == [unit_a]
    with django_assert_num_queries(0):
        assert headed_agencies(user) == [unit_a]


def test_the_people_in_reach_are_read_by_the_subtree_agencies_ids(two_departments):
    """The reach of people lists the agencies of the user's subtrees (``Agency.objects.within``)
    and reads their postings by the posting's agency, not by a join on every posting's agency
    path (an agency admin's list at 100,000 people); the people are the same: posted under the
    subtree at any time, a unit's staff included, and not the other department's."""
    import datetime

    from org.models import CivilServant

    _province, a, unit_a, b, unit_b = two_departments
    user = AgencyAccessFactory(agency=a).user
    in_unit, in_department, elsewhere = post(unit_a), post(a), post(unit_b)
    moved = post(unit_a, start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31))
    post(b, person=moved, start=datetime.date(2022, 1, 1))
    people = visible_civil_servants(user)
    assert set(people) == {in_unit, in_department, moved}
    assert elsewhere not in set(people)
    sql = str(people.query)
    assert '"agency_id" IN' in sql and '"path"' not in sql.split("WHERE", 1)[1]
    assert set(CivilServant.objects.filter(pk__in=people.values("pk"))) == set(people)


def test_the_reach_and_the_own_record_are_one_key_lookup_in_every_history(two_departments):
    """The people a user sees are ``id IN (postings under the subtree, or the user's own)``:
    no ``OR`` and no ``EXISTS`` beside the subquery, so PostgreSQL joins the subtree's postings
    to the people instead of testing every person of the province (issue 34: a unit head's
    people list at 100,000 people). The same people in every history: a head, an agency admin
    posted elsewhere now, one whose own posting ended, and one posted nowhere (their own record
    by an ``OR``, the only case)."""
    import datetime

    from org.models import LeadershipRole
    from tests.factories import with_user

    _province, a, unit_a, b, unit_b = two_departments
    staff = post(unit_a)
    former = post(a, start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31))
    post(unit_b)
    head = post(unit_a, role=LeadershipRole.HEAD)
    elsewhere_now = post(unit_b)
    ended = post(b, start=datetime.date(2019, 1, 1), end=datetime.date(2020, 12, 31))
    never_posted = post(unit_b)
    never_posted.postings.all().delete()
    cases = {"head": (head, {staff, head}, False)}  # the unit, not the department
    for name, person in (("elsewhere", elsewhere_now), ("ended", ended), ("none", never_posted)):
        cases[name] = (person, {staff, former, head, person}, name == "none")
    for name, (person, expected, by_or) in cases.items():
        user = with_user(person, f"nguoi.{name}")
        if name != "head":
            AgencyAccessFactory(agency=a, user=user)
        people = visible_civil_servants(user)
        assert set(people) == expected, name
        where = str(people.query).split("WHERE", 1)[1]
        assert "EXISTS" not in where, name
        assert ('OR "org_civilservant"."id" = ' in where) is by_or, (name, where)
        assert can_access_civil_servant(user, person), name
        assert not can_access_civil_servant(user, elsewhere_now if name != "elsewhere" else ended)
