"""Registers the "Xếp loại chất lượng" menu (``ratings.viewsets``), the rating URLs, and the
agency's rating case on the organisation-scoring agency-year page."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ratings.models import CaseState, RatingCase
from ratings.urls import urlpatterns
from ratings.viewsets import RatingsViewSetGroup

register_snippet(RatingsViewSetGroup)


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return urlpatterns


@hooks.register("org_scoring_agency_year_context")
def agency_case_of_the_year(agency, year):
    """The agency's case of ``year`` not cancelled, linked from its organisation score page."""
    return {
        "case": RatingCase.objects.filter(subject_agency=agency, year=year)
        .exclude(state=CaseState.CANCELLED)
        .first()
    }
