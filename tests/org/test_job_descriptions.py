"""Job descriptions as versioned, approved data: the steps, their rules, the version in force,
the frozen approved versions and the history each step leaves."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from audit.history import history_model
from org import access, job_descriptions
from org.job_descriptions import Decision
from org.models import DescriptionStatus, JobDescription
from org.models.job_description import DEFAULT_LEVEL_COUNT
from tests.factories import (
    CompetencyFactory,
    JobDescriptionFactory,
    JobPositionFactory,
    UserFactory,
    job_description,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
JUL = datetime.date(2026, 7, 1)


def decision(effective=JUL, signed=None, number="15/QĐ-SNV", signer="Giám đốc Sở Nội vụ"):
    return Decision(
        number=number, date=signed or effective, signer=signer, effective_from=effective
    )


def snv():
    """A user of Sở Nội vụ: drafts, appraises and approves the province's descriptions."""
    from org.access import HOME_AFFAIRS_GROUP
    from org.roles import ensure_roles

    ensure_roles()
    return UserFactory(username="sonoivu-test", groups=[HOME_AFFAIRS_GROUP])


def submitted(version):
    return job_descriptions.submit(version, snv())


def appraised(version):
    return job_descriptions.appraise(submitted(version), snv())


def test_a_competency_has_five_levels_by_default():
    competency = CompetencyFactory()
    assert competency.level_count == DEFAULT_LEVEL_COUNT == 5
    assert competency.descriptor(3) == "Biểu hiện cấp 3"


def test_versions_are_numbered_per_position():
    position = JobPositionFactory()
    first = job_description(position, approved_on=JAN)
    second = job_descriptions.new_version(position)
    assert (first.number, second.number) == (1, 2)
    assert second.status == DescriptionStatus.DRAFT


def test_draft_to_submitted_to_appraised_to_approved_with_the_decision():
    user = snv()
    version = job_description()
    version = job_descriptions.submit(version, user)
    assert version.status == DescriptionStatus.SUBMITTED and version.submitted_at
    version = job_descriptions.appraise(version, user, "Đạt")
    assert version.status == DescriptionStatus.APPRAISED and version.appraised_by == user
    version = job_descriptions.approve(version, decision(signed=JAN, effective=JUL), user)
    assert version.status == DescriptionStatus.APPROVED
    assert version.decision_number == "15/QĐ-SNV"
    assert (version.decision_date, version.effective_from) == (JAN, JUL)
    assert version.signer == "Giám đốc Sở Nội vụ" and version.approved_by == user


def test_only_an_appraised_version_is_approved():
    version = job_description()
    with pytest.raises(ValidationError, match="đã thẩm định"):
        job_descriptions.approve(version, decision(), snv())
    version = submitted(version)
    with pytest.raises(ValidationError, match="đã thẩm định"):
        job_descriptions.approve(version, decision(), snv())


def test_an_empty_version_is_not_submitted():
    version = JobDescriptionFactory()
    with pytest.raises(ValidationError) as error:
        job_descriptions.submit(version, snv())
    assert "Chưa có nhiệm vụ nào." in error.value.messages
    assert "Chưa có năng lực yêu cầu nào." in error.value.messages
    version.refresh_from_db()
    assert version.status == DescriptionStatus.DRAFT


def test_a_bad_decision_names_its_fields_and_changes_nothing():
    version = appraised(job_description())
    bad = decision(effective=JAN, signed=JUL, number=" ", signer="")
    with pytest.raises(ValidationError) as error:
        job_descriptions.approve(version, bad, snv())
    assert set(error.value.message_dict) == {"decision_number", "signer", "effective_from"}
    assert "01/07/2026" in error.value.message_dict["effective_from"][0]
    version.refresh_from_db()
    assert version.status == DescriptionStatus.APPRAISED and not version.decision_number


def test_approving_a_new_version_supersedes_the_old_one_which_stays_in_force_until_then():
    position = JobPositionFactory()
    first = job_description(position, approved_on=JAN)
    second = job_descriptions.new_version(position)
    second = job_descriptions.approve(appraised(second), decision(JUL), snv())
    first.refresh_from_db()
    assert first.status == DescriptionStatus.SUPERSEDED
    assert position.description_in_force(datetime.date(2025, 12, 31)) is None
    assert position.description_in_force(datetime.date(2026, 6, 30)) == first
    assert position.description_in_force(JUL) == second
    assert list(JobDescription.objects.in_force_on(JUL)) == [second]


def test_a_new_version_must_take_effect_after_the_one_in_force():
    position = JobPositionFactory()
    job_description(position, approved_on=JUL)
    second = appraised(job_descriptions.new_version(position))
    with pytest.raises(ValidationError) as error:
        job_descriptions.approve(second, decision(JAN, signed=JAN), snv())
    assert "01/07/2026" in error.value.message_dict["effective_from"][0]


def test_a_new_version_is_a_copy_of_the_latest_approved():
    position = JobPositionFactory()
    competency = CompetencyFactory()
    first = job_description(
        position, tasks=("Thẩm định", "Kiểm tra"), competencies=[(competency, 4)], approved_on=JAN
    )
    copy = job_descriptions.new_version(position)
    assert [t.name for t in copy.tasks.all()] == ["Thẩm định", "Kiểm tra"]
    assert [(c.competency, c.required_level) for c in copy.competencies.all()] == [(competency, 4)]
    assert copy.purpose == first.purpose
    assert not copy.decision_number and copy.effective_from is None


def test_one_version_at_a_time_is_being_written():
    position = JobPositionFactory()
    job_description(position, approved_on=JAN)
    job_descriptions.new_version(position)
    with pytest.raises(ValidationError, match="đang soạn"):
        job_descriptions.new_version(position)
    with pytest.raises(ValidationError):
        JobDescription(job_position=position).full_clean()


def test_a_required_level_beyond_the_competency_scale_is_refused():
    competency = CompetencyFactory(level_count=3)
    version = job_description(competencies=[(competency, 3)])
    row = version.competencies.get()
    row.required_level = 4
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "từ 1 đến 3" in error.value.message_dict["required_level"][0]


def test_approved_versions_are_frozen_for_everyone(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.vn", "x")
    approved = job_description(approved_on=JAN)
    draft = job_description()
    assert not access.may(boss, access.CHANGE, approved)
    assert not access.may(boss, access.DELETE, approved)
    assert not access.may(boss, "approve", approved)
    assert access.may(boss, access.VIEW, approved)
    assert access.may(boss, access.CHANGE, draft)
    assert set(access.editable(boss, JobDescription)) == {draft}


def test_each_step_leaves_a_history_row_with_who_and_why():
    user = snv()
    version = appraised(job_description())
    job_descriptions.approve(version, decision(), user)
    history = history_model(JobDescription).objects.filter(id=version.pk).order_by("history_id")
    steps = [(row.status, row.history_change_reason) for row in history]
    assert steps[-3][0] == "submitted" and "Trình thẩm định" in steps[-3][1]
    assert steps[-2][0] == "appraised" and "Thẩm định đạt" in steps[-2][1]
    assert steps[-1] == ("approved", "Phê duyệt theo Quyết định số 15/QĐ-SNV")
