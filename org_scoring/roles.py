"""What each built-in group may do with the organisation-scoring models (row reach is
``org.access``): Sở Nội vụ everything; an agency admin enters the inputs of the agencies
granted to them and sees their scores. Unit leaders and civil servants get nothing here.

Registered from ``OrgScoringConfig.ready()`` into ``org.roles.EXTRA_ROLE_PERMISSIONS``, which
``org.roles.ensure_roles`` applies after every migrate.
"""

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP

INPUTS = ("organisationtask", "organisationgeneralmark", "organisationshortcoming")
ALL_MODELS = (
    *INPUTS,
    "organisationdisqualification",
    "outstandingrecognition",
    "organisationscore",
)


def _perms(actions, models):
    return [("org_scoring", f"{action}_{model}") for model in models for action in actions]


ORG_SCORING_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: _perms(("add", "change", "delete", "view"), ALL_MODELS),
    AGENCY_ADMIN_GROUP: [
        *_perms(("add", "change", "delete", "view"), INPUTS),
        *_perms(
            ("view",),
            ("organisationdisqualification", "outstandingrecognition", "organisationscore"),
        ),
    ],
}


def register_role_permissions() -> None:
    from org.roles import EXTRA_ROLE_PERMISSIONS

    for group, permissions in ORG_SCORING_PERMISSIONS.items():
        wanted = EXTRA_ROLE_PERMISSIONS.setdefault(group, [])
        for permission in permissions:
            if permission not in wanted:
                wanted.append(permission)
