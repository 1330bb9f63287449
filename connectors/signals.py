"""A new or changed mapping applies the packages that were waiting for it."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .ingest import reapply_waiting
from .models import PersonMapping, TaskTypeMapping


@receiver(post_save, sender=PersonMapping)
@receiver(post_save, sender=TaskTypeMapping)
def apply_waiting(sender, instance, **kwargs):
    source = instance.source
    transaction.on_commit(lambda: reapply_waiting(source))
