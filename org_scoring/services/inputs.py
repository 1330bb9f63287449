"""Loading the inputs of many agencies for one year in a few bulk queries, and turning one
agency's into the engine's ``OrganisationInput`` plus the JSON document stored (and hashed)
with its score.

Sub-unit ratings fed to a parent (its "no direct sub-unit not completed" condition, Gia Lai
plan §III.3.a): for each *active direct* sub-unit, the level decided in its agency rating case
when one exists (``RatingCase.decision_level``, recorded for this app as ``DecidedRating``),
else its computed rating; a sub-unit with
neither is listed as unrated and not counted.

General marks: the appraised mark when given, else the agency's self-mark; the self-marks no
appraiser has marked are listed in ``unappraised`` and the framework's
``marks.self_mark_without_evaluator`` decides (default ``not_scored``: the organisation waits
for the appraising body, Gia Lai §III.4.b; review U7).

Civil servants' ratings (Gia Lai plan §II.2.b, legal review M2): under the framework option
``organisation.staff_ratings`` = ``like_subunits`` the computed annual ratings of the civil
servants whose annual score belongs to the agency (``scoring.AnnualScore``, scored) are in the
document (``staff_ratings``) and one "not completed" fails the levels that require no failed
sub-unit; under the default ``not_considered`` the document does not carry them (the stored
hashes stay as they were).

Tasks still ``pending`` (no outcome reported): not yet due on ``as_of`` → left out; past their
deadline → counted as not done when the framework's ``organisation.overdue_unreported`` is
``not_done`` (default; Gia Lai §III.3.d counts "< 70 % of the tasks of the year's programme",
review U8) or left out when it is ``excluded``. A task due on ``as_of`` itself is not overdue.

The tasks of the quarters the province chairman confirmed (``ProvinceTask``, entered by the
Office of the People's Committee) join the agency's tasks when the ``QuarterlyRule`` in force
says ``annual_use = province_tasks`` (default), with ids ``Q<quarter>-<id>`` in the document.

Work plans (Đắk Lắk §III.3; docs/scoring.md "An agency's key task measured from its work
plans"): under an agency's own key-task criterion with ``plan_fulfilment`` = ``ratio`` the
document carries ``work_plans`` — the agency's approved plans of the year, their items
completed, counted (completed or due before ``as_of``) and not yet due, read for all the
agencies at once through ``scoring.services.plan_fulfilment`` (``workplans``, an app above
this one, provides them) — or ``None`` when it has none; without the option the document does
not carry it (the stored hashes stay as they were).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict, cast

from cms.statements import kept_rows_together, read
from org.models import Agency
from org_scoring.models import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
    TaskOutcome,
)
from org_scoring.services.decisions import decided_levels
from org_scoring.services.quarterly import AnnualTask, confirmed_province_tasks
from scoring.engine import OrganisationInput, OrgTask, PlanFulfilment, key_task_from_plans
from scoring.engine.decimals import fmt_plain
from scoring.models import AnnualScore
from scoring.services import plan_fulfilment

DECISION, COMPUTED = "decision", "computed"


def _num(value) -> str | None:
    return None if value is None else fmt_plain(value)


class MarkRow(TypedDict):
    """An agency's general mark of one criterion (``OrganisationGeneralMark``)."""

    agency_id: int
    criterion: str
    self_mark: Decimal | None
    appraised_mark: Decimal | None


class ShortcomingRow(TypedDict):
    """A shortcoming found in the agency (``OrganisationShortcoming``)."""

    id: int
    agency_id: int
    remedied_on: datetime.date | None


class DisqualifierRow(TypedDict):
    """A conclusion that the agency is not completed (``OrganisationDisqualification``)."""

    id: int
    agency_id: int
    kind: str
    reference: str


@dataclass
class YearInputs:
    """Everything the agencies in ``ids`` (and their direct sub-units) need for ``year``."""

    year: int
    ids: list[int]
    tasks: dict[int, list[AnnualTask]] = field(default_factory=lambda: defaultdict(list))
    marks: dict[int, dict[str, MarkRow]] = field(default_factory=lambda: defaultdict(dict))
    shortcomings: dict[int, list[ShortcomingRow]] = field(default_factory=lambda: defaultdict(list))
    disqualifiers: dict[int, list[DisqualifierRow]] = field(
        default_factory=lambda: defaultdict(list)
    )
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    decided: dict[int, str] = field(default_factory=dict)
    #: agency id → {civil servant id: computed annual rating} (M2)
    staff: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    #: as_of → agency id → its work plans of the year (read on first need, for all ``ids``).
    plans: dict[datetime.date, dict[int, PlanFulfilment]] = field(default_factory=dict)

    def plan_of(self, agency_id: int, as_of: datetime.date) -> PlanFulfilment | None:
        """The agency's approved work plans of the year on ``as_of`` (one read for all)."""
        if as_of not in self.plans:
            self.plans[as_of] = plan_fulfilment.year_fulfilment(self.ids, self.year, as_of)
        return self.plans[as_of].get(agency_id)

    @classmethod
    def load(cls, year: int, ids) -> "YearInputs":
        data = cls(year=year, ids=list(ids))
        # Each read by a statement compiled once per number of agencies (``cms.statements``):
        # one person's chain scores the few agencies of their unit's line.
        year_ids = {"year": year, "ids": data.ids}
        # Sent together (one round trip on PostgreSQL): none depends on another.
        tasks, marks, shortcomings, disqualifiers, children, staff = kept_rows_together(
            read(_task_rows, **year_ids),
            read(_mark_rows, **year_ids),
            read(_shortcoming_rows, **year_ids),
            read(_disqualifier_rows, **year_ids),
            read(_child_rows, ids=data.ids),
            read(_staff_rows, **year_ids),
        )
        for task in tasks:  # each row a dict of its own
            data.tasks[task["agency_id"]].append(cast(AnnualTask, task))
        # The province-assigned tasks of the quarters the chairman confirmed (docs
        # organisation-scoring.md §9; ``QuarterlyRule.annual_use``), ids "Q<quarter>-<id>".
        for agency_id, rows in confirmed_province_tasks(year, data.ids).items():
            data.tasks[agency_id].extend(rows)
        for mark in marks:
            data.marks[mark["agency_id"]][mark["criterion"]] = mark
        for shortcoming in shortcomings:
            data.shortcomings[shortcoming["agency_id"]].append(shortcoming)
        for disqualifier in disqualifiers:
            data.disqualifiers[disqualifier["agency_id"]].append(disqualifier)
        for child, parent in children:
            data.children[parent].append(child)
        child_ids = [c for children in data.children.values() for c in children]
        data.decided = decided_levels(year, child_ids)
        for agency_id, person_id, rating in staff:
            if rating:
                data.staff[agency_id][str(person_id)] = rating
        return data

    @property
    def child_ids(self) -> list[int]:
        return [c for children in self.children.values() for c in children]


def overdue_counts_as_not_done(framework) -> bool:
    """The framework's ``organisation.overdue_unreported`` option (default ``not_done``)."""
    return framework.organisation.overdue_unreported.value == "not_done"


def build(
    data: YearInputs,
    agency_id: int,
    framework,
    computed: dict[int, str | None],
    as_of: datetime.date,
):
    """``(inputs document, OrganisationInput)`` of one agency.

    ``computed`` maps agency id → the rating computed (or stored) for it this year; ``as_of``
    is the day a pending task's deadline is compared with (the document records which tasks
    were overdue, not the day, so it changes only when a task falls overdue).
    """
    organisation = framework.organisation
    general = organisation.general
    marks = data.marks.get(agency_id, {})
    tasks = data.tasks.get(agency_id, [])
    unreported = [t for t in tasks if t["outcome"] == TaskOutcome.PENDING]
    overdue = [t for t in unreported if t["deadline"] < as_of]
    as_not_done = overdue if overdue_counts_as_not_done(framework) else []
    counted = [
        t if t["outcome"] != TaskOutcome.PENDING else {**t, "outcome": TaskOutcome.NOT_DONE}
        for t in tasks
        if t["outcome"] != TaskOutcome.PENDING or t in as_not_done
    ]
    pending = [t["id"] for t in unreported if t not in as_not_done]
    subunits, unrated = {}, []
    for child in data.children.get(agency_id, []):
        if child in data.decided:
            subunits[str(child)] = {"rating": data.decided[child], "source": DECISION}
        elif rating := computed.get(child):
            subunits[str(child)] = {"rating": rating, "source": COMPUTED}
        else:
            unrated.append(child)
    shortcomings = data.shortcomings.get(agency_id, [])
    remedied = all(s["remedied_on"] is not None for s in shortcomings)
    disqualifiers = data.disqualifiers.get(agency_id, [])
    effective, unappraised = {}, []
    for code, row in sorted(marks.items()):
        value = row["appraised_mark"] if row["appraised_mark"] is not None else row["self_mark"]
        if value is not None:
            effective[code] = _num(value)
        if row["appraised_mark"] is None and row["self_mark"] is not None:
            unappraised.append(code)
    rounding = framework.rules.rounding
    document = {
        "year": data.year,
        "framework_revision": framework.revision_id,
        "general_component": general.code,
        "general": effective,
        "marks": {
            code: {"self": _num(row["self_mark"]), "appraised": _num(row["appraised_mark"])}
            for code, row in sorted(marks.items())
        },
        # "key" only on key tasks: the documents (and hashes) of scores stored before key
        # tasks existed stay as they were.
        "tasks": [
            {
                "id": t["id"],
                "ref": t["document_ref"],
                "outcome": t["outcome"],
                "delays": t["delays"],
                **({"key": True} if t.get("is_key_task") else {}),
                # Only a task linked to the agency's own approved key-task criterion.
                **({"key_task": t["key_task"]} if t.get("key_task") else {}),
                # Only a task reported as not ensuring quality (Gia Lai §III.3 a–b, M3).
                **({"quality_ensured": False} if t.get("quality_ensured") is False else {}),
            }
            for t in counted
        ],
        "pending_tasks": pending,
        "overdue_unreported": [t["id"] for t in overdue],
        "unappraised": unappraised,
        "rules": {
            "fall_through": organisation.fall_through.value,
            "overdue_unreported": organisation.overdue_unreported.value,
            "self_mark_without_evaluator": (
                framework.rules.marks.self_mark_without_evaluator.value
            ),
            "rounding": {
                "places": rounding.digits,
                "mode": rounding.mode.value,
                "steps": rounding.steps.value,
                "banding": rounding.banding.value,
            },
        },
        "subunits": subunits,
        "subunits_unrated": unrated,
        "shortcomings": [
            {
                "id": s["id"],
                "remedied_on": s["remedied_on"].isoformat() if s["remedied_on"] else None,
            }
            for s in shortcomings
        ],
        "shortcomings_remedied": remedied,
        "disqualifiers": [
            {"id": d["id"], "code": d["kind"], "reference": d["reference"]} for d in disqualifiers
        ],
    }
    if organisation.staff_ratings.value == "like_subunits":
        document["rules"]["staff_ratings"] = organisation.staff_ratings.value
        document["staff_ratings"] = dict(sorted(data.staff.get(agency_id, {}).items()))
    if key_task_from_plans(organisation) is not None:
        plan = data.plan_of(agency_id, as_of)
        document["work_plans"] = (
            None
            if plan is None
            else {
                "plans": list(plan.plans),
                "done": plan.done,
                "total": plan.total,
                "not_due": plan.not_due,
            }
        )
    return document, engine_input(document)


def engine_input(document: dict) -> OrganisationInput:
    """The engine input of a stored inputs document (also used to re-explain a stored score)."""
    return OrganisationInput(
        general=document["general"] or None,
        tasks=tuple(
            OrgTask(
                outcome=t["outcome"],
                delays=t["delays"] if t["outcome"] == TaskOutcome.LATE else None,
                ref=t["ref"],
                key=bool(t.get("key")),
                quality_ensured=False if t.get("quality_ensured") is False else None,
                key_code=t.get("key_task") or None,
            )
            for t in document["tasks"]
        ),
        subunit_ratings={key: value["rating"] for key, value in document["subunits"].items()},
        shortcomings_remedied=document["shortcomings_remedied"],
        disqualifiers=tuple(d["code"] for d in document["disqualifiers"]),
        unappraised_marks=tuple(document.get("unappraised", ())),
        staff_ratings=document.get("staff_ratings", {}),
        plan=(
            PlanFulfilment(
                plans=tuple(plans["plans"]),
                done=plans["done"],
                total=plans["total"],
                not_due=plans.get("not_due", 0),
            )
            if (plans := document.get("work_plans"))
            else None
        ),
    )


def _task_rows(year, ids):
    return (
        OrganisationTask.objects.filter(year=year, agency_id__in=ids)
        .order_by("deadline", "id")
        .values(
            "id",
            "agency_id",
            "document_ref",
            "outcome",
            "delays",
            "deadline",
            "is_key_task",
            "key_task",
            "quality_ensured",
        )
    )


def _mark_rows(year, ids):
    return OrganisationGeneralMark.objects.filter(year=year, agency_id__in=ids).values(
        "agency_id", "criterion", "self_mark", "appraised_mark"
    )


def _shortcoming_rows(year, ids):
    return (
        OrganisationShortcoming.objects.filter(year=year, agency_id__in=ids)
        .order_by("id")
        .values("id", "agency_id", "remedied_on")
    )


def _disqualifier_rows(year, ids):
    return (
        OrganisationDisqualification.objects.filter(year=year, agency_id__in=ids)
        .order_by("id")
        .values("id", "agency_id", "kind", "reference")
    )


def _child_rows(ids):
    return (
        Agency.objects.filter(parent_id__in=ids, is_active=True)
        .order_by("path")
        .values_list("id", "parent_id")
    )


def _staff_rows(year, ids):
    return (
        AnnualScore.objects.filter(year=year, agency_id__in=ids, scored=True)
        .order_by()  # not the model's order: it joins every agency and person to sort
        .values_list("agency_id", "civil_servant_id", "rating")
    )
