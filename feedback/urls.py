"""Public URLs of the satisfaction page (no sign-in)."""

from django.urls import path

from .views import answer, start

app_name = "feedback"
urlpatterns = [
    path("", start, name="start"),
    path("<str:code>/", answer, name="answer"),
]
