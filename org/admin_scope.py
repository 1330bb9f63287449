"""Row-level access for Wagtail snippet views.

``SnippetViewSet.get_queryset`` only filters the listing (wagtail#10746): the edit, delete,
inspect, history, usage and copy URLs would still open any row. ``scoped_views`` returns view
classes that check every single object against the permission layer in ``org.access``.
"""

from django.core.exceptions import PermissionDenied
from wagtail.snippets.views import snippets as snippet_views


class ScopedObjectMixin:
    scope_check = None  # callable(user, obj) -> bool, set per viewset

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not type(self).scope_check(self.request.user, obj):
            raise PermissionDenied
        return obj


def scoped_views(check):
    """View classes for a viewset whose objects must pass ``check(user, obj)``."""

    def make(base):
        return type(
            f"Scoped{base.__name__}",
            (ScopedObjectMixin, base),
            {"scope_check": staticmethod(check)},
        )

    return {
        "edit_view_class": make(snippet_views.EditView),
        "delete_view_class": make(snippet_views.DeleteView),
        "inspect_view_class": make(snippet_views.InspectView),
        "history_view_class": make(snippet_views.HistoryView),
        "usage_view_class": make(snippet_views.UsageView),
        "copy_view_class": make(snippet_views.CopyView),
    }
