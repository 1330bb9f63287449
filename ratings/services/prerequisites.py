"""What must happen before a rating case can be decided — the ONE definition of the rules
between cases that the ``decide`` guards enforce (``ratings.workflow.guards`` calls these
checks and refuses with their ``refusal``), exposed so that the case page shows them from the
day the case is opened, and the home panel "Hồ sơ chờ tôi xử lý" shows what blocks each case.

Each check says whether it is met (``done``), what it is about (``label``), the state now
(``detail``), the cases it depends on (``items``, with links), the guard's refusal when not met,
and a short text for lists (``short``, e.g. "chờ quyết định cấp dưới: 3 đơn vị").

The checks (docs/ratings.md §4):

* ``steps`` — the workflow steps before the decision: self-assessment, meeting, appraisal.
* ``opinion`` — the opinion the authority rule requires (e.g. the province chairman's for a
  deputy director).
* ``subunits`` — bottom-up: every active direct sub-unit of an agency decided first.
* ``agency_first`` — a head is decided after the agency/unit they head, when it has a case.
* ``deputy_cap`` — under the framework option ``individual.deputy_cap`` =
  ``not_above_head_when_late`` (M5), a deputy of a unit with late work is decided after the
  unit's head, and at most at the head's rating.
* ``quota`` — "excellent" within the group's quota: decide the "good" cases first.

Every function takes its data as optional arguments so that a list of cases can load it in a
fixed number of queries (``ratings.case_reads.waiting``) while one case loads it itself.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from org.models import Agency, CivilServant
from ratings.actors import resolve_actors
from ratings.models import CaseState, RatingCase
from ratings.services.frameworks import rules_for_case
from ratings.services.hierarchy import (
    deputied_agency,
    head_case,
    headed_agency,
    late_tasks,
    open_agency_case,
    undecided_subunits,
)
from ratings.services.labels import level_label
from ratings.services.quota import quota_status, refusal_message
from scoring.services.scope import case_in_quota

UNSET = object()
#: The main line up to the appraisal; any later state has passed all three steps.
STEP_ORDER = [CaseState.DRAFT, CaseState.SELF_ASSESSED, CaseState.REVIEWED, CaseState.APPRAISED]


@dataclass(frozen=True)
class Item:
    """A case (or a missing one) a check depends on."""

    label: str
    state: str
    url: str = ""
    done: bool = False


@dataclass
class Check:
    key: str
    label: str
    done: bool
    detail: str = ""
    refusal: str = ""
    short: str = ""
    items: list[Item] = field(default_factory=list)


def _case_url(case) -> str:
    return reverse("ratings_case", args=[case.pk]) if case is not None else ""


# --- the workflow steps before a decision ------------------------------------------------


def steps_check(case) -> Check:
    """Self-assessment, the meeting and the appraisal (the states ``decide`` starts from)."""
    state = case.held_from if case.state == CaseState.ON_HOLD else case.state
    reached = STEP_ORDER.index(state) if state in STEP_ORDER else len(STEP_ORDER)
    steps = [
        (_("Tự đánh giá"), reached >= 1),
        (_("Họp nhận xét, đánh giá"), reached >= 2),
        (_("Thẩm định, đề xuất mức xếp loại"), reached >= 3),
    ]
    items = [Item(str(label), _("Đã xong") if ok else _("Chưa"), done=ok) for label, ok in steps]
    missing = [str(label) for label, ok in steps if not ok]
    return Check(
        key="steps",
        label=_("Các bước trước khi quyết định"),
        done=not missing,
        detail=_("Còn: %(steps)s.") % {"steps": ", ".join(missing)} if missing else "",
        short=_("chưa xong: %(steps)s") % {"steps": ", ".join(missing).lower()} if missing else "",
        items=items,
    )


# --- the opinion ----------------------------------------------------------------------------


def opinion_check(case, actors) -> Check | None:
    if not actors.opinion_required:
        return None
    holder = actors.opinion.describe()
    # At the decision (from "appraised" or "opinion given") only "opinion given" will do; a
    # case returned for a new appraisal needs a new opinion.
    done = case.state == CaseState.OPINION_GIVEN or (
        case.state in (CaseState.DECIDED, CaseState.NOTIFIED) and bool(case.opinion_text)
    )
    return Check(
        key="opinion",
        label=_("Có ý kiến của %(holder)s") % {"holder": holder},
        done=done,
        detail="" if done else _("Chưa có ý kiến."),
        refusal=_("Phải có ý kiến của %(holder)s trước khi quyết định xếp loại.")
        % {"holder": holder},
        short="" if done else _("chưa đủ ý kiến"),
    )


# --- bottom-up: sub-units first -------------------------------------------------------------


def subunits_check(case, pending=UNSET, sub_cases=UNSET) -> Check | None:
    """``pending``: the undecided active direct sub-units (``undecided_subunits``);
    ``sub_cases``: ``{agency id: its open case}`` for the links (loaded when not given)."""
    if not case.is_agency_case:
        return None
    if pending is UNSET:
        pending = undecided_subunits(case.subject_agency, case.year)
    if sub_cases is UNSET:
        sub_cases = {
            c.subject_agency_id: c
            for c in RatingCase.objects.filter(
                subject_agency__in=[a.pk for a in pending], year=case.year
            ).exclude(state=CaseState.CANCELLED)
        }
    items = []
    for agency in pending:
        sub = sub_cases.get(agency.pk)
        state = sub.get_state_display() if sub is not None else _("Chưa có hồ sơ")
        items.append(Item(agency.name, state, _case_url(sub)))
    names = ", ".join(a.name for a in pending)
    return Check(
        key="subunits",
        label=_("Các đơn vị trực thuộc đã được quyết định xếp loại (xếp loại từ cấp dưới lên)"),
        done=not pending,
        detail=_("Chưa quyết định: %(names)s.") % {"names": names} if pending else "",
        refusal=_(
            "Xếp loại từ cấp dưới lên: các đơn vị trực thuộc sau chưa được quyết định xếp loại: "
            "%(names)s."
        )
        % {"names": names},
        short=ngettext(
            "chờ quyết định cấp dưới: %(n)d đơn vị",
            "chờ quyết định cấp dưới: %(n)d đơn vị",
            len(pending),
        )
        % {"n": len(pending)}
        if pending
        else "",
        items=items,
    )


# --- a head after their agency -----------------------------------------------------------


def agency_first_check(case, day: datetime.date, agency=UNSET, agency_case=UNSET) -> Check | None:
    """``agency``: the agency/unit the person heads on ``day`` (``headed_agency``);
    ``agency_case``: its open case of the year (``open_agency_case``)."""
    if case.is_agency_case:
        return None
    if agency is UNSET:
        agency = headed_agency(case.civil_servant, day)
    if agency is None:
        return None
    if agency_case is UNSET:
        agency_case = open_agency_case(agency, case.year)
    if agency_case is None:
        return None
    done = bool(agency_case.decision_level)
    return Check(
        key="agency_first",
        label=_("%(agency)s (do người này đứng đầu) đã được quyết định xếp loại trước")
        % {"agency": agency.name},
        done=done,
        detail=""
        if done
        else _("Hồ sơ đang ở trạng thái “%(state)s”.") % {"state": agency_case.get_state_display()},
        refusal=_(
            "%(name)s là người đứng đầu %(agency)s: phải quyết định xếp loại %(agency)s trước "
            "(hồ sơ đang ở trạng thái “%(state)s”)."
        )
        % {
            "name": case.civil_servant.full_name,
            "agency": agency.name,
            "state": agency_case.get_state_display(),
        },
        short="" if done else _("chờ quyết định %(agency)s") % {"agency": agency.name},
        items=[Item(agency.name, agency_case.get_state_display(), _case_url(agency_case), done)],
    )


# --- a deputy after their head (M5) ----------------------------------------------------------

DEPUTY_CAP_RULE = "not_above_head_when_late"
#: The other reading of "late work" (legal review F6): the staff's assigned products too.
DEPUTY_CAP_ANY_LATE = "not_above_head_when_any_late"


@dataclass
class DeputyCap:
    """What the deputy cap (M5) needs at the decision: the unit, its late tasks, the head and
    their case (decided or not)."""

    agency: Agency
    late: int
    head: CivilServant
    head_case: RatingCase


def deputy_cap_facts(case, day: datetime.date) -> DeputyCap | None:
    """The facts of the deputy cap for ``case``, or ``None`` when it does not apply: not a
    civil servant's case, the option of the framework that scored the year is not
    ``not_above_head_when_late``, not a deputy on ``day``, no late work in the unit's year, or
    no head (or no case of the head) to compare with."""
    if case.is_agency_case:
        return None
    rule = rules_for_case(case).individual.deputy_cap.value
    if rule not in (DEPUTY_CAP_RULE, DEPUTY_CAP_ANY_LATE):
        return None
    agency = deputied_agency(case.civil_servant, day)
    if agency is None:
        return None
    late = late_tasks(agency, case.year, staff_lines=rule == DEPUTY_CAP_ANY_LATE)
    if not late:
        return None
    head, their_case = head_case(agency, case.year, day)
    if their_case is None:
        return None
    return DeputyCap(agency=agency, late=late, head=head, head_case=their_case)


def deputy_cap_check(case, day: datetime.date, facts=UNSET) -> Check | None:
    """The line of the case page: the deputy is rated at most the head's rating because the
    unit has late work (M5), and the head's case is decided first."""
    if facts is UNSET:
        facts = deputy_cap_facts(case, day)
    if facts is None:
        return None
    head_case_, done = facts.head_case, bool(facts.head_case.decision_level)
    values = {
        "name": case.civil_servant.full_name,
        "head": facts.head.full_name,
        "agency": facts.agency.name,
        "late": facts.late,
        "year": case.year,
        "state": head_case_.get_state_display(),
    }
    return Check(
        key="deputy_cap",
        label=ngettext(
            "Cấp phó không được xếp loại cao hơn cấp trưởng khi đơn vị có việc trễ hạn: "
            "%(agency)s có %(late)d nhiệm vụ năm %(year)d hoàn thành trễ hạn hoặc không hoàn "
            "thành, nên %(head)s được quyết định xếp loại trước",
            "Cấp phó không được xếp loại cao hơn cấp trưởng khi đơn vị có việc trễ hạn: "
            "%(agency)s có %(late)d nhiệm vụ năm %(year)d hoàn thành trễ hạn hoặc không hoàn "
            "thành, nên %(head)s được quyết định xếp loại trước",
            facts.late,
        )
        % values,
        done=done,
        detail=_("%(head)s được xếp loại “%(level)s”: %(name)s được xếp tối đa “%(level)s”.")
        % {**values, "level": level_label(head_case_.decision_level)}
        if done
        else _("Hồ sơ của %(head)s đang ở trạng thái “%(state)s”.") % values,
        refusal=_(
            "%(name)s là cấp phó của %(agency)s, đơn vị có việc trễ hạn: phải quyết định xếp "
            "loại %(head)s (cấp trưởng) trước (hồ sơ đang ở trạng thái “%(state)s”)."
        )
        % values,
        short="" if done else _("chờ quyết định %(head)s") % values,
        items=[
            Item(facts.head.full_name, head_case_.get_state_display(), _case_url(head_case_), done)
        ],
    )


# --- the excellent quota --------------------------------------------------------------------


def quota_check(case, level: str | None = None, *, status=None, lock: bool = False):
    """For a civil servant's case whose level (given, or the proposal) is "excellent": is there
    room in the group's quota? ``status``: the group's ``QuotaStatus`` if already loaded."""
    level = level if level is not None else case.proposal_level
    if case.is_agency_case or level != "excellent":
        return None
    if not case_in_quota(case):  # public employees, contract workers (docs/scope.md)
        return None
    if status is None:
        status = quota_status(case, rules_for_case(case), lock=lock)
    done = status.allows_one_more()
    return Check(
        key="quota",
        label=_(
            "Tỷ lệ hoàn thành xuất sắc của %(group)s (quyết định các trường hợp hoàn thành tốt "
            "trước)"
        )
        % {"group": status.group_label},
        done=done,
        detail=_(
            "Đã quyết định %(excellent)d hoàn thành xuất sắc và %(good)d hoàn thành tốt; tối đa "
            "%(max)d hoàn thành xuất sắc."
        )
        % {
            "excellent": status.excellent,
            "good": status.good,
            "max": status.max_excellent,
        },
        refusal=refusal_message(status),
        short="" if done else _("xét Tốt trước Xuất sắc"),
    )


# --- everything, for one case ----------------------------------------------------------------


def decision_prerequisites(case, actors=None) -> list[Check]:
    """The checklist of the case page: every check that applies to the case, met or not."""
    actors = actors or resolve_actors(case)
    checks = [
        steps_check(case),
        opinion_check(case, actors),
        subunits_check(case),
        agency_first_check(case, actors.day),
        deputy_cap_check(case, actors.day),
        quota_check(case),
    ]
    return [check for check in checks if check is not None]
