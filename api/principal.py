"""The request's user of a call made with an integration token (``api.authentication``).

Below both the authentication, which makes the principal and reads its throttle window with
the token, and the throttles, which ask whether a request is a system's and take that window.
"""

from __future__ import annotations

from typing import TypeGuard

from django.utils.functional import cached_property

from .models import IntegrationSystem, IntegrationToken


class SystemPrincipal:
    """``request.user`` of a request authenticated with an integration token."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None
    #: Cache values read with the token's lookup for this request (``{key: value}``).
    prefetched: dict

    def __init__(self, system: IntegrationSystem, token: IntegrationToken, scope_paths=None):
        self.system = system
        self.token = token
        self.prefetched = {}
        if scope_paths is not None:
            self.__dict__["scope_paths"] = list(scope_paths)

    def __str__(self):
        return self.system.name

    @property
    def username(self) -> str:
        return f"system:{self.system.pk}"

    def get_username(self) -> str:
        return self.username

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perms, obj=None) -> bool:
        return False

    @cached_property
    def scope_paths(self) -> list[str]:
        """Tree paths of the agencies the system was granted (each covers its subtree)."""
        return list(self.system.agencies.values_list("path", flat=True))


def is_system(user: object) -> TypeGuard[SystemPrincipal]:
    return isinstance(user, SystemPrincipal)


#: Marks a prefetched value the cache did not hold.
ABSENT = object()
