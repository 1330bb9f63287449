from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogPagesConfig(AppConfig):
    name = "catalog_pages"
    verbose_name = _("Danh mục sản phẩm/công việc")

    def ready(self):
        from catalog_pages import signals

        signals.connect()
