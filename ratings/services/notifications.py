"""E-mails: whoever a case now waits on, the result to the person rated, and deadline reminders.

Plain Django e-mail (console backend in development, locmem in tests, SMTP in production).
Only users with an e-mail address are written to; one reminder e-mail per user lists all their
cases at risk or overdue.
"""

from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from cms import mail
from ratings.actors import APPRAISER, RATER, ROLE_LABELS, resolve_actors, waiting_on
from ratings.deadlines import AT_RISK, OVERDUE
from ratings.models import CaseState, RatingCase
from ratings.models.choices import DONE_STATES
from ratings.services.calendars import DeadlineBook
from ratings.services.labels import level_label

SUBJECT_PREFIX = "[KPI Công vụ] "


def case_url(case) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("ratings_case", args=[case.pk])


def _send(user, subject: str, body: str) -> bool:
    if not user.email:
        return False
    # Never raises: a relay that is down queues the message for a retry (cms.mail), so a
    # decision already committed never answers with an error page (issue 28, review M5).
    mail.send(SUBJECT_PREFIX + subject, body, [user.email])
    return True


def waiting_users(case, actors=None) -> dict:
    """{user: [role labels]} of the people the case waits on."""
    actors = actors or resolve_actors(case)
    found = defaultdict(list)
    for role in sorted(waiting_on(case, actors.opinion_required)):
        for user in actors.users_for(role):
            found[user].append(str(ROLE_LABELS[role]))
    return found


def _told_of_the_result(case, actors) -> list:
    """Who is told a decided rating: the person or body rated; for a body, also the bodies
    concerned — the one that appraised it and the one that recognised the result (Gia Lai
    §III.4.b "thông báo đến tổ chức được đánh giá và cơ quan liên quan"; review 2026-11-25,
    coverage M5: only the rated body was told)."""
    users = list(actors.users_for("subject"))
    if case.is_agency_case:
        users += [*actors.users_for(APPRAISER), *actors.users_for(RATER)]
    seen, result = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def notify_after_transition(case_id: int, action: str) -> int:
    case = RatingCase.objects.select_related("civil_servant", "subject_agency", "agency").get(
        pk=case_id
    )
    actors = resolve_actors(case)
    sent = 0
    if action == "notify":
        for user in _told_of_the_result(case, actors):
            sent += _send(
                user,
                _("Kết quả xếp loại chất lượng năm %(year)d") % {"year": case.year},
                _(
                    "Kết quả xếp loại chất lượng năm %(year)d của %(name)s: %(level)s "
                    "(Quyết định số %(ref)s ngày %(day)s).\n\nXem chi tiết: %(url)s"
                )
                % {
                    "year": case.year,
                    "name": case.subject_name,
                    "level": level_label(case.decision_level),
                    "ref": case.decision_ref,
                    "day": case.decision_date.strftime("%d/%m/%Y") if case.decision_date else "",
                    "url": case_url(case),
                },
            )
    if case.state in DONE_STATES and case.state != CaseState.DECIDED:
        return sent
    for user, roles in waiting_users(case, actors).items():
        sent += _send(
            user,
            _("Hồ sơ xếp loại đang chờ bạn xử lý: %(name)s") % {"name": case.subject_name},
            _(
                "Hồ sơ xếp loại chất lượng năm %(year)d của %(name)s đang ở trạng thái "
                "“%(state)s” và chờ bạn xử lý với vai trò: %(roles)s.\n\nMở hồ sơ: %(url)s"
            )
            % {
                "year": case.year,
                "name": case.subject_name,
                "state": case.get_state_display(),
                "roles": ", ".join(roles),
                "url": case_url(case),
            },
        )
    return sent


def send_reminders(today=None, year: int | None = None) -> int:
    """One e-mail per user listing the cases at risk or overdue that wait on them."""
    book = DeadlineBook(today)
    cases = RatingCase.objects.exclude(state__in=DONE_STATES).select_related(
        "civil_servant", "subject_agency", "agency"
    )
    if year is not None:
        cases = cases.filter(year=year)
    per_user = defaultdict(list)
    for case in cases:
        status = book.status(case)
        if status not in (AT_RISK, OVERDUE):
            continue
        for user in waiting_users(case):
            per_user[user].append((case, status, book.deadline(case)))
    sent = 0
    for user, items in per_user.items():
        lines = [
            _("- %(name)s (năm %(year)d): %(state)s — hạn %(day)s%(late)s — %(url)s")
            % {
                "name": case.subject_name,
                "year": case.year,
                "state": case.get_state_display(),
                "day": deadline.strftime("%d/%m/%Y"),
                "late": _(" (ĐÃ QUÁ HẠN)") if status == OVERDUE else "",
                "url": case_url(case),
            }
            for case, status, deadline in items
        ]
        sent += _send(
            user,
            _("Nhắc hạn xếp loại chất lượng: %(count)d hồ sơ chờ bạn xử lý")
            % {"count": len(items)},
            _("Các hồ sơ sau sắp đến hạn hoặc đã quá hạn và đang chờ bạn xử lý:\n\n")
            + "\n".join(lines),
        )
    return sent
