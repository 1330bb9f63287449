"""The one permission layer: which rows a user may see, change and pick.

Every admin view (listings, single-object URLs, add and edit forms, choosers, exports), report,
file view and API view asks here. Two questions are kept apart:

* **What kind of thing** a role may touch: Django model permissions, granted to the built-in
  groups by each app's ``policy.ROLE_PERMISSIONS`` (collected by ``org.roles``).
* **Which rows**: how a model's rows reach the org tree, declared once per model in each app's
  ``policy.ROW_SCOPES`` as a :class:`RowScope` and answered by :func:`visible`,
  :func:`editable`, :func:`pickable` and :func:`may`.

Reach, for a user who is not Sở Nội vụ:

* a user granted an agency (``AgencyAccess``: agency admin, unit leader) reaches that agency's
  whole subtree: the agencies in it, the people posted in it (at any time) and every row that
  points at them; so does the head of an agency (their civil servant's head posting today) for
  the agency they head — changing still needs the model permission of a role;
* a civil servant linked to the user sees their own rows (never changes them through the admin:
  nobody edits the inputs of their own score);
* the appraisers of a bloc's lead body (Ban Tổ chức Tỉnh ủy for the Party bloc, the Front's
  standing committee for the Front bloc: ``org.blocs``) reach that whole bloc, and only it;
* Sở Nội vụ (group ``HOME_AFFAIRS_GROUP``) and superusers reach everything;
* an integration system (API token) reaches the subtrees it was granted, like an agency grant,
  and has no rows of its own.

Picking (form choices and choosers) is changing: a user may only pick rows they may change, so
an agency admin cannot attach a line, a mark or a disqualification to another agency's person.

The package's modules depend one way, lowest first:

* ``groups``: the built-in groups' names;
* ``user_reach``: the per-request :class:`Reach` of a user (their person, groups, grants,
  postings, headed and own agencies, the subtrees they reach, the blocs they appraise), kept in
  one place on the user object, and the questions asked of it;
* ``registry``: what the apps declare in their ``policy.py`` (:class:`RowScope`,
  :class:`ExtraReach`), collected once per process;
* ``tree``: the agencies and people a user reaches through their subtrees;
* ``scopes``: a model's rows a user may read, change and pick, by its declared scope;
* ``decisions``: whether a user may do an action to one row (:func:`refusal`, :func:`may`).

This module re-exports their public names: callers import from ``org.access``.
"""

from org.access.decisions import may, out_of_reach_message, refusal, write_service
from org.access.groups import (
    AGENCY_ADMIN_GROUP,
    BLOC_APPRAISER_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    PROVINCE_OFFICE_GROUP,
    UNIT_LEADER_GROUP,
)
from org.access.registry import (
    ADD,
    CHANGE,
    DELETE,
    HOME_AFFAIRS_ONLY,
    POLICY_MODULE,
    SHARED,
    VIEW,
    ExtraReach,
    RowScope,
    app_policies,
    extra_reach,
    extra_reaches,
    is_declared,
    model_permissions,
    row_span,
    scope_of,
)
from org.access.scopes import (
    editable,
    has_model_permission,
    pickable,
    reads,
    row_in_reach,
    visible,
)
from org.access.tree import (
    agencies_under,
    can_access_agency,
    can_access_civil_servant,
    can_manage_civil_servant,
    dated_rows_in_reach,
    held_person_q,
    people_posted_under_during,
    posted_under_during,
    reachable_civil_servants,
    reaches_agencies,
    visible_agencies,
    visible_civil_servants,
    visible_person_q,
)
from org.access.user_reach import (
    Reach,
    civil_servant_of,
    forget_groups,
    forget_postings,
    grant_paths,
    granted_agencies,
    grants,
    group_names,
    has_grant,
    headed_agencies,
    is_home_affairs,
    own_agencies,
    posted_agency_ids,
    postings_of,
    reach,
    reached_paths,
    scope_key,
)

__all__ = [
    "ADD",
    "AGENCY_ADMIN_GROUP",
    "BLOC_APPRAISER_GROUP",
    "CHANGE",
    "CIVIL_SERVANT_GROUP",
    "DELETE",
    "HOME_AFFAIRS_GROUP",
    "HOME_AFFAIRS_ONLY",
    "POLICY_MODULE",
    "PROVINCE_OFFICE_GROUP",
    "SHARED",
    "UNIT_LEADER_GROUP",
    "VIEW",
    "ExtraReach",
    "Reach",
    "RowScope",
    "agencies_under",
    "app_policies",
    "can_access_agency",
    "can_access_civil_servant",
    "can_manage_civil_servant",
    "civil_servant_of",
    "dated_rows_in_reach",
    "editable",
    "extra_reach",
    "extra_reaches",
    "forget_groups",
    "forget_postings",
    "grant_paths",
    "granted_agencies",
    "grants",
    "group_names",
    "has_grant",
    "has_model_permission",
    "headed_agencies",
    "held_person_q",
    "is_declared",
    "is_home_affairs",
    "may",
    "model_permissions",
    "out_of_reach_message",
    "own_agencies",
    "people_posted_under_during",
    "pickable",
    "posted_agency_ids",
    "posted_under_during",
    "postings_of",
    "reach",
    "reachable_civil_servants",
    "reached_paths",
    "reaches_agencies",
    "reads",
    "refusal",
    "row_in_reach",
    "row_span",
    "scope_key",
    "scope_of",
    "visible",
    "visible_agencies",
    "visible_civil_servants",
    "visible_person_q",
    "write_service",
]
