"""Evaluation authority for every default rule (Gia Lai plan §IV.1)."""

import datetime

import pytest

from org.authority import AuthorityError, evaluated_ids, people_evaluated_by, resolve_authority
from org.models import AuthorityRule, CivilServant, LeadershipRole, Relation
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, UnitFactory, post
from tests.org.authority_reference import subjects_by_own_authority

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 15)
HEAD, DEPUTY, STAFF = LeadershipRole.HEAD, LeadershipRole.DEPUTY, LeadershipRole.STAFF


@pytest.fixture
def org():
    """A province with one department (with a unit and a nested unit) and one commune."""
    province = ProvinceFactory()
    department = AgencyFactory(parent=province)
    unit = UnitFactory(parent=department)
    nested = UnitFactory(parent=unit)
    commune = CommuneFactory(parent=province)
    commune_unit = UnitFactory(parent=commune)
    people = {
        "chairman": post(province, HEAD),
        "director": post(department, HEAD),
        "vice_director": post(department, DEPUTY),
        "dept_staff": post(department, STAFF),
        "unit_head": post(unit, HEAD),
        "unit_deputy": post(unit, DEPUTY),
        "unit_staff": post(unit, STAFF),
        "nested_head": post(nested, HEAD),
        "nested_staff": post(nested, STAFF),
        "commune_chair": post(commune, HEAD),
        "commune_vice": post(commune, DEPUTY),
        "commune_staff": post(commune, STAFF),
        "cu_head": post(commune_unit, HEAD),
        "cu_deputy": post(commune_unit, DEPUTY),
        "cu_staff": post(commune_unit, STAFF),
    }
    return people


# subject -> (evaluator, rater, opinion)
EXPECTED = {
    "director": ("chairman", "chairman", None),
    "commune_chair": ("chairman", "chairman", None),
    "vice_director": ("director", "director", "chairman"),
    "dept_staff": ("director", "director", None),
    "unit_head": ("director", "director", None),
    "unit_deputy": ("unit_head", "director", None),
    "unit_staff": ("unit_head", "director", None),
    "nested_head": ("unit_head", "director", None),
    "nested_staff": ("nested_head", "director", None),
    "commune_vice": ("commune_chair", "commune_chair", "chairman"),
    "commune_staff": ("commune_chair", "commune_chair", None),
    "cu_head": ("commune_chair", "commune_chair", None),
    "cu_deputy": ("cu_head", "commune_chair", None),
    "cu_staff": ("cu_head", "commune_chair", None),
}


@pytest.mark.parametrize("subject", sorted(EXPECTED))
def test_every_default_rule(org, subject):
    evaluator, rater, opinion = EXPECTED[subject]
    authority = resolve_authority(org[subject], DAY)
    assert authority.evaluator.person == org[evaluator]
    assert authority.rater.person == org[rater]
    if opinion is None:
        assert authority.opinion is None
    else:
        assert authority.opinion.person == org[opinion]
    assert authority.rule.citation


def test_rater_is_distinct_from_evaluator_for_unit_staff(org):
    authority = resolve_authority(org["unit_staff"], DAY)
    assert authority.evaluator.person != authority.rater.person


def test_vacant_head_is_reported_not_guessed(org):
    unit_head_posting = org["unit_head"].postings.get()
    unit_head_posting.end_date = datetime.date(2026, 4, 30)
    unit_head_posting.save()
    authority = resolve_authority(org["unit_staff"], DAY)
    assert authority.evaluator.is_vacant
    assert authority.evaluator.agency == unit_head_posting.agency


def test_no_posting_and_no_rule_raise_clear_errors(org):
    with pytest.raises(AuthorityError, match="không có quá trình công tác"):
        resolve_authority(org["unit_staff"], datetime.date(2020, 1, 1))
    with pytest.raises(AuthorityError, match="Chưa có quy tắc"):
        resolve_authority(org["chairman"], DAY)


def test_rules_are_data_a_province_can_change(org):
    """Make the department head, not the unit head, evaluate unit staff: no code change."""
    rule = AuthorityRule.objects.get(
        subject_agency_kind="unit", subject_parent_kind="department", subject_role=STAFF
    )
    rule.evaluator_relation = Relation.NEAREST_OF_KIND
    rule.evaluator_kind = "department"
    rule.save()
    assert resolve_authority(org["unit_staff"], DAY).evaluator.person == org["director"]


def test_inverse_lookup_lists_whom_a_leader_evaluates(org):
    assert set(people_evaluated_by(org["unit_head"], DAY)) == {
        org["unit_deputy"],
        org["unit_staff"],
        org["nested_head"],
    }
    assert set(people_evaluated_by(org["chairman"], DAY)) == {org["director"], org["commune_chair"]}
    rated_by_director = set(people_evaluated_by(org["director"], DAY, as_rater=True))
    assert org["nested_staff"] in rated_by_director and org["unit_head"] in rated_by_director
    assert people_evaluated_by(org["unit_staff"], DAY) == []


@pytest.mark.parametrize("nearest", [False, True])
def test_evaluated_ids_equal_each_persons_own_authority(org, nearest):
    """``evaluated_ids`` reads only the postings whose (agency, role) a rule sends to an agency
    the leader heads; it must name exactly the people whose own authority names the leader,
    including people whose posting in the leader's subtree is concurrent (their primary one
    governs), a leader heading a second agency concurrently, and a rule a province changed to
    the nearest agency of a kind."""
    post(
        org["unit_head"].postings.get().agency,
        STAFF,
        person=org["commune_staff"],
        is_concurrent=True,
    )
    post(org["cu_head"].postings.get().agency, HEAD, person=org["director"], is_concurrent=True)
    post(
        org["nested_head"].postings.get().agency, DEPUTY, person=org["cu_staff"], is_concurrent=True
    )
    if nearest:
        rule = AuthorityRule.objects.get(
            subject_agency_kind="unit", subject_parent_kind="unit", subject_role=STAFF
        )
        rule.evaluator_relation = Relation.NEAREST_OF_KIND
        rule.evaluator_kind = "department"
        rule.save()
    for day in (DAY, datetime.date(2027, 1, 1)):
        expected = subjects_by_own_authority(CivilServant.objects.all(), day)
        for leader in CivilServant.objects.all():
            for as_rater in (False, True):
                assert evaluated_ids(leader, day, as_rater) == expected.get(
                    (leader.pk, as_rater), set()
                ), (leader, day, as_rater)


def test_authority_follows_a_transfer(org):
    person = org["unit_staff"]
    posting = person.postings.get()
    posting.end_date = datetime.date(2026, 6, 30)
    posting.save()
    commune_unit = org["cu_head"].postings.get().agency
    post(commune_unit, STAFF, start=datetime.date(2026, 7, 1), person=person)
    assert resolve_authority(person, DAY).evaluator.person == org["unit_head"]
    later = resolve_authority(person, datetime.date(2026, 8, 1))
    assert later.evaluator.person == org["cu_head"]
    assert later.rater.person == org["commune_chair"]


def test_every_door_asks_the_same_day_and_target(org):
    """One authority module (arch.md H1): Form 01, the worklog's marks and the rating workflow
    ask ``org.authority`` for the day (``period_day``, ``year_day``) and the rule's target
    (``rule_target``), so they agree — here for a transfer in the middle of a month."""
    from org.authority import (
        agencies_with_ancestors,
        loaded_counterparts,
        loaded_parent,
        period_day,
        rule_target,
        target_agency,
        year_day,
    )
    from org.models import Agency
    from ratings.services.form01_entry import entry_rights
    from scoring.models import Period, PeriodKind
    from tests.factories import UserFactory
    from worklog.views.common import may_enter_marks

    person = org["unit_staff"]
    posting = person.postings.get()
    posting.end_date = datetime.date(2026, 7, 15)
    posting.save()
    commune_unit = org["cu_head"].postings.get().agency
    post(commune_unit, STAFF, start=datetime.date(2026, 7, 16), person=person)
    for leader in ("unit_head", "cu_head"):
        org[leader].user = UserFactory()
        org[leader].save()
    july = Period.objects.create(kind=PeriodKind.MONTH, year=2026, number=7)

    assert period_day(july, datetime.date(2026, 7, 10)) == datetime.date(2026, 7, 10)
    assert period_day(july, datetime.date(2026, 9, 1)) == datetime.date(2026, 7, 31)
    assert period_day(july, datetime.date(2026, 1, 1)) == datetime.date(2026, 7, 1)
    # July is scored for the unit the province's transfer rule gives (legal review U-C):
    # its head enters the evaluator's marks, whatever day the form is opened — before the
    # transfer already recorded, or after the month (session 12: on 10 July Form 01 used to
    # offer the old head a month the scorer gave the new unit).
    from scoring.models import ScoringSettings, TransferRule

    for rule, evaluator in (
        (TransferRule.END_OF_PERIOD, "cu_head"),
        (TransferRule.START_OF_PERIOD, "unit_head"),
    ):
        settings = ScoringSettings.load()
        settings.transfer_rule = rule
        settings.save()
        for today in (datetime.date(2026, 7, 10), datetime.date(2026, 9, 1)):
            for leader in ("unit_head", "cu_head"):
                user = org[leader].user
                form01 = entry_rights(user, person, july, today).evaluate
                worklog = may_enter_marks(user, person, july, today)
                assert form01 == worklog == (leader == evaluator), (rule, today, leader)

    # A rating case of a year the person left: the nearest day they were posted.
    leaver = org["dept_staff"]
    gone = leaver.postings.get()
    gone.end_date = datetime.date(2026, 6, 30)
    gone.save()
    assert year_day(leaver, 2026, datetime.date(2026, 9, 1)) == datetime.date(2026, 6, 30)
    assert year_day(leaver, 2026, datetime.date(2027, 3, 1)) == datetime.date(2026, 6, 30)
    assert year_day(None, 2026, datetime.date(2027, 3, 1)) == datetime.date(2026, 12, 31)

    # The rule's target: the ORM walk and the loaded-agencies walk are one function.
    agencies = list(Agency.objects.all())
    loaded = agencies_with_ancestors(agencies)
    counterparts = loaded_counterparts(loaded)
    for agency in agencies:
        for relation in (Relation.OWN, Relation.PARENT, Relation.NEAREST_OF_KIND):
            for kind in {a.kind for a in agencies}:
                expected = target_agency(agency, relation, kind)
                found = rule_target(loaded[agency.pk], relation, kind, loaded_parent, counterparts)
                assert getattr(found, "pk", None) == getattr(expected, "pk", None)
