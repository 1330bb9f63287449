"""Organisation scoring services: inputs from the database → the pure engine → stored scores
(which rules apply is ``org_scoring.frameworks``, below the models).

Public API::

    score_organisations(year, agency=None) -> OrgReport     # a subtree (or the province)
    score_agency(agency, year) -> OrganisationScore | None   # one agency and its ancestors
    stored_score(agency, year) -> OrganisationScore | None   # the scored row, if any
"""

from org_scoring.services.lookup import stored_score
from org_scoring.services.scorer import OrgReport, score_agency, score_organisations

__all__ = [
    "OrgReport",
    "score_agency",
    "score_organisations",
    "stored_score",
]
