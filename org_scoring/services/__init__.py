"""Organisation scoring services: inputs from the database → the pure engine → stored scores.

Public API::

    score_organisations(year, agency=None) -> OrgReport     # a subtree (or the province)
    score_agency(agency, year) -> OrganisationScore | None   # one agency and its ancestors
    stored_score(agency, year) -> OrganisationScore | None   # the scored row, if any
    organisation_framework(agency, year) -> OrganisationFramework
"""

from org_scoring.services.frameworks import OrganisationFramework, organisation_framework
from org_scoring.services.lookup import stored_score
from org_scoring.services.scorer import OrgReport, score_agency, score_organisations

__all__ = [
    "OrgReport",
    "OrganisationFramework",
    "organisation_framework",
    "score_agency",
    "score_organisations",
    "stored_score",
]
