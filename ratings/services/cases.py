"""Opening rating cases: one per civil servant from the stored annual score, one per agency/unit.

Opening is idempotent: a subject that already has a non-cancelled case of the year keeps it.
The case records the rating agency/unit, the role and job-position group of the annual score
and the agency whose head rates (``rater_agency``, the quota group), resolved on the case's
authority day. Opening is logged like every other move (from nothing to ``draft``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from org import authority
from org.authority import rater_agency_of
from org.models import Agency, AgencyKind, Posting
from ratings.actors import resolve_actors, year_rater_agencies
from ratings.models import CaseKind, CaseState, CaseTransition, RatingCase
from ratings.signals import record_agency_cases_opened
from scoring.models import AnnualScore


@dataclass
class OpenReport:
    created: list = field(default_factory=list)
    existing: int = 0
    skipped: list = field(default_factory=list)  # (name, reason)


def _open_transition(case, user) -> CaseTransition:
    return CaseTransition(
        case=case,
        action="open",
        from_state="",
        to_state=CaseState.DRAFT,
        user=user,
        user_name=(user.get_full_name() or user.get_username())[:150] if user else "",
    )


def _log_open(case, user) -> None:
    _open_transition(case, user).save()


def _existing(**subject):
    return RatingCase.objects.filter(**subject).exclude(state=CaseState.CANCELLED).first()


def open_civil_servant_case(annual: AnnualScore, user=None, today=None):
    """(case, created) for the person of ``annual``; ``None`` case when it cannot be rated."""
    existing = _existing(civil_servant_id=annual.civil_servant_id, year=annual.year)
    if existing is not None:
        return existing, False
    if not annual.scored or annual.score is None:
        return None, False
    case = _civil_servant_case(annual, user, today)
    try:
        with transaction.atomic():
            case.save()
            _log_open(case, user)
    except IntegrityError:  # opened concurrently
        return _existing(civil_servant_id=annual.civil_servant_id, year=annual.year), False
    return case, True


#: ``_civil_servant_case`` resolves the rater itself.
_RESOLVE = object()


def _civil_servant_case(
    annual: AnnualScore, user, today, rater_agency: object = _RESOLVE
) -> RatingCase:
    """The new case of ``annual``'s person, not saved, its rater resolved on the case's day
    (``rater_agency`` when the caller resolved it for many people at once)."""
    case = RatingCase(
        kind=CaseKind.CIVIL_SERVANT,
        year=annual.year,
        civil_servant=annual.civil_servant,  # read by the resolver: loaded with the score
        agency_id=annual.agency_id,
        role=annual.role,
        position_group=annual.position_group,
        annual_score=annual,
        score=annual.score,
        created_by=user,
    )
    if rater_agency is _RESOLVE:
        case.rater_agency = resolve_actors(case, today).rater.agency
    else:
        case.rater_agency = cast("Agency | None", rater_agency)
    return case


def _one_by_one(subjects, open_one, report: "OpenReport") -> None:
    """The fallback of a chunk another opening wrote into: each subject opened alone
    (``open_one(subject)`` → (case, created)), the database's one open case a subject and year
    deciding."""
    for subject in subjects:
        case, created = open_one(subject)
        if created:
            report.created.append(case)
        elif case is not None:
            report.existing += 1


def _open_civil_servant_cases(annuals, user, today, report: "OpenReport") -> None:
    """:func:`open_civil_servant_case` for many people at once, the same outcome: who already
    has a case in one query, the new cases and their log rows each written in one statement.
    Should another opening have written one of them meanwhile, the people are taken one by
    one (the database keeps one open case a person and year)."""
    if not annuals:
        return
    year = annuals[0].year
    have = set(
        RatingCase.objects.filter(
            year=year, civil_servant_id__in=[annual.civil_servant_id for annual in annuals]
        )
        .exclude(state=CaseState.CANCELLED)
        .values_list("civil_servant_id", flat=True)
    )
    opening = []
    for annual in annuals:
        if annual.civil_servant_id in have:
            report.existing += 1
        elif not annual.scored or annual.score is None:
            report.skipped.append(
                (annual.civil_servant.full_name, _("chưa có điểm năm (không có kỳ được chấm)"))
            )
        else:
            opening.append(annual)
    # Each case's rater on its day, for the chunk at once: the one-person rule on rows read
    # together (``ratings.actors.year_rater_agencies``).
    people = [annual.civil_servant for annual in opening]
    prefetch_related_objects(
        people, Prefetch("postings", queryset=Posting.objects.select_related("agency"))
    )
    raters = year_rater_agencies(people, year, today)
    new = [
        (annual, _civil_servant_case(annual, user, today, raters[annual.civil_servant_id]))
        for annual in opening
    ]
    try:
        with transaction.atomic():
            RatingCase.objects.bulk_create([case for _annual, case in new])
            CaseTransition.objects.bulk_create([_open_transition(case, user) for _a, case in new])
    except IntegrityError:  # another opening wrote some of them meanwhile
        _one_by_one(
            [a for a, _case in new], lambda a: open_civil_servant_case(a, user, today), report
        )
        return
    report.created.extend(case for _annual, case in new)


def open_agency_case(agency: Agency, year: int, user=None):
    existing = _existing(subject_agency=agency, year=year)
    if existing is not None:
        return existing, False
    if agency.parent_id is None:
        return None, False
    case = RatingCase(
        kind=CaseKind.AGENCY,
        year=year,
        subject_agency=agency,
        agency=agency,
        rater_agency=rater_agency_of(agency),
        created_by=user,
    )
    try:
        with transaction.atomic():
            case.save()
            _log_open(case, user)
    except IntegrityError:
        return _existing(subject_agency=agency, year=year), False
    return case, True


def _open_agency_cases(agencies: list[Agency], year: int, user, report: "OpenReport") -> None:
    """:func:`open_agency_case` for many agencies and units at once, the same outcome: who
    already has a case in one query, the rater agencies (the nearest agency above each,
    ``rater_agency_of``) in one, the new cases and their log rows each in one statement, and
    what saving each would record of its decided level (``ratings.signals``). Should another
    opening have written one of them meanwhile, they are taken one by one."""
    if not agencies:
        return
    have = set(
        RatingCase.objects.filter(year=year, subject_agency_id__in=[a.pk for a in agencies])
        .exclude(state=CaseState.CANCELLED)
        .values_list("subject_agency_id", flat=True)
    )
    report.existing += sum(1 for agency in agencies if agency.pk in have)
    rated = [a for a in agencies if a.pk not in have and a.parent_id is not None]
    parents = list(Agency.objects.filter(pk__in={agency.parent_id for agency in rated}))
    above = Agency.owning_agencies(parents)
    new = [
        RatingCase(
            kind=CaseKind.AGENCY,
            year=year,
            subject_agency=agency,
            agency=agency,
            rater_agency=above.get(cast(int, agency.parent_id)),
            created_by=user,
        )
        for agency in rated
    ]
    try:
        with transaction.atomic():
            RatingCase.objects.bulk_create(new)
            CaseTransition.objects.bulk_create([_open_transition(case, user) for case in new])
            record_agency_cases_opened([agency.pk for agency in rated], year)
    except IntegrityError:  # another opening wrote some of them meanwhile
        _one_by_one(rated, lambda agency: open_agency_case(agency, year, user), report)
        return
    report.created.extend(new)


#: How many people :func:`open_cases` opens at once; it reports its progress after each.
CHUNK = 500


def opening_scope(year: int, root: Agency | None = None):
    """(annual scores, agencies) whose cases :func:`open_cases` opens under ``root``."""
    annuals = AnnualScore.objects.filter(year=year)
    agencies = Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.PROVINCE)
    if root is not None:
        annuals = annuals.filter(agency__path__startswith=root.path)
        agencies = agencies.filter(path__startswith=root.path)
    return annuals, agencies


def open_cases(
    year: int,
    root: Agency | None = None,
    user=None,
    today=None,
    progress: Callable[[int], None] | None = None,
) -> OpenReport:
    """Cases for every scored civil servant and every agency/unit in ``root``'s subtree.
    ``progress(n)`` is told after every :data:`CHUNK` people, and at the end, how many it
    has gone through (the background job's page)."""
    report = OpenReport()
    annuals, agencies = opening_scope(year, root)
    gone = 0

    def in_chunks(rows, open_chunk: Callable[[list], None]) -> None:
        nonlocal gone
        chunk: list = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                open_chunk(chunk)
                gone, chunk = gone + CHUNK, []
                if progress is not None:
                    progress(gone)
        open_chunk(chunk)
        gone += len(chunk)
        if progress is not None:
            progress(gone)

    # The cases record the authority of each person on the case's day: the rules and each
    # agency's heads are read once for the whole batch (nobody's posting changes meanwhile).
    # The annual scores without their explanations, which a case does not read.
    with authority.remembered():
        in_chunks(
            annuals.select_related("civil_servant")
            .defer("explanation")
            .order_by("agency__path", "civil_servant__full_name")
            .iterator(chunk_size=CHUNK),
            lambda chunk: _open_civil_servant_cases(chunk, user, today, report),
        )
        in_chunks(
            agencies.order_by("path").iterator(chunk_size=CHUNK),
            lambda chunk: _open_agency_cases(chunk, year, user, report),
        )
    return report
