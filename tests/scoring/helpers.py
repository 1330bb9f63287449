"""A small province for scoring tests: one department, one unit, a catalog and a month."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from org.models import LeadershipRole
from scoring.models import AssignmentLine, GeneralCriteriaMark, LeaderMark, Period
from tests.catalog_factories import catalog_version
from tests.factories import AgencyFactory, ProvinceFactory, UnitFactory, post

MARCH = datetime.date(2026, 3, 1)
GENERAL_CODES = ["I.1", "I.2", "II.1", "II.2", "II.3", "II.4", "III.1", "III.2", "III.3", "III.4"]
GENERAL_MAX = {"I.1": 5, "I.2": 5, **{c: Decimal("2.5") for c in GENERAL_CODES[2:]}}


def marks_summing_to(total) -> dict[str, Decimal]:
    """Marks per sub-criterion proportional to the maxima, summing to ``total`` (of 30)."""
    ratio = Decimal(str(total)) / 30
    marks = {
        code: (Decimal(str(m)) * ratio).quantize(Decimal("0.01")) for code, m in GENERAL_MAX.items()
    }
    marks["I.1"] += Decimal(str(total)) - sum(marks.values())
    return marks


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
        return AssignmentLine.objects.create(
            civil_servant=person,
            period=period or self.period,
            item=self.items[code],
            unit=kwargs.pop("unit", self.unit),
            assigned_quantity=Decimal(str(assigned)),
            completed_quantity=Decimal(str(completed)),
            **kwargs,
        )

    def marks(self, person, total=27, period=None, evaluator_total=None, appraised=True):
        """Self-marks summing to ``total``; the evaluator marks ``evaluator_total``, or the same
        marks when ``appraised`` (an unappraised self-mark leaves the period not scored under the
        default framework, review U7)."""
        own = marks_summing_to(total)
        if evaluator_total is not None:
            theirs = marks_summing_to(evaluator_total)
        else:
            theirs = dict(own) if appraised else {}
        for code, mark in own.items():
            GeneralCriteriaMark.objects.update_or_create(
                civil_servant=person,
                period=period or self.period,
                component="general",
                criterion=code,
                defaults={"self_mark": mark, "evaluator_mark": theirs.get(code)},
            )

    def leader_marks(self, person, organising=100, cohesion=100, period=None):
        LeaderMark.objects.update_or_create(
            civil_servant=person,
            period=period or self.period,
            defaults={"organising": Decimal(organising), "cohesion": Decimal(cohesion)},
        )

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
