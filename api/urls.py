from django.urls import path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .views import ApiRootView, NotFoundView, ScorePreviewView

app_name = "api"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:root", permanent=False), name="index"),
    path("v1/", ApiRootView.as_view(), name="root"),
    path("v1/score-preview/", ScorePreviewView.as_view(), name="score-preview"),
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
