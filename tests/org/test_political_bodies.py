"""Party bodies, the Fatherland Front, socio-political organisations and public-service units:
where they sit in the tree and who evaluates their people by default (issue 18, docs/scope.md
§3; every default is an assumption the province confirms, marked in the rule's citation)."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from org.authority import AuthorityError, people_evaluated_by, resolve_authority
from org.models import AGENCY_KINDS, Agency, AgencyKind, AuthorityRule, LeadershipRole
from tests.factories import (
    AgencyFactory,
    FrontFactory,
    PartyCommitteeFactory,
    ProvinceFactory,
    UnitFactory,
    post,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 15)
HEAD, DEPUTY, STAFF = LeadershipRole.HEAD, LeadershipRole.DEPUTY, LeadershipRole.STAFF
NEW_KINDS = (
    AgencyKind.PARTY,
    AgencyKind.PARTY_BODY,
    AgencyKind.FRONT,
    AgencyKind.SOCIO_POLITICAL,
    AgencyKind.PUBLIC_SERVICE,
)


def child(parent, kind, code):
    return AgencyFactory(parent=parent, kind=kind, code=code, name=f"{kind} {code}")


@pytest.fixture
def tree():
    """The three trees of a province's political system, with a public-service unit in each
    place one can sit."""
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="SYT", name="Sở Y tế")
    party = PartyCommitteeFactory()
    commune_party = child(party, AgencyKind.PARTY, "DU-XA")
    organisation_board = child(party, AgencyKind.PARTY_BODY, "BTC-TU")
    board_unit = UnitFactory(parent=organisation_board, code="BTC-P1")
    front = FrontFactory()
    commune_front = child(front, AgencyKind.FRONT, "MT-XA")
    women = child(front, AgencyKind.SOCIO_POLITICAL, "HLHPN")
    hospital = child(department, AgencyKind.PUBLIC_SERVICE, "BV-TINH")
    ward = UnitFactory(parent=hospital, code="BV-KNOI")
    return {
        "province": province,
        "department": department,
        "party": party,
        "commune_party": commune_party,
        "board": organisation_board,
        "board_unit": board_unit,
        "front": front,
        "commune_front": commune_front,
        "women": women,
        "hospital": hospital,
        "ward": ward,
    }


# --- the tree -----------------------------------------------------------------------------------


def test_the_new_kinds_are_agencies_with_their_own_catalog():
    assert set(NEW_KINDS) <= set(AGENCY_KINDS)


def test_each_body_sits_where_it_really_sits(tree):
    for name, parent in (
        ("commune_party", "party"),
        ("board", "party"),
        ("commune_front", "front"),
        ("women", "front"),
        ("hospital", "department"),
        ("ward", "hospital"),
        ("board_unit", "board"),
    ):
        tree[name].full_clean()
        assert tree[name].parent == tree[parent]
    for root in ("province", "party", "front"):
        tree[root].full_clean()
        assert tree[root].parent is None


@pytest.mark.parametrize(
    ("kind", "parent"),
    [
        (AgencyKind.PARTY_BODY, "province"),  # a Party board is not under the People's Committee
        (AgencyKind.SOCIO_POLITICAL, "province"),
        (AgencyKind.SOCIO_POLITICAL, "party"),
        (AgencyKind.FRONT, "party"),
        (AgencyKind.DEPARTMENT, "party"),
        (AgencyKind.COMMUNE, "front"),
        (AgencyKind.PUBLIC_SERVICE, "women"),
    ],
)
def test_a_body_cannot_hang_in_the_wrong_tree(tree, kind, parent):
    agency = Agency(code="X", name="Sai chỗ", kind=kind, parent=tree[parent])
    with pytest.raises(ValidationError, match="Không thể đặt"):
        agency.full_clean()


@pytest.mark.parametrize("kind", [AgencyKind.PARTY, AgencyKind.FRONT])
def test_one_province_level_root_of_each_tree(tree, kind):
    with pytest.raises(ValidationError, match="cấp tỉnh"):
        Agency(code="X", name="Thứ hai", kind=kind).full_clean()


@pytest.mark.parametrize(
    "kind", [AgencyKind.PARTY_BODY, AgencyKind.SOCIO_POLITICAL, AgencyKind.PUBLIC_SERVICE]
)
def test_only_the_three_roots_may_stand_alone(kind):
    with pytest.raises(ValidationError, match="phải trực thuộc"):
        Agency(code="X", name="Không cấp trên", kind=kind).full_clean()


def test_the_level_follows_from_the_tree(tree):
    assert tree["commune_party"].is_commune_level
    assert tree["commune_front"].is_commune_level
    assert not tree["party"].is_commune_level
    assert not tree["women"].is_commune_level
    assert not tree["hospital"].is_commune_level


def test_owning_agency_of_a_unit_under_a_new_kind(tree):
    assert tree["board_unit"].owning_agency == tree["board"]
    assert tree["ward"].owning_agency == tree["hospital"]


# --- default authority rules --------------------------------------------------------------------


@pytest.fixture
def people(tree):
    return {
        "party_secretary": post(tree["party"], HEAD),
        "commune_secretary": post(tree["commune_party"], HEAD),
        "commune_vice_secretary": post(tree["commune_party"], DEPUTY),
        "commune_party_staff": post(tree["commune_party"], STAFF),
        "board_head": post(tree["board"], HEAD),
        "board_deputy": post(tree["board"], DEPUTY),
        "board_staff": post(tree["board"], STAFF),
        "board_unit_head": post(tree["board_unit"], HEAD),
        "board_unit_staff": post(tree["board_unit"], STAFF),
        "front_chair": post(tree["front"], HEAD),
        "front_vice": post(tree["front"], DEPUTY),
        "commune_front_chair": post(tree["commune_front"], HEAD),
        "commune_front_staff": post(tree["commune_front"], STAFF),
        "women_head": post(tree["women"], HEAD),
        "women_deputy": post(tree["women"], DEPUTY),
        "women_staff": post(tree["women"], STAFF),
        "director": post(tree["department"], HEAD),
        "hospital_head": post(tree["hospital"], HEAD),
        "hospital_deputy": post(tree["hospital"], DEPUTY),
        "ward_head": post(tree["ward"], HEAD),
        "ward_staff": post(tree["ward"], STAFF),
    }


# subject -> (evaluator, rater, opinion)
EXPECTED = {
    "commune_secretary": ("party_secretary", "party_secretary", None),
    "commune_vice_secretary": ("commune_secretary", "commune_secretary", "party_secretary"),
    "commune_party_staff": ("commune_secretary", "commune_secretary", None),
    "board_head": ("party_secretary", "party_secretary", None),
    "board_deputy": ("board_head", "board_head", "party_secretary"),
    "board_staff": ("board_head", "board_head", None),
    "board_unit_head": ("board_head", "board_head", None),
    "board_unit_staff": ("board_unit_head", "board_head", None),
    "front_vice": ("front_chair", "front_chair", None),
    "commune_front_chair": ("front_chair", "front_chair", None),
    "commune_front_staff": ("commune_front_chair", "commune_front_chair", None),
    "women_head": ("front_chair", "front_chair", None),
    "women_deputy": ("women_head", "women_head", "front_chair"),
    "women_staff": ("women_head", "women_head", None),
    "hospital_head": ("director", "director", None),
    "hospital_deputy": ("hospital_head", "hospital_head", None),
    "ward_head": ("hospital_head", "hospital_head", None),
    "ward_staff": ("ward_head", "hospital_head", None),
}


@pytest.mark.parametrize("subject", sorted(EXPECTED))
def test_every_default_rule_of_the_new_kinds(people, subject):
    evaluator, rater, opinion = EXPECTED[subject]
    authority = resolve_authority(people[subject], DAY)
    assert authority.evaluator.person == people[evaluator]
    assert authority.rater.person == people[rater]
    if opinion is None:
        assert authority.opinion is None
    else:
        assert authority.opinion.person == people[opinion]
    assert "giả định" in authority.rule.citation  # the province confirms every one


@pytest.mark.parametrize("root_head", ["party_secretary", "front_chair"])
def test_heads_of_the_province_roots_are_rated_by_the_central_level(people, root_head):
    with pytest.raises(AuthorityError, match="Chưa có quy tắc"):
        resolve_authority(people[root_head], DAY)


def test_the_inverse_lookup_works_across_the_party_tree(people):
    assert set(people_evaluated_by(people["party_secretary"], DAY)) == {
        people["commune_secretary"],
        people["board_head"],
    }


def test_every_new_kind_has_a_rule_for_heads_deputies_and_staff():
    for kind in (AgencyKind.PARTY_BODY, AgencyKind.SOCIO_POLITICAL, AgencyKind.PUBLIC_SERVICE):
        roles = set(
            AuthorityRule.objects.filter(subject_agency_kind=kind, is_active=True).values_list(
                "subject_role", flat=True
            )
        )
        assert roles == {HEAD, DEPUTY, STAFF}, kind
