"""Built-in groups and their model permissions, (re)applied after every migrate.

One registry: each app declares ``ROLE_PERMISSIONS`` (group name → ``(app_label, codename)``
pairs) in its ``policy`` module; :func:`role_permissions` collects them. Row-level reach is
separate (``org.access``): these only say *what kind* of thing each role may touch.
"""

from django.contrib.auth.models import Group, Permission

from org.access import app_policies


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Every app's ``policy.ROLE_PERMISSIONS``, merged per group, without duplicates."""
    merged: dict[str, list[tuple[str, str]]] = {}
    for module in app_policies():
        for group, permissions in getattr(module, "ROLE_PERMISSIONS", {}).items():
            wanted = merged.setdefault(group, [])
            wanted.extend(p for p in permissions if p not in wanted)
    return merged


def ensure_roles(app_config=None, **kwargs):
    """post_migrate handler: acts once, after the last installed app has migrated."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is not with_models[-1]:
        return
    for group_name, wanted in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=group_name)
        perms = []
        for app_label, codename in wanted:
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.add(*perms)
