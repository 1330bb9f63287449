"""Score inputs saved or deleted through the ORM ask for their people to be rescored
(``scoring.services.rescoring``): assignment lines, deductions and exemptions, general-criteria
and leader marks, postings, a decision adopting the common catalog, a period reopened. Bulk
writes (the importers' COPY, queryset updates) send no signal and call ``request_rescore``
themselves.

The inputs of the annual scores that are not period scores mark those annual scores stale in
the same transaction (``scoring.services.freshness``; issue 28): a disqualification (the
person's year), a posting (each year it covers, before and after the change: the rating
agency, the months worked, the leader roles and the quota group follow it), a recognition of
outstanding achievements (every annual score of the year: the quota of a group is shared) and
a period whose status changes (its year)."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog_pages.models import AdoptedCommonItem, AdoptionStatus, CommonCatalogAdoption
from org.models import Posting
from scoring.models import (
    AssignmentLine,
    CompetencyAssessment,
    Deduction,
    Disqualification,
    GeneralCriteriaMark,
    LeaderMark,
    OutstandingRecognition,
    Period,
    ScoringSettings,
)
from scoring.services.freshness import mark_annual
from scoring.services.period_batch import SCORABLE_KINDS
from scoring.services.postings import END_OF_PERIOD, changing_within
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
    """Every open period the posting covers, before or after the change (a correction of an
    earlier month's posting changes that month's agency, role and criterion d), and the
    periods containing today."""
    if kwargs.get("raw"):
        return
    spans = [(instance.start_date, instance.end_date)]
    before = getattr(instance, "_stored_before_save", None)
    if before is not None:
        spans.append((before["start_date"], before["end_date"]))
    covered = Q()
    for start, end in spans:
        covered |= Q(end_date__gte=start) & (Q(start_date__lte=end) if end else Q())
    periods = {p.pk: p for p in open_periods_on(timezone.localdate())}
    for period in Period.objects.filter(covered, kind__in=SCORABLE_KINDS).order_by("start_date"):
        if not period.is_final:
            periods.setdefault(period.pk, period)
    reason = _("Thay đổi vị trí công tác của công chức")
    for period in periods.values():
        request_rescore(period, people=[instance.civil_servant_id], reason=reason)
        if before is not None and before["agency_id"] != instance.agency_id:
            # The leaders the person left count them no more (their criterion d, a, b, c).
            request_rescore(period, agency=before["agency_id"], reason=reason)


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


def _remember_rule(sender, instance, raw=False, **kwargs):
    if raw:
        return
    instance._rule_before = (
        ScoringSettings.objects.filter(pk=instance.pk)
        .values_list("transfer_rule", flat=True)
        .first()
        if instance.pk
        else None
    )


def _transfer_rule(sender, instance, created=False, **kwargs):
    """The province changed which posting governs a period with a change of posting (legal
    review U-C): every open period in which a posting starts or ends is rescored for the whole
    province (a head's transfer changes who evaluates a unit and whose criterion d counts whom;
    unchanged inputs write nothing), and the annual scores of their years are refreshed. Closed
    periods keep their results."""
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_rule_before", None) or END_OF_PERIOD
    if before == instance.transfer_rule:
        return
    reason = _("Sở Nội vụ đổi quy tắc tính kỳ có chuyển công tác, bổ nhiệm giữa kỳ")
    years = set()
    for period in Period.objects.filter(kind__in=SCORABLE_KINDS).order_by("start_date"):
        if period.is_final:
            continue
        if Posting.objects.filter(changing_within(period)).exists():
            request_rescore(period, everyone=True, reason=reason)
            years.add(period.year)
    mark_annual({(None, year) for year in years}, reason)


def _stored(instance, fields):
    """The row as stored before this save (``None`` for a new one)."""
    if instance.pk is None:
        return None
    return type(instance).objects.filter(pk=instance.pk).values(*fields).first()


def _remember(sender, instance, raw=False, **kwargs):
    if raw:
        return
    fields = {
        Posting: ("civil_servant_id", "agency_id", "start_date", "end_date"),
        Disqualification: ("civil_servant_id", "year"),
        OutstandingRecognition: ("year",),
        Period: ("status", "year"),
    }[sender]
    instance._stored_before_save = _stored(instance, fields)


def _years(start, end) -> set[int]:
    """The years of ``start``–``end`` (open-ended: to this year) that have periods: a year
    without any has no annual score to refresh (a posting held since 2015 marks no year
    before the system's first)."""
    last = (end or max(start, timezone.localdate())).year
    return set(
        Period.objects.filter(year__gte=start.year, year__lte=last)
        .values_list("year", flat=True)
        .distinct()
    )


def _posting_years(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    pairs = {(instance.civil_servant_id, y) for y in _years(instance.start_date, instance.end_date)}
    before = getattr(instance, "_stored_before_save", None)
    if before is not None:
        pairs |= {
            (before["civil_servant_id"], y)
            for y in _years(before["start_date"], before["end_date"])
        }
    mark_annual(pairs, _("Thay đổi vị trí công tác của công chức"))


def _disqualification(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    pairs = {(instance.civil_servant_id, instance.year)}
    before = getattr(instance, "_stored_before_save", None)
    if before is not None:
        pairs.add((before["civil_servant_id"], before["year"]))
    mark_annual(pairs, _("Thay đổi trường hợp không hoàn thành nhiệm vụ"))


def _recognition(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    years = {instance.year}
    before = getattr(instance, "_stored_before_save", None)
    if before is not None:
        years.add(before["year"])
    mark_annual(
        {(None, year) for year in years},
        _("Thay đổi công nhận tổ chức có thành tích xuất sắc, nổi trội"),
    )


def _period_status(sender, instance, created=False, **kwargs):
    """A period reopened (or closed by its form) changes what is final: the whole period is
    rescored once it is open again (runs requested while it was closed were skipped) and the
    annual scores of its year are refreshed."""
    if kwargs.get("raw") or created:
        return
    before = getattr(instance, "_stored_before_save", None)
    if before is None or before["status"] == instance.status:
        return
    reason = _("Kỳ %(period)s đổi trạng thái") % {"period": instance.label}
    if not instance.is_final and instance.kind in SCORABLE_KINDS:
        request_rescore(instance, everyone=True, reason=reason)
    mark_annual({(None, instance.year)}, reason)


def connect() -> None:
    for model in (AssignmentLine, GeneralCriteriaMark, LeaderMark, CompetencyAssessment):
        post_save.connect(_person_in_period, sender=model, dispatch_uid=f"rescore-{model}")
        post_delete.connect(_person_in_period, sender=model, dispatch_uid=f"rescore-d-{model}")
    post_save.connect(_deduction, sender=Deduction, dispatch_uid="rescore-deduction")
    post_delete.connect(_deduction, sender=Deduction, dispatch_uid="rescore-d-deduction")
    post_save.connect(_posting, sender=Posting, dispatch_uid="rescore-posting")
    post_delete.connect(_posting, sender=Posting, dispatch_uid="rescore-d-posting")
    post_save.connect(
        _common_catalog, sender=CommonCatalogAdoption, dispatch_uid="rescore-common-catalog"
    )
    for model in (Posting, Disqualification, OutstandingRecognition, Period):
        pre_save.connect(_remember, sender=model, dispatch_uid=f"stale-before-{model}")
    for model, handler in (
        (Posting, _posting_years),
        (Disqualification, _disqualification),
        (OutstandingRecognition, _recognition),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"stale-annual-{model}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"stale-annual-d-{model}")
    post_save.connect(_period_status, sender=Period, dispatch_uid="rescore-period-status")
    pre_save.connect(_remember_rule, sender=ScoringSettings, dispatch_uid="transfer-rule-before")
    post_save.connect(_transfer_rule, sender=ScoringSettings, dispatch_uid="transfer-rule")
