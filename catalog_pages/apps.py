from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogPagesConfig(AppConfig):
    name = "catalog_pages"
    verbose_name = _("Danh mục sản phẩm/công việc")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        # ``consolidation.exports`` registers the common catalog's export with ``cms.exports``.
        from catalog_pages import edit_handler, signals
        from catalog_pages.consolidation import exports  # noqa: F401

        signals.connect()
        # The page's form and panels ask the rules above the page models.
        edit_handler.attach()
