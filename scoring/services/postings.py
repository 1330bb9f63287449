"""Which posting governs a person's evaluation in a period.

By default (``TransferRule.END_OF_PERIOD``) the primary (non-concurrent) posting active on the
period's last day; failing that (the person left during the period) the latest-starting posting
that overlaps the period, primary first — ``CivilServant.primary_posting_on`` for the last day.
For a month or quarter in which the posting changes, the law is silent (Decree 335 Art. 21
names only the annual rating's agency; legal review U-C), so the province chooses in Settings
(``ScoringSettings.transfer_rule``): the posting of the first day, or the one held for more
days of the period. Every door asks this module — the scorer (one person and the batch), the
org snapshot (who heads a unit, whose criterion d counts whom), Form 01 and the worklog's
evaluator day (:func:`authority_day`), the API and the imports — so they cannot disagree.
A year (the annual rating) is always governed by its last day (Art. 21).

Concurrent posts (legal review M11, the draft decree [unknown]): under the framework option
``individual.concurrent_posts`` = ``highest_post`` a concurrent posting held on the rule's day
that ranks above the primary one (:func:`post_level`: a leadership post in an agency higher in
the tree, then head above deputy above staff — ``scoring.engine.evaluated_post``) governs
instead. The option is read from the framework in force for the agency of the posting the
transfer rule chose (the primary one), and only when a concurrent posting outranks it — so the
default ``primary_posting`` and people without concurrent posts cost nothing.

The framework of a person in a period (:func:`framework_for_person`) is the one in force for
the governing posting's agency and category, so it is asked here.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from cms.statements import Read, kept_rows, read
from org.authority import period_day, resolve_authority
from org.models import Agency, Posting
from scoring.engine import Post, evaluated_post
from scoring.models import ScoringSettings
from scoring.services.frameworks import FrameworkResolver, ResolvedFramework, framework_for_agency

FAR_FUTURE = datetime.date.max


@dataclass(frozen=True)
class PostingRow:
    id: int
    person_id: int
    agency_id: int
    role: str
    is_concurrent: bool
    start_date: datetime.date
    end_date: datetime.date | None
    position_group: str
    #: ``org.PersonCategory`` of the posting (rules: ``org.categories``)
    category: str = "civil_servant"
    #: the tree path of the posting's agency (``Agency.path``): its depth ranks the post (M11)
    agency_path: str = ""

    def active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day <= (self.end_date or FAR_FUTURE)

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        """Held on some day from ``start`` to ``end``."""
        return self.start_date <= end and (self.end_date or end) >= start


POSTING_FIELDS = (
    "id",
    "civil_servant_id",
    "agency_id",
    "role",
    "is_concurrent",
    "start_date",
    "end_date",
    "job_position__group",
    "category",
    "agency__path",
)


def overlapping(start: datetime.date, end: datetime.date) -> Q:
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def posting_rows(queryset) -> list[PostingRow]:
    return [PostingRow(*values) for values in queryset.values_list(*POSTING_FIELDS)]


def person_posting_rows(
    person_id: int, start: datetime.date, end: datetime.date
) -> list[PostingRow]:
    """One person's postings overlapping ``start``–``end``: :func:`posting_rows` of them, by a
    statement compiled once per process (``cms.statements``; one person's chain reads it for the
    period, the year and the leaders counting them)."""
    return [
        PostingRow(*values)
        for values in kept_rows(_person_postings, person=person_id, start=start, end=end)
    ]


def people_posting_rows(people, start: datetime.date, end: datetime.date) -> list[PostingRow]:
    """:func:`person_posting_rows` for several people (ids): by a statement compiled once per
    number of people (``cms.statements.kept_rows``: padded above a few)."""
    return [PostingRow(*values) for values in people_posting_values(people, start, end)]


def people_posting_values(people, start: datetime.date, end: datetime.date) -> list[tuple]:
    """The values of :func:`people_posting_rows` as read (tuples of :data:`POSTING_FIELDS`)."""
    return kept_rows(_people_postings, people=people, start=start, end=end)


def people_postings_read(people, start: datetime.date, end: datetime.date) -> Read:
    """:func:`people_posting_values` as a read to send with others (``cms.statements``)."""
    return read(_people_postings, people=people, start=start, end=end)


def _people_postings(people, start, end):
    return Posting.objects.filter(overlapping(start, end), civil_servant_id__in=people).values_list(
        *POSTING_FIELDS
    )


def _person_postings(person, start, end):
    return Posting.objects.filter(overlapping(start, end), civil_servant_id=person).values_list(
        *POSTING_FIELDS
    )


END_OF_PERIOD = "end_of_period"
START_OF_PERIOD = "start_of_period"
MOST_DAYS = "most_days"


def transfer_rule() -> str:
    """The province's ``ScoringSettings.transfer_rule`` (one query; batch callers read it once
    per period through :func:`period_rule`)."""

    rows = kept_rows(_transfer_rules)
    return (rows[0] if rows else None) or END_OF_PERIOD


def _transfer_rules():
    """``.first()``'s statement for the setting (by the model's order, else the primary key)."""
    rows = ScoringSettings.objects.values_list("transfer_rule", flat=True)
    return (rows if rows.ordered else rows.order_by("pk"))[:1]


def period_rule(period) -> str:
    """The rule for ``period`` (the province's; one query — a batch reads it once and passes
    it on). Read afresh each time: a Period instance may outlive a change of the setting."""
    return transfer_rule()


def _days_in(row: PostingRow, start: datetime.date, end: datetime.date) -> int:
    return (min(row.end_date or end, end) - max(row.start_date, start)).days + 1


PRIMARY_POSTING = "primary_posting"
HIGHEST_POST = "highest_post"
_ROLE_RANK = {"staff": 0, "deputy": 1, "head": 2}
_DEEPEST = 32


def post_level(row: PostingRow) -> int:
    """The rank of a post among leadership posts (M11; ``scoring.engine.Post.level``): 0 for
    staff; a head or deputy ranks by how high their agency is in the tree, a head above the
    deputy of the same agency (deputy director > head of a division of that department)."""
    if row.role not in ("head", "deputy"):
        return 0
    depth = len([part for part in row.agency_path.strip("/").split("/") if part])
    return 2 * (_DEEPEST - depth) + (1 if row.role == "head" else 0)


def _period_kind(start: datetime.date, end: datetime.date) -> str:
    days = (end - start).days + 1
    if days <= 31:
        return "month"
    if days <= 92:
        return "quarter"
    return "half_year" if days <= 184 else "year"


class SharedResolver:
    """One ``FrameworkResolver`` for a batch of people (:func:`governing_rows`), made when a
    first person needs it: each concurrent post above a primary one asks the framework in
    force, and a resolver made for each read the frameworks' assignments again (two queries a
    person)."""

    def __init__(self):
        self._made: FrameworkResolver | None = None

    def get(self) -> FrameworkResolver:
        if self._made is None:
            self._made = FrameworkResolver()
        return self._made


def concurrent_posts_rules(
    row: PostingRow,
    start: datetime.date,
    end: datetime.date,
    shared: SharedResolver | None = None,
):
    """The rules of the framework in force for ``row``'s agency and category on ``start``
    (``None`` when none is): their ``individual.concurrent_posts`` decides."""
    resolver = shared.get() if shared is not None else FrameworkResolver()
    # A year or half-year has no framework of its own kind: the monthly (then quarterly) one in
    # force, as for the organisation's rules, so the annual rating agrees with its periods.
    for kind in dict.fromkeys((_period_kind(start, end), "month", "quarter")):
        resolved = resolver.resolve(row.agency_path, kind, start, row.category)
        if resolved is not None:
            return resolved.rules
    return None


def _highest_post(rows, chosen: PostingRow, day, start, end, shared=None) -> PostingRow:
    """M11: a concurrent posting held on ``day`` that outranks ``chosen`` governs when the
    framework of ``chosen``'s agency says ``highest_post`` (``scoring.engine.evaluated_post``
    picks among them: highest level, then head > deputy > staff, then the primary)."""
    rank = (post_level(chosen), _ROLE_RANK.get(chosen.role, 0))
    held = [r for r in rows if r.is_concurrent and r.id != chosen.id and r.active_on(day)]
    if not any((post_level(r), _ROLE_RANK.get(r.role, 0)) > rank for r in held):
        return chosen
    rules = concurrent_posts_rules(chosen, start, end, shared)
    if rules is None or rules.individual.concurrent_posts.value != HIGHEST_POST:
        return chosen

    pool = [chosen, *sorted(held, key=lambda r: (-r.start_date.toordinal(), -r.id))]
    by_ref = {str(r.id): r for r in pool}
    post, _step = evaluated_post(
        [Post(ref=str(r.id), role=r.role, level=post_level(r), primary=r is chosen) for r in pool],
        rules,
    )
    return by_ref[post.ref]


def pick_governing(
    rows,
    start: datetime.date,
    end: datetime.date,
    rule: str = END_OF_PERIOD,
    shared: SharedResolver | None = None,
) -> PostingRow | None:
    """The governing posting among one person's postings (see module docstring); ``rule``
    only for a month or quarter (a year is always governed by its last day). A concurrent
    post above it governs under the framework's ``individual.concurrent_posts`` =
    ``highest_post`` (M11)."""
    chosen = _pick_primary(rows, start, end, rule)
    if chosen is None or len(rows) < 2:
        return chosen
    day = start if rule == START_OF_PERIOD else end
    if not chosen.active_on(day):
        return chosen
    return _highest_post(rows, chosen, day, start, end, shared)


def _pick_primary(
    rows, start: datetime.date, end: datetime.date, rule: str = END_OF_PERIOD
) -> PostingRow | None:
    if len(rows) == 1:
        # Most people hold one posting: whatever the rule, it governs if it overlaps the period
        # (held on the first or last day, or for some days of it), else nobody does.
        row = rows[0]
        return row if row.overlaps(start, end) else None
    overlapping_rows = [r for r in rows if r.overlaps(start, end)]
    if rule == START_OF_PERIOD:
        on_first_day = [r for r in overlapping_rows if r.active_on(start)]
        if on_first_day:
            return sorted(
                on_first_day, key=lambda r: (r.is_concurrent, -r.start_date.toordinal(), -r.id)
            )[0]
        # Arrived during the period: the first posting held in it.
        pool = overlapping_rows
        return min(pool, key=lambda r: (r.is_concurrent, r.start_date, r.id)) if pool else None
    if rule == MOST_DAYS:
        primary = [r for r in overlapping_rows if not r.is_concurrent] or overlapping_rows
        if not primary:
            return None
        return max(primary, key=lambda r: (_days_in(r, start, end), r.start_date, r.id))
    on_last_day = [r for r in rows if r.active_on(end)]
    pool = on_last_day or overlapping_rows
    if not pool:
        return None
    return sorted(pool, key=lambda r: (r.is_concurrent, -r.start_date.toordinal(), -r.id))[0]


def pick_period_governing(rows, period, rule: str | None = None) -> PostingRow | None:
    """:func:`pick_governing` for a month or quarter, under the province's rule (``rule``
    when the caller has read it already)."""
    return pick_governing(rows, period.start_date, period.end_date, rule or period_rule(period))


def unit_heads(head_rows, period, rule: str | None = None) -> list[PostingRow]:
    """The head postings that head their unit in ``period`` under the province's rule (the
    one in post on the last day, on the first day, or for more days of it): who evaluates the
    unit's people and whose criterion d counts them, as :func:`pick_governing` decides for the
    heads' own scores."""
    rule = rule or period_rule(period)
    start, end = period.start_date, period.end_date
    if rule == MOST_DAYS:
        best: dict[int, PostingRow] = {}
        for row in head_rows:
            if row.start_date > end or (row.end_date or end) < start:
                continue
            held = best.get(row.agency_id)
            key = (not row.is_concurrent, _days_in(row, start, end), row.start_date, row.id)
            if held is None or key > (
                not held.is_concurrent,
                _days_in(held, start, end),
                held.start_date,
                held.id,
            ):
                best[row.agency_id] = row
        return list(best.values())
    day = start if rule == START_OF_PERIOD else end
    return [row for row in head_rows if row.active_on(day)]


def rule_day(period, rule: str | None = None) -> datetime.date:
    """The day whose deputy charges apply in ``period``: its first under the first-day rule,
    else its last."""
    rule = rule or period_rule(period)
    return period.start_date if rule == START_OF_PERIOD else period.end_date


def authority_day(person_id: int, period, today: datetime.date | None = None) -> datetime.date:
    """The day whose authority decides ``person_id``'s inputs of ``period`` (Form 01, the
    worklog's marks): today moved into the period, then into the span of the posting that
    governs the period — so the evaluator is the head of the unit the period is scored for."""
    return _within(governing_row_in(person_id, period), period, period_day(period, today))


def _within(row: PostingRow | None, period, day: datetime.date) -> datetime.date:
    """``day`` moved into the span of ``row`` within ``period`` (unchanged without a row)."""
    if row is None:
        return day
    first = max(row.start_date, period.start_date)
    last = min(row.end_date or period.end_date, period.end_date)
    return min(max(day, first), last)


def period_authority(person, period, today: datetime.date | None = None):
    """Who evaluates, rates and gives an opinion on ``person``'s inputs of ``period`` (Form 01,
    the worklog's marks, the write rights): ``org.authority.resolve_authority`` on
    :func:`authority_day`, from the posting that governs the period — the one the batch scores
    and names the evaluator from (``OrgSnapshot.evaluator``), so that under ``highest_post`` a
    concurrent head post is evaluated by the director on every door (arch review 2026-11-25
    F3). Raises ``org.authority.AuthorityError`` as ``resolve_authority`` does."""
    row = governing_row_in(person.pk, period)
    day = _within(row, period, period_day(period, today))
    if row is None:
        return resolve_authority(person, day)
    posting = Posting.objects.select_related("agency").get(pk=row.id)
    return resolve_authority(person, day, posting=posting)


def year_rows_held(days: dict[int, datetime.date], year: int) -> dict[int, PostingRow]:
    """The posting a rating case of ``year`` is resolved from, for each person of ``days``
    (person id → the case's day): the one governing the year (its last day, Art. 21; a
    concurrent head post under ``highest_post``), kept only where it is held on the person's
    day — elsewhere the posting held that day decides (``resolve_authority``). The one rule of
    :func:`year_authority`, the waiting lists' actors (``ratings.actors.year_postings``) and
    their candidates (``ratings.case_reads.waiting``)."""
    rows = governing_rows(list(days), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return {
        person: row
        for person, row in rows.items()
        if row is not None and row.active_on(days[person])
    }


def year_authority(person, year: int, day: datetime.date):
    """``resolve_authority`` for ``person``'s rating case of ``year`` on ``day`` (``year_day``),
    from the posting that governs the year (:func:`year_rows_held`), as the annual score is
    computed from."""
    row = year_rows_held({person.pk: day}, year).get(person.pk)
    if row is None:
        return resolve_authority(person, day)
    posting = Posting.objects.select_related("agency").get(pk=row.id)
    return resolve_authority(person, day, posting=posting)


def changing_within(period) -> Q:
    """Postings that start or end strictly inside ``period``: the people for whom the
    transfer rule can matter (its first or last day alone does not change who governs)."""
    return Q(start_date__gt=period.start_date, start_date__lte=period.end_date) | Q(
        end_date__gte=period.start_date, end_date__lt=period.end_date
    )


def governing_row(person_id: int, start, end, rule: str = END_OF_PERIOD) -> PostingRow | None:
    return governing_rows([person_id], start, end, rule)[int(person_id)]


def governing_rows(people, start, end, rule: str = END_OF_PERIOD) -> dict[int, PostingRow | None]:
    """Each person's governing posting between ``start`` and ``end`` (:func:`pick_governing`):
    their postings read at once, in chunks of :data:`_PEOPLE_A_READ`."""
    people = sorted({int(person) for person in people})
    rows: dict[int, list[PostingRow]] = {person: [] for person in people}
    for first in range(0, len(people), _PEOPLE_A_READ):
        chunk = people[first : first + _PEOPLE_A_READ]
        for row in posting_rows(
            Posting.objects.filter(overlapping(start, end), civil_servant_id__in=chunk)
        ):
            rows[row.person_id].append(row)
    shared = SharedResolver()
    return {
        person: pick_governing(found, start, end, rule, shared) for person, found in rows.items()
    }


def governing_row_in(person_id: int, period) -> PostingRow | None:
    """The posting governing ``period`` for one person, under the province's rule."""
    return governing_row(person_id, period.start_date, period.end_date, period_rule(period))


def governing_rows_in(people, period) -> dict[int, PostingRow | None]:
    """:func:`governing_row_in` for many people at once (a bulk write's rescoring runs)."""
    return governing_rows(people, period.start_date, period.end_date, period_rule(period))


#: People whose postings one statement reads (well under SQLite's bound parameters).
_PEOPLE_A_READ = 2_000


def name_transfer_steps(steps: dict[int, dict]) -> dict[int, dict]:
    """The steps of :func:`transfer_step` with the agencies' names (one query), as stored in
    the explanation: what the period was computed from, readable after a renaming."""

    ids = {agency for step in steps.values() for agency in step["agencies"]}
    if not ids:
        return {}
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {
        person: {
            **step,
            "names": [names.get(agency, "") for agency in step["agencies"]],
            "governs_name": names.get(step["governs"], ""),
        }
        for person, step in steps.items()
    }


def transfer_step(rows, period, rule: str | None = None) -> dict | None:
    """The explanation line of a period in which the person's agency changed: the date, the
    agencies, which one the period is scored for and by which rule (shown so the effect of the
    province's choice is visible where it changes a result)."""
    start, end = period.start_date, period.end_date
    held = sorted(
        (r for r in rows if not r.is_concurrent and r.overlaps(start, end)),
        key=lambda r: (r.start_date, r.id),
    )
    agencies: list[tuple[int, datetime.date]] = []
    for row in held:
        if not agencies or agencies[-1][0] != row.agency_id:
            agencies.append((row.agency_id, row.start_date))
    if len(agencies) < 2:
        return None
    rule = rule or period_rule(period)
    governing = pick_period_governing(rows, period, rule)
    return {
        "code": "period_transfer",
        "on": agencies[-1][1].isoformat(),
        "agencies": [agency for agency, _start in agencies],
        "governs": governing.agency_id if governing else None,
        "rule": rule,
    }


def governing_posting_of(civil_servant, period):
    """The governing ``Posting`` instance (with agency and job position) or ``None``."""
    row = governing_row_in(civil_servant.pk, period)
    if row is None:
        return None
    return Posting.objects.select_related("agency", "job_position").get(pk=row.id)


def framework_for_person(civil_servant, period) -> ResolvedFramework | None:
    """The framework of ``civil_servant`` in ``period``: the one in force for the agency and
    category of the posting that governs the period."""
    posting = governing_posting_of(civil_servant, period)
    if posting is None:
        return None
    return framework_for_agency(posting.agency, period, posting.category)
