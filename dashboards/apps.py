from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Công khai và thống kê")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from django.db.models.signals import post_delete, post_save

        from wagtail.signals import published, unpublished

        from catalog_pages.models import CatalogVersion
        from dashboards import exports  # noqa: F401  (registers its export kind, issue 47)
        from dashboards.cache import invalidate
        from dashboards.snapshots import on_period_saved
        from org.models import Agency
        from scoring.models import CriteriaFramework, Period

        # Saving a period rebuilds (published) or drops (unpublished) its public snapshot.
        post_save.connect(on_period_saved, sender=Period, dispatch_uid="dashboards-snapshot")
        # Publishing or unpublishing a period (any save of it), and anything else the public
        # pages show, drops every cached page.
        for model in (Period, Agency, CatalogVersion):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"dashboards-{model.__name__}")
            post_delete.connect(
                invalidate, sender=model, dispatch_uid=f"dashboards-del-{model.__name__}"
            )
        for signal in (published, unpublished):
            signal.connect(
                invalidate, sender=CriteriaFramework, dispatch_uid=f"dashboards-{signal}"
            )
