"""Public URL of the connectors: the webhook (signed, no session)."""

from django.urls import path

from .views import webhook

app_name = "connectors"
urlpatterns = [path("webhook/<int:pk>/", webhook, name="webhook")]
