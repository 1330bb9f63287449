"""Consistency checks on postings that span several rows (and several people), and the posting
that governs each of many people on a day, read at once."""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from org.access import can_access_agency
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


def _shown_day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def check_posting_change(
    user,
    person,
    *,
    agency,
    start_date: datetime.date,
    end_date: datetime.date | None,
    is_concurrent: bool,
    posting: Posting | None = None,
    postings: Iterable[Posting] | None = None,
) -> list[str]:
    """Why ``user`` may not give ``person`` this posting in ``agency`` (a new one, or the stored
    ``posting`` changed to these dates): the person has moved to another agency the user does
    not reach, and the change would make the posting here run on the day the move took effect
    or later — re-open an ended posting, extend it, or turn it into a concurrent one
    ("kiêm nhiệm"). A transfer is undone, or a real concurrent post added, by Sở Nội vụ (or the
    new agency), not by the former agency (review 2026-11-23, importers F2).

    ``postings``: the person's stored postings, with their agencies (read when not given).
    Any door that writes postings (the personnel import, the admin, the API) can call it.
    """

    if person is None or start_date is None:
        return []
    if postings is None:
        postings = person.postings.select_related("agency")
    end = end_date or FAR_FUTURE
    old_end = (posting.end_date or FAR_FUTURE) if posting is not None else None
    # Marking the old posting "kiêm nhiệm" is refused even within its dates: it is what the
    # former agency's file does to keep a person who moved (the overlap message's old advice).
    turns_concurrent = posting is not None and is_concurrent and not posting.is_concurrent
    widens = posting is None or start_date < posting.start_date or end > old_end or turns_concurrent
    if not widens:
        return []
    reasons = []
    for other in sorted(postings, key=lambda p: p.start_date):
        if posting is not None and other.pk == posting.pk:
            continue
        if other.agency.path.startswith(agency.path) or other.start_date <= start_date:
            continue
        overlapping = other.start_date <= end and start_date <= (other.end_date or FAR_FUTURE)
        if not (overlapping or turns_concurrent):
            continue
        if user is not None and can_access_agency(user, other.agency):
            continue
        last = other.start_date - datetime.timedelta(days=1)
        if posting is not None and posting.end_date and posting.end_date < other.start_date:
            last = posting.end_date
        owner = other.agency.owning_agency or other.agency
        reasons.append(
            _(
                "%(person)s đã chuyển sang %(agency)s từ ngày %(moved)s; quá trình công tác ở "
                "%(here)s không được mở lại, kéo dài hay chuyển thành kiêm nhiệm từ ngày đó (đang "
                "ghi: Đến ngày “%(end)s”, Kiêm nhiệm “%(concurrent)s”). Hãy ghi Đến ngày "
                "%(last)s và Kiêm nhiệm “Không” (hoặc xoá dòng này). Nếu người này thật sự kiêm "
                "nhiệm ở %(here)s, hãy đề nghị Sở Nội vụ cập nhật."
            )
            % {
                "person": f"{person.official_id} {person.full_name}",
                "agency": owner.name,
                "moved": _shown_day(other.start_date),
                "here": agency.name,
                "end": _shown_day(end_date),
                "concurrent": _("Có") if is_concurrent else _("Không"),
                "last": _shown_day(last),
            }
        )
        break
    return reasons


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
