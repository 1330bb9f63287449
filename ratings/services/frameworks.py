"""Which scoring rules apply to a rating case (read from ``scoring``, never copied).

* A civil servant: the framework revision that produced their annual score (the bands they were
  scored under); the engine's Decree 335 defaults when the score has none.
* An agency/unit: the ``organisation`` section of the live framework assigned to it
  (organisation frameworks first, then the civil-servant one, which also carries it), else the
  engine's defaults.
"""

from org_scoring.frameworks import organisation_framework
from scoring.engine import (
    DECREE_335_DEFAULT,
    DECREE_335_ORGANISATION,
    FrameworkRules,
    OrganisationRules,
)
from scoring.services.frameworks import rules_by_revision


def rules_for_annual_score(annual) -> FrameworkRules:
    return rules_for_annual_scores([annual])[0]


def rules_for_annual_scores(annuals) -> list[FrameworkRules]:
    """:func:`rules_for_annual_score` of each of ``annuals``, in order (their revisions read
    at once): the revision that produced the score, else the Decree 335 defaults."""
    annuals = list(annuals)
    known = rules_by_revision(
        {a.framework_revision_id for a in annuals if a is not None and a.framework_revision_id}
    )
    return [
        known.get(a.framework_revision_id, DECREE_335_DEFAULT)
        if a is not None and a.framework_revision_id
        else DECREE_335_DEFAULT
        for a in annuals
    ]


def rules_for_case(case) -> FrameworkRules:
    if case.is_agency_case:
        # The same resolution as the stored organisation scores (``org_scoring``).
        return organisation_framework(case.subject_agency, case.year).rules
    return rules_for_annual_score(case.annual_score)


def organisation_rules(case) -> OrganisationRules:
    rules = rules_for_case(case)
    return rules.organisation or DECREE_335_ORGANISATION


def head_cap_enabled(rules: FrameworkRules) -> bool:
    organisation = rules.organisation or DECREE_335_ORGANISATION
    return organisation.cap_head_by_agency.enabled
