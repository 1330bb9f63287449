from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Cơ cấu tổ chức")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        from cms import exports
        from org.access import scope_key
        from org.roles import ensure_roles

        # Background exports are opened only by a user who still reaches the same rows.
        exports.set_scope_key(scope_key)

        # Run once, after the last app has migrated, so every permission row exists.
        post_migrate.connect(ensure_roles, dispatch_uid="org.ensure_roles")
