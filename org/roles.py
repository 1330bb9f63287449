"""Built-in groups and their model permissions, (re)applied after every migrate.

Row-level reach is separate (``org.access``); these only say *what kind* of thing each role may
touch. Sở Nội vụ can change anything; an agency admin edits their own agency's units, people and
postings; leaders and civil servants only sign in to the admin.
"""

from django.contrib.auth.models import Group, Permission

from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        ADMIN_ACCESS,
        *[
            ("org", f"{action}_{model}")
            for model in (
                "agency",
                "jobposition",
                "civilservant",
                "posting",
                "deputycharge",
                "authorityrule",
                "agencyaccess",
            )
            for action in ("add", "change", "delete", "view")
        ],
    ],
    AGENCY_ADMIN_GROUP: [
        ADMIN_ACCESS,
        ("org", "view_agency"),
        ("org", "add_agency"),
        ("org", "change_agency"),
        ("org", "view_jobposition"),
        *[
            ("org", f"{action}_{model}")
            for model in ("civilservant", "posting", "deputycharge")
            for action in ("add", "change", "view")
        ],
    ],
    UNIT_LEADER_GROUP: [ADMIN_ACCESS, ("org", "view_agency"), ("org", "view_civilservant")],
    CIVIL_SERVANT_GROUP: [ADMIN_ACCESS],
}

# Other apps extend this mapping from their AppConfig.ready() before migrate runs.
EXTRA_ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {}


def ensure_roles(app_config=None, **kwargs):
    """post_migrate handler: acts once, after the last installed app has migrated."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is not with_models[-1]:
        return
    for group_name in set(ROLE_PERMISSIONS) | set(EXTRA_ROLE_PERMISSIONS):
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = ROLE_PERMISSIONS.get(group_name, []) + EXTRA_ROLE_PERMISSIONS.get(group_name, [])
        perms = []
        for app_label, codename in wanted:
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.add(*perms)
