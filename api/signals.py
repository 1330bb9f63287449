"""Outbox hooks: a period that stops being open, a decided annual rating (see api.outbox)."""

from django.db.models.signals import post_save


def period_saved(sender, instance, created, raw=False, **kwargs):
    from scoring.models import PeriodStatus

    if raw or instance.status == PeriodStatus.OPEN:
        return
    from .outbox import record_period

    record_period(instance)


def rating_case_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not (instance.decision_level or instance.state == "cancelled"):
        return
    from .outbox import record_annual_rating

    record_annual_rating(instance)


def forget_tokens(sender, **kwargs):
    from .authentication import forget_tokens

    forget_tokens()


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete

    from .models import IntegrationSystem, IntegrationToken

    for model in (IntegrationSystem, IntegrationToken):
        post_save.connect(forget_tokens, sender=model, dispatch_uid=f"api.tokens.save.{model}")
        post_delete.connect(forget_tokens, sender=model, dispatch_uid=f"api.tokens.del.{model}")
    m2m_changed.connect(
        forget_tokens, sender=IntegrationSystem.agencies.through, dispatch_uid="api.tokens.m2m"
    )
    post_save.connect(period_saved, sender="scoring.Period", dispatch_uid="api.outbox.period")
    post_save.connect(
        rating_case_saved, sender="ratings.RatingCase", dispatch_uid="api.outbox.rating_case"
    )
