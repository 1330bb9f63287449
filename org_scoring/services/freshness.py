"""The organisation scores' part of the refresh of stale figures (``scoring.services.freshness``,
which cannot import this app): every year with marked agencies is rescored — each marked
agency with its subtree and the agencies above it (``score_organisations(year, agency)``), or
the whole province when a mark names no agency or many agencies are marked. Registered in
``OrgScoringConfig.ready``."""

from org.models import Agency
from org_scoring.frameworks import OrganisationFrameworkResolver, organisation_framework
from org_scoring.services.scorer import score_organisations
from scoring.engine import key_task_from_plans
from scoring.models import AnnualScore, AppliesTo, StaleFigure, StaleKind
from scoring.services import freshness
from scoring.services.frameworks import live_rules

#: Beyond this many marked agencies in a year, the whole province is rescored at once.
WHOLE_PROVINCE_FROM = 20


def drain() -> dict:
    summary = {}
    for year in freshness.stale_years(StaleKind.ORGANISATION):
        subjects = set(
            StaleFigure.objects.filter(kind=StaleKind.ORGANISATION, year=year).values_list(
                "subject_id", flat=True
            )
        )
        written = 0
        if None in subjects or len(subjects) > WHOLE_PROVINCE_FROM:
            written += score_organisations(year).written
        else:
            ids = {pk for pk in subjects if pk is not None}  # None: checked above
            agencies = Agency.objects.filter(pk__in=ids).order_by("-depth", "path")
            for agency in agencies:
                written += score_organisations(year, agency).written
            missing = subjects - set(agencies.values_list("pk", flat=True))
            # Marks of agencies deleted since: nothing left to score.
            freshness.clear(
                list(
                    StaleFigure.objects.filter(
                        kind=StaleKind.ORGANISATION, year=year, subject_id__in=missing
                    ).values_list("pk", flat=True)
                )
            )
        summary[str(year)] = written
    return summary


# --- option M2: an organisation score follows its civil servants' annual ratings ------------


def _follows_staff(framework) -> bool:
    return framework.organisation.staff_ratings.value == "like_subunits"


def staff_annual_changed(rows) -> None:
    """Annual scores were stored (``(person, year, agency)``): under option M2
    (``organisation.staff_ratings = like_subunits``, Gia Lai §II.2.b; legal review F4) the
    organisation score of the agency each year belongs to reads them, so it is marked stale in
    the same transaction — whatever order the background work ran in, the organisation is
    scored again after its staff's years. Registered as a dependent of the annual kind in
    ``scoring.services.freshness`` (the dependency map)."""
    from django.utils.translation import gettext as _

    if not any(
        rules.organisation is not None and rules.organisation.staff_ratings.value == "like_subunits"
        for rules in live_rules((AppliesTo.ORGANISATION, AppliesTo.CIVIL_SERVANT))
    ):
        # No live framework an agency could be rated by follows its staff (the engine's default
        # does not): nothing to mark, without resolving each agency's framework.
        return
    by_year: dict[int, set[int]] = {}
    for _person, year, agency_id in rows:
        if agency_id:
            by_year.setdefault(int(year), set()).add(int(agency_id))
    pairs = []
    for year, agency_ids in by_year.items():
        resolver = OrganisationFrameworkResolver(year)
        for agency in Agency.objects.filter(pk__in=agency_ids).only("pk", "path"):
            if _follows_staff(resolver.resolve(agency.path)):
                pairs.append((agency.pk, year))
    if pairs:
        freshness.mark_organisation(pairs, _("Kết quả năm của công chức thay đổi"))


# --- an agency's key task measured from its work plans (Đắk Lắk §III.3) ----------------------


def work_plans_changed(pairs) -> None:
    """The fulfilment of agencies' approved work plans changed (``(agency id, year)``: a plan
    approved or no longer approved, an item of an approved plan, the lines an item produced;
    called by ``workplans.signals``, an app above this one): the organisation score of each
    agency whose framework measures a key-task criterion from its plans
    (``organisation.key_tasks[].plan_fulfilment`` = ``ratio``) reads them, so it is marked
    stale in the same transaction; the background refresh rescores it and the agencies above
    it. Any other agency's score does not read its plans and is left alone."""
    from django.utils.translation import gettext as _

    by_year: dict[int, set[int]] = {}
    for agency_id, year in pairs:
        if agency_id and year:
            by_year.setdefault(int(year), set()).add(int(agency_id))
    marked = []
    for year, agency_ids in sorted(by_year.items()):
        resolver = OrganisationFrameworkResolver(year)
        for agency in Agency.objects.filter(pk__in=agency_ids).only("pk", "path"):
            if key_task_from_plans(resolver.resolve(agency.path).organisation) is not None:
                marked.append((agency.pk, year))
    if marked:
        freshness.mark_organisation(
            marked, _("Thay đổi kết quả thực hiện kế hoạch công tác của cơ quan")
        )


def staff_pending_since(agency, year: int):
    """Under option M2, when the oldest annual score (or period run) of the civil servants the
    agency's organisation score reads changed while it is still being recomputed; else None."""
    if not _follows_staff(organisation_framework(agency, year)):
        return None
    people = AnnualScore.objects.filter(year=year, agency__path__startswith=agency.path).values(
        "civil_servant_id"
    )
    marks = freshness.stale_annual_people(year, people)
    return freshness._earliest(*marks.values(), freshness.agency_pending_run_since(agency, year))
