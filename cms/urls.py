from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from cms.views import admin_logout, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Stuck or stale background work, for a monitor (issue 28; docs/operations.md §11).
    path("healthz/", include("dashboards.health_urls")),
    # Reports of ours that replace Wagtail's at the same paths (they must come first).
    path("admin/reports/", include("org.report_urls")),
    path("admin/reports/", include("cms.report_urls")),
    path("admin/logout/", admin_logout, name="kpi_admin_logout"),
    # Bulk actions on the project's models, scoped to the user's rows (org.admin_scope).
    path("admin/bulk/", include("org.bulk_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("api/", include("api.urls")),
    path("ket-noi/", include("connectors.urls")),
    path("phan-hoi/", include("feedback.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # Activation, forced password change, second factor (accounts.urls); single sign-on.
    path("tai-khoan/", include("accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
]

# Uploads under MEDIA_ROOT are private (evidence, minutes, complaints, imported workbooks): no
# route serves them, in development either; each leaves only through its checked view
# (cms.private_files). Wagtail's public document route is not mounted for the same reason.

urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)

# No traceback and no English: the API keeps its JSON error shape, pages get a Vietnamese page.
handler500 = "cms.views.server_error"
