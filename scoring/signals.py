"""Score inputs saved or deleted through the ORM ask for their people to be rescored
(``scoring.services.rescoring``): assignment lines, deductions and exemptions, general-criteria
and leader marks, postings. Bulk writes (the importers' COPY, queryset updates) send no signal
and call ``request_rescore`` themselves."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Posting
from scoring.models import AssignmentLine, Deduction, GeneralCriteriaMark, LeaderMark
from scoring.services.rescoring import open_periods_on, request_rescore


def _person_in_period(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures and restores: no scoring
        return
    request_rescore(
        instance.period_id,
        people=[instance.civil_servant_id],
        reason=_("Sửa dữ liệu chấm điểm (%(what)s)") % {"what": sender._meta.verbose_name},
    )


def _deduction(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    line = (
        AssignmentLine.objects.filter(pk=instance.line_id)
        .values("period_id", "civil_servant_id")
        .first()
    )
    if line is not None:
        request_rescore(
            line["period_id"],
            people=[line["civil_servant_id"]],
            reason=_("Trừ điểm hoặc miễn trừ do nguyên nhân khách quan"),
        )


def _posting(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    for period in open_periods_on(timezone.localdate()):
        request_rescore(
            period,
            people=[instance.civil_servant_id],
            reason=_("Thay đổi vị trí công tác của công chức"),
        )


def connect() -> None:
    for model in (AssignmentLine, GeneralCriteriaMark, LeaderMark):
        post_save.connect(_person_in_period, sender=model, dispatch_uid=f"rescore-{model}")
        post_delete.connect(_person_in_period, sender=model, dispatch_uid=f"rescore-d-{model}")
    post_save.connect(_deduction, sender=Deduction, dispatch_uid="rescore-deduction")
    post_delete.connect(_deduction, sender=Deduction, dispatch_uid="rescore-d-deduction")
    post_save.connect(_posting, sender=Posting, dispatch_uid="rescore-posting")
    post_delete.connect(_posting, sender=Posting, dispatch_uid="rescore-d-posting")
