"""What each built-in group may do with the worklog models (row reach is ``worklog.access``).

Assigning, reporting and reviewing never go through model permissions: they follow the
evaluation-authority rules. Only the holiday calendar is edited as a snippet, by Sở Nội vụ.
"""

from org.access import HOME_AFFAIRS_GROUP

WORKLOG_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        ("worklog", f"{action}_holiday") for action in ("add", "change", "delete", "view")
    ],
}


def register_role_permissions() -> None:
    from org.roles import EXTRA_ROLE_PERMISSIONS

    for group, permissions in WORKLOG_PERMISSIONS.items():
        wanted = EXTRA_ROLE_PERMISSIONS.setdefault(group, [])
        for permission in permissions:
            if permission not in wanted:
                wanted.append(permission)
