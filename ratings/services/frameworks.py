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
from scoring.services.frameworks import revision_rules


def rules_for_annual_score(annual) -> FrameworkRules:
    if annual is not None and annual.framework_revision_id:
        rules = revision_rules(annual.framework_revision_id)
        if rules is not None:
            return rules
    return DECREE_335_DEFAULT


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
