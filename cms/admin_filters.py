"""How the admin's listings name an active filter in their "remove filter" pills.

Wagtail names a yes/no filter by ``str(value)`` ("True"), English in the Vietnamese admin. Every
``BooleanFilter`` of our listings is named "Có"/"Không" instead (registered from
``cms/wagtail_hooks.py``)."""

import django_filters

from django.utils.translation import gettext as _

from wagtail.admin.active_filters import (
    ActiveFilter,
    BaseFilterAdapter,
    register_filter_adapter_class,
)


class BooleanFilterAdapter(BaseFilterAdapter):
    def get_active_filters(self):
        return [
            ActiveFilter(
                self.bound_field.auto_id,
                self.filter.label,
                _("Có") if self.value else _("Không"),
                self.get_url_without_filter_param(self.name),
            )
        ]


def register() -> None:
    register_filter_adapter_class(django_filters.BooleanFilter, adapter_class=BooleanFilterAdapter)
