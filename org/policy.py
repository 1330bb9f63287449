"""What each built-in role may do with the org structure, and how its rows reach the tree.

Read by ``org.roles`` (group permissions, re-applied after every migrate) and ``org.access``
(row scopes). Every app declares the same two names in its own ``policy`` module.
"""

from org.access import (
    AGENCY_ADMIN_GROUP,
    BLOC_APPRAISER_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    HOME_AFFAIRS_ONLY,
    SHARED,
    UNIT_LEADER_GROUP,
    RowScope,
    can_access_agency,
    is_home_affairs,
    model_permissions,
    out_of_reach_message,
)

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        ADMIN_ACCESS,
        *model_permissions(
            "org",
            ("add", "change", "delete", "view"),
            (
                "agency",
                "jobposition",
                "civilservant",
                "posting",
                "deputycharge",
                "authorityrule",
                "agencyaccess",
                "competency",
                "jobdescription",
                "bloclead",
            ),
        ),
        ("org", "approve_jobdescription"),
        ("org", "appraise_jobdescription"),
    ],
    # The appraisers of a bloc's lead body read their bloc (org.blocs): its agencies and people.
    # They appraise and approve the job descriptions their bloc's bodies draft (org.blocs; the
    # province's common descriptions stay Sở Nội vụ's: org.job_descriptions.roles_of).
    BLOC_APPRAISER_GROUP: [
        ADMIN_ACCESS,
        *model_permissions(
            "org",
            ("view",),
            ("agency", "civilservant", "jobposition", "competency", "jobdescription"),
        ),
        ("org", "appraise_jobdescription"),
        ("org", "approve_jobdescription"),
    ],
    # An agency (a body of any bloc) drafts the descriptions of its own positions and submits
    # them (P2 §II.1); which rows is the write guard below.
    AGENCY_ADMIN_GROUP: [
        ADMIN_ACCESS,
        *model_permissions("org", ("view", "add", "change"), ("agency",)),
        *model_permissions("org", ("view",), ("jobposition", "competency")),
        *model_permissions("org", ("view", "add", "change", "delete"), ("jobdescription",)),
        *model_permissions("org", ("add", "change", "view"), ("civilservant", "posting")),
        *model_permissions("org", ("add", "change", "view"), ("deputycharge",)),
    ],
    UNIT_LEADER_GROUP: [
        ADMIN_ACCESS,
        *model_permissions("org", ("view",), ("agency", "civilservant")),
    ],
    CIVIL_SERVANT_GROUP: [ADMIN_ACCESS],
}

ROW_SCOPES = {
    # The bodies "cùng địa bàn" in other trees feed cross-tree authority rules: Sở Nội vụ sets
    # them, as it sets the rules.
    "org.agency": RowScope(agency="", home_affairs_fields=("counterparts",)),
    # Only Sở Nội vụ links or changes a person's sign-in: whoever holds it acts as that person
    # in the rating workflow and on Form 01.
    "org.civilservant": RowScope(person="", home_affairs_fields=("user",)),
    "org.posting": RowScope(person="civil_servant", agency="agency"),
    "org.deputycharge": RowScope(person="deputy", during=""),
    "org.jobposition": SHARED,
    # The competency dictionary and the job descriptions are province-wide reference data:
    # every admin user reads them. An agency writes the drafts of its own subtree, Sở Nội vụ
    # any (``WRITE_GUARDS``); the lead body of the bloc appraises and approves
    # (org.job_descriptions.roles_of; P2 §II.1: agencies draft, the competent level approves).
    # An approved or superseded version is frozen for everyone; a change is a new version.
    "org.competency": SHARED,
    "org.jobdescription": RowScope(
        kind="shared", frozen=(("status__in", ("approved", "superseded")),)
    ),
    # The rows of a description (its tasks, requirements, competencies) are written with it,
    # through its form: reached through the description's agency (a common one: Sở Nội vụ).
    "org.jobdescriptiontask": RowScope(agency="description__agency"),
    "org.jobdescriptionrequirement": RowScope(agency="description__agency"),
    "org.jobdescriptioncompetency": RowScope(agency="description__agency"),
    "org.authorityrule": HOME_AFFAIRS_ONLY,
    "org.agencyaccess": HOME_AFFAIRS_ONLY,
    # Which body leads which bloc: set by Sở Nội vụ as the province decides.
    "org.bloclead": HOME_AFFAIRS_ONLY,
}


def _job_description_guard(user, action, row):
    """An agency writes only its own drafts (its subtree: a unit's, a bloc body's); the
    province's common descriptions (no agency) are Sở Nội vụ's. Moving a version through its
    steps is the flow's (``org.job_descriptions``), which asks its roles itself."""
    from django.utils.translation import gettext

    if action not in ("add", "change", "delete") or is_home_affairs(user):
        return None
    if row.agency_id is None:
        return gettext(
            "Bản mô tả công việc dùng chung của tỉnh do Sở Nội vụ soạn. Chọn cơ quan của bạn ở ô "
            "“Cơ quan xây dựng” để soạn bản mô tả cho vị trí việc làm của cơ quan mình."
        )
    if not can_access_agency(user, row.agency):
        return out_of_reach_message()
    return None


WRITE_GUARDS = {"org.jobdescription": _job_description_guard}

#: The one write service of a person's record and postings (transfers included), called by
#: every admin door (``org.admin_scope``); docs/security.md, "door → service".
WRITE_SERVICES = {"org.civilservant": "org.people_writes"}
