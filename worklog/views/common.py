"""Shared bits of the worklog admin views."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cms.admin_views import TitledAdminMixin
from org.authority import AuthorityError, period_day, resolve_authority
from org.models import CivilServant
from scoring.models import AssignmentLine, Period, PeriodKind, PeriodStatus
from scoring.services.postings import authority_day
from worklog.access import can_view_line, evaluated_person_ids


def today() -> datetime.date:
    """The working date of every view (tests replace it)."""
    return timezone.localdate()


def get_line(request, pk) -> AssignmentLine:
    line = get_object_or_404(
        AssignmentLine.objects.select_related("item", "period", "civil_servant", "unit"), pk=pk
    )
    if not can_view_line(request.user, line, today()):
        raise PermissionDenied
    return line


def marks_period(day: datetime.date) -> Period | None:
    """The open period whose general-criteria marks (Form 01) a leader enters now: the latest
    open month or quarter that has begun (the same periods "Kết quả của tôi" offers)."""
    return (
        Period.objects.filter(
            status=PeriodStatus.OPEN,
            kind__in=[PeriodKind.MONTH, PeriodKind.QUARTER],
            start_date__lte=day,
        )
        .order_by("-start_date", "kind")
        .first()
    )


def evaluated_ids(user, period: Period, day: datetime.date) -> set[int]:
    """Ids of the people whose counted Form 01 marks ``user`` enters for ``period``."""
    # Whom the user evaluates on the days that can decide the period (today moved into it,
    # its first and last days), kept when the period's own rule gives the user
    # (``may_enter_marks``: the evaluator of the unit the period is scored for).
    candidates: set[int] = set()
    for moment in {period_day(period, day), period.start_date, period.end_date}:
        candidates |= set(evaluated_person_ids(user, moment))
    return {
        person.pk
        for person in CivilServant.objects.filter(pk__in=candidates)
        if may_enter_marks(user, person, period, day)
    }


def may_enter_marks(user, person, period: Period, day: datetime.date) -> bool:
    """Whether Form 01 of ``person`` for ``period`` opens for ``user``: their own, or as the
    evaluator (the rule of the Form 01 entry page)."""
    if person.user_id is not None and person.user_id == user.pk:
        return True
    try:
        authority = resolve_authority(person, authority_day(person.pk, period, day))
    except AuthorityError:
        return False
    evaluator = authority.evaluator.person
    return evaluator is not None and evaluator.user_id == user.pk


class WorklogPageMixin(TitledAdminMixin):
    """Admin chrome; the page's own title is the last breadcrumb."""

    header_icon = "tasks"
