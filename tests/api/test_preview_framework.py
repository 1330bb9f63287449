"""The score preview scores with the framework in force, or the one the request names (legal
review U12, issue 13 item 11): a province whose đ has the levels 100/75/50 gets the same answer
from the calculator as from its stored scores, and a request may ask for an older version."""

import datetime

import pytest

from scoring.engine import DECREE_335_DEFAULT
from scoring.models import CriteriaFramework, FrameworkAssignment

from .conftest import line

pytestmark = pytest.mark.django_db

LEADER = {"unit_results": 100, "organising": 75, "cohesion": 100}
REQUEST = {"role": "head", "general": 30, "lines": [line(1, 4, 4)], "leader": LEADER}


def _three_levels() -> dict:
    rules = DECREE_335_DEFAULT.to_dict()
    rules["code"] = "khung-ba-muc"
    for criterion in rules["leader_criteria"]:
        if criterion["code"] == "dd":
            criterion["levels"] = [
                {"percent": "100", "label": "Tốt"},
                {"percent": "75", "label": "Khá"},
                {"percent": "50", "label": "Trường hợp khác"},
            ]
    return rules


def _publish(code, rules):
    framework = CriteriaFramework.objects.create(
        name="Khung đ ba mức", code=code, period_type="month", rules=rules
    )
    revision = framework.save_revision()
    revision.publish()
    framework.refresh_from_db()
    return framework, revision


def test_the_default_framework_refuses_a_level_it_does_not_have(preview):
    response = preview(REQUEST)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["leader.organising"] == ["Giá trị phải là một trong các mức: 100, 50."]


def test_a_named_framework_scores_with_its_own_levels(preview):
    _framework, revision = _publish("khung-ba-muc", _three_levels())
    response = preview({**REQUEST, "framework": "khung-ba-muc"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["framework"] == {
        "code": "khung-ba-muc",
        "name": "Khung đ ba mức",
        "version": revision.pk,
    }
    assert body["rating"] == "excellent"


def test_the_framework_in_force_is_the_default(preview):
    """Assigned province-wide from a later date than the shipped one: it is in force today."""
    framework, revision = _publish("khung-ba-muc", _three_levels())
    FrameworkAssignment.objects.create(
        framework=framework, effective_from=datetime.date(2026, 2, 1)
    )
    body = preview(REQUEST).json()
    assert (
        body["framework"]["code"] == "khung-ba-muc" and body["framework"]["version"] == revision.pk
    )


def test_an_older_published_version_can_be_asked_for(preview):
    framework, first = _publish("khung-ba-muc", _three_levels())
    framework.rules = {**DECREE_335_DEFAULT.to_dict(), "code": "khung-ba-muc"}
    framework.save()
    second = framework.save_revision()
    second.publish()
    now = preview({**REQUEST, "framework": "khung-ba-muc"})
    assert now.status_code == 400  # the live version has only 100/50
    then = preview({**REQUEST, "framework": "khung-ba-muc", "framework_version": first.pk})
    assert then.status_code == 200 and then.json()["framework"]["version"] == first.pk


def test_unknown_or_unpublished_frameworks_are_refused(preview):
    framework, _revision = _publish("khung-ba-muc", _three_levels())
    draft = framework.save_revision()  # saved, never published
    unknown = preview({**REQUEST, "framework": "khong-co"}).json()["error"]["fields"]
    assert unknown == {"framework": ["Không có khung tiêu chí đã công bố với mã này."]}
    body = preview({**REQUEST, "framework": "khung-ba-muc", "framework_version": draft.pk})
    assert body.json()["error"]["fields"] == {
        "framework_version": ["Không phải phiên bản đã công bố của khung tiêu chí này."]
    }
    alone = preview({**REQUEST, "framework_version": draft.pk}).json()["error"]["fields"]
    assert "framework_version" in alone
