"""The "excellent" quota across the DECISIONS of one group (Decree 335 Art. 20 cl. 5).

Group: the civil-servant cases of one year in the same quota group as the case — the ONE
definition of ``scoring.services.quota_groups`` (framework option ``quota.group_by``, default:
the agency whose head rates × job-position group), computed from the case's posting agency,
role and job-position group, exactly as the provisional annual rating groups the same people.
Only decided cases count (not cancelled; a case on hold keeps its decision until cancelled).

A new "excellent" decision is allowed only if, counting it, the number decided excellent stays
within ``quota_cap(base, ratio, rounding)`` of the framework: with the default base the base is
everyone *finally* decided good (the engine's reading, docs/scoring.md §5); with
``good_before`` the people decided good whose annual score was excellent before the quota are
left out of the base. The decision that would exceed the cap is refused, and the refusal states
the current counts. Decide the "good" cases first.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from org.models import Agency
from ratings.models import CaseKind, CaseState, RatingCase
from ratings.services.frameworks import rules_for_case
from ratings.services.labels import position_group_label
from scoring.engine import FrameworkRules, quota_cap
from scoring.models import recognised_outstanding
from scoring.services.quota_groups import QuotaGrouper
from scoring.services.scope import in_quota_cases


@dataclass(frozen=True)
class QuotaStatus:
    ratio: Decimal
    excellent: int
    good: int
    group_label: str
    rounding: str = "floor"

    @property
    def max_excellent(self) -> int:
        """Largest number of excellent decisions the current good decisions allow."""
        return quota_cap(self.good, self.ratio, self.rounding)

    @property
    def percent(self) -> str:
        return f"{(self.ratio * 100).normalize():f}"

    def allows_one_more(self) -> bool:
        return self.excellent + 1 <= self.max_excellent


def _group(case, rules: FrameworkRules, grouper: QuotaGrouper):
    return grouper.group_of(case.agency_id, case.role, case.position_group, rules)


def group_cases(case, rules: FrameworkRules | None = None):
    """The year's civil-servant cases (not cancelled) in the quota group of ``case``."""
    if rules is None:
        rules = rules_for_case(case)
    grouper = QuotaGrouper()
    key = _group(case, rules, grouper)
    candidates = RatingCase.objects.filter(
        kind=CaseKind.CIVIL_SERVANT,
        year=case.year,
        position_group=case.position_group,
        agency__path__startswith=grouper.path(key),
    ).exclude(state=CaseState.CANCELLED)
    ids = [
        pk
        for pk, agency_id, role, group in candidates.values_list(
            "pk", "agency_id", "role", "position_group"
        )
        if grouper.group_of(agency_id, role, group, rules) == key
    ]
    # Only the categories the quota counts (public employees, contract workers: never).
    return in_quota_cases(RatingCase.objects.filter(pk__in=ids), case.year)


def _group_agency(case, rules: FrameworkRules) -> Agency | None:
    grouper = QuotaGrouper()
    return Agency.objects.filter(pk=_group(case, rules, grouper).agency_id).first()


def quota_ratio(case, rules: FrameworkRules) -> Decimal:
    """20 %, or the framework's ``outstanding_ratio`` (25 %) when the group's agency (or an
    agency above it) is recognised for outstanding achievements that year (Art. 20 cl. 5(b))."""
    agency = _group_agency(case, rules)
    if agency is not None and recognised_outstanding(agency.path, case.year):
        return rules.quota.outstanding_ratio.value
    return rules.quota.ratio.value


def group_label(case, rules: FrameworkRules) -> str:
    agency = _group_agency(case, rules)
    return _("%(agency)s, nhóm %(group)s") % {
        "agency": agency.name if agency is not None else "—",
        "group": position_group_label(case.position_group),
    }


def quota_status(
    case, rules: FrameworkRules, *, lock: bool = False, include_self: bool = False
) -> QuotaStatus:
    """Decided counts of the case's group (the case itself excluded unless ``include_self``)."""
    cases = group_cases(case, rules)
    if not include_self:
        cases = cases.exclude(pk=case.pk)
    if lock:
        # Lock the cases themselves: the outer join to their annual score cannot be locked.
        cases = cases.select_for_update(of=("self",))
    decided = list(cases.values_list("decision_level", "annual_score__rating_before_quota"))
    excellent = sum(1 for level, _before in decided if level == "excellent")
    good = sum(
        1
        for level, before in decided
        if level == "good" and (rules.quota.base.value != "good_before" or before != "excellent")
    )
    return QuotaStatus(
        ratio=quota_ratio(case, rules),
        excellent=excellent,
        good=good,
        group_label=group_label(case, rules),
        rounding=rules.quota.rounding.value,
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
