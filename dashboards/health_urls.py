from django.urls import path

from dashboards.stuck_views import health_work

urlpatterns = [path("work", health_work, name="healthz_work")]
