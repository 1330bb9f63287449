"""The "excellent" quota across the DECISIONS of one authority's group (Decree 335 Art. 20 cl. 5).

Group: the civil-servant cases of one year whose rater is the head of the same agency
(``rater_agency``) and whose people hold job positions of the same group (similar tasks).
Only decided cases count (not cancelled; a case on hold keeps its decision until cancelled).

A new "excellent" decision is allowed only if, counting it, the group still satisfies
``allowed_excellent(E, G, ratio) >= E`` — i.e. E ≤ ratio × G with G the people *finally*
decided good (the engine's reading, docs/scoring.md §5). So the decision that would exceed the
cap is refused, and the refusal states the current counts. Decide the "good" cases first.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from ratings.models import CaseKind, CaseState, RatingCase
from ratings.services.labels import position_group_label
from scoring.engine import FrameworkRules, allowed_excellent


@dataclass(frozen=True)
class QuotaStatus:
    ratio: Decimal
    excellent: int
    good: int
    group_label: str

    @property
    def max_excellent(self) -> int:
        """Largest number of excellent decisions the current good decisions allow."""
        return int((self.ratio * self.good).to_integral_value(rounding=ROUND_FLOOR))

    @property
    def percent(self) -> str:
        return f"{(self.ratio * 100).normalize():f}"

    def allows_one_more(self) -> bool:
        wanted = self.excellent + 1
        return allowed_excellent(wanted, self.good, self.ratio) >= wanted


def group_cases(case):
    return RatingCase.objects.filter(
        kind=CaseKind.CIVIL_SERVANT,
        year=case.year,
        rater_agency_id=case.rater_agency_id,
        position_group=case.position_group,
    ).exclude(state=CaseState.CANCELLED)


def quota_ratio(case, rules: FrameworkRules) -> Decimal:
    """20 %, or the framework's ``outstanding_ratio`` (25 %) when the rating agency (or an agency
    above it) is recognised for outstanding achievements that year (Art. 20 cl. 5(b))."""
    from org_scoring.models import recognised_outstanding

    if case.rater_agency_id and recognised_outstanding(case.rater_agency.path, case.year):
        return rules.quota.outstanding_ratio.value
    return rules.quota.ratio.value


def group_label(case) -> str:
    agency = case.rater_agency.name if case.rater_agency_id else "—"
    return _("%(agency)s, nhóm %(group)s") % {
        "agency": agency,
        "group": position_group_label(case.position_group),
    }


def quota_status(
    case, rules: FrameworkRules, *, lock: bool = False, include_self: bool = False
) -> QuotaStatus:
    """Decided counts of the case's group (the case itself excluded unless ``include_self``)."""
    cases = group_cases(case)
    if not include_self:
        cases = cases.exclude(pk=case.pk)
    if lock:
        cases = cases.select_for_update()
    levels = list(cases.values_list("decision_level", flat=True))
    return QuotaStatus(
        ratio=quota_ratio(case, rules),
        excellent=levels.count("excellent"),
        good=levels.count("good"),
        group_label=group_label(case),
    )


def refusal_message(status: QuotaStatus) -> str:
    return _(
        "Vượt tỷ lệ hoàn thành xuất sắc nhiệm vụ của %(group)s: hiện đã quyết định "
        "%(excellent)d hoàn thành xuất sắc và %(good)d hoàn thành tốt; số hoàn thành xuất sắc "
        "không được vượt quá %(percent)s%% số hoàn thành tốt, tức tối đa %(max)d. "
        "Hãy quyết định các trường hợp hoàn thành tốt trước hoặc chọn mức khác."
    ) % {
        "group": status.group_label,
        "excellent": status.excellent,
        "good": status.good,
        "percent": status.percent,
        "max": status.max_excellent,
    }
