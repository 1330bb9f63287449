from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views_export, views_read, views_write
from .views import ApiRootView, NotFoundView, ScorePreviewView

app_name = "api"

router = SimpleRouter()
router.register("agencies", views_read.AgencyViewSet, basename="agency")
router.register("job-positions", views_read.JobPositionViewSet, basename="job-position")
router.register("catalogs", views_read.CatalogViewSet, basename="catalog")
router.register("catalog-versions", views_read.CatalogVersionViewSet, basename="catalog-version")
router.register("catalog-items", views_read.CatalogItemViewSet, basename="catalog-item")
router.register("frameworks", views_read.FrameworkViewSet, basename="framework")
router.register("periods", views_read.PeriodViewSet, basename="period")
router.register("civil-servants", views_read.CivilServantViewSet, basename="civil-servant")
router.register("assignment-lines", views_read.AssignmentLineViewSet, basename="assignment-line")
router.register("period-scores", views_read.PeriodScoreViewSet, basename="period-score")
router.register("annual-scores", views_read.AnnualScoreViewSet, basename="annual-score")
router.register("annual-ratings", views_read.AnnualRatingViewSet, basename="annual-rating")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:root", permanent=False), name="index"),
    path("v1/", ApiRootView.as_view(), name="root"),
    path("v1/score-preview/", ScorePreviewView.as_view(), name="score-preview"),
    path(
        "v1/framework-versions/<int:pk>/",
        views_read.FrameworkRevisionView.as_view(),
        name="framework-version",
    ),
    path(
        "v1/aggregates/agencies/",
        views_read.AgencyAggregatesView.as_view(),
        name="aggregates-agencies",
    ),
    path(
        "v1/aggregates/province/",
        views_read.ProvinceAggregateView.as_view(),
        name="aggregates-province",
    ),
    path(
        "v1/integration/assignment-lines/",
        views_write.LineSingleView.as_view(),
        name="integration-lines",
    ),
    path(
        "v1/integration/assignment-lines/bulk/",
        views_write.LineBulkView.as_view(),
        name="integration-lines-bulk",
    ),
    path(
        "v1/integration/leader-marks/",
        views_write.LeaderMarkView.as_view(),
        name="integration-leader-marks",
    ),
    path("v1/integration/me/", views_write.IntegrationMeView.as_view(), name="integration-me"),
    path("v1/national-export/", views_export.NationalExportView.as_view(), name="national-export"),
    path(
        "v1/national-export/acknowledgements/",
        views_export.NationalAcknowledgeView.as_view(),
        name="national-export-acknowledge",
    ),
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "v1/redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    # Last: every other /api/ address answers with the API's JSON 404 body.
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
