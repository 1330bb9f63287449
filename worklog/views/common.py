"""Shared bits of the worklog admin views."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cms.admin_views import TitledAdminMixin
from org.authority import AuthorityError, period_day
from org.models import CivilServant, Posting
from scoring.models import AssignmentLine, Period, PeriodKind, PeriodStatus
from scoring.services.postings import changing_within, period_authority
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
    # For whoever's posting does not change inside the period, the day is today moved into
    # it (one batch answer). The few whose posting starts or ends inside it are asked one by
    # one (``may_enter_marks``: the evaluator of the unit the period is scored for under the
    # province's transfer rule), among the people the user evaluates on any day that can
    # decide it — so the cost does not grow with the number of people.
    today = period_day(period, day)
    base = set(evaluated_person_ids(user, today))
    movers = set(  # a set: no join to the people for the postings' default order
        Posting.objects.filter(changing_within(period))
        .order_by()
        .values_list("civil_servant_id", flat=True)
    )
    if not movers:
        return base
    check = base & movers
    for moment in {period.start_date, period.end_date} - {today}:
        check |= set(evaluated_person_ids(user, moment)) & movers
    kept = {
        person.pk
        for person in CivilServant.objects.filter(pk__in=check)
        if may_enter_marks(user, person, period, day)
    }
    return (base - movers) | kept


def may_enter_marks(user, person, period: Period, day: datetime.date) -> bool:
    """Whether Form 01 of ``person`` for ``period`` opens for ``user``: their own, or as the
    evaluator (the rule of the Form 01 entry page)."""
    if person.user_id is not None and person.user_id == user.pk:
        return True
    try:
        authority = period_authority(person, period, day)
    except AuthorityError:
        return False
    evaluator = authority.evaluator.person
    return evaluator is not None and evaluator.user_id == user.pk


class WorklogPageMixin(TitledAdminMixin):
    """Admin chrome; the page's own title is the last breadcrumb."""

    header_icon = "tasks"
