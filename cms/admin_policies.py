"""The one read-only policy of the admin: rows written by the system only (stored scores, the
API access log, the national-database outbox, the read log and the change history). Nobody
adds, edits, deletes, publishes or locks them in the admin; viewing still needs the model's
view permission (and each app's row scope, ``org.access``).

A viewset opts in by deriving from :class:`ReadOnlyViewSetMixin` (before its Wagtail base)."""

from django.utils.functional import cached_property

from wagtail.permissions import ModelPermissionPolicy


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a == "view"])


class ReadOnlyViewSetMixin:
    """A model or snippet viewset whose rows are only viewed in the admin."""

    @cached_property
    def permission_policy(self):
        return ReadOnlyPolicy(self.model)
