"""Where an agency's catalog stands, in words, for the "Danh mục của cơ quan" task page (issue 30
item 9): the version in force today, the next one approved ahead of its date, and the draft's
step (not yet sent, waiting for Sở Nội vụ, sent back with the appraiser's comment)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from wagtail.models import TaskState, WorkflowState

from catalog_pages.access import editor_group_codes
from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from org.access import is_home_affairs
from org.blocs import lead_name
from org.models import JobPosition

DRAFT = "draft"
WAITING = "waiting"
SENT_BACK = "sent_back"
UP_TO_DATE = "up_to_date"


@dataclass
class CatalogStatus:
    page: AgencyCatalogPage
    step: str
    in_force: CatalogVersion | None
    upcoming: CatalogVersion | None
    since: datetime.datetime | None = None  # when the draft was saved or sent
    by: object = None
    comment: str = ""

    @property
    def appraiser_name(self) -> str:
        """The body that appraises the catalog: Sở Nội vụ, or the bloc's lead body (review
        2026-11-25, ux H4: a Party catalog "Đang chờ Sở Nội vụ thẩm định")."""

        return lead_name(self.page.agency)


def catalog_status(page: AgencyCatalogPage, day: datetime.date) -> CatalogStatus:
    versions = CatalogVersion.objects.filter(page=page)
    in_force = versions.in_force(page.agency, day)
    upcoming = versions.filter(effective_from__gt=day).order_by("effective_from", "number").first()
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return CatalogStatus(
            page, WAITING, in_force, upcoming, since=state.created_at, by=state.requested_by
        )
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        rejected = (
            TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
            .order_by("-finished_at")
            .first()
        )
        return CatalogStatus(
            page,
            SENT_BACK,
            in_force,
            upcoming,
            since=rejected.finished_at if rejected else None,
            by=rejected.finished_by if rejected else None,
            comment=(rejected.get_comment() if rejected else "") or "",
        )
    if page.has_unpublished_changes:
        revision = page.latest_revision
        return CatalogStatus(
            page,
            DRAFT,
            in_force,
            upcoming,
            since=revision.created_at if revision else None,
            by=revision.user if revision else None,
        )
    return CatalogStatus(page, UP_TO_DATE, in_force, upcoming)


def task_catalogs(user):
    """The catalogs on the user's task page: every agency's for Sở Nội vụ, otherwise those of
    the agencies whose catalog group ("Biên tập danh mục — CODE") the user is in."""
    pages = AgencyCatalogPage.objects.select_related("agency").order_by("agency__path")
    if user is None or not user.is_authenticated:
        return pages.none()
    if is_home_affairs(user):
        return pages

    return pages.filter(agency__code__in=editor_group_codes(user))


def has_catalog_task(user) -> bool:
    return task_catalogs(user).exists()


def agency_job_positions(page: AgencyCatalogPage):
    """The job positions a catalog's products may name: those held in the agency (its postings,
    its units' included) and those the catalog already names, not every sector's."""
    named = {position.pk for item in page.items.all() for position in item.job_positions.all()}
    held = Q(postings__agency__path__startswith=page.agency.path)
    return JobPosition.objects.filter(held | Q(pk__in=named)).distinct().order_by("group", "code")
