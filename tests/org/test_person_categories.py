"""Person categories as data (``org.categories``, docs/scope.md): the rules of each category,
their override in settings, the official-id rule (a contract worker has no national number) and
the admin form that applies it."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from org.categories import (
    FRAMEWORK_AGENCY,
    FRAMEWORK_PUBLIC_EMPLOYEE,
    INTERNAL_ID_PREFIX,
    categories_where,
    coverage_error,
    is_evaluated,
    official_id_error,
    parse_category,
    rules_for,
)
from org.models import PersonCategory, Posting
from tests.factories import CivilServantFactory, JobPositionFactory, PostingFactory, UserFactory

CB, CC, VC, HD = (
    PersonCategory.CADRE,
    PersonCategory.CIVIL_SERVANT,
    PersonCategory.PUBLIC_EMPLOYEE,
    PersonCategory.CONTRACT_WORKER,
)

# category -> (framework, quota, national export, national id, needs the agency's switch,
# public figures)
EXPECTED = {
    CB: (FRAMEWORK_AGENCY, True, True, True, False, True),
    CC: (FRAMEWORK_AGENCY, True, True, True, False, True),
    VC: (FRAMEWORK_PUBLIC_EMPLOYEE, False, False, True, False, False),
    HD: (FRAMEWORK_AGENCY, False, False, False, True, False),
}


@pytest.mark.parametrize("category", list(EXPECTED))
def test_the_default_rules_of_each_category(category):
    rules = rules_for(category)
    assert (
        rules.framework,
        rules.quota,
        rules.national_export,
        rules.national_id,
        rules.needs_agency_opt_in,
        rules.public_statistics,
    ) == EXPECTED[category]
    assert rules.source


def test_the_quota_and_the_national_export_never_take_public_employees_or_contract_workers():
    assert set(categories_where("quota")) == {CB, CC}
    assert set(categories_where("national_export")) == {CB, CC}
    assert set(categories_where("public_statistics")) == {CB, CC}


def test_the_framework_for_viên_chức_is_the_scoring_applies_to_value():
    from scoring.models import AppliesTo

    assert FRAMEWORK_PUBLIC_EMPLOYEE == AppliesTo.PUBLIC_EMPLOYEE


@pytest.mark.parametrize(
    ("category", "switched_on", "refused"),
    [
        (CC, False, False),
        (CB, False, False),
        (VC, False, False),
        (HD, True, False),
        (HD, False, True),
    ],
)
def test_the_reason_a_door_refuses_a_person(category, switched_on, refused):
    from org.models import Agency

    message = coverage_error(category, Agency(name="Sở Thử"), switched_on)
    assert (message is not None) is refused
    if refused:
        assert message.startswith("Sở Thử chưa áp dụng đánh giá đối với người lao động hợp đồng")
        assert "KH Gia Lai §V.1.e" in message


@override_settings(KPI_PERSON_CATEGORY_RULES={"public_employee": {"framework": ""}})
def test_the_reason_for_a_category_the_province_does_not_evaluate():
    from org.models import Agency

    message = coverage_error(VC, Agency(name="Sở Thử"), False)
    assert message.startswith("Phần mềm không đánh giá viên chức")


@pytest.mark.parametrize(
    ("category", "switched_on", "expected"),
    [(CC, False, True), (VC, False, True), (CB, False, True), (HD, False, False), (HD, True, True)],
)
def test_who_is_evaluated(category, switched_on, expected):
    assert is_evaluated(category, switched_on) is expected


def test_an_unknown_category_is_a_civil_servant():
    assert rules_for("") == rules_for(CC)


@override_settings(KPI_PERSON_CATEGORY_RULES={"public_employee": {"framework": "", "quota": False}})
def test_a_deployment_may_override_a_rule():
    assert not rules_for(VC).evaluated
    assert not is_evaluated(VC, True)
    assert rules_for(CC).evaluated  # the others keep their defaults


@pytest.mark.parametrize(
    ("official_id", "category", "fragment"),
    [
        ("CC000123", HD, "mã nội bộ bắt đầu bằng"),
        ("HD-0001", CC, "Cơ sở dữ liệu quốc gia"),
        ("hd-0001", VC, "Cơ sở dữ liệu quốc gia"),
    ],
)
def test_official_id_rules_per_category(official_id, category, fragment):
    assert fragment in official_id_error(official_id, category)


@pytest.mark.parametrize(("official_id", "category"), [("HD-0001", HD), ("CC000123", CC)])
def test_matching_ids_pass(official_id, category):
    assert official_id_error(official_id, category) is None
    assert INTERNAL_ID_PREFIX == "HD-"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", CC),
        (None, CC),
        ("Viên chức", VC),
        ("VIEN CHUC", VC),
        ("cán bộ", CB),
        ("Người lao động hợp đồng", HD),
        ("HĐLĐ", HD),
        ("contract_worker", HD),
        ("nhân viên", None),
    ],
)
def test_categories_are_read_from_sheet_cells(cell, expected):
    assert parse_category(cell) == expected


@pytest.mark.django_db
def test_a_posting_checks_the_id_of_its_person():
    posting = PostingFactory(civil_servant=CivilServantFactory(official_id="CC777"))
    posting.category = HD
    with pytest.raises(ValidationError) as error:
        posting.clean()
    assert "category" in error.value.message_dict
    posting.civil_servant.official_id = "HD-777"
    posting.clean()


@pytest.mark.django_db
def test_the_category_is_read_from_the_governing_posting():
    person = CivilServantFactory(official_id="HD-1")
    PostingFactory(
        civil_servant=person,
        category=HD,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    PostingFactory(civil_servant=person, category=CC, start_date=datetime.date(2026, 1, 1))
    assert person.category_on(datetime.date(2025, 6, 1)) == HD
    assert person.category_on(datetime.date(2026, 6, 1)) == CC
    assert person.category_on(datetime.date(2020, 1, 1)) == CC
    assert Posting._meta.get_field("category").default == CC


@pytest.mark.django_db
def test_the_admin_refuses_a_contract_worker_with_a_national_number(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    unit = PostingFactory().agency
    position = JobPositionFactory()
    data = {
        "official_id": "CC-NEW",
        "full_name": "Võ Minh Tâm",
        "gender": "male",
        "is_active": "on",
        "postings-TOTAL_FORMS": "1",
        "postings-INITIAL_FORMS": "0",
        "postings-MIN_NUM_FORMS": "0",
        "postings-MAX_NUM_FORMS": "1000",
        "postings-0-agency": unit.pk,
        "postings-0-job_position": position.pk,
        "postings-0-role": "staff",
        "postings-0-category": HD,
        "postings-0-start_date": "2026-01-01",
        "postings-0-ORDER": "0",
    }
    add = reverse("wagtailsnippets_org_civilservant:add")
    response = client.post(add, data)
    assert response.status_code == 200
    assert "mã nội bộ" in str(response.context["form"].errors["official_id"])
    data["official_id"] = "HD-0042"
    response = client.post(add, data)
    assert response.status_code == 302
    assert Posting.objects.get(civil_servant__official_id="HD-0042").category == HD
