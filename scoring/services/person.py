"""Scoring one person for one period, fast (a dozen small queries), with an optional cascade.

When the person's rating — or their own lines — change, the leaders whose criterion d counts
them (the heads of their agency and of every agency above it, and the deputies whose charge
covers them) are rescored too, and so on upwards (``cascade``;
``org_snapshot.leaders_counting``): the same people's lines join those leaders' a, b, c
(Decree 335 Art. 15, ``task_method.leader_lines``).
"""

from typing import Any, NamedTuple

from django.utils import timezone

from cms.statements import kept_rows
from org.models import Agency, CivilServant, LeadershipRole, Posting, within_q
from scoring.models import Period, PeriodScore
from scoring.models.guards import governing_agency
from scoring.services.frameworks import FrameworkResolver
from scoring.services.loading import (
    load_general_marks,
    load_items,
    load_leader_marks,
    load_lines,
    read_ahead,
)
from scoring.services.org_snapshot import OrgSnapshot, leaders_counting, load_charges
from scoring.services.period_batch import score_period
from scoring.services.postings import (
    name_transfer_steps,
    overlapping,
    person_posting_rows,
    pick_period_governing,
    rule_day,
    transfer_step,
)
from scoring.services.scope import CategoryScope
from scoring.services.scorer import PeriodData, build_row, outcome_of, prepare
from scoring.services.store import upsert_period_scores

#: From this many people in a leader's charge their inputs are read by the tree they lead (the
#: people posted in it during the period, a subquery) rather than by a list of their ids: a
#: list of the chairman's 100,000 ids cost seconds to build, send and parse in each of the
#: five reads (the charge's lines, exemptions, items, stored ratings) — when the charge is at
#: least half the people read with it. The tree may hold more people than the charge (another
#: category, a deputy's part of a unit); their rows are read and left unused.
CHARGE_BY_TREE_FROM = 1_000


class _Charge(NamedTuple):
    ratings: dict[int, str | None]
    #: The people whose rows to read for the person and their charge: their ids, or the
    #: subquery of the people posted in the trees the charge was found in.
    readers: Any


def _subordinate_ratings(person_id: int, posting, period) -> _Charge | None:
    if posting.role == LeadershipRole.STAFF:
        return None
    # Every unit the person heads during the period: the snapshot decides which of them they
    # head for the period (``postings.unit_heads``, the province's rule).
    window = overlapping(period.start_date, period.end_date)
    headed = Posting.objects.filter(window, civil_servant_id=person_id, role=LeadershipRole.HEAD)
    paths = list(
        Agency.objects.filter(pk__in=headed.values("agency_id")).values_list("path", flat=True)
    )
    paths.append(Agency.objects.values_list("path", flat=True).get(pk=posting.agency_id))
    if posting.role == LeadershipRole.DEPUTY:
        paths += _charge_paths(person_id, period, window)
    snapshot = OrgSnapshot.load(period, paths)
    subs = snapshot.subordinates(person_id)
    readers: Any = [person_id, *subs]
    if len(subs) >= CHARGE_BY_TREE_FROM and 2 * len(subs) >= len(snapshot.governing):
        # The snapshot's people (``OrgSnapshot.load``): everyone in the charge, the person too
        # (a deputy at the root in charge of a few departments reads them by id: not the
        # province). Each read runs the subquery again: a posting committed meanwhile queues
        # the leaders' own rescoring.
        readers = Posting.objects.filter(window, within_q(paths, "agency")).values(
            "civil_servant_id"
        )
    stored = PeriodScore.objects.filter(period=period, civil_servant_id__in=readers)
    ratings = dict(stored.values_list("civil_servant_id", "rating").order_by())
    return _Charge({p: ratings.get(p) or None for p in subs}, readers)


def _charge_paths(person_id: int, period, window) -> list[str]:
    """The trees a deputy's charge (``org.DeputyCharge``) reaches beyond their own agency: its
    units — which may lie under a concurrent deputy posting elsewhere — and the agencies where
    the people it names are posted (anywhere, ``org.charges``). Read with the snapshot so that
    one person's scoring counts the charge the province's batch counts."""
    charge = load_charges(rule_day(period), deputies=[person_id]).get(person_id)
    if charge is None:
        return []
    units, named = charge
    posted = Posting.objects.filter(window, civil_servant_id__in=named)
    return [*units, *posted.values_list("agency__path", flat=True)]


def _own_lines(score) -> list:
    return (score.explanation or {}).get("lines") or []


def _agency_path(pk):
    return Agency.objects.filter(pk=pk).values_list("path", flat=True)


def prepare_person(person, period):
    """``(data, prepared)`` for one person from the current inputs (nothing is written);
    ``None`` when the person has no posting in the period."""
    rows = person_posting_rows(person.pk, period.start_date, period.end_date)
    posting = pick_period_governing(rows, period)
    if posting is None or not CategoryScope().evaluated(posting):
        return None
    people = [person.pk]
    (agency_path,) = kept_rows(_agency_path, pk=posting.agency_id)
    charge = _subordinate_ratings(person.pk, posting, period)
    subordinates = charge.ratings if charge is not None else None
    # A leader's a, b, c may count the lines of the people in their charge (Art. 15,
    # ``task_method.leader_lines``): their lines are loaded too, in the same two queries.
    with_charge = charge.readers if charge is not None else people
    ahead = read_ahead(period, with_charge, people)  # one round trip for the four
    lines = load_lines(period, with_charge, ahead)
    data = PeriodData(
        period=period,
        resolver=FrameworkResolver(),
        agency_paths={posting.agency_id: agency_path},
        lines=lines,
        items=load_items(period, with_charge, lines),
        marks=load_general_marks(period, people, ahead),
        leader_marks=load_leader_marks(period, people, ahead),
        stored={},  # not read by ``prepare``: ``score_person`` has read the stored row
        transfers=name_transfer_steps(
            {person.pk: step} if (step := transfer_step(rows, period)) else {}
        ),
    )
    return data, prepare(data, person.pk, posting, subordinates)


def _scores(cascade, person, period):
    rows = PeriodScore.objects.filter(civil_servant_id=person, period_id=period)
    return rows if cascade else rows.defer("explanation")


def _first_score(cascade, person, period):
    """``.first()``'s statement (by the model's order, else the primary key)."""
    rows = _scores(cascade, person, period)
    return (rows if rows.ordered else rows.order_by("pk"))[:1]


def _got_score(cascade, person, period):
    """``.get()``'s statement (no order, at most 21 rows)."""
    return _scores(cascade, person, period).order_by()[:21]


def score_person(person, period, *, force: bool = False, cascade: bool = True, leaders_later=None):
    """Score ``person`` in ``period`` and store it; returns the ``PeriodScore`` (or ``None``
    when the person has no posting in the period). Unchanged inputs write nothing; a closed or
    locked period is left alone unless ``force``. ``leaders_later`` (a callable taking the
    person's id and their tree's root id; ``rescoring.LeadersLater``): in a large tree the
    cascade's leaders are handed to it instead of being scored here (:func:`_cascade`)."""
    # The stored explanation (a leader's holds the whole charge) is read only to compare the
    # person's own lines for the cascade, and before the new row replaces it. Both reads by
    # statements compiled once per process (``cms.statements``).
    key = {"person": person.pk, "period": period.pk}
    stored = next(iter(kept_rows(_first_score, cascade, **key)), None)
    if period.is_final and not force:
        return stored
    if period.closed_blocs and not force and period.closed_for(governing_agency(person.pk, period)):
        return stored  # closed by the lead body of the person's bloc: final, as above
    loaded = prepare_person(person, period)
    if loaded is None:
        return stored
    data, prepared = loaded
    if stored is not None and stored.inputs_hash == prepared.inputs_hash:
        return stored
    outcome = outcome_of(prepared, data.items)
    if stored is None and not outcome.scored and period.start_date > timezone.localdate():
        return None  # a period not begun gets no empty row (issue 28, UX review C11)
    row = build_row(period, prepared, outcome, data.items, timezone.now())
    upsert_period_scores([row], years={period.pk: period.year})
    found = kept_rows(_got_score, cascade, **key)
    score = found[0] if len(found) == 1 else _scores(cascade, **key).get()  # get()'s errors
    changed = stored is None or (stored.rating, stored.scored) != (score.rating, score.scored)
    # The leaders above may also count this person's lines in their a, b, c (Art. 15,
    # ``task_method.leader_lines``): a change of the person's own lines rescores them too
    # (a leader whose inputs did not change is left alone by its hash).
    if cascade and (changed or _own_lines(stored) != _own_lines(score)):
        _cascade(person.pk, score, period, force, leaders_later)
    return score


#: From this many postings in the person's tree (its root agency's subtree) the cascade scores
#: the leaders above from one reading of the province instead of one by one.
CASCADE_BATCH_FROM = 2_000


def _cascade(person_id: int, score, period, force: bool, leaders_later=None) -> None:
    """Rescore the leaders counting ``person_id`` (and those counting them, upwards).

    In a small tree, one by one, each with its own cascade (a leader whose figure did not move
    stops it). In a large one the heads' charges are large — the chairman's is the province, and
    each of them read it again (about 20 s for one Form 01 saved at 100,000 people) — so every
    leader above, found first, is scored from one reading of the province
    (``score_period(…, only=…)``: bottom-up, unchanged inputs written nothing; the province's,
    not the tree's, so that a charge reaching into another tree is counted whole) — or, with
    ``leaders_later``, handed to it (a page that should not wait for the province)."""
    leaders = leaders_counting(period, person_id)
    if not leaders:
        return
    window = overlapping(period.start_date, period.end_date)
    root = Period.bloc_key(Agency.objects.values_list("path", flat=True).get(pk=score.agency_id))
    posted = Posting.objects.filter(window, agency__path__startswith=f"/{root}/")
    if not posted[CASCADE_BATCH_FROM - 1 :].exists():  # fewer postings than that
        for leader in CivilServant.objects.filter(pk__in=leaders):
            score_person(leader, period, force=force, cascade=True)
        return
    if leaders_later is not None:
        leaders_later(person_id, int(root) if root else None)
        return
    found, frontier = set(leaders), list(leaders)
    while frontier:
        above = set().union(*(leaders_counting(period, leader) for leader in frontier))
        frontier = sorted(above - found - {person_id})
        found.update(frontier)
    score_period(period, None, force=force, only=sorted(found))
