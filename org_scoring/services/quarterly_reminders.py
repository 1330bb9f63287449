"""E-mails to the Office of the province People's Committee about its quarterly entry window
(Gia Lai plan §V.3; docs/organisation-scoring.md §9): ``remind_days`` (default 2) before the
window opens, and the same number of days before it closes — the latter listing the
departments and communes with no task entered for the quarter yet. Run daily by
``manage.py send_quarterly_reminders`` (``deploy/systemd/kpi-daily.service``): a reminder goes
out on its day only, so a daily run sends each once (running the command twice on that day
sends it twice, like the rating reminders).

Plain Django e-mail, as ``ratings.services.notifications`` (console backend in development,
locmem in tests, SMTP in production); users without an e-mail address are skipped.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import mail
from org.access import PROVINCE_OFFICE_GROUP
from org_scoring import quarters
from org_scoring.models import ProvinceTask
from org_scoring.services.quarterly import assessed_agencies, is_confirmed, window_for

SUBJECT_PREFIX = "[KPI Công vụ] "


def office_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=PROVINCE_OFFICE_GROUP)
        .exclude(email="")
    )


def _entry_url(year: int, quarter: int) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('org_scoring_quarter_entry')}?year={year}&quarter={quarter}"


def due_reminders(today: datetime.date) -> list[tuple[int, int, str]]:
    """``(year, quarter, "opens" | "closes")`` of the reminders due on ``today``."""
    due = []
    for year in (today.year - 1, today.year, today.year + 1):
        for quarter in quarters.QUARTERS:
            window = window_for(year, quarter)
            days = datetime.timedelta(days=window.remind_days)
            if today == window.opens_on - days:
                due.append((year, quarter, "opens"))
            if today == window.closes_on - days and not is_confirmed(year, quarter):
                due.append((year, quarter, "closes"))
    return due


def _message(year: int, quarter: int, kind: str) -> tuple[str, str]:
    window = window_for(year, quarter)
    facts = {
        "q": quarter,
        "y": year,
        "open": window.opens_on.strftime("%d/%m/%Y"),
        "close": window.closes_on.strftime("%d/%m/%Y"),
        "url": _entry_url(year, quarter),
    }
    if kind == "opens":
        subject = _("Sắp mở thời hạn nhập nhiệm vụ UBND tỉnh giao quý %(q)d/%(y)d") % facts
        body = (
            _(
                "Từ ngày %(open)s đến hết ngày %(close)s, Văn phòng UBND tỉnh rà soát, nhập tiến "
                "độ thực hiện các nhiệm vụ UBND tỉnh giao trong quý %(q)d/%(y)d cho các sở, "
                "ngành, UBND xã, phường (Kế hoạch của UBND tỉnh, mục V.3).\n\nNhập tại: %(url)s"
            )
            % facts
        )
        return subject, body
    entered = set(
        ProvinceTask.objects.filter(year=year, quarter=quarter).values_list("agency_id", flat=True)
    )
    missing = [a.name for a in assessed_agencies() if a.pk not in entered]
    subject = _("Sắp hết thời hạn nhập nhiệm vụ UBND tỉnh giao quý %(q)d/%(y)d") % facts
    body = (
        _(
            "Thời hạn nhập tiến độ các nhiệm vụ UBND tỉnh giao quý %(q)d/%(y)d hết ngày %(close)s; "
            "nhiệm vụ nhập sau ngày này được đánh dấu nhập muộn."
        )
        % facts
    )
    if missing:
        body += "\n\n" + _("Chưa có nhiệm vụ nào được nhập cho %(n)d cơ quan:") % {
            "n": len(missing)
        }
        body += "\n" + "\n".join(f"- {name}" for name in missing)
    body += "\n\n" + _("Nhập tại: %(url)s") % facts
    return subject, body


def send_quarterly_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due ``today``; the number of e-mails sent."""
    today = today or timezone.localdate()
    sent = 0
    users = list(office_users())
    for year, quarter, kind in due_reminders(today):
        subject, body = _message(year, quarter, kind)
        for user in users:
            mail.send(SUBJECT_PREFIX + subject, body, [user.email])  # never raises (cms.mail)
            sent += 1
    return sent
