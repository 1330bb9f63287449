"""The board's people of a unit: the same people whether or not the viewer's reach of the unit
lets the page skip the per-person visibility check (100,000 people: the chairman's board)."""

import datetime

from accounts.models import User
from org.access import civil_servant_of
from org.models import AccessRole, Agency, LeadershipRole
from org.postings import governing_on
from tests.factories import AgencyAccessFactory, UnitFactory, UserFactory, post
from tests.worklog.helpers import TODAY
from worklog.access import visible_people
from worklog.services.tracking import _members, _posted_in


def _reference(user, unit, day):
    """The members as the board read them before: each candidate checked for visibility."""
    viewer = civil_servant_of(user)
    candidates = visible_people(user, day).filter(pk__in=_posted_in(unit, day))
    if viewer is not None:
        candidates = candidates.exclude(pk=viewer.pk)
    governing = governing_on(candidates.values("pk"), day, "agency__path")
    return {
        pk: name
        for pk, name in candidates.values_list("pk", "full_name")
        if pk in governing and governing[pk][0].startswith(unit.path)
    }


def test_members_equal_the_per_person_check_for_every_viewer_and_unit(world):
    nested = UnitFactory(parent=world.unit, code="SNV-P1-T", name="Tổ thử nghiệm")
    post(nested, LeadershipRole.STAFF, full_name="Người Tổ Con")
    # Primary posting in the other unit, a concurrent one in ours: governed by the other unit.
    post(world.unit, person=world.people["khac"], is_concurrent=True)
    # Moved out of the unit at the end of February: governed by the other unit now.
    moved = post(world.unit, full_name="Người Chuyển Đi", end=datetime.date(2026, 2, 28))
    post(world.other_unit, person=moved, start=datetime.date(2026, 3, 1))
    admin = UserFactory(username="quantri.p1", groups=["Quản trị cơ quan"])
    AgencyAccessFactory(user=admin, agency=world.unit, role=AccessRole.AGENCY_ADMIN)
    home = UserFactory(username="sonoivu.t", groups=["Sở Nội vụ"])
    viewers = [*world.users.values(), admin, home]
    for viewer in viewers:
        for unit in Agency.objects.all():
            for day in (TODAY, datetime.date(2026, 2, 10)):
                user = User.objects.get(pk=viewer.pk)  # no per-request cache carried over
                expected = _reference(user, unit, day)
                user = User.objects.get(pk=viewer.pk)
                assert _members(user, unit, day) == expected, (viewer.username, unit, day)
