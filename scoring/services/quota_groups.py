"""The group within which the "excellent" quota applies — ONE definition for the provisional
annual rating (``scoring.services.annual``), the decision guard of the rating cases
(``ratings.services.quota``) and the dashboards' quota table.

Decree 335 Art. 20 cl. 5 [confirmed]: the number rated excellent may not exceed 20 % of the
number rated good "trong cùng cơ quan, tổ chức, đơn vị và trong nhóm công chức có nhiệm vụ
tương đồng". A group is therefore an agency (chosen by the framework option
``quota.group_by``) × the job-position group (similar tasks):

* ``rater_agency`` (default) — the agency whose head rates the person under the authority
  rules (``org.AuthorityRule.rater_*``): the department for its units' staff, deputies and
  heads; the department itself for its deputy directors; the province for directors and
  commune chairmen. The head who decides the ratings applies the quota over their own
  decisions [inferred].
* ``owning_agency`` — the department, commune or province the posting belongs to.
* ``posting_unit`` — the unit of the posting itself (groups of a few people; a group of fewer
  than 6 then never keeps an excellent at 20 %).

The group is computed from a person's posting agency, role and job-position group only — the
same three facts the annual score and its rating case store — so both sides agree by
construction.
"""

from dataclasses import dataclass

from org.authority import active_rules, select_rule
from org.models import AGENCY_KINDS, Relation
from scoring.engine import FrameworkRules
from scoring.services.org_snapshot import load_agencies


@dataclass(frozen=True)
class QuotaGroup:
    mode: str
    agency_id: int | None
    position_group: str


class QuotaGrouper:
    """Agencies and authority rules loaded once; answers many people in memory."""

    def __init__(self, agencies=None, rules=None):
        self.agencies = agencies if agencies is not None else load_agencies()
        self.rules = rules if rules is not None else active_rules()
        self._cache: dict[tuple, int | None] = {}

    def _ancestor(self, agency, relation: str, kind: str):
        if relation == Relation.OWN:
            return agency
        if relation == Relation.PARENT:
            return self.agencies.get(agency.parent_id)
        if relation == Relation.NEAREST_OF_KIND:
            node = agency
            while node is not None and node.kind != kind:
                node = self.agencies.get(node.parent_id)
            return node
        return None

    def _owning(self, agency):
        node = agency
        while node is not None and node.kind not in AGENCY_KINDS:
            node = self.agencies.get(node.parent_id)
        return node or agency

    def agency_of(self, agency_id: int, role: str, mode: str) -> int | None:
        """The agency of the quota group of a person posted at ``agency_id`` with ``role``."""
        key = (agency_id, role, mode)
        if key in self._cache:
            return self._cache[key]
        agency = self.agencies.get(agency_id)
        result = None
        if agency is not None:
            if mode == "posting_unit":
                result = agency.pk
            elif mode == "owning_agency":
                result = self._owning(agency).pk
            else:
                rule = select_rule(self.rules, agency, role)
                target = (
                    self._ancestor(agency, rule.rater_relation, rule.rater_kind) if rule else None
                )
                # No rule, or a rule naming no agency: the owning agency decides.
                result = (target or self._owning(agency)).pk
        self._cache[key] = result
        return result

    def group_of(
        self, agency_id: int, role: str, position_group: str, rules: FrameworkRules
    ) -> QuotaGroup:
        mode = rules.quota.group_by.value
        return QuotaGroup(mode, self.agency_of(agency_id, role, mode), position_group or "")

    def path(self, group: QuotaGroup) -> str:
        agency = self.agencies.get(group.agency_id) if group.agency_id is not None else None
        return agency.path if agency is not None else ""


def quota_group(agency_id: int, role: str, position_group: str, rules: FrameworkRules):
    """One person's group (loads the tree; use :class:`QuotaGrouper` for many people)."""
    return QuotaGrouper().group_of(agency_id, role, position_group, rules)
