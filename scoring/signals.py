"""Score inputs saved or deleted through the ORM ask for their people to be rescored
(``scoring.services.rescoring``): assignment lines, deductions and exemptions, general-criteria
and leader marks, postings, a decision adopting the common catalog. Bulk writes (the
importers' COPY, queryset updates) send no signal and call ``request_rescore`` themselves."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog_pages.models import AdoptedCommonItem, AdoptionStatus, CommonCatalogAdoption
from org.models import Posting
from scoring.models import AssignmentLine, Deduction, GeneralCriteriaMark, LeaderMark, Period
from scoring.services.period_batch import SCORABLE_KINDS
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


def _common_catalog(sender, instance, **kwargs):
    """An adopted decision (or one changed after adoption) changes the coefficients of the
    mapped items in every open period starting on or after its effective date: rescore the
    agencies with mapped items there (those whose hash does not change are not rewritten).
    Closed and final periods are never touched (``request_rescore``)."""
    if kwargs.get("raw") or instance.status != AdoptionStatus.ADOPTED:
        return
    agencies = set(
        AdoptedCommonItem.objects.filter(adoption__status=AdoptionStatus.ADOPTED)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    earliest = (
        CommonCatalogAdoption.objects.adopted()
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    day = min(filter(None, [earliest, instance.effective_from]))
    reason = _("Ban hành danh mục dùng chung (Quyết định %(number)s)") % {
        "number": instance.decision_number
    }
    for period in Period.objects.filter(start_date__gte=day, kind__in=SCORABLE_KINDS):
        if period.is_final:
            continue
        for agency in sorted(agencies):
            request_rescore(period, agency=agency, reason=reason)


def connect() -> None:
    for model in (AssignmentLine, GeneralCriteriaMark, LeaderMark):
        post_save.connect(_person_in_period, sender=model, dispatch_uid=f"rescore-{model}")
        post_delete.connect(_person_in_period, sender=model, dispatch_uid=f"rescore-d-{model}")
    post_save.connect(_deduction, sender=Deduction, dispatch_uid="rescore-deduction")
    post_delete.connect(_deduction, sender=Deduction, dispatch_uid="rescore-d-deduction")
    post_save.connect(_posting, sender=Posting, dispatch_uid="rescore-posting")
    post_delete.connect(_posting, sender=Posting, dispatch_uid="rescore-d-posting")
    post_save.connect(
        _common_catalog, sender=CommonCatalogAdoption, dispatch_uid="rescore-common-catalog"
    )
