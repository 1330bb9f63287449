from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from django.urls import include, path, re_path
from django.views.generic import RedirectView

from .views import (
    aggregates,
    catalogs,
    frameworks,
    half_years,
    hr_history,
    integration,
    job_descriptions,
    national_export,
    people,
    reference,
    results,
    workplans,
)
from .views.preview import ScorePreviewView
from .views.root import ApiRootView, NotFoundView
from .views.schema import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("agencies", reference.AgencyViewSet, basename="agency")
router.register("job-positions", reference.JobPositionViewSet, basename="job-position")
router.register("competencies", job_descriptions.CompetencyViewSet, basename="competency")
router.register(
    "job-descriptions", job_descriptions.JobDescriptionViewSet, basename="job-description"
)
router.register("catalogs", catalogs.CatalogViewSet, basename="catalog")
router.register("catalog-versions", catalogs.CatalogVersionViewSet, basename="catalog-version")
router.register("catalog-items", catalogs.CatalogItemViewSet, basename="catalog-item")
router.register("work-plans", workplans.WorkPlanViewSet, basename="work-plan")
router.register("frameworks", frameworks.FrameworkViewSet, basename="framework")
router.register("periods", reference.PeriodViewSet, basename="period")
router.register("civil-servants", people.CivilServantViewSet, basename="civil-servant")
router.register("assignment-lines", results.AssignmentLineViewSet, basename="assignment-line")
router.register("period-scores", results.PeriodScoreViewSet, basename="period-score")
router.register("annual-scores", results.AnnualScoreViewSet, basename="annual-score")
router.register("annual-ratings", results.AnnualRatingViewSet, basename="annual-rating")
router.register(
    "quarterly-assessments",
    results.QuarterlyAssessmentViewSet,
    basename="quarterly-assessment",
)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:root", permanent=False), name="index"),
    path("v1/", ApiRootView.as_view(), name="root"),
    path("v1/score-preview/", ScorePreviewView.as_view(), name="score-preview"),
    path(
        "v1/framework-versions/<int:pk>/",
        frameworks.FrameworkRevisionView.as_view(),
        name="framework-version",
    ),
    path(
        "v1/aggregates/agencies/",
        aggregates.AgencyAggregatesView.as_view(),
        name="aggregates-agencies",
    ),
    path(
        "v1/aggregates/province/",
        aggregates.ProvinceAggregateView.as_view(),
        name="aggregates-province",
    ),
    path(
        "v1/integration/assignment-lines/",
        integration.LineSingleView.as_view(),
        name="integration-lines",
    ),
    path(
        "v1/integration/assignment-lines/bulk/",
        integration.LineBulkView.as_view(),
        name="integration-lines-bulk",
    ),
    path(
        "v1/integration/leader-marks/",
        integration.LeaderMarkView.as_view(),
        name="integration-leader-marks",
    ),
    path("v1/hr-history/", hr_history.HrHistoryView.as_view(), name="hr-history"),
    path("v1/half-year-scores/", half_years.HalfYearView.as_view(), name="half-year-scores"),
    path("v1/integration/me/", integration.IntegrationMeView.as_view(), name="integration-me"),
    path(
        "v1/national-export/", national_export.NationalExportView.as_view(), name="national-export"
    ),
    path(
        "v1/national-export/acknowledgements/",
        national_export.NationalAcknowledgeView.as_view(),
        name="national-export-acknowledge",
    ),
    path("v1/", include(router.urls)),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "v1/redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    # Last: every other /api/ address answers with the API's JSON 404 body.
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
