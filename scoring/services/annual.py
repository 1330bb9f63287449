"""Annual scores (Decree 335 Arts. 20–21): the mean over the time actually worked.

* A person's periods are taken wherever they were scored, so a transfer keeps the months of the
  old agency (Art. 21 [confirmed]: the old agency sends its monthly or quarterly results; the
  new agency rates).
* Every period type counts (month, quarter, half-year, year). The engine gives each scored
  period the months it stands for — its months in which the person held a posting, minus the
  months a shorter scored period already stands for — so a transfer between a monthly and a
  quarterly agency loses no month and counts none twice (legal review W6). Periods "not
  scored" claim no month: an unscored July never drops a scored Q3.
* The mean is weighted by those months or plain, and a minimum worked time may apply: the
  framework's ``annual.weighting`` and ``annual.min_months`` (docs/scoring.md §4).
* A leaders-only disqualifier (Art. 20 cl. 4 d) applies when the person held a leader role at
  any time in the year (``annual.leader_role``; legal review U5), not only on 31 December.
* The stored row keeps its basis: ``explanation["inputs"]`` lists every period of the year
  with its status, the months it counted for and its weight, the options used, the months
  worked and the leader roles of the year.
* The rating agency is the one of the posting that governs on 31 December (or the last posting
  of the year); its framework's live revision rates the score, unless the person's latest
  scored period used another revision, which then applies (the bands the person was scored
  under).
* What a year is computed from is fingerprinted before anything is computed
  (``AnnualScore.sources_hash``): a run computes only the people whose sources differ from
  their stored row's, with their whole quota groups; a row whose figures come out the same
  keeps them and its ``computed_at`` (docs/scoring.md §13.3).
* Disqualifications of the year force "not completed"; then the excellent quota is applied per
  group — the framework's ``quota.group_by`` (default: the agency whose head rates) ×
  job-position group, the same groups as the decision guard (``scoring.services.quota_groups``).
  Ties at the cut are flagged, never broken.
"""

import datetime
import functools
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import (
    Case,
    Exists,
    Field,
    IntegerField,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cms.collection import collection_paused
from cms.statements import given_ids, kept_rows, kept_rows_together, read
from org.authority import active_rules_read
from org.models import CivilServant, Posting
from scoring.engine import (
    ENGINE_VERSION,
    AnnualMemo,
    AnnualPeriod,
    AnnualResult,
    FrameworkRules,
    QuotaMember,
    QuotaResult,
    ScoringInputError,
    apply_quota,
    score_annual,
)
from scoring.engine.annual import period_months
from scoring.engine.constants import MONTHS_PER_PERIOD, QUOTA_GROUPINGS
from scoring.engine.fingerprint import HashedPrefix
from scoring.models import (
    AnnualQuotaGroup,
    AnnualScore,
    AppliesTo,
    CriteriaFramework,
    Disqualification,
    Period,
    PeriodKind,
    PeriodScore,
    StaleFigure,
    StaleKind,
    is_recognised,
    recognised_paths,
    recognised_read,
)
from scoring.services import freshness
from scoring.services.fingerprint import (
    annual_group_digest,
    annual_inputs_hash,
    annual_person_digest,
    annual_sources_hash,
    annual_year_prefix,
)
from scoring.services.frameworks import (
    FrameworkResolver,
    live_framework,
    live_rules,
    revision_rules,
    rules_by_revision,
    rules_of_revisions,
)
from scoring.services.org_snapshot import load_agencies, load_agency_chains
from scoring.services.postings import (
    POSTING_FIELDS,
    PostingRow,
    overlapping,
    people_postings_read,
    person_posting_rows,
    pick_governing,
)
from scoring.services.quota_groups import QuotaGroup, QuotaGrouper
from scoring.services.scope import CategoryScope
from scoring.services.store import (
    JSONText,
    field_defaults,
    row_adapter,
    upsert,
    upsert_annual_scores,
)

ROW_DEFAULTS = field_defaults(AnnualScore)


@dataclass
class YearReport:
    year: int
    #: people whose year is rated (a framework applies), whether recomputed or current
    people: int = 0
    #: rows written (their figures changed, or the person had none)
    written: int = 0
    #: people whose stored row was left as it is
    unchanged: int = 0
    #: people run through the engine: their sources (``AnnualScore.sources_hash``) differed
    #: from the stored ones, or a member of their quota group's did
    recomputed: int = 0
    #: of those, rows whose figures came out the same: only their sources fingerprint (and
    #: the ids of the period rows, after a rebuild) were updated
    sources_updated: int = 0
    #: quota groups whose fingerprint was written (``AnnualQuotaGroup``): those ranked
    groups_written: int = 0
    seconds: float = 0.0
    #: person id → {field: Vietnamese message}: people whose year could not be computed (e.g. a
    #: stored period total above the framework's maximum); nothing is written for them.
    errors: dict = field(default_factory=dict)
    #: the people recomputed (ids), for tests and the command's summary
    recomputed_people: set = field(default_factory=set, repr=False)


@dataclass(frozen=True)
class PeriodRow:
    """One stored period score of the year (any period type)."""

    score_id: int
    kind: str
    number: int
    end_date: datetime.date
    scored: bool
    total: Decimal | None
    framework_revision_id: int | None
    framework_id: int | None
    #: The period, not the stored row's id: the basis must come out the same when every
    #: score is rebuilt from the inputs (new ids). Set from ``kind`` and ``number``.
    ref: str = ""
    #: QĐ 366 counts stored with the period (``PeriodScore.excellent_counts``, M4)
    excellent_counts: tuple[int, int, int] | None = None

    def __post_init__(self):
        if not self.ref:
            object.__setattr__(self, "ref", _period_ref(self.kind, self.number))


class CalendarPeriod(NamedTuple):
    """A period of the year, as the annual step reads it (periods never change their dates)."""

    kind: str
    number: int
    start_date: datetime.date
    end_date: datetime.date
    ref: str
    end_iso: str
    #: rank of the period in a person's list (by first day, last day, kind)
    order: int
    #: rank by lateness: by last day, the shortest of those ending together last
    lateness: int
    months: tuple[int, ...]  # its calendar months


#: A stored period score as read for the year: ``(period id, scored (0/1), "period id|scored|
#: id|total|framework revision id|framework id")`` — the total as the database's text (no
#: per-value conversion). The text is what the sources fingerprint hashes; the engine's
#: ``Decimal`` is made from it only for the people recomputed (:func:`_rate_person`).
RawPeriod = tuple
R_PERIOD, R_SCORED, R_TEXT = range(3)
_text = itemgetter(R_TEXT)


class YearRows:
    """One person's stored period scores of the year as read.

    ``text``: each row's text (:data:`RawPeriod`'s), in period id order, one a line — what
    the sources fingerprint hashes (:func:`annual_person_digest`); ``latest``: the text of the
    latest scored row by lateness (:attr:`CalendarPeriod.lateness`), which names the framework
    that rates the year (:class:`_Frameworks`), or ``None``; :attr:`rows`: the
    :data:`RawPeriod` tuples, in period id order. On PostgreSQL the province's reading gets
    ``text`` and ``latest`` from the database, one row a person (:func:`_year_texts`),
    and the tuples are made from the text only for the people the engine computes."""

    __slots__ = ("_rows", "latest", "text")

    def __init__(self, text: str, latest: str | None, rows: list[RawPeriod] | None = None):
        self.text, self.latest, self._rows = text, latest, rows

    @classmethod
    def of(cls, rows: list[RawPeriod], lateness: dict[int, int]) -> "YearRows":
        """From the rows (in period id order) and each period's rank by lateness."""
        latest, rank = None, -1
        for row in rows:
            if row[R_SCORED] and lateness[row[R_PERIOD]] > rank:
                latest, rank = row[R_TEXT], lateness[row[R_PERIOD]]
        return cls("\n".join(map(_text, rows)), latest, rows)

    @property
    def rows(self) -> list[RawPeriod]:
        if self._rows is None:
            rows = []
            for line in self.text.split("\n") if self.text else ():
                period, scored, _rest = line.split("|", 2)
                rows.append((int(period), int(scored), line))
            self._rows = rows
        return self._rows


NO_ROWS = YearRows("", None, [])
_TOTAL_PLACES = Decimal(1).scaleb(-PeriodScore._meta.get_field("total").decimal_places)


class StoredAnnual(NamedTuple):
    pk: int
    sources_hash: str | None
    inputs_hash: str
    own_digest: str
    quota_group: str


@dataclass(frozen=True)
class YearData:
    """What the year's scores are computed from, loaded once for the province (or subtree)."""

    year: int
    postings: dict[int, list[PostingRow]]  # person → postings overlapping the year
    governing: dict[int, PostingRow]  # person → the posting governing on 31 December
    agencies: dict
    periods: dict[int, YearRows]  # person → their stored period scores of the year
    disqualifiers: dict[int, list[str]]  # person → disqualification kinds of the year
    stored: dict[int, StoredAnnual]  # person → their stored annual score
    calendar: dict[int, CalendarPeriod] = field(default_factory=dict)  # period id → period
    #: person → their postings of the year as read (tuples of ``POSTING_FIELDS``)
    posting_values: dict[int, list[tuple]] = field(default_factory=dict)


@dataclass(frozen=True)
class RatingFramework:
    """The framework revision that rates a person's year."""

    revision_id: int | None
    framework_id: int | None
    rules: FrameworkRules


@dataclass(frozen=True)
class PersonYear:
    """One person's year, rated before the excellent quota."""

    person: int
    posting: PostingRow
    framework: RatingFramework
    #: the stored ``explanation["inputs"]`` but its ``periods``, which are ``lines``
    basis: dict
    #: each period of the basis as stored, serialised: ``(its step's JSON, its line's JSON,
    #: its line's repr)`` — made once per distinct line in a run (:class:`_Shared`)
    lines: list[tuple[str, str, str]]
    disqualifiers: list[str]
    period_score_ids: list[int]  # in the order of ``basis["periods"]``
    result: AnnualResult

    def basis_text(self) -> str:
        """``repr`` of the whole basis (what ``inputs_hash`` hashes)."""
        text = repr({**self.basis, "periods": _LINES})
        return text.replace(repr(_LINES), f"[{', '.join([line[2] for line in self.lines])}]")

    def explanation_json(self, steps: list[dict], quota: dict | None) -> str:
        """The stored explanation ``{"steps": …, "quota": …, "inputs": …}`` as ``json.dumps``
        writes it: the period steps and lines from their texts (:func:`_lines`), then
        ``steps`` (the rest of the engine's and the quota's)."""
        text = json.dumps(
            {
                "steps": [_STEPS, *steps] if self.lines else steps,
                "quota": quota,
                "inputs": {**self.basis, "periods": _LINES},
            }
        )
        if self.lines:
            text = text.replace(_STEPS_JSON, ", ".join([line[0] for line in self.lines]), 1)
        return text.replace(_LINES_JSON, f"[{', '.join([line[1] for line in self.lines])}]", 1)


#: Stand-ins for the serialised period steps and lines in one ``json.dumps``/``repr`` call of
#: the rest (compositional: the stand-in's own text is replaced by theirs). NUL never occurs
#: in a step or a basis.
_STEPS, _LINES = "\x00steps\x00", "\x00lines\x00"
_STEPS_JSON, _LINES_JSON = json.dumps(_STEPS), json.dumps(_LINES)


def _calendar_rows(year):
    return (
        Period.objects.filter(year=year)
        .values_list("id", "kind", "number", "start_date", "end_date")
        .order_by("start_date", "end_date", "kind")
    )


def year_calendar(year: int) -> dict[int, CalendarPeriod]:
    """The periods of ``year`` (every type), by id."""
    return _calendar_of(kept_rows(_calendar_rows, year=year))


def _calendar_of(values: list[tuple]) -> dict[int, CalendarPeriod]:
    """:func:`year_calendar` of the rows of :func:`_calendar_rows`."""
    by_lateness = sorted(values, key=lambda v: (v[4], -MONTHS_PER_PERIOD[v[1]]))
    lateness = {v[0]: rank for rank, v in enumerate(by_lateness)}
    return {
        pk: CalendarPeriod(
            kind,
            number,
            start,
            end,
            _period_ref(kind, number),
            end.isoformat(),
            order,
            lateness[pk],
            period_months(kind, number),
        )
        for order, (pk, kind, number, start, end) in enumerate(values)
    }


def _row_text():
    """A period score's text as :data:`RawPeriod` holds it: its columns joined in the
    database."""
    bar = Value("|")
    # Under ``qd366`` (M4) the period's QĐ 366 counts follow as a seventh field ("|[lines,
    # on time, exceeded]"); a row without them reads as before (the default's text and
    # fingerprint are unchanged).
    counts = Case(
        When(
            excellent_counts__isnull=False,
            then=Concat(bar, Cast("excellent_counts", TextField()), output_field=TextField()),
        ),
        default=Value(""),
        output_field=TextField(),
    )
    return Concat(
        "period_id", bar, Cast("scored", IntegerField()), bar, "id", bar, "total", bar,
        "framework_revision_id", bar, "framework_id", counts, output_field=TextField(),
    )  # fmt: skip


def _period_rows_query(queryset):
    """``queryset`` (period scores) as the rows :func:`_raw_period_rows` reads: person, period,
    scored, and the row's text (its columns joined in the database)."""
    return (
        queryset.annotate(scored_int=Cast("scored", IntegerField()), text=_row_text())
        .order_by()
        .values_list("civil_servant_id", "period_id", "scored_int", "text")
    )


def _year_texts(queryset, calendar: dict) -> dict[int, YearRows]:
    """PostgreSQL: the :class:`YearRows` of the people of ``queryset`` (period scores), one
    row a person from the database: the texts of :func:`_period_rows_query` joined in period
    id order, and the rank by lateness of the latest scored one, whose line is then found in
    the text. Each row's text is made once, in a subquery, for both."""
    by_lateness = sorted(calendar, key=lambda pk: calendar[pk].lateness)
    rows = _period_rows_query(queryset)
    try:
        inner, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:
        return {}
    # ``inner``: the statement Django compiled, its values in ``params``.
    sql = (
        "SELECT civil_servant_id, string_agg(text, E'\\n' ORDER BY period_id), "  # noqa: S608
        "max(array_position(%s::bigint[], period_id)) FILTER (WHERE scored_int = 1) "
        f"FROM ({inner}) AS year_rows GROUP BY civil_servant_id"
    )
    prefixes = {rank: f"{pk}|" for rank, pk in enumerate(by_lateness, start=1)}
    result = {}
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, [by_lateness, *params])
        for person, text, rank in cursor.fetchall():
            latest = None
            if rank is not None:
                prefix = prefixes[rank]
                start = 0 if text.startswith(prefix) else text.index("\n" + prefix) + 1
                end = text.find("\n", start)
                latest = text[start:] if end < 0 else text[start:end]
            result[person] = YearRows(text, latest)
    return result


def _year_rows(periods):
    return _period_rows_query(PeriodScore.objects.filter(period_id__in=periods))


def _year_rows_of(periods, people):
    return _period_rows_query(
        PeriodScore.objects.filter(period_id__in=periods, civil_servant_id__in=people)
    )


def _raw_period_rows(year: int, calendar: dict, people) -> dict[int, YearRows]:
    """Every stored period score of ``year`` (all period types), per person (:class:`YearRows`;
    ``people``: ids, a queryset of ids, or ``None`` for everyone)."""
    period_ids = sorted(calendar)
    if not period_ids:
        return {}
    by_ids = people is not None and given_ids(people)
    if not by_ids and connections[PeriodScore.objects.db].vendor == "postgresql":
        # The database joins each person's rows (the year's 1,200,000 at 100,000 people):
        # one row a person reaches this process, none converted value by value.
        queryset = PeriodScore.objects.filter(period_id__in=period_ids)
        if people is not None:
            queryset = queryset.filter(civil_servant_id__in=people)
        return _year_texts(queryset, calendar)
    return _by_person(_period_rows_of(period_ids, people), calendar)


def _by_person(rows: list[tuple], calendar: dict) -> dict[int, YearRows]:
    """:func:`_raw_period_rows` of the rows of :func:`_period_rows_of`."""
    result: dict[int, list] = defaultdict(list)
    for values in rows:
        result[values[0]].append(values[1:])
    # In period id order: the fingerprint must not depend on the order the database returns
    # rows in. The engine takes them by date (:func:`_by_date`), for the people it computes.
    lateness = {pk: period.lateness for pk, period in calendar.items()}
    for person_rows in result.values():
        person_rows.sort()
    return {person: YearRows.of(rows, lateness) for person, rows in result.items()}


def _period_rows_of(period_ids: list[int], people) -> list[tuple]:
    """The rows of :func:`_period_rows_query` for these periods and ``people`` (ids, a
    queryset of ids, or ``None`` for everyone), as the database driver returns them."""
    # A few people by id: a statement compiled once per shape (``cms.statements``). Everyone,
    # a queryset of ids, or many ids: compiled here, and the rows taken as the driver gives
    # them — the kept statement applies Django's converters row by row (``int()`` of the
    # ``scored`` cast) over the year's 240,000 rows at 20,000 people.
    if not period_ids:
        return []
    if people is None:
        return _driver_rows(_year_rows(period_ids))
    if given_ids(people):
        return kept_rows(_year_rows_of, periods=period_ids, people=people)
    return _driver_rows(_year_rows_of(period_ids, people))


def _driver_rows(queryset, *fields) -> list[tuple]:
    """``queryset.values_list(*fields)`` as the database driver returns the rows: none of
    Django's per-value converters run (the caller reads ints and text only)."""
    if fields:
        queryset = queryset.values_list(*fields)
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. a year without any period yet: ``period_id IN ()``
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _by_date(rows: list[RawPeriod], calendar: dict) -> list[RawPeriod]:
    """A person's raw rows by date (first day, last day, kind)."""
    return sorted(rows, key=lambda row: calendar[row[R_PERIOD]].order)


class _Parsed(NamedTuple):
    score_id: int
    total: Decimal | None
    revision_id: int | None
    framework_id: int | None
    excellent_counts: tuple[int, int, int] | None = None


def _id(text: str) -> int | None:
    return int(text) if text else None


def _parsed(raw: RawPeriod, decimals: dict) -> _Parsed:
    """The values of a raw row's text; the total as the ``Decimal`` Django reads (the
    database's text, to the column's places), one per distinct text (``decimals``)."""
    _period, _scored, score_id, total, revision, framework, *extra = raw[R_TEXT].split("|")
    if total:
        number = decimals.get(total)
        if number is None:
            number = decimals[total] = Decimal(total).quantize(_TOTAL_PLACES)
    else:
        number = None
    counts = _counts(extra[0]) if extra else None
    return _Parsed(int(score_id), number, _id(revision), _id(framework), counts)


def _period_rows(year: int, people) -> dict[int, list[PeriodRow]]:
    """Every stored period score of ``year`` (all period types), per person, by date."""
    calendar = year_calendar(year)
    decimals: dict = {}
    result: dict[int, list[PeriodRow]] = {}
    for person, rows in _raw_period_rows(year, calendar, people).items():
        result[person] = []
        for raw in _by_date(rows.rows, calendar):
            period, values = calendar[raw[R_PERIOD]], _parsed(raw, decimals)
            result[person].append(
                PeriodRow(
                    values.score_id,
                    period.kind,
                    period.number,
                    period.end_date,
                    bool(raw[R_SCORED]),
                    values.total,
                    values.revision_id,
                    values.framework_id,
                    period.ref,
                    values.excellent_counts,
                )
            )
    return result


@functools.lru_cache(maxsize=16)
def _month_bounds(year: int) -> tuple[tuple[int, datetime.date, datetime.date], ...]:
    """``(month, first day, last day)`` of each month of ``year``."""
    bounds = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = (
            datetime.date(year, 12, 31)
            if month == 12
            else datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
        )
        bounds.append((month, first, last))
    return tuple(bounds)


def posted_months(postings: list[PostingRow], year: int) -> set[int]:
    """Months of ``year`` in which the person held a posting for at least one day."""
    spans = [(r.start_date, r.end_date) for r in postings]
    if len(spans) == 1:
        start, end = spans[0]
        return {
            month
            for month, first, last in _month_bounds(year)
            if start <= last and (end is None or end >= first)
        }
    return {
        month
        for month, first, last in _month_bounds(year)
        if any(start <= last and (end is None or end >= first) for start, end in spans)
    }


def annual_periods(rows: list[PeriodRow], worked: set[int]) -> list[AnnualPeriod]:
    """The engine's view of the stored period scores: a period stands for its months in post;
    when none of its months is (postings edited since it was scored), for all of them."""
    periods = []
    for row in rows:
        months = period_months(row.kind, row.number)
        in_post = tuple(m for m in months if m in worked)
        periods.append(
            AnnualPeriod(
                row.kind,
                row.number,
                row.total if row.scored else None,
                # All months in post reads exactly like none given (the whole period).
                worked_months=None if in_post == months else (in_post or None),
                ref=row.ref,
                excellent_counts=row.excellent_counts,
            )
        )
    return periods


@functools.lru_cache(maxsize=64)
def _period_ref(kind: str, number: int) -> str:
    return f"{kind}:{number}"


def leader_in_year(
    postings: list[PostingRow], governing: PostingRow, rules: FrameworkRules
) -> tuple[bool, list[str]]:
    """Whether the leaders-only disqualifiers (Art. 20 cl. 4 d) apply to the person's year, and
    the leader roles held in it. ``annual.leader_role``: ``any_time_in_year`` (default) — a
    leader role in any posting of the year, concurrent posts included; ``year_end`` — the role
    of the posting governing on 31 December."""
    roles = sorted({r.role for r in postings if rules.is_leader_role(r.role)})
    if rules.annual.leader_role.value == "year_end":
        return rules.is_leader_role(governing.role), roles
    return bool(roles), roles


def year_postings(person_id: int, year: int) -> list[PostingRow]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return person_posting_rows(person_id, start, end)


def annual_is_leader(annual: AnnualScore, rules: FrameworkRules) -> bool:
    """For a stored annual score (the rating case's ceiling): whether the leaders-only
    disqualifiers apply, read from the postings of the year now (like the disqualifications)."""
    postings = year_postings(annual.civil_servant_id, annual.year)
    start, end = datetime.date(annual.year, 1, 1), datetime.date(annual.year, 12, 31)
    governing = pick_governing(postings, start, end)
    if governing is None:
        return rules.is_leader_role(annual.role)
    return leader_in_year(postings, governing, rules)[0]


def _basis_head(result, rules, is_leader, leader_roles) -> dict:
    """The stored basis of an annual score (Art. 21): what it was computed from — but its
    periods (:func:`_lines`). Under ``qd366`` (M4) with a score banded excellent, also the
    year's QĐ 366 counts and their outcome (``excellent_conditions``: the ceiling reads it)."""
    check = None
    if rules.individual.excellent_conditions.value == "qd366":
        check = next(
            (s for s in result.explanation if s.get("code") == "annual_excellent_conditions"),
            None,
        )
    extra = {}
    if check is not None:
        extra["excellent_conditions"] = {
            key: check[key]
            for key in ("passed", "lines", "on_time", "exceeded", "unmeasured", "rating")
        }
    return {
        **extra,
        "weighting": result.weighting,
        "min_months": result.min_months,
        "months_worked": result.months_worked,
        "not_scored_reason": result.not_scored_reason,
        "leader_role": rules.annual.leader_role.value,
        "is_leader": is_leader,
        "leader_roles": leader_roles,
    }


def _lines(result, shared: "_Shared") -> list[tuple[str, str, str]]:
    """Each period of the result, serialised as stored: its step (the engine's, one per
    period, first in the explanation) as JSON, its line of the basis as JSON and as ``repr``.
    A line's text depends only on the values in ``key`` (the last day follows from the kind
    and number), so each distinct one is serialised once per run."""
    lines, cache, steps = [], shared.lines, result.explanation
    for i, p in enumerate(result.periods):
        # A line the engine's memo shares between people: found by the dict itself.
        known = cache.get(id(p))
        if known is not None and known[0] is p:
            lines.append(known[1])
            continue
        months = p["months"]
        key = (i, p["kind"], p["number"], p["total"], p["status"], tuple(months), p["weight"])
        line = cache.get(key)
        if line is None:
            stored = {
                "kind": p["kind"],
                "number": p["number"],
                "end_date": shared.end_of[p["ref"]],
                "total": p["total"],
                "status": p["status"],
                "months": months,
                "weight": p["weight"],
            }
            line = cache[key] = (json.dumps(steps[i]), json.dumps(stored), repr(stored))
        cache[id(p)] = (p, line)  # keeps ``p`` (and so its id) alive for the run
        lines.append(line)
    return lines


class _Quota:
    """A quota group's result, with what each member's row takes from it indexed once (a
    group of hundreds asks it for each member)."""

    def __init__(self, result: QuotaResult):
        self.result = result
        self.kept, self.demoted = set(result.kept), set(result.demoted)
        self.tied = set(result.tied_at_cut)
        #: positions of the steps every candidate's row shows (the cap), and of each
        #: candidate's own steps, in the order of the group's explanation
        self.common: list[int] = []
        self.own: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(result.explanation):
            if s["code"] == "quota_cap":
                self.common.append(i)
                continue
            if "id" in s:
                self.own[s["id"]].append(i)
            for member in dict.fromkeys(s.get("ids", ())):
                if member != s.get("id"):
                    self.own[member].append(i)

    def steps(self, person: int, rating: str | None) -> list[dict]:
        """The quota steps that concern ``person`` (only candidates for excellent)."""
        if rating != "excellent":
            return []
        explanation = self.result.explanation
        mine = self.own.get(str(person), ())
        return [explanation[i] for i in sorted([*self.common, *mine])]

    @functools.cached_property
    def figures(self) -> tuple:
        """The group's figures every member's :meth:`summary` shows: ratio (as text),
        candidates, good before, allowed, good after (the first four also in each member's
        ``inputs_hash``, :func:`_quota_outcome`)."""
        quota = self.result
        return (
            f"{quota.ratio}",
            quota.candidates,
            quota.good_before,
            quota.allowed,
            quota.good_after,
        )

    def own_part(self, person: int, rating: str | None) -> tuple:
        """What one member's row takes from the quota besides :attr:`figures`: the final
        rating, kept, demoted, tied at the cut, the steps (:func:`_same_outcomes`)."""
        me = str(person)
        return (
            self.result.final_ratings.get(me, rating),
            me in self.kept,
            me in self.demoted,
            me in self.tied,
            self.steps(person, rating),
        )

    def summary(self, person: int) -> dict:
        """The group's quota figures (not every member's id) for one person's explanation."""
        ratio, candidates, good_before, allowed, good_after = self.figures
        me = str(person)
        return {
            "ratio": ratio,
            "candidates": candidates,
            "good_before": good_before,
            "allowed": allowed,
            "good_after": good_after,
            "kept": me in self.kept,
            "demoted": me in self.demoted,
            "tied_at_cut": me in self.tied,
        }


def score_year(year: int, agency=None, *, people: Iterable[int] | None = None) -> YearReport:
    """Annual scores and ratings of ``year`` for the province (or ``agency``'s subtree), in
    this process (docs/architecture.md "Batches in one process").

    ``people``: only these people's years are out of date (the stale marks of one change).
    Their quota groups are recomputed whole — every person who shares a group with them under
    any grouping option, closed over (:func:`affected_people`) — and nobody else: the same
    rows as a province-wide run would write, at the cost of the groups touched."""
    with collection_paused():
        return _score_year(year, agency, people)


def _score_year(year: int, agency, people=None) -> YearReport:
    """Collect → fingerprint each person's sources and compare them with the stored ones →
    rate the changed people's quota groups → apply the quota per group → write what changed."""
    started = time.perf_counter()
    report = YearReport(year=year)
    # The stale marks this run clears, read before the inputs (scoring.services.freshness):
    # a change committed while it runs keeps its mark for the next run.
    people_q = None
    if agency is not None:
        people_q = Posting.objects.filter(
            overlapping(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            agency__path__startswith=agency.path,
        ).values("civil_servant_id")
    marked = None if people is None else sorted(set(people))
    taken = (
        freshness.take(StaleKind.ANNUAL, year, people_q)
        if marked is None
        else freshness.take_people(StaleKind.ANNUAL, year, marked)
    )
    reranked = None
    if marked and agency is None and len(marked) <= RERANK_UP_TO:
        reranked = _rerank(year, marked, report)
    stamps: list[tuple[str, str, int]] = []
    dropped_groups: list[str] = []
    if reranked is not None:
        rows, refreshed, group_rows = reranked
    else:
        data = _collect(year, agency, marked)
        jobs = _jobs(data)
        plan = _plan(data, jobs)
        todo = [job for job in jobs if job[0] in plan.dirty]
        rated = _rate_people(data, todo, report)
        quotas = _apply_quotas(rated, plan)
        rows, refreshed = _changed_rows(rated, quotas, plan, data)
        stamps = plan.stamps
        # A group with a member the engine refused loses its row: recomputed next time, and
        # never re-ranked from rows the refused member's stale row sits among; so does a group
        # nobody rated is in any more (its members' old rows would match it).
        group_rows, dropped_groups = {}, list(plan.gone_groups)
        for key, digest in plan.group_digests.items():
            if report.errors.keys().isdisjoint(plan.groups[key]):
                group_rows[group_text(key)] = digest
            else:
                dropped_groups.append(group_text(key))
        report.people = len(jobs)
        report.recomputed = len(todo)
        report.recomputed_people = {job[0] for job in todo}
    # The year's writes, all or none; no savepoint inside a caller's transaction (no caller
    # goes on with it after a failure here).
    with transaction.atomic(savepoint=False):
        adapt_row = row_adapter(AnnualScore)
        upsert_annual_scores([adapt_row(row) for row in rows], adapted=True)
        _update_sources(refreshed)
        # The groups ranked: their sources now (the other members' rows stay as they are).
        _write_groups(year, group_rows, dropped_groups)
        # Current rows without their own digest and group yet (:attr:`_Plan.stamps`).
        _update_columns(("own_digest", "quota_group"), stamps)
    freshness.clear(taken)
    report.written = len(rows)
    report.sources_updated = len(refreshed)
    report.groups_written = len(group_rows)
    report.unchanged = report.people - len(rows) - len(report.errors)
    report.seconds = time.perf_counter() - started
    return report


#: Above this share of the governed people, a targeted run reads the whole province instead
#: (one query per kind of input beats thousands of ids in ``IN`` lists).
TARGETED_SHARE = Decimal("0.5")
#: Up to this many marked people, a targeted run reads their quota groups subtree by subtree
#: (:func:`_collect_groups`); more, the province's postings once.
GROUPS_READ_UP_TO = 200
#: Ids per ``IN (…)`` list when reading a targeted run's inputs (SQLite's variable limit).
ID_CHUNK = 900


def quota_modes_in_use(year: int) -> tuple[str, ...]:
    """The grouping options (``quota.group_by``) a person's year of ``year`` can be rated
    under: those of the revisions its stored period scores used and of every live
    individual framework (the two sources ``_Frameworks.of`` takes a person's rules from)."""
    revisions = set(
        PeriodScore.objects.filter(period__year=year)
        .exclude(framework_revision_id=None)
        .values_list("framework_revision_id", flat=True)
        .order_by()  # the model's ordering would defeat DISTINCT
        .distinct()
    )
    rules: list[FrameworkRules | None] = list(rules_by_revision(revisions).values())
    for framework in CriteriaFramework.objects.filter(
        live=True, applies_to__in=[AppliesTo.CIVIL_SERVANT, AppliesTo.PUBLIC_EMPLOYEE]
    ).select_related("live_revision"):
        resolved = live_framework(framework)
        rules.append(resolved.rules if resolved else None)
    modes = {rule.quota.group_by for rule in rules if rule is not None}
    return tuple(sorted(mode.value for mode in modes)) or QUOTA_GROUPINGS


def affected_people(
    marked: Iterable[int], governing: dict[int, PostingRow | None], agencies: dict, year: int
) -> set[int]:
    """The people whose annual rows a change to ``marked`` people's inputs may alter: the
    marked themselves and, closed over, everyone who shares a quota group with one of them —
    by their posting governing now or by the one their stored annual score was rated under
    (a person who moved leaves a group whose quota changes). The group is taken under every
    grouping option in use that year (:func:`quota_modes_in_use`; usually one), so the
    closure holds whichever of them a person's framework revision uses: a superset of every
    real group touched, never a part of one."""
    keys = _group_keys(agencies, quota_modes_in_use(year))
    ids = sorted(set(marked))
    stored_places = [
        place
        for start in range(0, len(ids), ID_CHUNK)
        for place in AnnualScore.objects.filter(
            year=year, civil_servant_id__in=ids[start : start + ID_CHUNK]
        ).values_list("civil_servant_id", "agency_id", "role", "position_group")
    ]
    return _closure(ids, governing, stored_places, agencies, keys)[0]


def _group_keys(agencies: dict, modes):
    """``keys(agency, role, position group)``: a place's quota-group keys under every grouping
    option in ``modes`` (the closure's unit, :func:`_closure`)."""
    grouper = QuotaGrouper(agencies=agencies)

    def keys(agency_id, role, position_group):
        return {
            (mode, grouper.agency_of(agency_id, role, mode), position_group or "") for mode in modes
        }

    return keys


def _revision_modes(revision_ids: Iterable[int]) -> set[str]:
    """The grouping options (``quota.group_by``) of these framework revisions, and of every
    live individual framework: :func:`quota_modes_in_use` for the revisions given instead of
    every revision the year's period scores used (no scan of the year's scores). Parsed rules
    are cached per revision (``scoring.services.frameworks``)."""
    rules = rules_of_revisions(revision_ids) + live_rules(
        (AppliesTo.CIVIL_SERVANT, AppliesTo.PUBLIC_EMPLOYEE)
    )
    modes = {getattr(getattr(r, "quota", None), "group_by", None) for r in rules}
    return {mode.value for mode in modes if mode is not None}


def _raw_revisions(periods: dict[int, YearRows]) -> set[int]:
    """The framework revisions named by people's period rows."""
    found = set()
    for person in periods.values():
        for row in person.rows:
            revision = row[R_TEXT].split("|", 5)[4]
            if revision:
                found.add(int(revision))
    return found


def _read_postings(postings, by_person: dict, values_of: dict) -> None:
    """Add each person's postings of ``postings`` (a queryset, or rows of
    :data:`POSTING_FIELDS`) to ``by_person`` (as :class:`PostingRow`) and ``values_of`` (the
    values as read, which the fingerprint hashes); a person already in ``by_person`` keeps the
    postings read before."""
    known = set(by_person)
    rows = postings if isinstance(postings, list) else postings.values_list(*POSTING_FIELDS)
    for values in rows:
        if values[1] not in known:
            by_person[values[1]].append(PostingRow(*values))
            values_of[values[1]].append(values)


def _collect_groups(year: int, marked: list[int], agencies: dict, calendar: dict):
    """:func:`_collect` for a targeted run without reading the province: the marked people's
    quota groups, closed as :func:`affected_people` closes them, read subtree by subtree.

    A group's agency is always its members' posting agency or one above it
    (``QuotaGrouper.agency_of``), so every member of a group has a posting in the subtree of
    the group's agency: reading the people posted in that subtree (with all their postings of
    the year) finds the whole group. The closure runs under the grouping options of the live
    frameworks and of the marked people's period scores; once the affected people's period
    scores are read, a revision of theirs with another option sends the run back to the
    province-wide reading (``None``), as does a group whose agency is the province itself."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    base = Posting.objects.filter(overlapping(start, end))
    by_person: dict[int, list[PostingRow]] = defaultdict(list)
    values_of: dict[int, list[tuple]] = defaultdict(list)

    def read(postings) -> None:
        """Every posting of the year of the people ``postings`` names (each person's all
        come from one query, in the order the province-wide reading gives them)."""
        _read_postings(postings, by_person, values_of)

    stored_places: list[tuple[int, int, str, str]] = []
    marked_periods: dict[int, YearRows] = {}
    for chunk in _chunked(marked):
        read(base.filter(civil_servant_id__in=chunk))
        stored_places += AnnualScore.objects.filter(
            year=year, civil_servant_id__in=chunk
        ).values_list("civil_servant_id", "agency_id", "role", "position_group")
        marked_periods.update(_raw_period_rows(year, calendar, chunk))
    modes = tuple(sorted(_revision_modes(_raw_revisions(marked_periods))))
    if not modes:
        return None
    keys = _group_keys(agencies, modes)
    read_roots: list[str] = []  # paths of the agencies whose subtree's people are read
    while True:
        governing = {p: pick_governing(rows, start, end) for p, rows in by_person.items()}
        affected, seen = _closure(marked, governing, stored_places, agencies, keys)
        roots = {key[1] for key in seen if key[1] is not None}
        roots = {pk for pk in roots if not any(agencies[pk].path.startswith(p) for p in read_roots)}
        if not roots:
            break
        for pk in sorted(roots):
            agency = agencies[pk]
            if agency.parent_id is None:
                return None  # a province-wide group: read the province
            posted = base.filter(agency__path__startswith=agency.path).values("civil_servant_id")
            read(base.filter(civil_servant_id__in=posted))
            read_roots.append(agency.path)
    if len(affected) > ID_CHUNK:
        return None
    # The province-wide reading's choice, made the same way (:data:`TARGETED_SHARE`): a change
    # reaching more than half the governed people scores the province, so both readings leave
    # the same rows. The people read so far bound the governed from below; only a closure
    # larger than half of them needs the province's count.
    if len(affected) > TARGETED_SHARE * len(by_person):
        governed = base.values("civil_servant_id").distinct().count()
        if len(affected) > TARGETED_SHARE * governed:
            return None
    # In the order of the province-wide reading (the postings' default order: by person, as
    # the people list sorts them): a quota group's fingerprint lists its members in it.
    order = CivilServant.objects.filter(pk__in=sorted(affected)).values_list("pk", flat=True)
    by_person = {p: by_person[p] for p in order if p in by_person}
    governing = {p: governing[p] for p in order if p in governing}
    data = _collect_for(year, sorted(affected), agencies, by_person, governing, calendar, values_of)
    if not _revision_modes(_raw_revisions(data.periods)) <= set(modes):
        return None
    return data


def _closure(marked, governing: dict, stored_places, agencies: dict, keys):
    """:func:`affected_people` over the people read so far: ``(affected people, the group
    keys reached)``; ``keys(agency, role, position group)`` gives a place's group keys under
    every grouping option in use, ``stored_places`` the places of the marked people's stored
    annual rows."""
    members = defaultdict(set)
    keys_of = defaultdict(set)
    for person, posting in governing.items():
        if posting is None:
            continue
        for key in keys(posting.agency_id, posting.role, posting.position_group):
            members[key].add(person)
            keys_of[person].add(key)
    for person, agency_id, role, position_group in stored_places:
        if agency_id in agencies:
            keys_of[person] |= keys(agency_id, role, position_group)
    affected, queue, seen = set(marked), list(marked), set()
    while queue:
        for key in keys_of.get(queue.pop(), ()):
            if key not in seen:
                seen.add(key)
                fresh = members[key] - affected
                affected |= fresh
                queue.extend(fresh)
    return affected, seen


def _chunked(ids: list) -> list[list]:
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def _collect(year: int, agency, marked: list[int] | None = None) -> YearData:
    """The postings of the year and the one governing each person, the stored period scores,
    the disqualifications and the stored annual rows — of the province, or of ``agency``'s
    subtree, or of the people :func:`affected_people` by a change to ``marked`` people."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    agencies = load_agencies()
    calendar = year_calendar(year)
    if marked is not None and agency is None and len(marked) <= GROUPS_READ_UP_TO:
        data = _collect_groups(year, marked, agencies, calendar)
        if data is not None:
            return data
    postings = Posting.objects.filter(overlapping(start, end))
    people_q = None
    if agency is not None:
        people_q = postings.filter(agency__path__startswith=agency.path).values("civil_servant_id")
        postings = postings.filter(civil_servant_id__in=people_q)
    by_person: dict[int, list[PostingRow]] = defaultdict(list)
    values_of: dict[int, list[tuple]] = defaultdict(list)
    _read_postings(postings, by_person, values_of)
    governing = {p: pick_governing(rows, start, end) for p, rows in by_person.items()}
    if marked is not None:
        affected = affected_people(marked, governing, agencies, year)
        if len(affected) <= TARGETED_SHARE * len(governing):
            by_person = {p: rows for p, rows in by_person.items() if p in affected}
            governing = {p: g for p, g in governing.items() if p in affected}
            return _collect_for(
                year, sorted(affected), agencies, by_person, governing, calendar, values_of
            )
    scope = CategoryScope(agencies)  # categories scored and in the quota (docs/scope.md)
    evaluated = {p: g for p, g in governing.items() if g is not None and scope.evaluated(g)}
    if agency is not None:
        evaluated = {
            p: g for p, g in evaluated.items() if agencies[g.agency_id].path.startswith(agency.path)
        }
    disqualifiers = defaultdict(list)
    dq_rows = Disqualification.objects.filter(year=year)
    if people_q is not None:
        dq_rows = dq_rows.filter(civil_servant_id__in=people_q)
    for person, kind in dq_rows.values_list("civil_servant_id", "kind").order_by("id"):
        disqualifiers[person].append(kind)
    stored = AnnualScore.objects.filter(year=year)
    if people_q is not None:
        stored = stored.filter(civil_servant_id__in=people_q)
    return YearData(
        year=year,
        postings=by_person,
        governing=evaluated,
        agencies=agencies,
        periods=_raw_period_rows(year, calendar, people_q),
        disqualifiers=disqualifiers,
        stored=_stored(stored),
        calendar=calendar,
        posting_values=values_of,
    )


_STORED_COLUMNS = (
    "civil_servant_id",
    "id",
    "sources_hash",
    "inputs_hash",
    "own_digest",
    "quota_group",
)


def _stored(rows) -> dict[int, StoredAnnual]:
    return {
        person: StoredAnnual(*values)
        for person, *values in _driver_rows(rows.order_by(), *_STORED_COLUMNS)
    }


def _stored_rows(year, people):
    return (
        AnnualScore.objects.filter(year=year, civil_servant_id__in=people)
        .order_by()
        .values_list(*_STORED_COLUMNS)
    )


def _disqualifier_rows(year, people):
    return (
        Disqualification.objects.filter(year=year, civil_servant_id__in=people)
        .values_list("civil_servant_id", "kind")
        .order_by("id")
    )


def _collect_for(
    year: int,
    people: list[int],
    agencies: dict,
    by_person: dict,
    governing: dict,
    calendar: dict,
    values_of: dict,
) -> YearData:
    """:func:`_collect` for a targeted run: the inputs of ``people`` only, read by id."""
    scope = CategoryScope(agencies)
    governing = {p: g for p, g in governing.items() if g is not None and scope.evaluated(g)}
    disqualifiers = defaultdict(list)
    stored: dict[int, StoredAnnual] = {}
    periods: dict[int, YearRows] = {}
    period_ids = sorted(calendar)
    for chunk in _chunked(people):
        # Statements compiled once per number of people, sent together (``cms.statements``).
        reads = [
            read(_disqualifier_rows, year=year, people=chunk),
            read(_stored_rows, year=year, people=chunk),
        ]
        if period_ids:
            reads.append(read(_year_rows_of, periods=period_ids, people=chunk))
        disqualified, stored_rows, *period_rows = kept_rows_together(*reads)
        for person, kind in disqualified:
            disqualifiers[person].append(kind)
        stored.update((person, StoredAnnual(*values)) for person, *values in stored_rows)
        periods.update(_by_person(period_rows[0] if period_rows else [], calendar))
    return YearData(
        year=year,
        postings=by_person,
        governing=governing,
        agencies=agencies,
        periods=periods,
        disqualifiers=disqualifiers,
        stored=stored,
        calendar=calendar,
        posting_values={p: values_of[p] for p in by_person},
    )


class _Frameworks:
    """The framework that rates a year: the revision of the person's latest scored period
    (the bands they were scored under), else the live revision in force for the governing
    agency on 31 December. Revisions are read once per batch."""

    def __init__(self, data: YearData):
        self.data = data
        self._resolver: FrameworkResolver | None = None
        self.by_revision: dict = {}  # (revision id, framework id) → RatingFramework
        self._rules: dict = {}

    def rules(self, revision_id: int):
        if revision_id not in self._rules:
            self._rules[revision_id] = revision_rules(revision_id)
        return self._rules[revision_id]

    def of(self, rows: YearRows, posting: PostingRow) -> RatingFramework | None:
        # The latest scored period (by end date; the shortest of those ending together).
        latest = rows.latest
        revision, framework_id = latest.split("|")[4:6] if latest is not None else ("", "")
        if revision:
            key = (int(revision), _id(framework_id))
            framework = self.by_revision.get(key)
            if framework is None:
                framework = RatingFramework(*key, self.rules(key[0]))
                self.by_revision[key] = framework
            return framework
        year_end = datetime.date(self.data.year, 12, 31)
        path = self.data.agencies[posting.agency_id].path
        if self._resolver is None:  # loads every assignment: only when a person needs it
            self._resolver = FrameworkResolver()
        resolved = self._resolver.resolve(path, PeriodKind.MONTH, year_end, posting.category)
        if resolved is None:
            return None
        return RatingFramework(resolved.revision_id, resolved.framework_id, resolved.rules)


def _jobs(data: YearData) -> list[tuple]:
    """``(person, governing posting, raw period rows, framework)`` of each governed person
    with a framework (a person without one is skipped). Resolving frameworks reads the
    database, so it happens here, before the rating (which reads none)."""
    frameworks = _Frameworks(data)
    jobs = []
    for person, posting in data.governing.items():
        rows = data.periods.get(person, NO_ROWS)
        framework = frameworks.of(rows, posting)
        if framework is not None:
            jobs.append((person, posting, rows, framework))
    return jobs


@dataclass
class _Plan:
    """What the fingerprints say before anything is computed."""

    sources: dict[int, str]  # person → the sources hash of their year now
    groups: dict  # quota group → its members (people in the quota), in the order of the jobs
    outstanding: dict  # quota group → its agency is recognised for outstanding achievements
    dirty: set[int]  # the people to recompute: whole quota groups
    own: dict[int, str] = field(default_factory=dict)  # person → their own digest
    group_of: dict[int, str] = field(default_factory=dict)  # person → ``quota_group`` text
    #: quota group → its sources fingerprint now, for the groups recomputed (their
    #: ``AnnualQuotaGroup`` rows are written with their members' rows)
    group_digests: dict = field(default_factory=dict)
    #: names of groups of the stored rows read that no rated person is in now (their
    #: ``AnnualQuotaGroup`` rows are deleted)
    gone_groups: list[str] = field(default_factory=list)
    #: ``(own digest, quota group, row id)`` of current rows that lack them (:func:`_plan`)
    stamps: list[tuple[str, str, int]] = field(default_factory=list)


def group_text(key: QuotaGroup) -> str:
    """``AnnualScore.quota_group``: a quota group as stored (``mode|agency id|position
    group``)."""
    return f"{key.mode}|{'' if key.agency_id is None else key.agency_id}|{key.position_group}"


def _group_of_text(text: str) -> QuotaGroup:
    mode, agency, position_group = text.split("|", 2)
    return QuotaGroup(mode, int(agency) if agency else None, position_group)


def _own_digests(data: YearData, jobs: list[tuple], grouper: QuotaGrouper):
    """Each job's own digest (``annual_person_digest``) and quota group (``None`` outside the
    quota): ``(own, group_of)``, in the order of the jobs."""
    prefix = HashedPrefix(
        annual_year_prefix(
            data.year,
            [(pk, p.kind, p.number, p.start_date, p.end_date) for pk, p in data.calendar.items()],
        )
    )
    in_quota: dict[str, bool] = {}  # category → counted in the quota (docs/scope.md)
    keys: dict[tuple, QuotaGroup] = {}  # (agency, role, group, grouping option) → quota group
    own: dict[int, str] = {}
    group_of: dict[int, QuotaGroup] = {}
    for person, posting, rows, framework in jobs:
        own[person] = annual_person_digest(
            prefix,
            framework_revision_id=framework.revision_id,
            framework_id=framework.framework_id,
            governing_id=posting.id,
            postings=data.posting_values.get(person, ()),
            periods=rows.text,
            disqualifiers=data.disqualifiers.get(person, ()),
        )
        counted = in_quota.get(posting.category)
        if counted is None:
            counted = in_quota[posting.category] = CategoryScope.in_quota(posting)
        if counted:
            mode = framework.rules.quota.group_by.value
            place = (posting.agency_id, posting.role, posting.position_group, mode)
            key = keys.get(place)
            if key is None:
                key = keys[place] = grouper.group_of(*place[:3], framework.rules)
            group_of[person] = key
    return own, group_of


def _group_digest(key: QuotaGroup, outstanding: bool, members, own: dict) -> str:
    return annual_group_digest(
        (key.mode, key.agency_id, key.position_group),
        outstanding,
        [(person, own[person]) for person in members],
    )


def _plan(data: YearData, jobs: list[tuple]) -> _Plan:
    """Each person's sources (``AnnualScore.sources_hash``) and the people to recompute: those
    whose sources differ from their stored row's (or who have none), with every member of
    their quota group — the quota needs the whole group — and every member of a group whose
    sources (its members, their order and own digests, its agency's recognition) differ from
    its stored ``AnnualQuotaGroup`` row's (or that has none)."""
    grouper = QuotaGrouper(agencies=data.agencies)
    own, group_of = _own_digests(data, jobs, grouper)
    groups: dict = defaultdict(list)
    for person, key in group_of.items():
        groups[key].append(person)
    # Agencies recognised for outstanding achievements this year (and their units) may rate
    # up to the framework's outstanding_ratio excellent (Decree 335 Art. 20 cl. 5(b)).
    recognised = recognised_paths(data.year)
    outstanding = {key: is_recognised(grouper.path(key), recognised) for key in groups}
    group_digest = {
        key: _group_digest(key, outstanding[key], members, own) for key, members in groups.items()
    }
    names = {key: group_text(key) for key in groups}
    stored_groups = _stored_groups(data.year, names.values())
    dirty_groups = {
        key for key, name in names.items() if stored_groups.get(name) != group_digest[key]
    }
    sources = {}
    dirty: set[int] = set()
    for person, digest in own.items():
        key = group_of.get(person)
        sources[person] = annual_sources_hash(digest, names[key] if key else None)
        stored = data.stored.get(person)
        if stored is None or stored.sources_hash != sources[person]:
            dirty.add(person)
            if key is not None:
                dirty_groups.add(key)
    for key in dirty_groups:
        dirty.update(groups[key])
    texts = {person: names[key] for person, key in group_of.items()}
    # Rows current but without their own digest and group yet (before migration scoring 0025):
    # stamped with them, nothing computed.
    stamps = [
        (own[person], texts.get(person, ""), stored.pk)
        for person, stored in data.stored.items()
        if person in own
        and person not in dirty
        and (stored.own_digest, stored.quota_group) != (own[person], texts.get(person, ""))
    ]
    return _Plan(
        sources=sources,
        groups=groups,
        outstanding=outstanding,
        dirty=dirty,
        own=own,
        group_of=texts,
        group_digests={key: group_digest[key] for key in dirty_groups},
        # Groups the stored rows were ranked in that no rated person is in now: their rows
        # still match their fingerprint and must not be trusted by a re-rank.
        gone_groups=sorted(
            {stored.quota_group for stored in data.stored.values()} - {""} - set(names.values())
        ),
        stamps=stamps,
    )


def _stored_groups(year: int, names: Iterable[str]) -> dict[str, str]:
    """``AnnualQuotaGroup.sources_hash`` of the groups ``names`` of ``year`` as stored."""
    stored: dict[str, str] = {}
    for chunk in _chunked(sorted(set(names))):
        stored.update(kept_rows(_group_rows, year=year, names=chunk))
    return stored


def _group_rows(year, names):
    return (
        AnnualQuotaGroup.objects.filter(year=year, group__in=names)
        .order_by()
        .values_list("group", "sources_hash")
    )


def _write_groups(year: int, digests: dict[str, str], dropped: Iterable[str] = ()) -> None:
    """The ``AnnualQuotaGroup`` rows of the groups ranked (name → sources fingerprint; one
    statement, inserted or updated), and those of ``dropped`` deleted."""
    for chunk in _chunked(sorted(set(dropped))):
        AnnualQuotaGroup.objects.filter(year=year, group__in=chunk).delete()
    rows = [{"year": year, "group": name, "sources_hash": d} for name, d in sorted(digests.items())]
    upsert(AnnualQuotaGroup, rows, ("year", "group"), update=("sources_hash",))


def _rate_people(data: YearData, jobs: list[tuple], report: YearReport) -> dict[int, PersonYear]:
    """Each job's year through the engine (before the quota); a person whose inputs the
    engine refuses is reported in ``report.errors``."""
    people = {}
    shared = _Shared(
        decimals={},
        periods={},
        end_of={p.ref: p.end_iso for p in data.calendar.values()},
        known={},
        lines={},
        memos={},
    )
    for job in jobs:
        try:
            people[job[0]] = _rate_person(data, shared, *job)
        except ScoringInputError as exc:
            # Only a framework accepted before the bounds check can store such a period total;
            # one person's bad row never stops the province's annual batch.
            report.errors[job[0]] = dict(exc.errors)
    return people


class _Shared(NamedTuple):
    """What the people of one run share, made once: the ``Decimal`` of each total text, the
    engine's view of each distinct stored period (``AnnualPeriod`` is immutable), the last day
    of each period of the year (ISO), each framework's disqualifier codes, and each distinct
    period line serialised (:func:`_lines`)."""

    decimals: dict
    periods: dict
    end_of: dict
    known: dict
    lines: dict
    #: id of a framework's rules → the engine's memo of its periods (:class:`AnnualMemo`)
    memos: dict


def _rate_person(
    data: YearData,
    shared: _Shared,
    person: int,
    posting: PostingRow,
    raw: YearRows,
    framework: RatingFramework,
) -> PersonYear:
    """Raises ``ScoringInputError`` when the engine refuses a stored period total."""
    rules = framework.rules
    codes = data.disqualifiers.get(person) or []
    if codes:
        known = shared.known.get(id(rules))
        if known is None:
            known = shared.known[id(rules)] = frozenset(d.code for d in rules.disqualifiers)
        codes = [c for c in codes if c in known]
    postings = data.postings[person]
    is_leader, leader_roles = leader_in_year(postings, posting, rules)
    worked = posted_months(postings, data.year)
    whole_year = len(worked) == 12
    calendar, decimals, known_periods = data.calendar, shared.decimals, shared.periods
    periods, score_ids = [], {}
    for row in _by_date(raw.rows, calendar):
        period_id, scored, text = row
        _period, _scored, score_id, total, _revision, _framework, *extra = text.split("|")
        period = calendar[period_id]
        months = period.months
        in_post = months if whole_year else tuple(m for m in months if m in worked)
        # All months in post reads exactly like none given (the whole period).
        worked_months = None if in_post == months else (in_post or None)
        key = (period_id, scored, total, worked_months, *extra)
        item = known_periods.get(key)
        if item is None:
            number = None
            if scored and total:
                number = decimals.get(total)
                if number is None:
                    number = decimals[total] = Decimal(total).quantize(_TOTAL_PLACES)
            item = known_periods[key] = AnnualPeriod(
                period.kind,
                period.number,
                number,
                worked_months=worked_months,
                ref=period.ref,
                excellent_counts=_counts(extra[0]) if extra else None,
            )
        periods.append(item)
        score_ids[period.ref] = int(score_id)
    memo = shared.memos.get(id(rules))
    if memo is None:
        memo = shared.memos[id(rules)] = AnnualMemo(rules)
    result = score_annual(periods, rules, disqualifiers=codes, is_leader=is_leader, memo=memo)
    return PersonYear(
        person=person,
        posting=posting,
        framework=framework,
        basis=_basis_head(result, rules, is_leader, leader_roles),
        lines=_lines(result, shared),
        disqualifiers=codes,
        period_score_ids=[score_ids[p["ref"]] for p in result.periods],
        result=result,
    )


def _counts(text: str) -> tuple[int, int, int] | None:
    """A period's stored QĐ 366 counts (``PeriodScore.excellent_counts`` as the database's
    JSON text, "[3, 3, 1]") as ``(lines, on time, exceeded)``."""
    values = [part.strip() for part in text.strip("[] ").split(",")]
    if len(values) != 3 or not all(v.isdigit() for v in values):
        return None
    return int(values[0]), int(values[1]), int(values[2])


def _quota_member(year: PersonYear) -> QuotaMember:
    """A scored year as a member of its quota group. A scored ``AnnualResult`` has a score and
    a rating (``score_annual``); ``apply_quota`` refuses a member without them, and so does
    this, with its error."""
    score, rating = year.result.score, year.result.rating
    if score is None or rating is None:
        raise ScoringInputError({f"members.{year.person}": "Phải là một số."})
    return QuotaMember(str(year.person), score, rating)


def _apply_quotas(rated: dict[int, PersonYear], plan: _Plan) -> dict[int, _Quota]:
    """The excellent quota per group (one definition for this and the decision guard,
    ``scoring.services.quota_groups``) over the scored members, in order: person → their
    group's quota result. Only the groups recomputed (whole, :func:`_plan`)."""
    quota_of = {}
    for key, people in plan.groups.items():
        members = [rated[p] for p in people if p in rated and rated[p].result.scored]
        if not members:
            continue
        view = _Quota(
            apply_quota(
                [_quota_member(m) for m in members],
                members[0].framework.rules,
                outstanding=plan.outstanding[key],
            )
        )
        for member in members:
            quota_of[member.person] = view
    return quota_of


def _changed_rows(
    people: dict[int, PersonYear],
    quotas: dict[int, _Quota],
    plan: _Plan,
    data: YearData,
) -> tuple[list[dict], list[AnnualScore]]:
    """The rows to write — every recomputed person whose ``inputs_hash`` (the figures and
    what they rest on) differs from their stored one — and the stored rows whose figures came
    out the same but whose sources fingerprint moved (it, and the period rows' ids, are
    updated alone: ``computed_at`` stays the time the figures were computed)."""
    now = timezone.now()
    rows, refreshed = [], []
    for person, entry in people.items():
        view = quotas.get(person)
        result = entry.result
        final, needs_decision, quota_figures = _quota_outcome(view, person, result.rating)
        digest = annual_inputs_hash(
            framework_revision_id=entry.framework.revision_id,
            agency_id=entry.posting.agency_id,
            role=entry.posting.role,
            position_group=entry.posting.position_group,
            basis_text=entry.basis_text(),
            disqualifiers=entry.disqualifiers,
            rating=final,
            needs_decision=needs_decision,
            quota_figures=quota_figures,
        )
        sources = plan.sources[person]
        own, group = plan.own[person], plan.group_of.get(person, "")
        stored = data.stored.get(person)
        if stored is not None and stored.inputs_hash == digest:
            if (stored.sources_hash, stored.own_digest, stored.quota_group) != (
                sources,
                own,
                group,
            ):
                refreshed.append(
                    AnnualScore(
                        pk=stored.pk,
                        sources_hash=sources,
                        own_digest=own,
                        quota_group=group,
                        period_score_ids=entry.period_score_ids,
                    )
                )
            continue
        row = _row(entry, view, final, needs_decision, digest, sources, data.year, now)
        row["own_digest"], row["quota_group"] = own, group
        rows.append(row)
    return rows, refreshed


def _concrete_field(model, name: str) -> tuple[Field, str]:
    """The concrete field ``name`` of ``model`` and its column."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field, field.column


def _update_columns(columns: tuple[str, ...], rows: list[tuple]) -> None:
    """``UPDATE`` of ``columns`` (field names) of the annual rows: each of ``rows`` is the
    columns' values followed by the row's id. On PostgreSQL one statement for all the rows
    (their values as arrays, unnested side by side: a quota group's ~150 fingerprints cost one
    round trip, not 150); elsewhere one statement per row, sent as one batch."""
    if not rows:
        return
    connection = connections[AnnualScore.objects.db]
    quote = connection.ops.quote_name
    table = quote(AnnualScore._meta.db_table)
    fields = [_concrete_field(AnnualScore, name) for name in columns]
    # Identifiers and types from the model's meta, quoted; values are parameters.
    if connection.vendor == "postgresql" and len(rows) > 1:
        arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field, _column in fields)
        names = ", ".join(f"c{i}" for i in range(len(fields)))
        assignments = ", ".join(
            f"{quote(column)} = v.c{i}" for i, (_f, column) in enumerate(fields)
        )
        sql = (
            f"UPDATE {table} SET {assignments} "  # noqa: S608
            f"FROM unnest({arrays}, %s::bigint[]) AS v({names}, id) "
            f"WHERE {table}.{quote('id')} = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(values) for values in zip(*rows, strict=True)])
        return
    assignments = ", ".join(f"{quote(column)} = %s" for _field, column in fields)
    sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_sources(rows: list[AnnualScore]) -> None:
    """The four columns of rows whose figures came out the same (after migrations
    ``scoring 0018`` and ``0025`` every row of a year takes this path once)."""
    adapt = connections[AnnualScore.objects.db].ops.adapt_json_value
    _update_columns(
        ("sources_hash", "own_digest", "quota_group", "period_score_ids"),
        [(row.sources_hash, row.own_digest, row.quota_group,
          adapt(row.period_score_ids, None), row.pk)
         for row in rows],
    )  # fmt: skip


# --- re-ranking a quota group from its members' stored figures ---------------------------
#
# A change to one person used to recompute their whole quota group (every member's inputs read
# and run through the engine: ~130 people for one). The quota only needs each member's score
# and rating before the quota, and the group's fingerprint only each member's own digest: both
# are stored (``AnnualScore.own_digest``, ``quota_group``). So a targeted run of a few people
# computes them alone and re-ranks their groups from the others' stored rows — when, and only
# when, those rows are exactly what recomputing them would give:
#
# * every stored row of the groups touched carries its own digest and group (written by a run
#   after migration ``scoring 0025``);
# * no other member is marked stale (a mark means their inputs changed: they would need the
#   engine) — the freshness rule every use of a figure already rests on;
# * each member's stored ``sources_hash`` is their own digest and the group's name, and the
#   group's stored fingerprint (``AnnualQuotaGroup``, written in the same transaction as every
#   row ranked in it) equals the fingerprint of the group as stored (the members, their order,
#   their own digests and the agency's recognition now): the rows were written together, from
#   these very sources;
# * the quota gives every other member the same outcome (final rating, tie, figures, the steps
#   and summary their explanation shows) before and after the change: their rows stay as they
#   are, only the group's fingerprint moves (it holds the changed member's digest).
#
# Otherwise it returns ``None`` and the run recomputes the whole groups as before. Either way
# it writes what a province-wide run would (``tests/scoring/test_targeted_annual.py``).

#: Up to this many marked people, a targeted run first tries to re-rank their quota groups.
RERANK_UP_TO = 20


class _Member(NamedTuple):
    """A stored row as a member of its quota group."""

    person: int
    pk: int
    group: str
    own: str
    sources: str
    scored: bool
    score: Decimal | None
    rating: str  # before the quota
    revision: int | None


def _member_rows(year, groups):
    """The stored rows of the quota groups ``groups`` (their names) of ``year``, in the
    people's order, each with whether its person is marked stale and whether everyone is."""
    marks = StaleFigure.objects.filter(kind=StaleKind.ANNUAL, year=year)
    rows = AnnualScore.objects.filter(year=year, quota_group__in=groups).annotate(
        # Marked stale (their inputs changed: they would need the engine), or everyone is.
        stale=Exists(marks.filter(subject_id=OuterRef("civil_servant_id"))),
        everyone_stale=Exists(marks.filter(subject_id=None)),
    )
    # Each member's name by its key, not a join: PostgreSQL would hash the whole table of
    # people (a 20,000-row scan for a group of 150).
    person = CivilServant.objects.filter(pk=OuterRef("civil_servant_id")).order_by()
    order = [
        Subquery(person.values(name.lstrip("-"))).desc()
        if name.startswith("-")
        else Subquery(person.values(name)).asc()
        for name in map(str, CivilServant._meta.ordering)
    ]
    return rows.order_by(*order).values_list(
        "civil_servant_id", "id", "quota_group", "own_digest", "sources_hash", "scored",
        "score", "rating_before_quota", "framework_revision_id", "stale", "everyone_stale",
    )  # fmt: skip


class _Unsure(Exception):
    """The stored rows cannot stand in for a recomputation: the whole groups are recomputed."""


class _Rerank:
    """One targeted run's re-ranking (see above). :meth:`run` returns ``(rows to write, rows
    whose fingerprints move, the groups' new fingerprints by name)`` or raises
    :class:`_Unsure`."""

    def __init__(self, year: int, marked: list[int]):
        self.year, self.marked = year, marked
        self.rules_of: dict[int, FrameworkRules | None] = {}

    def run(self):
        data, jobs = self._read_marked()
        agencies = data.agencies
        old_groups = {data.stored[p].quota_group for p in self.marked} - {""}
        missing = {_group_of_text(text).agency_id for text in old_groups} - {None} - set(agencies)
        if missing:
            agencies.update(load_agency_chains(missing))
        self.grouper = QuotaGrouper(agencies=agencies, rules=self.rules)
        own, group_of = _own_digests(data, jobs, self.grouper)
        self.new_group = {p: group_text(key) for p, key in group_of.items()}
        members, stored_groups, recognised = self._members(
            set(self.new_group.values()) | old_groups
        )
        others = {m.person for rows in members.values() for m in rows} - set(self.marked)
        self._check_marks(others)
        # The members in the people's order (their rows were read in it); a marked person who
        # joins a group they had no row in needs everyone's order read.
        if self.position.keys() >= set(self.marked):
            ranked = list(self.position)
        else:
            ranked = list(
                CivilServant.objects.filter(pk__in=sorted(others | set(self.marked))).values_list(
                    "pk", flat=True
                )
            )
        order = {pk: i for i, pk in enumerate(ranked)}
        for _person, _posting, _rows, framework in jobs:
            self.rules_of[framework.revision_id] = framework.rules
        rated = _rate_people(data, jobs, scratch := YearReport(year=self.year))
        if scratch.errors:
            raise _Unsure  # the whole path reports them
        self.stored_own = {m.person: m.own for rows in members.values() for m in rows}
        self.own = {**self.stored_own, **own}
        names = sorted(members.keys() | set(self.new_group.values()))
        self.stored_groups = stored_groups  # of every group asked: ``names`` and more
        sources: dict[int, str] = {}
        quotas: dict[int, _Quota] = {}
        digests: dict[str, str] = {}
        for text in names:
            key = _group_of_text(text)
            outstanding = is_recognised(self.grouper.path(key), recognised)
            old = sorted(members.get(text, ()), key=lambda m: order.get(m.person, len(order)))
            joined = [p for p in self.marked if self.new_group.get(p) == text]
            digests[text], after = self._regroup(text, key, outstanding, old, joined, rated, order)
            for p in joined:
                sources[p] = annual_sources_hash(own[p], text)
                if after is not None and rated[p].result.scored:
                    quotas[p] = after
        for p in self.marked:
            sources.setdefault(p, annual_sources_hash(own[p], None))
        plan = _Plan(
            sources=sources, groups={}, outstanding={}, dirty=set(self.marked), own=own,
            group_of=self.new_group,
        )  # fmt: skip
        rows, refreshed = _changed_rows(rated, quotas, plan, data)
        self.people = len(others) + len(self.marked)
        return rows, refreshed, digests

    def _read_marked(self) -> tuple[YearData, list[tuple]]:
        year, marked = self.year, self.marked
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        by_person: dict[int, list[PostingRow]] = defaultdict(list)
        values_of: dict[int, list[tuple]] = defaultdict(list)
        postings, calendar_rows, self.rules = kept_rows_together(
            people_postings_read(marked, start, end),
            read(_calendar_rows, year=year),
            active_rules_read(),  # for the quota groups (:meth:`run`)
        )
        _read_postings(postings, by_person, values_of)
        agencies = load_agency_chains(
            {row.agency_id for rows in by_person.values() for row in rows}
        )
        governing = {p: pick_governing(rows, start, end) for p, rows in by_person.items()}
        data = _collect_for(
            year, marked, agencies, by_person, governing, _calendar_of(calendar_rows), values_of
        )
        jobs = _jobs(data)
        if len(jobs) != len(marked) or any(p not in data.stored for p in marked):
            raise _Unsure  # a person who leaves (or enters) the rated
        if any(not data.stored[p].own_digest for p in marked):
            raise _Unsure  # a row from before migration scoring 0025
        return data, jobs

    def _members(self, groups: set[str]) -> tuple[dict[str, list[_Member]], dict, tuple]:
        """``(the stored members of each of the quota groups ``groups`` (names), the groups'
        stored fingerprints, the agencies recognised for the year (tree paths))``, read
        together (``cms.statements``: one round trip on PostgreSQL)."""
        members: dict[str, list[_Member]] = defaultdict(list)
        #: person → their place in the people's order (``CivilServant``'s: name, official id)
        self.position: dict[int, int] = {}
        #: members marked stale (read here, checked by :meth:`_check_marks`)
        self.stale: set[int] = set()
        if not groups:
            return members, {}, recognised_paths(self.year)
        if len(groups) > ID_CHUNK:
            raise _Unsure  # the whole path reads them in chunks
        rows, stored_groups, recognised = kept_rows_together(
            read(_member_rows, year=self.year, groups=groups),
            read(_group_rows, year=self.year, names=groups),
            recognised_read(self.year),
        )
        for values in rows:
            if not values[3] or values[10]:
                raise _Unsure
            members[values[2]].append(_Member(*values[:9]))
            if values[9]:
                self.stale.add(values[0])
            self.position.setdefault(values[0], len(self.position))
        return members, dict(stored_groups), tuple(recognised)

    def _check_marks(self, others: set[int]) -> None:
        if len(others) > ID_CHUNK:
            raise _Unsure  # a group of the province's size: the whole path reads it once
        if not self.stale.isdisjoint(others):  # read with the members (:meth:`_members`)
            raise _Unsure  # another member's inputs changed too

    def _regroup(self, text, key, outstanding, old, joined, rated, order):
        """One group (``text``: its name, ``key``: its :class:`QuotaGroup`): checks its stored
        rows and fingerprint, re-ranks it; ``(the group's new fingerprint, its quota now)``."""
        old_digest = _group_digest(key, outstanding, [m.person for m in old], self.stored_own)
        if old and (
            self.stored_groups.get(text) != old_digest
            or any(m.sources != annual_sources_hash(m.own, text) for m in old)
        ):
            raise _Unsure  # the rows were not written together from these sources
        kept = [m for m in old if m.person not in self.marked]
        new = sorted([m.person for m in kept] + joined, key=lambda p: order.get(p, len(order)))
        digest = _group_digest(key, outstanding, new, self.own)
        figures = {m.person: (m.scored, m.score, m.rating, m.revision) for m in kept}
        for p in joined:
            result = rated[p].result
            revision = rated[p].framework.revision_id
            figures[p] = (result.scored, result.score, result.rating or "", revision)
        before = self._quota([m.person for m in old], {m.person: m[5:] for m in old}, outstanding)
        after = self._quota(new, figures, outstanding)
        if not _same_outcomes(before, after, [m for m in kept if m.scored]):
            raise _Unsure  # another member's rating moves
        return digest, after

    def _quota(self, people: list[int], figures: dict, outstanding: bool):
        """The group's quota over ``figures`` (person → scored, score, rating, revision) of
        the scored members, by the rules of the first (as :func:`_apply_quotas`)."""
        scored = [p for p in people if figures[p][0]]
        if not scored:
            return None
        revision = figures[scored[0]][3]
        if revision is None:
            raise _Unsure
        if revision not in self.rules_of:
            self.rules_of[revision] = revision_rules(revision)
        rules = self.rules_of[revision]
        if rules is None:
            raise _Unsure  # the revision is gone
        try:
            return _Quota(
                apply_quota(
                    [QuotaMember(str(p), figures[p][1], figures[p][2]) for p in scored],
                    rules,
                    outstanding=outstanding,
                )
            )
        except ScoringInputError as exc:
            raise _Unsure from exc


def _rerank(year: int, marked: list[int], report: YearReport):
    """:class:`_Rerank`, or ``None`` when the groups must be recomputed whole."""
    rerank = _Rerank(year, marked)
    try:
        found = rerank.run()
    except _Unsure:
        return None
    report.people = rerank.people
    report.recomputed, report.recomputed_people = len(marked), set(marked)
    return found


def _quota_outcome(view, person: int, rating):
    """What a person's row takes from their group's quota (``view``, :class:`_Quota`, or
    ``None`` outside it): ``(final rating, tie at the cut, the group's figures)``, which
    ``inputs_hash`` covers."""
    if view is None:
        return rating, False, None
    return (
        view.result.final_ratings.get(str(person), rating),
        str(person) in view.tied,
        view.figures[:4],
    )


def _same_outcomes(before, after, members: list[_Member]) -> bool:
    """Whether each of the scored ``members`` takes the same from the group's quota
    ``before`` and ``after`` (:class:`_Quota` or ``None``) — everything a member's stored row
    takes from it: :func:`_quota_outcome` and the summary and steps its explanation shows
    (:func:`_row`). The group's figures are compared once (every member's summary shows them),
    then each member's own part. An unscored member is outside the quota's ranking."""
    if not members:
        return True
    if before is None or after is None:
        return before is after
    if before.figures != after.figures:
        return False
    return all(
        before.own_part(m.person, m.rating) == after.own_part(m.person, m.rating) for m in members
    )


def _row(entry: PersonYear, quota, final, needs_decision, digest, sources, year, now) -> dict:
    """``quota``: the person's quota group (:class:`_Quota`), or ``None``."""
    person, posting, result = entry.person, entry.posting, entry.result
    steps = list(result.explanation[len(entry.lines) :])
    if quota is not None:
        steps += quota.steps(person, result.rating)
    summary = quota.summary(person) if quota is not None else None
    explanation = JSONText(entry.explanation_json(steps, summary))
    return {
        **ROW_DEFAULTS,
        "civil_servant_id": person,
        "year": year,
        "agency_id": posting.agency_id,
        "role": posting.role,
        "position_group": posting.position_group or "",
        "scored": result.scored,
        "score": result.score,
        "score_rating": result.score_rating or "",
        "rating_before_quota": result.rating or "",
        "rating": final or "",
        "quota_needs_decision": needs_decision,
        "disqualifiers_applied": list(result.disqualifiers_applied),
        "periods_counted": result.periods_counted,
        "periods_skipped": result.periods_skipped,
        "months_worked": result.months_worked,
        # In the order of ``inputs["periods"]`` (the explain page joins them).
        "period_score_ids": entry.period_score_ids,
        "framework_id": entry.framework.framework_id,
        "framework_revision_id": entry.framework.revision_id,
        "engine_version": ENGINE_VERSION,
        "inputs_hash": digest,
        "sources_hash": sources,
        "computed_at": now,
        "explanation": explanation,
    }


# The refresh of stale annual scores (``freshness.refresh_derived``, ``fresh_annual``) runs this
# scorer: registered here, as freshness sits below (the scorer takes and clears its marks).
freshness.register_annual_scorer(score_year)
