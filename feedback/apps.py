from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Ý kiến hài lòng của người dân, doanh nghiệp")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from feedback.answers import satisfaction_counts, survey_counts
        from feedback.survey_import import SatisfactionSurveyKind
        from importers.kinds import register_kind
        from scoring.services.feeds import SOURCE_CODES, SOURCE_SURVEY, register_satisfaction

        register_satisfaction(satisfaction_counts, SOURCE_CODES)
        register_satisfaction(survey_counts, SOURCE_SURVEY)
        # The one-stop system's survey is a template kind of the importers' pipeline.
        register_kind(SatisfactionSurveyKind())
