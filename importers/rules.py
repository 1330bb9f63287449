"""The import rules, once, for every door that writes rows from outside (docs/importers.md
"The rules"): the spreadsheet kinds, the one-stop satisfaction survey, the personnel file that
also gives sign-ins, and — with no sheet to point at — the document feeds and the API's records.

Each rule is a plain function that answers on the values (no sheet), so a feed or the API can
ask it; the kinds wrap the answer in an :class:`~importers.issues.Issue` at the sheet, row and
column where the clerk fixes it (``parsed.issue``).

1. **Identity by official ID and name** (:func:`same_name`, :func:`name_mismatch`,
   :func:`name_issues`): a row's name must be the name of its official ID's holder, compared
   the Vietnamese way (case, NFC/NFD, spacing, Đ/đ; a letter typed without its marks matches, so
   a name typed without accents still does, but another tone mark is another name); when they
   disagree the row is refused naming both — which one the clerk meant cannot be guessed.
2. **Blank means "no change"** (:func:`kept_when_blank`): a blank cell or a missing column keeps
   the stored value; clearing is an explicit marker, never a blank.
3. **Category and position change only from a date** (:func:`in_place_change`): a stored
   posting's category or leadership role is not rewritten in place once a closed period lies
   on it — the change is a new posting from the decision's date, the old one ended the day
   before, so earlier periods keep what they were evaluated under. A row standing where a
   stored posting stands with another job position or unit is refused the same way (the
   personnel kind's ``_moved_in_place``: a posting is matched on its unit and job position).
4. **Plausible dates** (:func:`posting_before_adulthood`, :func:`in_the_future`): nobody starts
   a posting before the age of 16 — every posting of the person against every birth date the
   file gives them; a completion is not in the future.
5. **Month-first dates, per column** (:func:`month_first_text`, :func:`month_first_window`):
   a column where one text date can only be read month first (``11/25/2026``), or where
   several dates fall outside the expected window but inside it read day↔month, is refused
   as a whole, naming the column and the day it meant.
6. **Periods never counted twice** (:func:`nested_periods_holding`): figures for a period are
   refused when a period containing it, or inside it, already holds the same kind of figures
   (a month's survey and its quarter's would be added together).
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from importers.changes import shown
from importers.issues import Issue
from org.text import fold_for_search
from scoring.models import Period, PeriodStatus

# --- 1. identity by official ID and name ---------------------------------------------------------


def name_key(name) -> str:
    """The form two Vietnamese names are compared in: accents, case, đ/d and spacing ignored."""
    return " ".join(fold_for_search(str(name or "")).split())


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def _letters(name) -> str:
    """``name`` as compared letter by letter: NFC, invisible characters dropped, white space
    (non-breaking too) collapsed, lower case (Đ → đ)."""
    text = unicodedata.normalize("NFC", str(name or "").translate(_INVISIBLE))
    return " ".join(text.split()).casefold()


def _marks(letter: str) -> tuple[str, frozenset[str]]:
    """A letter's base and its marks: "ự" → ("u", {horn, dot below}); "đ" → ("d", {stroke})."""
    if letter == "đ":
        return "d", frozenset({"stroke"})
    decomposed = unicodedata.normalize("NFD", letter)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base, frozenset(c for c in decomposed if unicodedata.combining(c))


def same_name(typed, stored) -> bool:
    """Whether ``typed`` names the holder of ``stored`` (:func:`_same_name`); a file repeats a
    person's name on each of their rows, so each pair is compared once."""
    return _same_name(str(typed or ""), str(stored or ""))


@functools.lru_cache(maxsize=16384)
def _same_name(typed: str, stored: str) -> bool:
    """Whether ``typed`` names the holder of ``stored``, compared the Vietnamese way: case,
    NFC/NFD, spacing and invisible characters ignored; a letter typed with fewer marks than the
    stored one matches it (a name typed without accents, "Nguyen Van Duc" for "Nguyễn Văn
    Đức"), but a letter with another mark does not: "Lê Thị Hạ" is not "Lê Thị Hà", nor
    "Tâm" "Tám" — two colleagues' names, which differ only by a tone."""
    a, b = _letters(typed), _letters(stored)
    if a == b:
        return True
    if len(a) != len(b):
        return False
    for mine, theirs in zip(a, b, strict=True):
        if mine == theirs:
            continue
        (base, marks), (their_base, their_marks) = _marks(mine), _marks(theirs)
        if base != their_base or not marks <= their_marks:
            return False
    return True


def name_mismatch(typed, code: str, holder: str) -> str | None:
    """Why ``typed`` (a row's name) cannot stand beside official ID ``code`` whose holder is
    ``holder``; ``None`` when it can (a blank name is not compared)."""
    typed = str(typed or "").strip()
    if not typed or not holder or same_name(typed, holder):
        return None
    message = _(
        "Họ và tên “%(typed)s” không khớp với công chức mã số %(code)s (%(name)s). Kiểm tra lại "
        "mã số hoặc họ và tên của dòng này."
    ) % {"typed": typed, "code": code, "name": holder}
    if name_key(typed) == name_key(holder):
        message += " " + _(
            "Hai họ tên chỉ khác nhau ở dấu, nhưng khác dấu là tên khác (gõ thiếu dấu thì vẫn "
            "được): nếu đúng là người này, hãy ghi “%(name)s”."
        ) % {"name": holder}
    return message


def name_issues(parsed, rows: Iterable[tuple[int, str, object]], holders: dict) -> list[Issue]:
    """The refusals of rows ``(row, official_id, typed name)`` whose name is not their holder's
    (``holders``: official ID → stored name), each at the row's name cell."""
    issues = []
    for row, code, typed in rows:
        holder = holders.get(code)
        message = name_mismatch(typed, code, holder) if holder else None
        if message:
            issues.append(parsed.issue(row, "full_name", message))
    return issues


# --- 2. blank means "no change" -------------------------------------------------------------


def blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def kept_when_blank(new, stored):
    """The value to store: ``stored`` when the file left the cell blank (or has no column)."""
    return stored if blank(new) else new


# --- 3. category and position only from a date -------------------------------------------------


def closed_period_on(start: datetime.date, end: datetime.date | None):
    """The earliest closed period that overlaps ``[start, end]`` (``None``: none does)."""
    last = end or datetime.date.max
    return (
        Period.objects.filter(start_date__lte=last, end_date__gte=start)
        .exclude(status=PeriodStatus.OPEN)
        .order_by("start_date", "end_date")
        .first()
    )


def history_start() -> datetime.date:
    """The first day that is not yet history: the start of the earliest open period (today's
    month when none is open). Days before it have been, or can no longer be, evaluated."""
    first_open = Period.objects.filter(status=PeriodStatus.OPEN).order_by("start_date").first()
    if first_open is not None:
        return first_open.start_date
    from django.utils import timezone

    return timezone.localdate().replace(day=1)


def in_place_change(label: str, old: str, new: str, start, end) -> str | None:
    """Why a stored posting ``[start, end]`` may not have its ``label`` (category, leadership
    role) rewritten from ``old`` to ``new`` in place: it lies on history (a closed period, or
    days before the earliest open period), which keeps what it was evaluated under. ``None``
    for a posting that starts in the open periods and crosses no closed one (a correction of a
    posting nobody has been evaluated under yet)."""
    if closed_period_on(start, end) is None and start >= history_start():
        return None
    return _(
        "“%(label)s” của quá trình công tác từ %(start)s đang là “%(old)s”, tệp ghi “%(new)s”. "
        "Sửa tại chỗ sẽ đổi cả các kỳ đã qua (đã đánh giá theo “%(old)s”), nên không sửa. Nếu "
        "có quyết định thay đổi: ghi ngày kết thúc vào dòng này (giữ “%(old)s”) và thêm một "
        "dòng mới ghi “%(new)s” từ ngày quyết định có hiệu lực. Nếu không đổi: ghi lại "
        "“%(old)s” (hoặc để trống ô)."
    ) % {"label": label, "start": shown(start), "old": old, "new": new}


# --- 4. plausible dates --------------------------------------------------------------------------

#: The youngest age at which someone holds a posting (Labour Code, Art. 143: 15 for light work;
#: recruitment into the civil service and public service units at 18 — 16 leaves a margin).
MIN_POSTING_AGE = 16


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def posting_before_adulthood(birth, start) -> str | None:
    """Why a posting from ``start`` cannot be held by someone born on ``birth``."""
    if not birth or not start:
        return None
    if start < birth:
        return _(
            "Ngày bắt đầu %(start)s trước ngày sinh %(birth)s. Kiểm tra lại năm của ngày bắt đầu "
            "và ngày sinh (ghi dd/mm/yyyy, năm đủ bốn chữ số)."
        ) % {"start": shown(start), "birth": shown(birth)}
    if start < years_after(birth, MIN_POSTING_AGE):
        age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
        return _(
            "Ngày bắt đầu %(start)s: người sinh ngày %(birth)s khi đó mới %(age)d tuổi (chưa đủ "
            "%(min)d). Kiểm tra lại năm của ngày bắt đầu và ngày sinh (ghi dd/mm/yyyy, năm đủ bốn "
            "chữ số)."
        ) % {"start": shown(start), "birth": shown(birth), "age": age, "min": MIN_POSTING_AGE}
    return None


def in_the_future(day, label: str, today: datetime.date) -> str | None:
    """Why ``day`` (something that has already happened: a completion) cannot be after today."""
    if not day or day <= today:
        return None
    return _(
        "“%(label)s” %(day)s ở sau hôm nay (%(today)s): việc chưa xảy ra thì chưa ghi. Kiểm tra "
        "lại ngày (dd/mm/yyyy) hoặc để trống."
    ) % {"label": label, "day": shown(day), "today": shown(today)}


# --- 5. month-first dates, per column ---------------------------------------------------------

_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*$")


def _swap(day: datetime.date) -> datetime.date | None:
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def month_first_text(header: str, texts: list[tuple[int, str]]) -> dict[int, str]:
    """Text dates of one column, ``(row, text)``: when one of them can only be read month
    first (``11/25/2026``: no 25th month), the column was typed month first (an en-US
    spreadsheet) and every date of it whose day and month differ is misread — row → the
    refusal. Empty when the column reads day first."""
    parts = {}
    for row, text in texts:
        match = _NUMERIC_DATE.match(str(text))
        if match:
            parts[row] = (int(match.group(1)), int(match.group(2)), match.group(3), text)
    witness = next(
        ((row, text) for row, (a, b, _y, text) in parts.items() if a <= 12 < b <= 31), None
    )
    day_first = any(b <= 12 < a for a, b, _y, _t in parts.values())
    if witness is None or day_first:
        # No cell that only reads month first, or cells that only read day first as well (a
        # mixed column: each unreadable cell keeps its own message).
        return {}
    found = {}
    for row, (first, second, year, text) in parts.items():
        if first == second or first > 12:
            continue
        meant = f"{second:02d}/{first:02d}/{year}"
        found[row] = _(
            "Cột “%(header)s” ghi ngày theo kiểu tháng trước ngày (mm/dd/yyyy, như bảng tính đặt "
            "ngôn ngữ tiếng Anh – Mỹ): ô “%(witness)s” ở dòng %(witness_row)d không thể là "
            "ngày/tháng. Ô “%(text)s” vì vậy là ngày %(meant)s. Hãy ghi lại cả cột theo dạng "
            "dd/mm/yyyy (ngày trước tháng)."
        ) % {
            "header": header,
            "witness": witness[1],
            "witness_row": witness[0],
            "text": text,
            "meant": meant,
        }
    return found


def month_first_window(
    header: str, days: list[tuple[int, datetime.date]], start: datetime.date, end: datetime.date
) -> dict[int, str]:
    """Dates of one column, ``(row, day)``, expected within ``[start, end]`` (a period):
    when two or more fall outside it but inside it read day↔month, and they are most of those
    outside, the column was typed month first — row → the refusal (each names the day meant)."""
    outside = [(row, day) for row, day in days if day and not start <= day <= end]
    swapped = [
        (row, day, _swap(day)) for row, day in outside if day.day <= 12 and day.day != day.month
    ]
    swapped = [(row, day, meant) for row, day, meant in swapped if meant and start <= meant <= end]
    if len(swapped) < 2 or 2 * len(swapped) < len(outside):
        return {}
    return {
        row: _(
            "Cột “%(header)s” có vẻ ghi tháng trước ngày (mm/dd/yyyy, như bảng tính đặt ngôn ngữ "
            "tiếng Anh – Mỹ): %(count)d ngày nằm ngoài kỳ (%(start)s – %(end)s) nhưng đảo ngày và "
            "tháng thì nằm trong kỳ. Ô này đọc là %(day)s, có lẽ là %(meant)s. Hãy ghi lại cả cột "
            "theo dạng dd/mm/yyyy (ngày trước tháng), hoặc đổi định dạng ô sang Việt Nam."
        )
        % {
            "header": header,
            "count": len(swapped),
            "start": shown(start),
            "end": shown(end),
            "day": shown(day),
            "meant": shown(meant),
        }
        for row, day, meant in swapped
    }


# --- 6. periods never counted twice --------------------------------------------------------------


def nested_periods_holding(rows, period):
    """The other periods containing ``period`` or inside it for which ``rows`` (a queryset with
    a ``period`` field, already narrowed to the agency and kind of figures) hold something:
    figures for both would be added together where the larger period is scored."""
    inside = Q(start_date__gte=period.start_date, end_date__lte=period.end_date)
    containing = Q(start_date__lte=period.start_date, end_date__gte=period.end_date)
    nested = Period.objects.filter(pk__in=rows.exclude(period=period).values("period_id")).filter(
        inside | containing
    )
    return list(nested.order_by("start_date", "-end_date"))


def counted_twice(what: str, period, others) -> str:
    """The refusal of figures for ``period`` when ``others`` (nested periods) hold them too."""
    return _(
        "%(what)s của kỳ %(period)s trùng thời gian với số liệu đã nhập cho kỳ %(others)s: một "
        "kỳ chứa kỳ kia, nên cùng phiếu sẽ bị cộng hai lần. Chỉ nhập theo một loại kỳ (ví dụ "
        "từng tháng), hoặc xoá số liệu đã nhập của kỳ kia trước (nhập tệp của kỳ đó không có "
        "dòng nào)."
    ) % {"what": what, "period": period.label, "others": ", ".join(p.label for p in others)}


__all__ = [
    "MIN_POSTING_AGE",
    "blank",
    "closed_period_on",
    "counted_twice",
    "in_place_change",
    "in_the_future",
    "kept_when_blank",
    "month_first_text",
    "month_first_window",
    "name_issues",
    "name_key",
    "name_mismatch",
    "nested_periods_holding",
    "posting_before_adulthood",
    "same_name",
]
