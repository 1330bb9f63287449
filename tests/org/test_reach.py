"""The per-request reach of a user (``org.access.reach``; arch.md F1, F5): what the permission
layer reads of a user is kept in one place on the user object, the blocs a user appraises are
read from their grants (no side channel through the subtrees), and the ``forget_*`` functions
drop exactly what a write made stale."""

import datetime

import pytest

from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts import roles
from org import access, blocs
from org.access import AGENCY_ADMIN_GROUP, BLOC_APPRAISER_GROUP, CIVIL_SERVANT_GROUP
from org.models import AccessRole, AgencyKind, BlocLead, LeadershipRole, Posting
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    PartyCommitteeFactory,
    UserFactory,
    post,
    two_agencies,
    with_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def party():
    party = PartyCommitteeFactory()
    btc = AgencyFactory(
        parent=party, code="TU-BTC", name="Ban Tổ chức Tỉnh ủy", kind=AgencyKind.PARTY_BODY
    )
    BlocLead.objects.create(root=party, lead_agency=btc, reports_to="Ban Thường vụ Tỉnh ủy")
    appraiser = UserFactory(groups=[BLOC_APPRAISER_GROUP])
    AgencyAccessFactory(user=appraiser, agency=btc, role=AccessRole.BLOC_APPRAISER)
    return party, appraiser


def test_everything_read_of_a_user_is_kept_in_one_place():
    world = two_agencies()
    head = post(world.own, role=LeadershipRole.HEAD)
    user = with_user(head, "giamdoc", groups=[CIVIL_SERVANT_GROUP, AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=user, agency=world.own_unit)
    before = set(vars(user))

    access.civil_servant_of(user)
    access.is_home_affairs(user)
    access.headed_agencies(user)
    access.own_agencies(user)
    blocs.appraised_roots(user)
    access.scope_key(user)
    list(access.visible_civil_servants(user))
    user.has_perm("org.view_agency")

    added = set(vars(user)) - before
    assert "_reach" in added
    assert not [name for name in added if name.startswith(("_kpi", "_own", "_granted"))]
    kept = access.reach(user)
    assert kept is user.__dict__["_reach"]
    assert kept.person == head
    assert kept.paths == [world.own_unit.path, world.own.path]  # granted, then headed
    assert "org.view_agency" in kept.perm_answers


def test_the_blocs_a_user_appraises_come_from_their_grants(party, django_assert_num_queries):
    """Asked first, with no subtree read before: the grants, the groups, the roots."""
    root, appraiser = party
    with django_assert_num_queries(3):
        assert blocs.appraised_roots(appraiser) == [root]
    with django_assert_num_queries(1):  # the postings, for the agencies headed today
        assert access.reach(appraiser).paths[-1] == root.path
    with django_assert_num_queries(0):
        assert blocs.is_bloc_appraiser(appraiser)


def test_no_bloc_is_read_for_someone_without_a_bloc_grant(django_assert_num_queries):
    world = two_agencies()
    admin = UserFactory(groups=[AGENCY_ADMIN_GROUP, BLOC_APPRAISER_GROUP])
    AgencyAccessFactory(user=admin, agency=world.own)
    with django_assert_num_queries(1):  # the grants
        assert blocs.appraised_roots(admin) == []


def test_forgetting_the_postings_reads_them_again_and_keeps_the_grants(
    django_assert_num_queries,
):
    world = two_agencies()
    head = post(world.own, role=LeadershipRole.HEAD)
    user = with_user(head, "giamdoc")
    AgencyAccessFactory(user=user, agency=world.other_unit)
    assert access.reached_paths(user) == [world.other_unit.path, world.own.path]

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Posting.objects.filter(civil_servant=head).update(end_date=yesterday)
    access.forget_postings(user)
    with django_assert_num_queries(1):  # the postings again; the grants stay kept
        assert access.reached_paths(user) == [world.other_unit.path]
    assert access.headed_agencies(user) == []


def test_forgetting_the_groups_reads_them_again():
    user = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    assert access.group_names(user) == {CIVIL_SERVANT_GROUP}
    # Another request's user object (its own groups signal forgets only its own reach).
    type(user).objects.get(pk=user.pk).groups.add(
        Group.objects.get_or_create(name=AGENCY_ADMIN_GROUP)[0]
    )
    assert AGENCY_ADMIN_GROUP not in access.group_names(user)  # kept for the request
    access.forget_groups(user)
    assert access.group_names(user) == {CIVIL_SERVANT_GROUP, AGENCY_ADMIN_GROUP}


def test_an_anonymous_visitor_gets_no_reach():
    visitor = AnonymousUser()
    assert access.reached_paths(visitor) == []
    assert access.civil_servant_of(visitor) is None
    assert blocs.appraised_roots(visitor) == []
    assert "_reach" not in vars(visitor)


def test_the_agency_admins_reach_over_sign_ins_is_their_grants_subtrees():
    world = two_agencies()
    admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.own)
    assert access.grant_paths(admin, AccessRole.AGENCY_ADMIN) == [world.own.path]
    assert set(access.agencies_under([world.own.path])) == {world.own, world.own_unit}
    assert list(access.agencies_under([])) == []
    assert set(roles.admin_agencies(admin)) == {world.own, world.own_unit}


def test_the_lazy_request_user_and_the_user_it_wraps_share_one_reach(django_assert_num_queries):
    """The pages get Django's lazy ``request.user``; ``has_perm`` and the authentication
    backends get the user itself: both find the same reach (one read of the postings)."""
    user = UserFactory()
    lazy = SimpleLazyObject(lambda: user)
    with django_assert_num_queries(1):
        access.postings_of(lazy)
        access.postings_of(user)
    assert access.reach(lazy) is access.reach(user) is vars(user)["_reach"]


def test_permission_answers_are_djangos_with_the_backends_built_once(monkeypatch, settings):
    """``User.has_perm`` answers as Django's ``PermissionsMixin.has_perm`` (the groups put by
    hand, the groups a posting gives, a superuser, an inactive user, an object asked), while the
    backends are built once per list of paths, not once per question (the admin menu asks about
    150 questions a page)."""
    from django.contrib.auth import models as auth_models

    from accounts import models as account_models

    world = two_agencies()
    head = post(world.own, role=LeadershipRole.HEAD)
    leader = with_user(head, "giamdoc")
    admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    nobody = UserFactory()
    boss = UserFactory(is_superuser=True)
    gone = UserFactory(groups=[AGENCY_ADMIN_GROUP], is_active=False)
    questions = [
        "org.view_agency",
        "org.change_civilservant",
        "importers.import_excel",
        "scoring.change_assignmentline",
        "org.delete_agency",
        "nosuchapp.do_anything",
    ]
    built = []
    original = account_models.load_backend
    monkeypatch.setattr(
        account_models, "load_backend", lambda path: built.append(path) or original(path)
    )
    account_models._BACKENDS.clear()
    for user in (leader, admin, nobody, boss, gone):
        for perm in questions:
            django_answer = auth_models.PermissionsMixin.has_perm(user, perm)
            assert user.has_perm(perm) is django_answer, (user, perm)
            assert user.has_perm(perm, obj=world.own) is auth_models.PermissionsMixin.has_perm(
                user, perm, world.own
            )
    assert leader.has_perm("org.view_agency") and admin.has_perm("org.change_civilservant")
    assert not nobody.has_perm("org.view_agency") and not gone.has_perm("org.view_agency")
    assert boss.has_perm("nosuchapp.do_anything")
    assert len(built) == len(settings.AUTHENTICATION_BACKENDS)  # built once for them all

    # Another list of backends (a test's, a deployment's) is built for itself, not mixed up.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    fresh = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    assert fresh.has_perm("org.view_agency") is auth_models.PermissionsMixin.has_perm(
        fresh, "org.view_agency"
    )
    assert built[-1] == "django.contrib.auth.backends.ModelBackend"


def test_the_agencies_a_head_answers_for_come_from_the_agencies_headed(
    django_assert_num_queries,
):
    """A head with no agency administrator's grant answers for the agencies they head today —
    never the province nor a unit — read from the agencies headed, which the menu has read
    already with the grants: no query of its own. An administrator's agencies still come from
    the database."""
    from accounts.models import User

    world = two_agencies()
    province = world.own.parent
    director_person = post(world.own, role=LeadershipRole.HEAD)
    post(world.other, role=LeadershipRole.HEAD, person=director_person)
    director = with_user(director_person, "giamdoc")
    chairman = with_user(post(province, role=LeadershipRole.HEAD), "chutich")
    unit_head = with_user(post(world.own_unit, role=LeadershipRole.HEAD), "truongphong")
    deputy = with_user(post(world.own, role=LeadershipRole.DEPUTY), "phogiamdoc")
    admin_head = with_user(post(world.own_unit, role=LeadershipRole.HEAD), "truongphong2")
    AgencyAccessFactory(user=admin_head, agency=world.other, role=AccessRole.AGENCY_ADMIN)
    ended = with_user(
        post(
            world.other,
            role=LeadershipRole.HEAD,
            start=datetime.date(2020, 1, 1),
            end=timezone.localdate() - datetime.timedelta(days=1),
        ),
        "cu",
    )
    expected = {
        director: [world.own, world.other],
        chairman: [],
        unit_head: [],
        deputy: [],
        admin_head: [world.other],
        ended: [],
    }
    for user, agencies in expected.items():
        fresh = User.objects.get(pk=user.pk)  # a request's user object
        access.headed_agencies(fresh)  # the menu's questions: the agencies headed, the reach
        access.reached_paths(fresh)
        if agencies and user is not admin_head:
            with django_assert_num_queries(0):
                assert access.own_agencies(fresh) == sorted(agencies, key=lambda a: a.path)
        else:
            assert access.own_agencies(fresh) == sorted(agencies, key=lambda a: a.path)
