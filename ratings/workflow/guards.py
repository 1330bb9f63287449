"""Guard functions: each looks at a proposed move and returns a Vietnamese reason to refuse it,
or ``None``. They are listed per transition in ``ratings.workflow.transitions``.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from org_scoring.services.lookup import stored_score
from ratings.actors import CaseActors
from ratings.deadlines import complaint_window_open
from ratings.models import CaseState, RatingCase
from ratings.services.calendars import calendar_for
from ratings.services.ceilings import ceiling_for
from ratings.services.frameworks import head_cap_enabled, rules_for_case
from ratings.services.hierarchy import headed_agency, open_agency_case
from ratings.services.labels import level_label
from ratings.services.prerequisites import (
    agency_first_check,
    deputy_cap_check,
    deputy_cap_facts,
    opinion_check,
    quota_check,
    subunits_check,
)
from ratings.services.staleness import case_refusal
from scoring.engine import cap_deputy_rating, cap_head_rating


@dataclass
class GuardContext:
    case: RatingCase
    user: object
    actors: CaseActors
    today: datetime.date
    data: dict = field(default_factory=dict)


def scores_are_fresh(ctx: GuardContext) -> str | None:
    """Issue 28 (legal review D2): no proposal or decision on an annual (or organisation) score
    that is being recomputed after a change of its inputs — the ceiling, the quota and Form 02
    would read the old figure. The refresh runs by itself within minutes."""
    what = _("quyết định xếp loại") if ctx.data.get("decision_level") else _("đề xuất mức xếp loại")
    return case_refusal(ctx.case, what)


def decision_after_meeting(ctx: GuardContext) -> str | None:
    """The decision follows the meeting that reviewed the case (review 2026-11-23 C7)."""
    day, meeting = ctx.data.get("decision_date"), ctx.case.meeting_date
    if day is None or meeting is None or day >= meeting:
        return None
    return _(
        "Ngày quyết định %(day)s trước ngày họp nhận xét, đánh giá %(meeting)s: hãy kiểm tra "
        "lại ngày quyết định."
    ) % {"day": day.strftime("%d/%m/%Y"), "meeting": meeting.strftime("%d/%m/%Y")}


def opinion_is_required(ctx: GuardContext) -> str | None:
    if not ctx.actors.opinion_required:
        return _(
            "Theo quy tắc thẩm quyền, trường hợp này không cần xin ý kiến trước khi "
            "quyết định xếp loại."
        )
    return None


def _refusal(check) -> str | None:
    """A prerequisite of ``ratings.services.prerequisites`` (the same check the case page and
    the home panel show) refuses the move when it is not met."""
    return check.refusal if check is not None and not check.done else None


def opinion_obtained(ctx: GuardContext) -> str | None:
    return _refusal(opinion_check(ctx.case, ctx.actors))


def _within_ceiling(ctx: GuardContext, key: str, what: str, may_lift: bool = False) -> str | None:
    level = ctx.data.get(key)
    lift = may_lift and bool(ctx.data.get("lift_ceiling"))
    if not level:
        return None
    ceiling = ceiling_for(ctx.case, score=ctx.data.get("score"))
    if ceiling.level is None:
        return " ".join(ceiling.reasons)
    if lift:
        return _lift_refusal(ctx, level, ceiling)
    if not ceiling.allows(level):
        return _(
            "%(what)s “%(level)s” cao hơn mức mà điểm và các trường hợp không hoàn thành nhiệm "
            "vụ cho phép (tối đa “%(ceiling)s”). %(reasons)s"
        ) % {
            "what": what,
            "level": level_label(level),
            "ceiling": level_label(ceiling.level),
            "reasons": " ".join(ceiling.reasons),
        }
    return None


def proposal_within_ceiling(ctx: GuardContext) -> str | None:
    return _within_ceiling(ctx, "proposal_level", _("Mức đề xuất"))


def decision_within_ceiling(ctx: GuardContext) -> str | None:
    """The decided level within the ceiling — or, for an organisation, above it when the
    deciding authority lifts it for force majeure with the circumstances recorded
    ([secondary] Gia Lai plan §III.3.d). Only the rater performs "decide", so only the deciding
    authority of the case can lift (``ratings.workflow.transitions``)."""
    return _within_ceiling(ctx, "decision_level", _("Mức quyết định"), may_lift=True)


def _lift_refusal(ctx: GuardContext, level: str, ceiling) -> str | None:
    if not ctx.case.is_agency_case:
        return _(
            "Quyết định cao hơn mức tối đa do bất khả kháng chỉ áp dụng với hồ sơ của tổ chức "
            "(Kế hoạch của tỉnh, mục III.3.d)."
        )
    if not (ctx.data.get("force_majeure_reason") or "").strip():
        return _("Phải ghi rõ lý do bất khả kháng khi quyết định cao hơn mức tối đa.")
    if ceiling.allows(level):
        return _(
            "Mức quyết định “%(level)s” không cao hơn mức tối đa “%(ceiling)s”: không cần "
            "vượt mức tối đa do bất khả kháng."
        ) % {"level": level_label(level), "ceiling": level_label(ceiling.level)}
    return None


def excellent_quota(ctx: GuardContext) -> str | None:
    return _refusal(quota_check(ctx.case, ctx.data.get("decision_level") or "", lock=True))


def head_not_above_agency(ctx: GuardContext) -> str | None:
    case, level = ctx.case, ctx.data.get("decision_level")
    person = case.civil_servant  # a person's case has its person (the table's constraint)
    if case.is_agency_case or person is None or not level:
        return None
    agency = headed_agency(person, ctx.actors.day)
    if agency is None:
        return None
    agency_case = open_agency_case(agency, case.year)
    if agency_case is None:
        return None
    refusal = _refusal(agency_first_check(case, ctx.actors.day, agency, agency_case))
    if refusal:
        return refusal
    capped = cap_head_rating(
        level, agency_case.decision_level, enabled=head_cap_enabled(rules_for_case(case))
    )
    if capped != level:
        return _(
            "Người đứng đầu không được xếp loại cao hơn tổ chức: %(agency)s được xếp loại "
            "“%(agency_level)s”, nên %(name)s được xếp tối đa “%(agency_level)s”."
        ) % {
            "agency": agency.name,
            "agency_level": level_label(agency_case.decision_level),
            "name": person.full_name,
        }
    return None


def deputy_not_above_head(ctx: GuardContext) -> str | None:
    """M5 (framework option ``individual.deputy_cap``, [secondary] Customs 21169): a deputy
    of a unit with late work is not decided above the head's decided rating."""
    case, level = ctx.case, ctx.data.get("decision_level")
    person = case.civil_servant  # a person's case has its person (the table's constraint)
    if case.is_agency_case or person is None or not level:
        return None
    facts = deputy_cap_facts(case, ctx.actors.day)
    if facts is None:
        return None
    refusal = _refusal(deputy_cap_check(case, ctx.actors.day, facts))
    if refusal:
        return refusal
    head_level = facts.head_case.decision_level
    capped, _step = cap_deputy_rating(
        level, head_level, unit_has_late_work=True, rules=rules_for_case(case)
    )
    if capped != level:
        return _(
            "Cấp phó không được xếp loại cao hơn cấp trưởng khi đơn vị có việc trễ hạn: "
            "%(agency)s có %(late)d nhiệm vụ năm %(year)d hoàn thành trễ hạn hoặc không hoàn "
            "thành và %(head)s được xếp loại “%(head_level)s”, nên %(name)s được xếp tối đa "
            "“%(head_level)s”."
        ) % {
            "agency": facts.agency.name,
            "late": facts.late,
            "year": case.year,
            "head": facts.head.full_name,
            "head_level": level_label(head_level),
            "name": person.full_name,
        }
    return None


def subunits_decided(ctx: GuardContext) -> str | None:
    return _refusal(subunits_check(ctx.case, sub_cases={}))


def complaint_window(ctx: GuardContext) -> str | None:
    case = ctx.case
    if case.state != CaseState.NOTIFIED or case.notified_at is None:
        return None
    days = calendar_for(case.year).complaint_days
    notified_on = timezone.localtime(case.notified_at).date()
    if not complaint_window_open(notified_on, ctx.today, days):
        return _("Đã hết thời hạn kiến nghị (%(days)d ngày kể từ ngày thông báo %(day)s).") % {
            "days": days,
            "day": notified_on.strftime("%d/%m/%Y"),
        }
    return None


def agency_has_score(ctx: GuardContext) -> str | None:
    """A stored organisation score stands; without one the appraiser types the score."""
    case = ctx.case
    if not case.is_agency_case or ctx.data.get("score") is not None or case.score is not None:
        return None
    if stored_score(case.subject_agency, case.year) is not None:
        return None
    return _("Phải nhập điểm đánh giá của tổ chức sau thẩm định.")
