"""The reach apps add to the registry on purpose (``policy.EXTRA_REACH``, ``org.access.
ExtraReach``): declared, asked by name, for reading only; and the one way to find the civil
servant of a sign-in (``org.access.civil_servant_of``)."""

import pytest

from django.contrib.auth.models import AnonymousUser

from catalog_pages.policy import CATALOG_DRAFTING, CATALOG_EDITORS
from catalog_pages.setup import editor_group_name
from org import access
from org.models import Agency, CivilServant
from ratings.models import RatingCase
from ratings.policy import CASE_READERS
from tests import factories as f
from worklog.policy import EVALUATED

pytestmark = pytest.mark.django_db


def test_the_five_widenings_are_declared_in_the_registry_and_nothing_else():
    declared = {
        (label, name): (reach.rows, reach.row)
        for (label, name), reach in access.extra_reaches().items()
    }
    assert declared == {
        ("org.civilservant", EVALUATED): ("worklog.access.evaluated_reach", None),
        ("org.agency", CATALOG_EDITORS): ("catalog_pages.access.editor_group_reach", None),
        ("scoring.assignmentline", CATALOG_DRAFTING): (
            "workplans.policy.catalog_drafting_lines",
            None,
        ),
        ("connectors.package", CATALOG_DRAFTING): (
            "connectors.policy.catalog_drafting_packages",
            None,
        ),
        ("ratings.ratingcase", CASE_READERS): (
            "ratings.access.year_end_reach",
            "ratings.access.holds_case_role",
        ),
    }


def test_an_undeclared_reach_is_refused_not_ignored():
    user = f.UserFactory()
    with pytest.raises(LookupError):
        access.visible(user, RatingCase, extra=EVALUATED)
    with pytest.raises(LookupError):
        access.visible(user, CivilServant, extra="anything")


def test_a_catalog_editor_reads_the_agency_but_may_not_change_or_pick_it():
    province = f.ProvinceFactory()
    own, other = f.AgencyFactory(parent=province), f.AgencyFactory(parent=province)
    user = f.UserFactory(groups=[editor_group_name(other)])
    f.AgencyAccessFactory(user=user, agency=own)
    unit = f.UnitFactory(parent=own)

    assert set(access.visible(user, Agency)) == {own, unit}
    assert set(access.visible(user, Agency, extra=CATALOG_EDITORS)) == {own, unit, other}
    assert access.reads(user, other, extra=CATALOG_EDITORS)
    assert not access.reads(user, other)
    assert other not in access.editable(user, Agency)
    assert other not in access.pickable(user, Agency)


def test_nobody_signed_in_reaches_nothing_through_an_extra_reach():
    province = f.ProvinceFactory()
    assert not access.visible(AnonymousUser(), Agency, extra=CATALOG_EDITORS).exists()
    assert not access.reads(AnonymousUser(), province, extra=CATALOG_EDITORS)


def test_the_civil_servant_of_a_sign_in():
    province = f.ProvinceFactory()
    person = f.post(f.UnitFactory(parent=f.AgencyFactory(parent=province)))
    user = f.with_user(person, "nguoi-dung")
    assert access.civil_servant_of(user) == person
    assert access.civil_servant_of(f.UserFactory()) is None
    assert access.civil_servant_of(AnonymousUser()) is None
    assert access.civil_servant_of(None) is None
