"""Outbox hooks: a period that stops being open, a decided annual rating (see api.outbox);
the shared generations of remembered token lookups and framework names."""

from django.db.models.signals import post_save

from scoring.models import PeriodStatus

from . import authentication, framework_names
from .models import IntegrationSystem, IntegrationToken
from .outbox import record_annual_rating, record_period


def period_saved(sender, instance, created, raw=False, **kwargs):
    if raw or instance.status == PeriodStatus.OPEN:
        return
    record_period(instance)


def rating_case_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not (instance.decision_level or instance.state == "cancelled"):
        return
    record_annual_rating(instance)


def forget_tokens(sender, **kwargs):
    authentication.forget_tokens()


def forget_framework_names(sender, **kwargs):
    from django.db import transaction

    # Once the change is visible to the other workers' next query, not before.
    transaction.on_commit(framework_names.forget)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete

    for model in (IntegrationSystem, IntegrationToken):
        post_save.connect(forget_tokens, sender=model, dispatch_uid=f"api.tokens.save.{model}")
        post_delete.connect(forget_tokens, sender=model, dispatch_uid=f"api.tokens.del.{model}")
    m2m_changed.connect(
        forget_tokens, sender=IntegrationSystem.agencies.through, dispatch_uid="api.tokens.m2m"
    )
    for signal, uid in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(
            forget_framework_names,
            sender="scoring.CriteriaFramework",
            dispatch_uid=f"api.framework_names.{uid}",
        )
    post_save.connect(period_saved, sender="scoring.Period", dispatch_uid="api.outbox.period")
    post_save.connect(
        rating_case_saved, sender="ratings.RatingCase", dispatch_uid="api.outbox.rating_case"
    )
