"""Worklog demo for Thanh An: the demo unit head (``lanhdao.phong``) has assigned work to the
demo civil servant (``congchuc``) and the rest of the unit, in every state of the workflow:
one due soon, one overdue and in progress, one reported and waiting for review, one returned
once then accepted (a failed review on the line), and a monthly report for everyone over the
next three months. Deadlines are relative to the day of the first load.

Idempotent: every assignment uses a fixed form token, so a second run finds its lines (the
same way a double-submitted form does) and changes nothing.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog_pages.models import CatalogVersion
from org.access import civil_servant_of
from worklog.access import evaluated_people
from worklog.services.assign import Assignment, assign
from worklog.services.progress import EvidenceInput, submit_completion, update_progress
from worklog.services.review import accept, return_for_rework

LEADER = "lanhdao.phong"
STAFF = "congchuc"
NAMESPACE = uuid.UUID("0d6f5f7e-6b0a-4c55-9d8e-335202600009")


def _token(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


@dataclass
class WorklogDemoSummary:
    created: int = 0
    existing: int = 0
    skipped: list[str] = field(default_factory=list)


def _items(person, today):
    posting = person.primary_posting_on(today)
    owner = posting.agency.owning_agency if posting else None
    version = CatalogVersion.objects.in_force(owner, today) if owner else None
    return list(version.items.order_by("sort_order", "code")[:4]) if version else []


class _Loader:
    def __init__(self, leader, today, summary):
        self.leader, self.today, self.summary = leader, today, summary

    def assign(self, name, people, item, quantity, deadline, months=1, note=""):
        request = Assignment(
            people=people,
            item=item,
            quantity=Decimal(quantity),
            deadline=deadline,
            months=months,
            note=note,
            token=_token(name),
        )
        try:
            result = assign(self.leader, request, self.today)
        except ValidationError as exc:
            self.summary.skipped.append(f"{name}: {'; '.join(exc.messages)}")
            return None
        self.summary.created += len(result.created)
        self.summary.existing += len(result.existing)
        return result.created[0] if result.created else None


def _play(loader, staff_user, staff, items, today):
    day = datetime.timedelta(days=1)
    loader.assign(
        "due-soon",
        [staff],
        items[0],
        1,
        today + day,
        note="Tờ trình phê duyệt kế hoạch tuyển dụng năm sau.",
    )
    late = loader.assign(
        "overdue",
        [staff],
        items[1 % len(items)],
        2,
        today - 2 * day,
        note="Báo cáo rà soát vị trí việc làm.",
    )
    if late is not None:
        update_progress(staff_user, late, percent=60, note="Đã tổng hợp 3/5 đơn vị.")
    waiting = loader.assign("waiting", [staff], items[0], 1, today + 5 * day)
    if waiting is not None:
        submit_completion(
            staff_user,
            waiting,
            quantity=Decimal(1),
            completed_on=today,
            today=today,
            evidence=EvidenceInput(document_number="215/BC-STP"),
        )
    reviewed = loader.assign(
        "returned-then-accepted", [staff], items[2 % len(items)], 1, today + 3 * day
    )
    if reviewed is not None:
        submit_completion(
            staff_user,
            reviewed,
            quantity=Decimal(1),
            completed_on=today,
            today=today,
            evidence=EvidenceInput(url="https://vanban.example.vn/88"),
        )
        return_for_rework(
            loader.leader,
            reviewed,
            round_number=1,
            today=today,
            comment="Thiếu số liệu của 2 đơn vị trực thuộc.",
        )
        submit_completion(
            staff_user,
            reviewed,
            quantity=Decimal(1),
            completed_on=today,
            today=today,
            evidence=EvidenceInput(document_number="221/BC-STP"),
        )
        accept(loader.leader, reviewed, round_number=2, confirmed_on=today, today=today)


@transaction.atomic
def load_worklog_demo(today: datetime.date | None = None) -> WorklogDemoSummary:
    today = today or timezone.localdate()
    summary = WorklogDemoSummary()
    User = get_user_model()
    leader = User.objects.filter(username=LEADER).first()
    staff_user = User.objects.filter(username=STAFF).first()
    staff = civil_servant_of(staff_user) if staff_user else None
    if leader is None or staff is None or civil_servant_of(leader) is None:
        summary.skipped.append("demo users missing: run load_demo first")
        return summary
    team = evaluated_people(leader, today)
    items = _items(staff, today)
    if staff not in team or not items:
        summary.skipped.append("no evaluator relation or no catalog in force")
        return summary
    loader = _Loader(leader, today, summary)
    _play(loader, staff_user, staff, items, today)
    loader.assign(
        "monthly-report",
        team,
        items[-1],
        1,
        _month_end(today),
        months=3,
        note="Báo cáo công tác tháng (định kỳ).",
    )
    return summary


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)
