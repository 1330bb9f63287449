"""E-mail reminders before (and just after) a milestone's date, to the responsible users of each
agency that has not submitted yet: the agency's admins (``AgencyAccess`` "Quản trị cơ quan" on the
agency itself) and its head (cấp trưởng) today.

Sent by ``manage.py send_milestone_reminders`` (daily, ``deploy/systemd/kpi-daily.service``):

* once when the reminder window opens (``reminder_days`` before the date, or the first run after
  that if the job did not run that day);
* on the due date itself;
* once after the date has passed ("quá hạn"), within ``OVERDUE_NOTICE_DAYS`` (30) of it — a
  milestone entered long after its date does not mail every agency
  **[giả định — tỉnh cần xác nhận]**.

``MilestoneReminder`` keeps what was sent, so running the job again the same day sends nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import mail
from org.models import AccessRole, AgencyAccess, LeadershipRole, Posting
from oversight.models import Milestone, MilestoneReminder
from oversight.models.milestones import MAX_REMINDER_DAYS
from oversight.services.milestones import NOT_SUBMITTED, board

SUBJECT_PREFIX = "[KPI Công vụ] "
OVERDUE_NOTICE_DAYS = 30


def _due_for_reminder(milestone: Milestone, sent: set[datetime.date], today) -> bool:
    days_left = (milestone.due_date - today).days
    if today in sent:
        return False
    if days_left == 0:
        return True
    if 0 < days_left <= milestone.reminder_days:
        window = milestone.due_date - datetime.timedelta(days=milestone.reminder_days)
        return not any(window <= day < milestone.due_date for day in sent)
    if -OVERDUE_NOTICE_DAYS <= days_left < 0:
        return not any(day > milestone.due_date for day in sent)
    return False


def responsible_users(agency_ids, today) -> dict[int, set]:
    """{agency id: {user}} — admins of the agency itself and its head today (two queries)."""
    found: dict[int, set] = defaultdict(set)
    for grant in AgencyAccess.objects.filter(
        agency_id__in=agency_ids, role=AccessRole.AGENCY_ADMIN, user__is_active=True
    ).select_related("user"):
        found[grant.agency_id].add(grant.user)
    heads = (
        Posting.objects.filter(
            agency_id__in=agency_ids,
            role=LeadershipRole.HEAD,
            start_date__lte=today,
            civil_servant__user__is_active=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("civil_servant__user")
    )
    for posting in heads:
        found[posting.agency_id].add(posting.civil_servant.user)
    return found


def _board_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("oversight_milestones")


def send_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due ``today``; the number of e-mails sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=MAX_REMINDER_DAYS)
    milestones = Milestone.objects.filter(
        due_date__lte=horizon,
        due_date__gte=today - datetime.timedelta(days=OVERDUE_NOTICE_DAYS),
    )
    sent_days: dict[tuple[int, int], set] = defaultdict(set)
    for milestone_id, agency_id, day in MilestoneReminder.objects.filter(
        milestone__in=milestones
    ).values_list("milestone_id", "agency_id", "sent_on"):
        sent_days[(milestone_id, agency_id)].add(day)
    per_user: dict = defaultdict(list)
    due_pairs = []
    for milestone in milestones:
        if (milestone.due_date - today).days > milestone.reminder_days:
            continue
        for status in board(milestone, today=today):
            if status.state not in NOT_SUBMITTED:
                continue
            if not _due_for_reminder(milestone, sent_days[(milestone.pk, status.agency.pk)], today):
                continue
            due_pairs.append(status)
    users = responsible_users({s.agency.pk for s in due_pairs}, today)
    reached: dict[tuple[int, int], int] = defaultdict(int)
    for status in due_pairs:
        for user in users.get(status.agency.pk, ()):
            if user.email:
                per_user[user].append(status)
                reached[(status.milestone.pk, status.agency.pk)] += 1
    sent = 0
    for user, items in per_user.items():
        lines = [
            _("- %(agency)s: %(name)s — hạn %(day)s%(late)s (%(source)s)")
            % {
                "agency": status.agency.name,
                "name": status.milestone.name,
                "day": status.milestone.due_date.strftime("%d/%m/%Y"),
                "late": _(" (ĐÃ QUÁ HẠN)") if status.late else "",
                "source": status.milestone.source or "—",
            }
            for status in items
        ]
        mail.send(
            SUBJECT_PREFIX
            + _("Nhắc hạn: %(count)d việc của cơ quan chưa hoàn thành") % {"count": len(items)},
            _(
                "Các việc sau theo kế hoạch của tỉnh sắp đến hạn hoặc đã quá hạn mà Sở Nội vụ "
                "chưa nhận được:\n\n%(lines)s\n\nXem tiến độ: %(url)s"
            )
            % {"lines": "\n".join(lines), "url": _board_url()},
            [user.email],
        )  # never raises: a relay down queues it for a retry (cms.mail)
        sent += 1
    MilestoneReminder.objects.bulk_create(
        [
            MilestoneReminder(
                milestone=status.milestone,
                agency=status.agency,
                sent_on=today,
                recipients=reached[(status.milestone.pk, status.agency.pk)],
            )
            for status in due_pairs
        ],
        ignore_conflicts=True,
    )
    return sent
