"""Review 2026-11-22 (ux #3, friction 9): the prerequisites of a decision showed only at the
final click. The case page lists them from the opening of the case, computed by the checks the
``decide`` guards refuse through (``ratings.services.prerequisites``): the page's "not met"
text and the refusal at the click are the same."""

import pytest

from django.test import Client

from ratings.case_reads.waiting import cases_waiting_for
from ratings.services.prerequisites import decision_prerequisites
from ratings.workflow.machine import Refused
from tests.ratings.world import reload

pytestmark = pytest.mark.django_db


def checks(case):
    return {check.key: check for check in decision_prerequisites(reload(case))}


def refusal(callable_, *args, **kwargs) -> list[str]:
    with pytest.raises(Refused) as info:
        callable_(*args, **kwargs)
    return [str(r) for r in info.value.reasons]


def test_a_new_agency_case_lists_its_steps_and_sub_units_from_the_start(world):
    case = world.agency_case(world.department)
    found = checks(case)
    assert list(found) == ["steps", "subunits"]
    assert not found["steps"].done and len(found["steps"].items) == 3
    assert [item.label for item in found["subunits"].items] == ["Phòng Một", "Phòng Hai"]
    assert found["subunits"].short == "chờ quyết định cấp dưới: 2 đơn vị"

    client = Client()
    client.force_login(world.users["chutich"])
    page = client.get(f"/admin/ratings/cases/{case.pk}/").content.decode()
    assert 'data-check="subunits" data-done="0"' in page and "Phòng Hai" in page


def test_the_refusal_at_the_click_is_the_unmet_check(world):
    department = world.agency_to_appraised(world.department, appraiser=world.users["sonoivu"])
    unit = world.agency_to_appraised(world.unit)
    world.decide(unit, "good")
    unmet = checks(department)["subunits"]
    assert not unmet.done and [i.label for i in unmet.items] == ["Phòng Hai"]
    reasons = refusal(world.decide, department, "good", user=world.users["chutich"])
    assert reasons == [unmet.refusal]
    waiting = {w.case.pk: w for w in cases_waiting_for(world.users["chutich"])}
    assert [c.short for c in waiting[department.pk].blockers] == [unmet.short]


def test_an_excellent_proposal_shows_the_quota_before_the_decision(world):
    star = world.staff("Xuất Sắc Một", 95)
    case = world.to_appraised(world.case_for(star), "excellent")
    quota = checks(case)["quota"]
    assert not quota.done and quota.short == "xét Tốt trước Xuất sắc"
    assert "tối đa 0" in quota.detail
    assert refusal(world.decide, case, "excellent") == [quota.refusal]
    waiting = {w.case.pk: w for w in cases_waiting_for(world.users["giamdoc"])}
    assert [c.key for c in waiting[case.pk].blockers] == ["quota"]
    for n in range(5):
        world.decided(world.staff(f"Tốt {n}", 80), "good")
    assert checks(case)["quota"].done
    assert not {w.case.pk: w for w in cases_waiting_for(world.users["giamdoc"])}[case.pk].blocked
