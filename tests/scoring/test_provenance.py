"""Stored scores and their provenance: nothing is rewritten without a reason, and closed
periods stay exactly as they were when new catalog versions or framework revisions appear."""

import copy
from decimal import Decimal

import pytest

from django.forms.models import model_to_dict

from scoring.models import AssignmentLine, CriteriaFramework, PeriodScore, PeriodStatus
from scoring.services import score_period, score_person
from tests.factories import catalog_version
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        row["id"]: row
        for row in (
            model_to_dict(s) | {"id": s.pk, "computed_at": s.computed_at}
            for s in PeriodScore.objects.all()
        )
    }


@pytest.fixture
def world():
    world = build_world()
    for name in ("Phan Văn Một", "Phan Thị Hai", "Phan Văn Ba"):
        person = world.person(name)
        world.line(person, "X", 4, 3)
        world.line(person, "Y", 2, 2, delays=1)
        world.marks(person, 26)
    return world


def test_recomputing_unchanged_inputs_changes_nothing(world):
    first = score_period(world.period)
    assert first.written == 3
    before = snapshot()
    again = score_period(world.period)
    assert (again.written, again.unchanged) == (0, 3)
    person = world.people["Phan Thị Hai"]
    stored = PeriodScore.objects.get(civil_servant=person)
    assert score_person(person, world.period).computed_at == stored.computed_at
    assert snapshot() == before


def test_a_changed_input_is_recomputed(world):
    score_period(world.period)
    before = snapshot()
    person = world.people["Phan Văn Một"]
    line = AssignmentLine.objects.filter(civil_servant=person, item__code="X").get()
    line.completed_quantity = Decimal(4)
    line.save()
    report = score_period(world.period)
    assert report.written == 1
    after = snapshot()
    changed = [pk for pk in after if after[pk] != before[pk]]
    assert len(changed) == 1
    row = after[changed[0]]
    assert row["civil_servant"] == person.pk
    assert row["computed_at"] > before[changed[0]]["computed_at"]
    assert row["inputs_hash"] != before[changed[0]]["inputs_hash"]
    assert row["total"] > before[changed[0]]["total"]


def publish_new_default_revision(review_deduction="1"):
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["task_method"]["delay_deduction"]["value"] = review_deduction
    rules["version"] = "2"
    framework.rules = rules
    revision = framework.save_revision()
    revision.publish()
    framework.refresh_from_db()
    return framework


def test_closed_period_is_immutable_when_catalog_and_framework_change(world):
    score_period(world.period)
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    before = snapshot()
    # A new catalog version (same codes, new coefficients) and a new framework revision.
    catalog_version(world.department, items=(("X", "5"), ("Y", "0.5")))
    framework = publish_new_default_revision()
    assert framework.live_revision_id not in {row["framework_revision"] for row in before.values()}
    report = score_period(world.period)
    assert report.refused and report.written == 0
    for person in world.people.values():
        score_person(person, world.period)
    assert snapshot() == before


def test_forcing_a_closed_period_uses_the_new_revision_but_keeps_the_old_catalog(world):
    score_period(world.period)
    versions_before = set(PeriodScore.objects.values_list("catalog_version_ids", flat=True)[0])
    world.period.status = PeriodStatus.LOCKED
    world.period.save()
    catalog_version(world.department, items=(("X", "5"), ("Y", "0.5")))
    framework = publish_new_default_revision()
    report = score_period(world.period, force=True)
    assert report.written == 3
    for score in PeriodScore.objects.all():
        assert score.framework_revision_id == framework.live_revision_id
        # Lines point to immutable items of the version they were assigned under.
        assert set(score.catalog_version_ids) == versions_before


def test_open_period_follows_a_new_framework_revision(world):
    score_period(world.period)
    old = {s.civil_servant_id: s.timeliness for s in PeriodScore.objects.all()}
    publish_new_default_revision("1")
    assert score_period(world.period).written == 3
    for score in PeriodScore.objects.all():
        # One delay on Y (k=2): 2·2 - 1·2 instead of 2·2 - 0.25·2 of 8 assigned.
        assert score.timeliness < old[score.civil_servant_id]
        assert score.framework.live_revision_id == score.framework_revision_id
