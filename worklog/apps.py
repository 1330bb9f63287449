from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogConfig(AppConfig):
    name = "worklog"
    verbose_name = _("Giao việc và theo dõi tiến độ")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        from scoring.services.feeds import register_coordination
        from worklog.services.coordination import ratings_for_scoring

        # The related units' coordination ratings on shared tasks feed the framework's
        # ``coordination`` rule (issue 33 item 3); scoring imports no worklog module.
        register_coordination(ratings_for_scoring)
