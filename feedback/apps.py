from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Ý kiến hài lòng của người dân, doanh nghiệp")

    def ready(self):
        from feedback.answers import satisfaction_counts
        from scoring.services.feeds import register_satisfaction

        register_satisfaction(satisfaction_counts)
