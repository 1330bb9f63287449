"""A posting written by any door (the admin, the personnel import, the API) re-checks the
person's sign-in: once all their postings have ended it is deactivated (kept for history).
A user object whose groups change forgets the group names it kept (``org.access.group_names``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import User
from org.access import forget_groups
from org.models import Posting


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_groups_changed")
def groups_changed(sender, instance, reverse, **kwargs):
    if not reverse:  # ``user.groups.add(…)``: ``instance`` is that user object
        forget_groups(instance)


@receiver(post_save, sender=Posting, dispatch_uid="accounts_posting_saved")
@receiver(post_delete, sender=Posting, dispatch_uid="accounts_posting_deleted")
def posting_written(sender, instance, **kwargs):
    from accounts.services import sync_with_postings
    from org.models import CivilServant

    person = CivilServant.objects.filter(pk=instance.civil_servant_id).first()
    if person is not None and person.user_id:
        sync_with_postings(person)
