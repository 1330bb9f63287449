"""A small province for scoring tests: one department, one unit, a catalog and a month (built
on ``tests.factories``)."""

import copy
import datetime
from dataclasses import dataclass, field

from org.models import LeadershipRole
from scoring.models import CriteriaFramework, Period
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    UnitFactory,
    assignment_line,
    catalog_version,
    general_marks,
    leader_marks,
    post,
)

MARCH = datetime.date(2026, 3, 1)


@dataclass
class World:
    province: object
    department: object
    unit: object
    version: object
    items: dict
    period: Period
    people: dict = field(default_factory=dict)

    def person(self, name, agency=None, role=LeadershipRole.STAFF, **kwargs):
        person = post(agency or self.unit, role=role, full_name=name, **kwargs)
        self.people[name] = person
        return person

    def line(self, person, code="X", assigned=1, completed=1, period=None, **kwargs):
        unit = kwargs.pop("unit", self.unit)
        item = self.items[code]
        return assignment_line(
            person, period or self.period, item, unit, assigned, completed, **kwargs
        )

    def marks(self, person, total=27, period=None, evaluator_total=None, appraised=True):
        """Self-marks summing to ``total``; the evaluator marks ``evaluator_total``, or the same
        marks when ``appraised`` (an unappraised self-mark leaves the period not scored under the
        default framework, review U7)."""
        general_marks(person, period or self.period, total, evaluator_total, appraised)

    def leader_marks(self, person, organising=100, cohesion=100, period=None):
        leader_marks(person, period or self.period, organising, cohesion)

    def full_month(self, person, total=27, period=None, completed=1):
        """One fully completed X line and general marks: a quick scored month."""
        self.line(person, "X", 1, completed, period=period)
        self.marks(person, total, period=period)


def build_world(month=MARCH) -> World:
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="SNV", name="Sở Nội vụ thử nghiệm")
    unit = UnitFactory(parent=department, code="SNV-P1", name="Phòng Công chức")
    version, items = catalog_version(department)
    period = Period.for_date(month, create=True)
    return World(province, department, unit, version, items, period)


def contract_method(value):
    """Publish the default framework with ``individual.contract_workers`` = ``value`` (M7:
    ``own_method`` or ``civil_servant_method``)."""
    individual_option(
        "contract_workers", value, "Sổ tay hướng dẫn của Bộ Nội vụ, chương III", "secondary"
    )


def individual_option(
    name, value, citation="Quy định số 366-QĐ/TW, Điều 11", confidence="secondary"
):
    """Publish the default framework with ``individual.<name>`` = ``value`` (legal review §3)."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules.setdefault("individual", {})[name] = {
        "value": value,
        "citation": citation,
        "confidence": confidence,
    }
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def work_off() -> None:
    """What the worker does between two requests: every queued scoring run carried out, then
    the derived figures (annual, organisation) brought up to date."""
    from scoring.models import RunStatus, ScoringRun
    from scoring.services import freshness, rescoring

    for run_id in (
        ScoringRun.objects.filter(status=RunStatus.QUEUED)
        .order_by("id")
        .values_list("pk", flat=True)
    ):
        rescoring.run(run_id)
    freshness.refresh_derived()
