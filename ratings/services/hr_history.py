"""A person's results over several years, for HR decisions (issue 18 item 4).

For a set of people and a window of years it gives, year by year, the **decided** rating (the
level of the person's rating case that is decided or notified and not cancelled) or, failing
that, the **provisional** rating of the stored annual score (labelled as not decided), with
the person's category, agency and job position of that year — all read from the posting that
governs the year (``scoring.services.postings.pick_governing`` on 1/1–31/12, the same rule as
the annual score) — and the flags of ``ratings.hr_flags`` raised by those years.

Fixed number of queries (four) whatever the number of people: the people, their postings
overlapping the window, their rating cases and their annual scores of the window.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.db.models import QuerySet

from org import access
from org.models import CivilServant, Posting
from org.models.civil_servant import PersonCategory
from ratings.access import visible_cases
from ratings.hr_flags import FlagRule, Purpose, active_rules, history_years
from ratings.models import CaseState, RatingCase
from ratings.models.choices import CaseKind
from scoring.models import AnnualScore
from scoring.services.postings import POSTING_FIELDS, PostingRow, overlapping, pick_governing


class _CaseRow(TypedDict):
    """The columns :func:`histories` reads of a person's rating case of a year."""

    id: int
    civil_servant_id: int
    year: int
    decision_level: str
    decision_ref: str
    decision_date: datetime.date | None
    score: Decimal
    agency_id: int
    agency__name: str


class _AnnualRow(TypedDict):
    """The columns :func:`histories` reads of a person's annual score of a year."""

    civil_servant_id: int
    year: int
    scored: bool
    score: Decimal
    rating: str
    agency_id: int
    agency__name: str


@dataclass(frozen=True)
class YearResult:
    year: int
    #: decided level ("" when no decision)
    decided_level: str = ""
    #: provisional level of the stored annual score ("" when none)
    provisional_level: str = ""
    score: Decimal | None = None
    case_id: int | None = None
    decision_ref: str = ""
    decision_date: datetime.date | None = None
    category: str = ""
    agency_id: int | None = None
    agency_name: str = ""
    position: str = ""

    @property
    def decided(self) -> bool:
        return bool(self.decided_level)

    @property
    def level(self) -> str:
        """The level shown: the decision, else the provisional rating."""
        return self.decided_level or self.provisional_level

    @property
    def level_or_none(self) -> str | None:
        return self.level or None

    def counted_level(self, provisional: bool) -> str:
        """The level a flag reads: the decision; the provisional one only if allowed."""
        if self.decided_level:
            return self.decided_level
        return self.provisional_level if provisional else ""


@dataclass(frozen=True)
class RaisedFlag:
    rule: FlagRule
    #: the years of the run that raised it, oldest first
    years: tuple[int, ...]
    #: a year of the run has a provisional (not decided) rating
    provisional: bool = False

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def reference_year(self) -> int:
        return self.years[-1]

    @property
    def years_text(self) -> str:
        return ", ".join(str(year) for year in self.years)

    @property
    def purpose_labels(self) -> list[str]:
        return [str(Purpose(code).label) for code in self.rule.purposes if code in Purpose.values]


@dataclass
class PersonHistory:
    person: CivilServant
    years: list[YearResult]
    flags: list[RaisedFlag] = field(default_factory=list)

    @property
    def latest(self) -> YearResult | None:
        """The latest year of the window in which the person had a posting or a result."""
        for result in reversed(self.years):
            if result.category or result.level:
                return result
        return None

    @property
    def category(self) -> str:
        latest = self.latest
        return latest.category if latest and latest.category else ""

    def flags_for(self, purpose: str = "") -> list[RaisedFlag]:
        return [f for f in self.flags if not purpose or purpose in f.rule.purposes]

    def flags_raised_in(self, year: int, rules=None) -> list[RaisedFlag]:
        """The flags whose run ends in ``year`` (the view as it stood after that year)."""
        flags = evaluate(self.years, rules, as_of=year)
        return [f for f in flags if f.reference_year == year]


def window(last_year: int, count: int | None = None) -> list[int]:
    count = count or history_years()
    return list(range(last_year - count + 1, last_year + 1))


def evaluate(
    years: list[YearResult], rules: list[FlagRule] | None = None, as_of: int | None = None
) -> list[RaisedFlag]:
    """The flags ``rules`` (default: the active ones) raise on ``years`` as of ``as_of``.

    For each rule: the reference year is the latest year up to ``as_of`` whose level counts
    (decided; provisional only if the rule allows it); the run is the calendar years ending
    there, without a gap, whose counted level is one of the rule's levels. The rule is raised
    when the run has at least ``min_years`` years and the person's category in the reference
    year is one the rule covers."""
    rules = active_rules() if rules is None else rules
    by_year = {r.year: r for r in years if as_of is None or r.year <= as_of}
    raised = []
    for rule in rules:
        provisional = rule.counts_provisional
        counted = [y for y in sorted(by_year) if by_year[y].counted_level(provisional)]
        if not counted:
            continue
        reference = counted[-1]
        category = by_year[reference].category or PersonCategory.CIVIL_SERVANT
        if category not in rule.categories:
            continue
        run: list[int] = []
        year = reference
        while year in by_year and by_year[year].counted_level(provisional) in rule.levels:
            run.insert(0, year)
            year -= 1
        if len(run) >= rule.min_years:
            used = tuple(run) if rule.min_years > 1 else (reference,)
            raised.append(
                RaisedFlag(
                    rule=rule,
                    years=used,
                    provisional=any(not by_year[y].decided for y in used),
                )
            )
    return raised


def histories(
    people: QuerySet | list[int],
    last_year: int,
    count: int | None = None,
    rules=None,
    viewer=None,
) -> list[PersonHistory]:
    """The multi-year history of ``people`` (a queryset of ``CivilServant`` or ids) over the
    ``count`` years ending with ``last_year``, sorted by name. With ``viewer``, only the years'
    results and cases the viewer may read (``org.access``): a former agency sees the years the
    person worked there, not the new agency's results."""
    years = window(last_year, count)
    first, last = years[0], years[-1]
    start, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    ids = people.values("pk") if isinstance(people, QuerySet) else list(people)
    persons = list(CivilServant.objects.filter(pk__in=ids).order_by("full_name", "official_id"))
    if not persons:
        return []
    person_ids = [p.pk for p in persons]

    postings: dict[int, list[PostingRow]] = defaultdict(list)
    details: dict[int, tuple] = {}
    extra = ("agency__name", "job_position__name", "title")
    for values in (
        Posting.objects.filter(overlapping(start, end), civil_servant_id__in=person_ids)
        .order_by("pk")
        .values_list(*POSTING_FIELDS, *extra)
    ):
        row = PostingRow(*values[: len(POSTING_FIELDS)])
        postings[row.person_id].append(row)
        details[row.id] = values[len(POSTING_FIELDS) :]

    case_rows = RatingCase.objects.all()
    score_rows = AnnualScore.objects.all()
    if viewer is not None:
        case_rows = visible_cases(viewer)
        score_rows = access.visible(viewer, AnnualScore)
    cases: dict[tuple[int, int], _CaseRow] = {}
    for case_row in (
        case_rows.filter(
            kind=CaseKind.CIVIL_SERVANT,
            civil_servant_id__in=person_ids,
            year__gte=first,
            year__lte=last,
        )
        .exclude(state=CaseState.CANCELLED)
        .order_by("id")
        .values(
            "id",
            "civil_servant_id",
            "year",
            "decision_level",
            "decision_ref",
            "decision_date",
            "score",
            "agency_id",
            "agency__name",
        )
    ):
        cases[(case_row["civil_servant_id"], case_row["year"])] = case_row

    scores: dict[tuple[int, int], _AnnualRow] = {}
    for annual_row in score_rows.filter(
        civil_servant_id__in=person_ids, year__gte=first, year__lte=last
    ).values("civil_servant_id", "year", "scored", "score", "rating", "agency_id", "agency__name"):
        scores[(annual_row["civil_servant_id"], annual_row["year"])] = annual_row

    result = []
    for person in persons:
        rows = []
        for year in years:
            case = cases.get((person.pk, year))
            annual = scores.get((person.pk, year))
            scored = annual if annual is not None and annual["scored"] else None
            posting = pick_governing(
                postings.get(person.pk, []), datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            )
            # every posting picked is one of the rows read above, each with its details
            agency_name, position_name, title = details[posting.id] if posting else ("", "", "")
            rows.append(
                YearResult(
                    year=year,
                    decided_level=case["decision_level"] if case is not None else "",
                    provisional_level=scored["rating"] if scored is not None else "",
                    score=(
                        scored["score"]
                        if scored is not None
                        else case["score"]
                        if case is not None
                        else None
                    ),
                    case_id=case["id"] if case is not None else None,
                    decision_ref=case["decision_ref"] if case is not None else "",
                    decision_date=case["decision_date"] if case is not None else None,
                    category=posting.category if posting else "",
                    agency_id=(
                        posting.agency_id
                        if posting
                        else (case["agency_id"] if case is not None else None)
                        or (annual["agency_id"] if annual is not None else None)
                    ),
                    agency_name=agency_name
                    or (case["agency__name"] if case is not None else "")
                    or (annual["agency__name"] if annual is not None else ""),
                    position=title or position_name or "",
                )
            )
        result.append(PersonHistory(person=person, years=rows, flags=evaluate(rows, rules)))
    return result


def person_history(
    person: CivilServant, last_year: int, count: int | None = None, rules=None, viewer=None
):
    found = histories([person.pk], last_year, count, rules, viewer)
    return found[0] if found else PersonHistory(person=person, years=[])


def people_in(agency, first: int, last: int) -> QuerySet:
    """People with a posting in ``agency``'s subtree at some time of the years."""
    start, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    posted = Posting.objects.filter(
        overlapping(start, end), agency__path__startswith=agency.path
    ).values("civil_servant_id")
    return CivilServant.objects.filter(pk__in=posted)


def people_posted(first: int, last: int) -> QuerySet:
    """People with any posting at some time of the years."""
    start, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    posted = Posting.objects.filter(overlapping(start, end)).values("civil_servant_id")
    return CivilServant.objects.filter(pk__in=posted)


def filter_histories(
    rows: list[PersonHistory], flag: str = "", category: str = "", purpose: str = ""
) -> list[PersonHistory]:
    """The rows with flag ``flag``, category ``category`` (of their latest year) and at least one
    flag serving ``purpose``."""
    if flag:
        rows = [r for r in rows if any(f.code == flag for f in r.flags)]
    if purpose:
        rows = [r for r in rows if r.flags_for(purpose)]
    if category:
        rows = [r for r in rows if r.category == category]
    return rows


def default_last_year(today: datetime.date | None = None) -> int:
    """The latest year with a rating case, or this year if none (capped at this year)."""
    today = today or datetime.date.today()
    latest = RatingCase.objects.order_by("-year").values_list("year", flat=True).first()
    return min(latest or today.year, today.year)
