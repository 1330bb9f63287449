"""Which scoring rules apply to a rating case (read from ``scoring``, never copied).

* A civil servant: the framework revision that produced their annual score (the bands they were
  scored under); the engine's Decree 335 defaults when the score has none.
* An agency/unit: the ``organisation`` section of the live framework assigned to it
  (organisation frameworks first, then the civil-servant one, which also carries it), else the
  engine's defaults.
"""

from scoring.engine import DECREE_335_DEFAULT, FrameworkRules, OrganisationRules
from scoring.models import AppliesTo, PeriodKind
from scoring.services.frameworks import FrameworkResolver, revision_rules


def rules_for_annual_score(annual) -> FrameworkRules:
    if annual is not None and annual.framework_revision_id:
        rules = revision_rules(annual.framework_revision_id)
        if rules is not None:
            return rules
    return DECREE_335_DEFAULT


def rules_for_case(case) -> FrameworkRules:
    if case.is_agency_case:
        return _framework_for_agency(case.subject_agency, case.year) or DECREE_335_DEFAULT
    return rules_for_annual_score(case.annual_score)


def _framework_for_agency(agency, year) -> FrameworkRules | None:
    import datetime

    day = datetime.date(year, 12, 31)
    for applies_to in (AppliesTo.ORGANISATION, AppliesTo.CIVIL_SERVANT):
        resolver = FrameworkResolver(applies_to)
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            resolved = resolver.resolve(agency.path, kind, day)
            if resolved is not None and resolved.rules.organisation is not None:
                return resolved.rules
    return None


def organisation_rules(case) -> OrganisationRules:
    rules = rules_for_case(case)
    return rules.organisation or DECREE_335_DEFAULT.organisation


def head_cap_enabled(rules: FrameworkRules) -> bool:
    organisation = rules.organisation or DECREE_335_DEFAULT.organisation
    return organisation.cap_head_by_agency.enabled
