"""What each built-in group may do with the ratings configuration models (snippets).

Rating cases themselves are not edited through model permissions: every move goes through the
workflow, whose roles come from the evaluation-authority rules. Registered from
``RatingsConfig.ready()`` into ``org.roles.EXTRA_ROLE_PERMISSIONS``.
"""

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP

CONFIG_MODELS = ("ratingcalendar", "agencyschedule", "bonusregulation")


def _perms(actions, models):
    return [("ratings", f"{action}_{model}") for model in models for action in actions]


RATINGS_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: _perms(("add", "change", "delete", "view"), CONFIG_MODELS),
    AGENCY_ADMIN_GROUP: [
        *_perms(("view",), ("ratingcalendar", "agencyschedule")),
        *_perms(("add", "change", "view"), ("bonusregulation",)),
    ],
}


def register_role_permissions() -> None:
    from org.roles import EXTRA_ROLE_PERMISSIONS

    for group, permissions in RATINGS_PERMISSIONS.items():
        wanted = EXTRA_ROLE_PERMISSIONS.setdefault(group, [])
        for permission in permissions:
            if permission not in wanted:
                wanted.append(permission)
