"""What each built-in group may do with the scoring models (row reach is ``org.access``).

Registered from ``ScoringConfig.ready()`` into ``org.roles.EXTRA_ROLE_PERMISSIONS``, which
``org.roles.ensure_roles`` applies after every migrate.
"""

from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)

ALL_MODELS = (
    "criteriaframework",
    "frameworkassignment",
    "period",
    "assignmentline",
    "deduction",
    "evidence",
    "generalcriteriamark",
    "leadermark",
    "disqualification",
    "periodscore",
    "annualscore",
)
INPUTS = ("assignmentline", "deduction", "evidence", "generalcriteriamark", "leadermark")
RESULTS = ("periodscore", "annualscore")


def _perms(actions, models):
    return [("scoring", f"{action}_{model}") for model in models for action in actions]


SCORING_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        *_perms(("add", "change", "delete", "view"), ALL_MODELS),
        ("scoring", "publish_criteriaframework"),
        ("scoring", "lock_criteriaframework"),
        ("scoring", "unlock_criteriaframework"),
    ],
    AGENCY_ADMIN_GROUP: [
        *_perms(("view",), ("period", *RESULTS)),
        *_perms(("add", "change", "view"), (*INPUTS, "disqualification")),
    ],
    UNIT_LEADER_GROUP: [
        *_perms(("view",), ("period", *RESULTS)),
        *_perms(("add", "change", "view"), INPUTS),
    ],
    CIVIL_SERVANT_GROUP: _perms(("view",), ("period", "assignmentline", *RESULTS)),
}


def register_role_permissions() -> None:
    from org.roles import EXTRA_ROLE_PERMISSIONS

    for group, permissions in SCORING_PERMISSIONS.items():
        wanted = EXTRA_ROLE_PERMISSIONS.setdefault(group, [])
        for permission in permissions:
            if permission not in wanted:
                wanted.append(permission)
