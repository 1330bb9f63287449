"""A posting written by any door (the admin, the personnel import, the API) re-checks the
person's sign-in: once all their postings have ended it is deactivated (kept for history); a
head or deputy posting created, changed (role, unit, end) or deleted is a role change of the
sign-in (``AccountEvent.Action.ROLE_CHANGED``: who, whom, when, from where, before → after).
A user object whose groups change forgets the group names it kept (``org.access.group_names``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.models import AccountEvent, User
from accounts.services import log_event, sync_with_postings
from org.access import forget_groups
from org.models import Agency, CivilServant, LeadershipRole, Posting


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_groups_changed")
def groups_changed(sender, instance, reverse, **kwargs):
    if not reverse:  # ``user.groups.add(…)``: ``instance`` is that user object
        forget_groups(instance)


#: What makes a posting's role: its role, its unit and its end.
ROLE_FIELDS = ("role", "agency_id", "end_date")
LEADER_ROLES = (LeadershipRole.HEAD, LeadershipRole.DEPUTY)


@receiver(pre_save, sender=Posting, dispatch_uid="accounts_posting_before")
def posting_before(sender, instance, raw=False, **kwargs):
    """The stored posting's role, before this save (compared by :func:`posting_written`)."""
    stored = None
    if instance.pk is not None and not raw:
        stored = Posting.objects.filter(pk=instance.pk).values(*ROLE_FIELDS).first()
    instance._kpi_role_before = stored


@receiver(post_save, sender=Posting, dispatch_uid="accounts_posting_saved")
@receiver(post_delete, sender=Posting, dispatch_uid="accounts_posting_deleted")
def posting_written(sender, instance, signal=None, **kwargs):
    person = CivilServant.objects.filter(pk=instance.civil_servant_id).first()
    if person is not None and person.user_id:
        _role_changed(person, instance, deleted=signal is post_delete)
        sync_with_postings(person)


def _role_label(values) -> str:
    from django.utils.translation import gettext as _

    unit = Agency.objects.filter(pk=values["agency_id"]).values_list("name", flat=True).first()
    label = f"{LeadershipRole(values['role']).label} — {unit or ''}"
    if values["end_date"]:
        label += _(", đến %(date)s") % {"date": values["end_date"].strftime("%d/%m/%Y")}
    return label


def _role_changed(person, posting, *, deleted: bool) -> None:
    """Log a head or deputy posting of ``person`` created, changed or deleted (before → after),
    by whoever's request wrote it (the change history's request, if any)."""
    from simple_history.models import HistoricalRecords

    from django.utils.translation import gettext as _

    before = getattr(posting, "_kpi_role_before", None)
    after = None if deleted else {f: getattr(posting, f) for f in ROLE_FIELDS}
    if deleted:
        before = {f: getattr(posting, f) for f in ROLE_FIELDS}
    if before == after:
        return
    if not any(v is not None and v["role"] in LEADER_ROLES for v in (before, after)):
        return
    was = _role_label(before) if before else _("(quá trình công tác mới)")
    now = _role_label(after) if after else _("(xóa quá trình công tác)")
    detail = f"{was} → {now}"
    request = getattr(HistoricalRecords.context, "request", None)
    actor = getattr(request, "user", None)
    log_event(
        actor if getattr(actor, "is_authenticated", False) else None,
        person.user,
        AccountEvent.Action.ROLE_CHANGED,
        detail,
        request=request,
    )
