"""Registers the "Xếp loại chất lượng" menu (``ratings.viewsets``), the rating URLs, and the
agency's rating case on the organisation-scoring agency-year page, and the link to a person's
multi-year results on their admin page (``org`` declares the hook)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from org.access import headed_agencies
from org.models import CivilServant
from ratings.access import (
    can_list_hr_history,
    can_manage_cases,
    can_view_hr_history,
    remember_hr_history,
)
from ratings.models import CaseState, RatingCase
from ratings.panels import WaitingCasesPanel, WaitingPeriodComplaintsPanel
from ratings.services.period_complaints import notes_for_score
from ratings.urls import urlpatterns
from ratings.viewsets import RatingsViewSetGroup

register_snippet(RatingsViewSetGroup)


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return urlpatterns


@hooks.register("construct_homepage_panels")
def add_waiting_cases_panel(request, panels):
    """Every role's home: the rating cases waiting for this user and what blocks them."""
    panel = WaitingCasesPanel(request)
    if panel.waiting or can_manage_cases(request.user) or _is_rater(request.user):
        panels.insert(0, panel)


@hooks.register("construct_homepage_panels")
def add_waiting_period_complaints_panel(request, panels):
    """The complaints about monthly/quarterly results waiting for this user's answer."""
    panel = WaitingPeriodComplaintsPanel(request)
    if panel.rows:
        panels.insert(0, panel)


@hooks.register("scoring_period_score_notes")
def period_score_complaints(score):
    """The complaints about a stored period score, on its explain page (upheld: rescored)."""
    return notes_for_score(score)


def _is_rater(user) -> bool:
    """Heads rate (or give opinions): they see the panel even when nothing waits."""
    return bool(headed_agencies(user))


@hooks.register("org_scoring_agency_year_context")
def agency_case_of_the_year(agency, year):
    """The agency's case of ``year`` not cancelled, linked from its organisation score page."""
    return {
        "case": RatingCase.objects.filter(subject_agency=agency, year=year)
        .exclude(state=CaseState.CANCELLED)
        .first()
    }


@hooks.register("org_person_header_buttons")
def hr_history_button(person, user):
    """ "Kết quả nhiều năm" in the header of a person's page, for whoever may see it."""
    if person is None or not can_view_hr_history(user, person):
        return []
    return [
        Button(
            _("Kết quả nhiều năm"),
            url=reverse("ratings_hr_person", args=[person.pk]),
            icon_name="table",
            priority=30,
        )
    ]


@hooks.register("org_person_listing_rows")
def hr_history_rows(people, user):
    """Whether each person of a listing's page has the link below, read for the page at once."""
    remember_hr_history(user, people)


@hooks.register("register_snippet_listing_buttons")
def hr_history_listing_button(snippet, user, next_url=None):
    """The same link in the more-menu of each row of the person listing."""
    if not isinstance(snippet, CivilServant) or not can_view_hr_history(user, snippet):
        return []
    return [
        Button(
            _("Kết quả nhiều năm"),
            url=reverse("ratings_hr_person", args=[snippet.pk]),
            icon_name="table",
            priority=30,
        )
    ]


@hooks.register("worklog_board_sections")
def half_year_link(request, unit, day):
    """On a unit's board (``worklog``): the way to the six-month results of the unit's people
    (issue 44, coverage M4/E2), for whoever may list them."""
    from django.template.loader import render_to_string

    if not can_list_hr_history(request.user):
        return []
    return [
        render_to_string(
            "ratings/includes/board_half_years.html",
            {"unit": unit, "year": day.year},
            request=request,
        )
    ]
