"""Consistency checks on postings that span several rows (and several people), and the posting
that governs each of many people on a day, read at once."""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from org.models import LeadershipRole, Posting

FAR_FUTURE = datetime.date.max


@dataclass(frozen=True)
class PostingSpan:
    agency_id: int
    role: str
    start_date: datetime.date
    end_date: datetime.date | None
    is_concurrent: bool = False

    @property
    def end(self) -> datetime.date:
        return self.end_date or FAR_FUTURE


def overlaps(a: PostingSpan, b: PostingSpan) -> bool:
    return a.start_date <= b.end and b.start_date <= a.end


def own_overlap_errors(spans: Iterable[PostingSpan]) -> list[str]:
    """A person holds at most one primary (non-concurrent) posting at any time."""
    primary = sorted((s for s in spans if not s.is_concurrent), key=lambda s: s.start_date)
    errors = []
    for earlier, later in itertools.pairwise(primary):
        if overlaps(earlier, later):
            errors.append(
                _(
                    "Hai quá trình công tác chính bị chồng thời gian (từ %(a)s và từ %(b)s). "
                    "Hãy nhập ngày kết thúc cho quá trình trước, hoặc đánh dấu kiêm nhiệm."
                )
                % {
                    "a": earlier.start_date.strftime("%d/%m/%Y"),
                    "b": later.start_date.strftime("%d/%m/%Y"),
                }
            )
    return errors


def second_head_errors(span: PostingSpan, civil_servant_id: int | None) -> list[str]:
    """An agency/unit has at most one head (cấp trưởng) at a time."""
    if span.role != LeadershipRole.HEAD or span.is_concurrent:
        return []
    clash = (
        Posting.objects.filter(
            agency_id=span.agency_id, role=LeadershipRole.HEAD, is_concurrent=False
        )
        .filter(start_date__lte=span.end)
        .exclude(end_date__lt=span.start_date)
        .select_related("civil_servant")
    )
    if civil_servant_id:
        clash = clash.exclude(civil_servant_id=civil_servant_id)
    other = clash.first()
    if other is None:
        return []
    return [
        _("Đơn vị này đã có cấp trưởng trong cùng thời gian: %(name)s (từ %(start)s).")
        % {"name": other.civil_servant.full_name, "start": other.start_date.strftime("%d/%m/%Y")}
    ]


def active_on(day: datetime.date):
    """The postings held on ``day``."""
    return Posting.objects.filter(start_date__lte=day).exclude(end_date__lt=day)


def governing_on(people, day: datetime.date, *fields: str) -> dict[int, tuple]:
    """Person id → the values of ``fields`` of the posting that governs ``day`` for each of
    ``people`` (ids, or a subquery of ids) with one: the one ``CivilServant.primary_posting_on``
    picks (the latest non-concurrent posting held that day, else the latest one held). One
    query of those columns only, so that thousands of people cost tuples, not instances."""
    found: dict[int, tuple[bool, tuple]] = {}
    for person, concurrent, *values in (
        active_on(day)
        .filter(civil_servant__in=people)
        .order_by("civil_servant_id", "-start_date")
        .values_list("civil_servant_id", "is_concurrent", *fields)
    ):
        held = found.get(person)
        if held is None or (held[0] and not concurrent):
            found[person] = (concurrent, tuple(values))
    return {person: values for person, (_concurrent, values) in found.items()}
