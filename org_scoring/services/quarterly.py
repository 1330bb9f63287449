"""The Office's quarterly entry of province-assigned tasks and the chairman's quarterly
assessment of departments, communes and their heads (Gia Lai plan §V.3, §IV.4.1.a;
docs/organisation-scoring.md §9).

* **Entry window.** ``entry_decision`` says whether a task of a quarter may be entered or
  changed on a day: refused before the window opens and once the chairman has confirmed the
  quarter; accepted in the window; after it, accepted **and marked late** only when the
  quarter's ``QuarterWindow.late_entry`` allows it and the user holds the permission
  ``org_scoring.enter_late_provincetask`` (``org_scoring.access.may_enter_late``), refused
  otherwise.
* **The quarter's score** (``quarter_result``, the ``QuarterlyRule`` in force): tasks done on
  time 100 %, done late ``late_credit`` % (default 50), overdue or not done 0 %; tasks still in
  progress within their deadline are not counted; the score is the mean × 100, rounded half-up
  to 2 places; the level is the highest whose minimum the score reaches (default 90 / 70 / 50,
  the organisation levels of Gia Lai §III.3) [giả định — tỉnh cần xác nhận]. A quarter with no
  counted task is not assessed. The head's quarterly result is the agency's (Gia Lai §V.3
  assesses "các sở, ngành, UBND các xã, phường và người đứng đầu" from the same tasks).
* **Six months** (``half_year_rows``): the mean of the half's assessed quarter scores, the
  level by the same minimums [giả định: Decree 335 Art. 17 builds longer periods from shorter
  ones; notes §3 "annual score = the average of the periodic scores"].
* **The year** (``confirmed_province_tasks``): with ``annual_use = province_tasks`` (default)
  the tasks of the quarters the chairman confirmed join the agency's annual organisation tasks
  (``org_scoring.services.inputs``); a task carried into a later confirmed quarter counts once,
  with its latest status.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import workflow
from cms.statements import kept_rows
from org.authority import head_posting
from org.models import Agency, AgencyKind
from org_scoring import quarters
from org_scoring.models import (
    AnnualUse,
    ProvinceTask,
    ProvinceTaskStatus,
    QuarterlyAssessment,
    QuarterlyRule,
    QuarterWindow,
)
from org_scoring.models.choices import TaskOutcome
from scoring.engine.fingerprint import canonical_json, sha256_hex
from scoring.models import Rating

HUNDRED = Decimal("100")
CREDIT = {
    ProvinceTaskStatus.DONE_ON_TIME: None,  # the rule's 100 %
    ProvinceTaskStatus.DONE_LATE: "late",
    ProvinceTaskStatus.OVERDUE: Decimal("0"),
    ProvinceTaskStatus.NOT_DONE: Decimal("0"),
}
#: How a province task's status reads as an annual organisation task outcome (keyed by the
#: status as stored: a ``ProvinceTaskStatus`` is its code).
ANNUAL_OUTCOME: dict[str, TaskOutcome] = {
    ProvinceTaskStatus.DONE_ON_TIME: TaskOutcome.ON_TIME,
    ProvinceTaskStatus.DONE_LATE: TaskOutcome.LATE,
    ProvinceTaskStatus.IN_PROGRESS: TaskOutcome.PENDING,
    ProvinceTaskStatus.OVERDUE: TaskOutcome.NOT_DONE,
    ProvinceTaskStatus.NOT_DONE: TaskOutcome.NOT_DONE,
}


class AnnualTask(TypedDict):
    """An organisation task of the year as the annual inputs read it
    (``org_scoring.services.inputs``): the agency's own ``OrganisationTask``, or a task of a
    confirmed quarter (:func:`confirmed_province_tasks`: id ``Q<quarter>-<id>``, no key-task or
    quality fields, ``delays`` only when done late)."""

    id: int | str
    agency_id: int
    document_ref: str
    outcome: str
    delays: int | None
    deadline: datetime.date
    is_key_task: NotRequired[bool]
    key_task: NotRequired[str]
    quality_ensured: NotRequired[bool | None]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- configuration --------------------------------------------------------------------------


def window_for(year: int, quarter: int) -> QuarterWindow:
    """The quarter's window row, or the defaults (day 5 to day 10 of its last month)."""
    found = QuarterWindow.objects.filter(year=year, quarter=quarter).first()
    return found or QuarterWindow.defaults_for(year, quarter)


def rule_for(year: int) -> QuarterlyRule:
    """The rule of the latest ``effective_year`` not after ``year``; the defaults without one."""
    found = next(iter(kept_rows(_rules_by, year=year)), None)
    return found or QuarterlyRule(effective_year=year)


def _rules_by(year):
    """``.first()``'s statement for :func:`rule_for`."""
    return QuarterlyRule.objects.filter(effective_year__lte=year).order_by("-effective_year")[:1]


def rule_document(rule: QuarterlyRule) -> dict:
    return {
        "effective_year": rule.effective_year,
        "late_credit": str(rule.late_credit),
        "excellent_min": str(rule.excellent_min),
        "good_min": str(rule.good_min),
        "completed_min": str(rule.completed_min),
        "annual_use": rule.annual_use,
    }


def assessed_agencies():
    """Departments and communes directly under the province (Gia Lai §V.3)."""
    return Agency.objects.filter(
        is_active=True,
        parent__kind=AgencyKind.PROVINCE,
        kind__in=(AgencyKind.DEPARTMENT, AgencyKind.COMMUNE),
    ).order_by("path")


def is_confirmed(year: int, quarter: int) -> bool:
    return QuarterlyAssessment.objects.filter(
        year=year, quarter=quarter, confirmed_at__isnull=False
    ).exists()


# --- the entry window -----------------------------------------------------------------------


@dataclass(frozen=True)
class EntryDecision:
    allowed: bool
    late: bool = False
    message: str = ""


def entry_decision(
    year: int, quarter: int, day: datetime.date, *, may_enter_late: bool
) -> EntryDecision:
    window = window_for(year, quarter)
    if is_confirmed(year, quarter):
        return EntryDecision(
            False,
            message=_(
                "Kết quả quý %(q)d/%(y)d đã được Chủ tịch UBND tỉnh xác nhận: không nhập, sửa "
                "nhiệm vụ của quý này được nữa."
            )
            % {"q": quarter, "y": year},
        )
    state = window.state(day)
    if state == quarters.OPEN:
        return EntryDecision(True)
    if state == quarters.BEFORE:
        return EntryDecision(
            False,
            message=_(
                "Chưa đến thời hạn nhập nhiệm vụ quý %(q)d/%(y)d: từ ngày %(open)s đến ngày "
                "%(close)s."
            )
            % {
                "q": quarter,
                "y": year,
                "open": _day(window.opens_on),
                "close": _day(window.closes_on),
            },
        )
    if window.late_entry and may_enter_late:
        return EntryDecision(
            True,
            late=True,
            message=_(
                "Đã hết thời hạn nhập nhiệm vụ quý %(q)d/%(y)d (ngày %(close)s): nhiệm vụ được "
                "ghi nhận và đánh dấu nhập muộn."
            )
            % {"q": quarter, "y": year, "close": _day(window.closes_on)},
        )
    return EntryDecision(
        False,
        message=_(
            "Đã hết thời hạn nhập nhiệm vụ quý %(q)d/%(y)d (ngày %(close)s); bạn không có quyền "
            "nhập sau hạn."
        )
        % {"q": quarter, "y": year, "close": _day(window.closes_on)},
    )


def status_problem(status: str, deadline: datetime.date, day: datetime.date) -> str:
    """Why ``status`` cannot be reported on ``day`` for a task due on ``deadline`` ("" if it
    can): "in progress, within the deadline" once past it, "overdue" before it."""
    if status == ProvinceTaskStatus.IN_PROGRESS and deadline < day:
        return _(
            "Nhiệm vụ đã quá hạn (hạn %(day)s): chọn “Quá hạn, chưa hoàn thành” thay cho “Đang "
            "thực hiện, còn trong hạn”."
        ) % {"day": _day(deadline)}
    if status == ProvinceTaskStatus.OVERDUE and deadline >= day:
        return _("Nhiệm vụ chưa quá hạn (hạn %(day)s): không chọn “Quá hạn, chưa hoàn thành”.") % {
            "day": _day(deadline)
        }
    return ""


@transaction.atomic
def save_task(task: ProvinceTask, user, *, may_enter_late: bool, now=None) -> EntryDecision:
    """Validate and store ``task`` with who entered it, when, and whether late; then
    reassess its agency's quarter. Raises ``ValidationError`` (nothing written) when refused."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    decision = entry_decision(task.year, task.quarter, day, may_enter_late=may_enter_late)
    if task.pk is not None:
        stored = ProvinceTask.objects.filter(pk=task.pk).values("year", "quarter").first()
        if stored and (stored["year"], stored["quarter"]) != (task.year, task.quarter):
            before = entry_decision(
                stored["year"], stored["quarter"], day, may_enter_late=may_enter_late
            )
            if not before.allowed:
                raise ValidationError(before.message)
    if not decision.allowed:
        raise ValidationError(decision.message)
    if task.deadline and (problem := status_problem(task.status, task.deadline, day)):
        raise ValidationError({"status": problem})
    task.full_clean()
    if task.pk is None:
        task.entered_by, task.entered_at, task.entered_late = user, now, decision.late
    else:
        task.updated_by, task.updated_at = user, now
        task.updated_late = task.updated_late or decision.late
    task.save()
    assess_quarter(task.year, task.quarter, agencies=[task.agency], now=now)
    return decision


@transaction.atomic
def delete_task(task: ProvinceTask, *, may_enter_late: bool, now=None) -> None:
    now = now or timezone.now()
    decision = entry_decision(
        task.year, task.quarter, timezone.localtime(now).date(), may_enter_late=may_enter_late
    )
    if not decision.allowed:
        raise ValidationError(decision.message)
    agency, year, quarter = task.agency, task.year, task.quarter
    task.delete()
    assess_quarter(year, quarter, agencies=[agency], now=now)


# --- the quarter's result -------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterResult:
    assessed: bool
    counted: int
    score: Decimal | None
    level: str


def level_for(score: Decimal, rule: QuarterlyRule) -> str:
    if score >= rule.excellent_min:
        return Rating.EXCELLENT
    if score >= rule.good_min:
        return Rating.GOOD
    if score >= rule.completed_min:
        return Rating.COMPLETED
    return Rating.NOT_COMPLETED


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quarter_result(statuses, rule: QuarterlyRule) -> QuarterResult:
    """Score and level of a quarter's task statuses under ``rule`` (module docstring)."""
    credits: list[Decimal] = []
    for status in statuses:
        if status not in CREDIT:
            continue  # in progress within its deadline: not judged yet
        credit = CREDIT[status]
        if credit is None:
            credits.append(HUNDRED)
        elif isinstance(credit, str):  # "late", the only text credit
            credits.append(Decimal(rule.late_credit))
        else:
            credits.append(credit)
    if not credits:
        return QuarterResult(False, 0, None, "")
    score = _round(sum(credits, Decimal("0")) / len(credits))
    return QuarterResult(True, len(credits), score, level_for(score, rule))


@dataclass
class AssessReport:
    written: int = 0
    unchanged: int = 0
    frozen: int = 0


def assess_quarter(year: int, quarter: int, *, agencies=None, now=None) -> AssessReport:
    """(Re)compute the quarter's rows of ``agencies`` (default every department and commune).
    Unchanged inputs write nothing; a confirmed row is never rewritten."""
    now = now or timezone.now()
    report = AssessReport()
    rule = rule_for(year)
    rule_doc = rule_document(rule)
    _first, last = quarters.quarter_bounds(year, quarter)
    agencies = list(agencies if agencies is not None else assessed_agencies())
    tasks: dict[int, list[ProvinceTask]] = {a.pk: [] for a in agencies}
    for task in ProvinceTask.objects.filter(
        year=year, quarter=quarter, agency__in=agencies
    ).order_by("deadline", "id"):
        tasks[task.agency_id].append(task)
    stored = {
        row.agency_id: row
        for row in QuarterlyAssessment.objects.filter(
            year=year, quarter=quarter, agency__in=agencies
        )
    }
    for agency in agencies:
        row = stored.get(agency.pk) or QuarterlyAssessment(
            agency=agency, year=year, quarter=quarter
        )
        if row.confirmed:
            report.frozen += 1
            continue
        head = head_posting(agency, last)
        own = tasks[agency.pk]
        result = quarter_result([t.status for t in own], rule)
        head_id = head.civil_servant_id if head else None
        document = {
            "year": year,
            "quarter": quarter,
            "rule": rule_doc,
            "head": head_id,
            "tasks": [
                {
                    "id": t.pk,
                    "document": t.document_number,
                    "deadline": t.deadline.isoformat(),
                    "status": t.status,
                    "late_entry": t.late,
                }
                for t in own
            ],
        }
        digest = sha256_hex(canonical_json(document))
        if row.pk is not None and row.inputs_hash == digest:
            report.unchanged += 1
            continue
        row.head_id = head_id
        row.assessed = result.assessed
        row.tasks_counted = result.counted
        row.score = result.score
        row.level = result.level
        row.inputs = document
        row.inputs_hash = digest
        row.computed_at = now
        row.save()
        report.written += 1
    return report


@dataclass
class Quarter:
    """A quarter as the confirmation flow sees it: open until the chairman confirms it."""

    year: int
    quarter: int
    now: datetime.datetime

    @property
    def status(self) -> str:
        return "confirmed" if is_confirmed(self.year, self.quarter) else "open"


def _window_closed(ctx: workflow.Context) -> str | None:
    closes_on = window_for(ctx.obj.year, ctx.obj.quarter).closes_on
    if timezone.localtime(ctx.obj.now).date() <= closes_on:
        return _("Chỉ xác nhận kết quả quý sau khi hết thời hạn nhập liệu (ngày %(close)s).") % {
            "close": _day(closes_on)
        }
    return None


#: The quarter's confirmation (``cms.workflow``); who may confirm is checked by the view
#: (the chairman's office permission), the stamp on the rows is the log.
CONFIRM_FLOW = workflow.Flow(
    (
        workflow.Transition(
            "confirm",
            gettext_lazy("Xác nhận kết quả quý"),
            frozenset({"open"}),
            "confirmed",
            guards=(_window_closed,),
            wrong_state=gettext_lazy("Kết quả quý này đã được xác nhận."),
        ),
    )
)


@transaction.atomic
def confirm_quarter(year: int, quarter: int, user, *, note: str = "", now=None) -> int:
    """The chairman confirms the quarter (after its window has closed): every row is assessed
    once more, then stamped; the quarter's tasks are locked from then on."""
    now = now or timezone.now()
    try:
        CONFIRM_FLOW.check(Quarter(year, quarter, now), "confirm", user, comment=note)
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc.reasons[0])) from exc
    assess_quarter(year, quarter, now=now)
    return QuarterlyAssessment.objects.filter(
        year=year, quarter=quarter, confirmed_at__isnull=True, agency__in=assessed_agencies()
    ).update(confirmed_by=user, confirmed_at=now, confirm_note=note)


# --- six months and the year ----------------------------------------------------------------


@dataclass
class HalfYearRow:
    agency: Agency
    quarters: dict[int, QuarterlyAssessment | None] = field(default_factory=dict)
    score: Decimal | None = None
    level: str = ""
    complete: bool = False  # both quarters assessed and confirmed

    @property
    def level_label(self) -> str:
        return str(Rating(self.level).label) if self.level else ""


def _assessed_score(row: QuarterlyAssessment) -> Decimal:
    """An assessed quarter's score: :func:`assess_quarter` writes one with every assessed row
    (without one, adding it up would raise the same ``TypeError``)."""
    if row.score is None:
        raise TypeError(f"assessed quarter {row.pk} has no score")
    return row.score


def half_year_rows(year: int, half: int, agencies=None) -> list[HalfYearRow]:
    """Six-month results from the half's two quarters (Gia Lai §IV.4.1.a)."""
    rule = rule_for(year)
    wanted = quarters.HALVES[half]
    agencies = list(agencies if agencies is not None else assessed_agencies())
    found = {
        (row.agency_id, row.quarter): row
        for row in QuarterlyAssessment.objects.filter(
            year=year, quarter__in=wanted, agency__in=agencies
        )
    }
    rows = []
    for agency in agencies:
        row = HalfYearRow(agency, {q: found.get((agency.pk, q)) for q in wanted})
        scores = [_assessed_score(r) for r in row.quarters.values() if r is not None and r.assessed]
        if scores:
            row.score = _round(sum(scores, Decimal("0")) / len(scores))
            row.level = level_for(row.score, rule)
        row.complete = all(
            r is not None and r.assessed and r.confirmed for r in row.quarters.values()
        )
        rows.append(row)
    return rows


def _confirmed_quarters(year, ids):
    return QuarterlyAssessment.objects.filter(
        year=year, agency_id__in=ids, confirmed_at__isnull=False
    ).values_list("agency_id", "quarter")


def confirmed_province_tasks(year: int, agency_ids) -> dict[int, list[AnnualTask]]:
    """The tasks of the quarters the chairman confirmed, as annual organisation tasks (id,
    quarter, reference, outcome, deadline); empty when the rule's ``annual_use`` is ``none``.
    A task carried into a later confirmed quarter's task counts once, as that later task."""
    if rule_for(year).annual_use != AnnualUse.PROVINCE_TASKS:
        return {}
    confirmed = set(kept_rows(_confirmed_quarters, year=year, ids=list(agency_ids)))
    if not confirmed:
        return {}
    rows = [
        row
        for row in ProvinceTask.objects.filter(year=year, agency_id__in=agency_ids)
        .order_by("quarter", "deadline", "id")
        .values(
            "id", "agency_id", "quarter", "document_number", "status", "deadline", "carried_from"
        )
        if (row["agency_id"], row["quarter"]) in confirmed
    ]
    superseded = {row["carried_from"] for row in rows if row["carried_from"]}
    tasks: dict[int, list[AnnualTask]] = {}
    for row in rows:
        if row["id"] in superseded:
            continue
        tasks.setdefault(row["agency_id"], []).append(
            {
                "id": f"Q{row['quarter']}-{row['id']}",
                "agency_id": row["agency_id"],
                "document_ref": row["document_number"],
                "outcome": ANNUAL_OUTCOME[row["status"]],
                "delays": 1 if row["status"] == ProvinceTaskStatus.DONE_LATE else None,
                "deadline": row["deadline"],
            }
        )
    return tasks
