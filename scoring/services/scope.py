"""Which people this software scores, and which of them the excellent quota counts — the
person-category rules of ``org.categories`` applied to governing postings (docs/scope.md).

One :class:`CategoryScope` loads the agencies' contract-worker switches once and answers many
postings in memory: the period batch, a single person's score and the annual batch call it with
the ``PostingRow`` that governs the period or year.
"""

from django.db.models import QuerySet

from org.categories import coverage_error, is_evaluated, rules_for
from org.models import AGENCY_KINDS, Agency, Posting
from scoring.services.org_snapshot import load_agencies
from scoring.services.postings import overlapping, pick_governing, posting_rows


class CategoryScope:
    def __init__(self, agencies: dict | None = None):
        self._agencies = agencies
        self._opted_in: set[int] | None = None
        self._rules: dict = {}  # category → its rules, read once per instance

    @property
    def agencies(self) -> dict:
        if self._agencies is None:
            self._agencies = load_agencies()
        return self._agencies

    def _agency_opted_in(self, agency_id: int) -> bool:
        """Has the agency owning ``agency_id`` (itself, or the nearest agency above a unit)
        switched on contract workers (Gia Lai plan §V.1.e)?"""
        if self._opted_in is None:
            self._opted_in = set(
                Agency.objects.filter(applies_to_contract_workers=True).values_list("pk", flat=True)
            )
        if not self._opted_in:
            return False
        owner = self.owner_id(agency_id)
        return owner is not None and owner in self._opted_in

    def owner_id(self, agency_id: int) -> int | None:
        """The owning agency of ``agency_id``: itself, or the nearest agency above a unit."""
        node = self.agencies.get(agency_id)
        while node is not None and node.kind not in AGENCY_KINDS:
            node = self.agencies.get(node.parent_id)
        return node.pk if node is not None else None

    def evaluated(self, posting) -> bool:
        """Does this software score the holder of ``posting`` (a ``PostingRow`` or ``Posting``)?"""
        rules = self._rules.get(posting.category)
        if rules is None:
            rules = self._rules[posting.category] = rules_for(posting.category)
        if not rules.needs_agency_opt_in:
            return rules.evaluated
        return is_evaluated(posting.category, self._agency_opted_in(posting.agency_id))

    def refusal(self, posting) -> str | None:
        """Why no result of the holder of ``posting`` is taken (``None``: it is) — the
        Vietnamese reason the Excel, API and worklog doors show (``org.categories``)."""
        if self.evaluated(posting):
            return None
        owner_id = self.owner_id(posting.agency_id)
        owner = Agency.objects.filter(pk=owner_id).first() if owner_id is not None else None
        return coverage_error(
            posting.category,
            owner or Agency(name="?"),
            owner is not None and self._agency_opted_in(owner.pk),
        )

    @staticmethod
    def in_quota(posting) -> bool:
        """Is the holder of ``posting`` counted in the Decree 335 excellent quota and groups?"""
        return rules_for(posting.category).quota


def governing_categories(person_ids, start, end) -> dict[int, str]:
    """``{person id: category}`` of the posting governing ``start``–``end`` (two queries at
    most, whatever the number of people). ``person_ids`` a queryset of ids goes to the
    database as a subquery (a month's close at 100,000 people listed its scored people's ids
    into one statement: 1.2 s of building it, issue 48)."""
    from collections import defaultdict

    ids: QuerySet | list[int]
    if isinstance(person_ids, QuerySet):
        ids = person_ids
    else:
        ids = list(person_ids)
        if not ids:
            return {}
    by_person = defaultdict(list)
    for row in posting_rows(
        Posting.objects.filter(overlapping(start, end), civil_servant_id__in=ids)
    ):
        by_person[row.person_id].append(row)
    found = {}
    for person, rows in by_person.items():
        governing = pick_governing(rows, start, end)
        if governing is not None:
            found[person] = governing.category
    return found


def people_without(flag: str, person_ids, start, end) -> set[int]:
    """The people among ``person_ids`` whose governing category has rule ``flag`` false
    (``"quota"``, ``"national_export"``)."""
    return {
        person
        for person, category in governing_categories(person_ids, start, end).items()
        if not getattr(rules_for(category), flag)
    }


def year_bounds(year: int):
    import datetime

    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def in_quota_cases(cases, year: int):
    """``cases`` (rating cases of ``year``) without the people outside the excellent quota —
    public employees and contract workers never count in a Decree 335 quota group."""
    people = set(cases.values_list("civil_servant_id", flat=True)) - {None}
    outside = people_without("quota", people, *year_bounds(year))
    return cases.exclude(civil_servant_id__in=outside) if outside else cases


def case_in_quota(case) -> bool:
    """Does the excellent quota apply to the decision of this civil-servant ``case``?"""
    if case.civil_servant_id is None:
        return False
    return not people_without("quota", [case.civil_servant_id], *year_bounds(case.year))
