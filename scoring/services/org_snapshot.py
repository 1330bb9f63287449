"""The org tree, postings and authority rules of one period, in memory.

Batch scoring needs, for thousands of people, the governing posting and the evaluator (whose
criterion d depends on whom). ``org.authority`` answers that one person at a time with several
queries each; this snapshot answers it from a few bulk queries, using the same rule selection
(``org.authority.select_rule``) and the same head lookup order (primary before concurrent, the
latest start first, never the subject themself). ``tests/scoring`` checks it against
``org.authority.people_evaluated_by``.

Subordinates, for criterion d (Decree 335 Art. 15 cl. 3 d: "every civil servant under the
leader's management"):
* a head: everyone whose governing posting on the period lies in the subtree of an agency or unit
  the person heads on the period's last day (a director counts the unit staff, not only the
  people they evaluate directly);
* a deputy with a charge in force on the period's last day (``org.DeputyCharge``): everyone
  posted in the units in their charge (subtrees included) and the people named in it;
* a deputy without one: the staff whose evaluator is the head of the deputy's own agency or
  unit.
The leader themself never counts. ``leaders_counting`` answers the reverse question for one
person (whose d changes when this person's rating changes), with the same rules.
"""

from collections import defaultdict

from django.db.models import Q
from django.db.models.base import ModelState

from cms.statements import kept_rows
from org.authority import active_rules, rule_target, select_rule
from org.categories import rules_for
from org.models import Agency, DeputyCharge, LeadershipRole, Posting, within_q
from scoring.services.postings import (
    PostingRow,
    name_transfer_steps,
    overlapping,
    period_rule,
    person_posting_rows,
    pick_period_governing,
    posting_rows,
    rule_day,
    transfer_step,
    unit_heads,
)

ROLE_RANK: dict[str, int] = {
    LeadershipRole.STAFF: 0,
    LeadershipRole.DEPUTY: 1,
    LeadershipRole.HEAD: 2,
}


#: The columns :func:`load_agencies` reads; the others are read from the database if asked.
AGENCY_TREE_FIELDS = ("id", "parent_id", "kind", "path", "depth")


def load_agencies() -> dict[int, Agency]:
    """Every agency by id with its place in the tree (:data:`AGENCY_TREE_FIELDS`) and its
    parent (``agency.parent``, no query): ``Agency`` instances made as the ORM makes those of
    ``.only(*AGENCY_TREE_FIELDS)`` — a province's thousand units and more are read on every
    targeted annual run, and the model's ``__init__`` cost more than the query."""
    return _tree(Agency.objects.only(*AGENCY_TREE_FIELDS))


def load_agency_chains(ids) -> dict[int, Agency]:
    """:func:`load_agencies` for ``ids`` and every agency above them only (what walking up
    from them reads: a quota group's agency, an owning agency, a framework's assignment); a
    path holds the ids of the agencies above (``/1/2/9/``)."""
    above: set[int] = set()
    # Both statements compiled once per number of agencies (``cms.statements``).
    for path in kept_rows(_agency_paths, ids=set(ids)):
        above.update(int(part) for part in path.strip("/").split("/") if part)
    return _tree_of(kept_rows(_tree_rows, ids=above), Agency.objects.db)


def _agency_paths(ids):
    return Agency.objects.filter(pk__in=ids).values_list("path", flat=True)


def _tree_rows(ids):
    return Agency.objects.filter(pk__in=ids).values_list(*AGENCY_TREE_FIELDS)


def _tree(queryset) -> dict[int, Agency]:
    return _tree_of(queryset.values_list(*AGENCY_TREE_FIELDS), queryset.db)


def _tree_of(rows, db) -> dict[int, Agency]:
    """Agencies (with their parents linked) from rows of :data:`AGENCY_TREE_FIELDS`."""
    new = Agency.__new__
    agencies = {}
    for values in rows:
        agency = new(Agency)
        agency.__dict__.update(zip(AGENCY_TREE_FIELDS, values, strict=True))
        state = agency._state = ModelState()
        state.adding, state.db = False, db
        agencies[values[0]] = agency
    for agency in agencies.values():
        parent = agencies.get(agency.parent_id)
        if parent is not None:
            agency._state.fields_cache["parent"] = parent
    return agencies


def load_charges(day, deputies=None) -> dict[int, tuple[tuple[str, ...], frozenset[int]]]:
    """The deputy charges in force on ``day`` (of ``deputies`` only, when given): deputy →
    (unit paths, person ids); a deputy with several charges in force gets their union."""
    charges = DeputyCharge.objects.in_force_on(day)
    if deputies is not None:
        charges = charges.filter(deputy_id__in=deputies)
    units = DeputyCharge.units.through.objects.filter(deputycharge__in=charges).values_list(
        "deputycharge__deputy_id", "agency__path"
    )
    people = DeputyCharge.people.through.objects.filter(deputycharge__in=charges).values_list(
        "deputycharge__deputy_id", "civilservant_id"
    )
    paths: dict[int, set[str]] = defaultdict(set)
    named: dict[int, set[int]] = defaultdict(set)
    for deputy_id, path in units:
        paths[deputy_id].add(path)
    for deputy_id, person_id in people:
        named[deputy_id].add(person_id)
    return {
        deputy_id: (tuple(sorted(paths[deputy_id])), frozenset(named[deputy_id]))
        for deputy_id in set(paths) | set(named)
    }


class OrgSnapshot:
    def __init__(
        self, period, agencies, rules, postings: list[PostingRow], heads, charges=None, rule=None
    ):
        self.period = period
        #: deputy person id → (tree paths of the units in charge, person ids in charge)
        self.charges: dict[int, tuple[tuple[str, ...], frozenset[int]]] = charges or {}
        #: the province's transfer rule, read once for the snapshot (``postings``)
        self.rule = rule or period_rule(period)
        self.day = rule_day(period, self.rule)
        self.agencies = agencies
        self.rules = rules
        by_person = defaultdict(list)
        for row in postings:
            by_person[row.person_id].append(row)
        self.governing: dict[int, PostingRow] = {}
        #: person id → the explanation line of a period in which their agency changed
        self.transfers: dict[int, dict] = {}
        for person_id, rows in by_person.items():
            governing = pick_period_governing(rows, period, self.rule)
            if governing is not None:
                self.governing[person_id] = governing
            if len(rows) > 1:
                step = transfer_step(rows, period, self.rule)
                if step is not None:
                    self.transfers[person_id] = step
        self.heads: dict[int, list[PostingRow]] = defaultdict(list)
        for row in sorted(
            unit_heads(heads, period, self.rule),
            key=lambda r: (r.is_concurrent, -r.start_date.toordinal(), -r.id),
        ):
            self.heads[row.agency_id].append(row)
        self.headed: dict[int, set[int]] = defaultdict(set)
        for agency_id, rows in self.heads.items():
            for row in rows:
                self.headed[row.person_id].add(agency_id)
        self._evaluators: dict[int, tuple[int | None, int | None]] = {}
        self._evaluator_agencies: dict[tuple[int, str], Agency | None] = {}
        self._index: dict[int, list[int]] | None = None
        self._subtree: dict[int, list[int]] | None = None

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def load(cls, period, paths: list[str] | None = None) -> "OrgSnapshot":
        """Snapshot of the whole province, or of the people posted in the subtrees at
        ``paths`` during the period (heads of every agency are always loaded)."""
        window = overlapping(period.start_date, period.end_date)
        postings = Posting.objects.filter(window)
        if paths:
            # All postings of everyone posted there, so transfers resolve correctly.
            people = (
                Posting.objects.filter(window)
                .filter(within_q(paths, "agency"))
                .values("civil_servant_id")
            )
            postings = postings.filter(civil_servant_id__in=people)
        heads = Posting.objects.filter(window, role=LeadershipRole.HEAD)
        rule = period_rule(period)
        return cls(
            period,
            load_agencies(),
            active_rules(),
            posting_rows(postings),
            posting_rows(heads),
            load_charges(rule_day(period, rule)),
            rule,
        )

    # --- queries --------------------------------------------------------------------------

    def named_transfers(self) -> dict[int, dict]:
        """person id → the explanation line of their change of agency in the period."""
        return name_transfer_steps(self.transfers)

    def agency_path(self, agency_id: int) -> str:
        return self.agencies[agency_id].path

    def head_of(self, agency_id: int, exclude_person: int | None = None) -> int | None:
        for row in self.heads.get(agency_id, ()):
            if row.person_id != exclude_person:
                return row.person_id
        return None

    def _target(self, agency: Agency, relation: str, kind: str) -> Agency | None:
        """``org.authority.rule_target`` over the snapshot's agencies (no query)."""
        return rule_target(agency, relation, kind, lambda node: self.agencies.get(node.parent_id))

    def evaluator(self, person_id: int) -> tuple[int | None, int | None]:
        """(agency whose head evaluates the person, that head's person id)."""
        if person_id in self._evaluators:
            return self._evaluators[person_id]
        result: tuple[int | None, int | None] = (None, None)
        posting = self.governing.get(person_id)
        agency = self.agencies.get(posting.agency_id) if posting else None
        if posting is not None and agency is not None:
            target = self._evaluator_agency(agency, posting.role)
            if target is not None:
                result = (target.pk, self.head_of(target.pk, exclude_person=person_id))
        self._evaluators[person_id] = result
        return result

    def _evaluator_agency(self, agency: Agency, role: str) -> Agency | None:
        """The agency whose head evaluates people of ``role`` posted in ``agency``: the
        authority rule (``select_rule``) and its target depend on the agency and the role
        only, so each pair is resolved once per snapshot, not once per person."""
        key = (agency.pk, role)
        if key not in self._evaluator_agencies:
            rule = select_rule(self.rules, agency, role)
            self._evaluator_agencies[key] = (
                None
                if rule is None
                else self._target(agency, rule.evaluator_relation, rule.evaluator_kind)
            )
        return self._evaluator_agencies[key]

    def _evaluated_index(self) -> dict[int, list[int]]:
        """evaluator agency id → people it evaluates (every person of the snapshot)."""
        if self._index is None:
            index = defaultdict(list)
            for person_id in self.governing:
                agency_id, _head = self.evaluator(person_id)
                if agency_id is not None:
                    index[agency_id].append(person_id)
            self._index = index
        return self._index

    def _subtree_index(self) -> dict[int, list[int]]:
        """agency id → people whose governing posting lies in its subtree (itself included)."""
        if self._subtree is None:
            index = defaultdict(list)
            for person_id, row in self.governing.items():
                agency = self.agencies.get(row.agency_id)
                if agency is None:
                    continue
                for part in agency.path.strip("/").split("/"):
                    if part:
                        index[int(part)].append(person_id)
            self._subtree = index
        return self._subtree

    def subordinates(self, person_id: int) -> list[int]:
        """People whose period ratings make up criterion d of leader ``person_id`` (and whose
        lines join the leader's a, b, c): the charge (:meth:`_charge`) less the people whose
        category the leader's category does not count (``org.categories`` ``leader_counts``:
        Art. 15 cl. 3 d counts công chức, never a contract worker)."""
        posting = self.governing.get(person_id)
        if posting is None or posting.role == LeadershipRole.STAFF:
            return []
        counted = set(rules_for(posting.category).leader_counts)
        return [
            p for p in self._charge(person_id, posting) if self.governing[p].category in counted
        ]

    def _charge(self, person_id: int, posting) -> list[int]:
        """Everyone in leader ``person_id``'s charge, whatever their category."""
        index = self._evaluated_index()
        if posting.role == LeadershipRole.DEPUTY and person_id in self.charges:
            paths, people = self.charges[person_id]
            return sorted(
                p
                for p, row in self.governing.items()
                if p != person_id
                and (p in people or self.agency_path(row.agency_id).startswith(paths))
            )
        if posting.role == LeadershipRole.DEPUTY:
            return sorted(
                p
                for p in index.get(posting.agency_id, ())
                if p != person_id and self.governing[p].role == LeadershipRole.STAFF
            )
        subtree = self._subtree_index()
        found = {
            p
            for agency_id in self.headed.get(person_id, ())
            for p in subtree.get(agency_id, ())
            if p != person_id
        }
        return sorted(found)


def leaders_counting(period, person_id: int) -> list[int]:
    """The leaders whose criterion d counts ``person_id`` in ``period`` (same rules as
    :meth:`OrgSnapshot.subordinates`): heads of the person's agency and of every agency above
    it, the deputies posted there whose charge (or default scope) covers the person, and the
    deputies whose charge names the person. A few queries, whatever the size of the tree."""
    window = overlapping(period.start_date, period.end_date)
    own = person_posting_rows(person_id, period.start_date, period.end_date)
    rule = period_rule(period)
    posting = pick_period_governing(own, period, rule)
    if posting is None:
        return []
    agencies = load_agencies()
    chain = [int(part) for part in agencies[posting.agency_id].path.strip("/").split("/") if part]
    named = DeputyCharge.objects.in_force_on(rule_day(period, rule)).filter(people=person_id)
    candidates = (
        Posting.objects.filter(window)
        .filter(
            Q(agency_id__in=chain, role__in=[LeadershipRole.HEAD, LeadershipRole.DEPUTY])
            | Q(civil_servant_id__in=named.values("deputy_id"))
        )
        .exclude(civil_servant_id=person_id)
        .values("civil_servant_id")
    )
    postings = Posting.objects.filter(window).filter(
        Q(civil_servant_id=person_id) | Q(civil_servant_id__in=candidates)
    )
    heads = Posting.objects.filter(window, role=LeadershipRole.HEAD)
    snapshot = OrgSnapshot(
        period,
        agencies,
        active_rules(),
        posting_rows(postings),
        posting_rows(heads),
        load_charges(rule_day(period, rule)),
        rule,
    )
    return sorted(
        leader
        for leader, row in snapshot.governing.items()
        if leader != person_id
        and row.role != LeadershipRole.STAFF
        and person_id in snapshot.subordinates(leader)
    )
