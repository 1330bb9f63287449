"""A posting written by any door (the admin, the personnel import, the API) re-checks the
person's sign-in: once all their postings have ended it is deactivated (kept for history)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from org.models import Posting


@receiver(post_save, sender=Posting, dispatch_uid="accounts_posting_saved")
@receiver(post_delete, sender=Posting, dispatch_uid="accounts_posting_deleted")
def posting_written(sender, instance, **kwargs):
    from accounts.services import sync_with_postings
    from org.models import CivilServant

    person = CivilServant.objects.filter(pk=instance.civil_servant_id).first()
    if person is not None and person.user_id:
        sync_with_postings(person)
