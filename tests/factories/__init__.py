"""The suite's one set of factories (factory_boy and small builder functions), by app:

* ``org`` — users, agencies, job positions, civil servants, postings (``post``), grants;
* ``catalog`` — catalog pages, frozen versions and items, publishing a page;
* ``scoring`` — lines, general and leader marks, disqualifications, stored period and annual
  scores;
* ``oversight`` — milestones, hand records, inspections with findings and files;
* ``ratings`` — the files a rating case's workflow asks for, rating cases written straight
  (``rating_case``, ``decided_case``);
* ``org_scoring`` — an agency's tasks, marks, shortcomings (import them from
  ``tests.factories.org_scoring``: its ``marks`` and ``tasks`` are agency-level).

``from tests.factories import …`` gives every name of the first four. The scenario builders
(``tests/scoring/helpers.py``, ``tests/ratings/world.py``, ``tests/org_scoring/world.py``,
``tests/worklog/helpers.py``, ``tests/api/world.py``, ``tests/dashboards/helpers.py``, the
``world`` fixture of ``tests/importers/conftest.py`` and the ``catalogs`` fixture of
``tests/catalog_pages/conftest.py``) are thin functions on top of these.
"""

from tests.factories.catalog import (
    CatalogVersionFactory,
    CatalogVersionItemFactory,
    basic_items,
    catalog_index,
    catalog_page,
    catalog_version,
    common_adoption,
    common_product,
    make_item,
    publish,
)
from tests.factories.org import (
    START_2026,
    AgencyAccessFactory,
    AgencyFactory,
    CivilServantFactory,
    CommuneFactory,
    CompetencyFactory,
    FrontFactory,
    JobDescriptionFactory,
    JobPositionFactory,
    PartyCommitteeFactory,
    PostingFactory,
    ProvinceFactory,
    PublicServiceUnitFactory,
    UnitFactory,
    UserFactory,
    across_trees,
    across_trees_people,
    agency_admin,
    approve_description,
    front_chairman_across_trees,
    job_description,
    post,
    two_agencies,
    with_user,
)
from tests.factories.org_scoring import ProvinceTaskFactory
from tests.factories.oversight import (
    InspectionAttachmentFactory,
    InspectionFactory,
    InspectionFindingFactory,
    MilestoneFactory,
    MilestoneRecordFactory,
)
from tests.factories.ratings import (
    decided_case,
    minutes_file,
    period_complaint,
    rating_case,
)
from tests.factories.scoring import (
    GENERAL_CODES,
    GENERAL_MAX,
    annual_score,
    assignment_line,
    contract_marks,
    corruption_case,
    framework_proposal,
    general_marks,
    leader_marks,
    marks_summing_to,
    period_score,
)

__all__ = [
    "GENERAL_CODES",
    "GENERAL_MAX",
    "START_2026",
    "AgencyAccessFactory",
    "AgencyFactory",
    "CatalogVersionFactory",
    "CatalogVersionItemFactory",
    "CivilServantFactory",
    "CommuneFactory",
    "CompetencyFactory",
    "FrontFactory",
    "InspectionAttachmentFactory",
    "InspectionFactory",
    "InspectionFindingFactory",
    "JobDescriptionFactory",
    "JobPositionFactory",
    "MilestoneFactory",
    "MilestoneRecordFactory",
    "PartyCommitteeFactory",
    "PostingFactory",
    "ProvinceFactory",
    "ProvinceTaskFactory",
    "PublicServiceUnitFactory",
    "UnitFactory",
    "UserFactory",
    "across_trees",
    "across_trees_people",
    "agency_admin",
    "annual_score",
    "approve_description",
    "assignment_line",
    "basic_items",
    "catalog_index",
    "catalog_page",
    "catalog_version",
    "common_adoption",
    "common_product",
    "contract_marks",
    "corruption_case",
    "decided_case",
    "framework_proposal",
    "front_chairman_across_trees",
    "general_marks",
    "job_description",
    "leader_marks",
    "make_item",
    "marks_summing_to",
    "minutes_file",
    "period_complaint",
    "period_score",
    "post",
    "publish",
    "rating_case",
    "two_agencies",
    "with_user",
]
