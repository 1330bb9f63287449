"""The single sign-on guard on personnel records, registered by the app that signs people in.

Once a person has a sign-in, the personnel field a provider's claim is matched with
(``KPI_OIDC_MATCH_FIELD``) is changed only by Sở Nội vụ, and that change unlinks their single
sign-on. The rule is the sign-in app's (``accounts.sso``), which sits above ``org``; the
personnel write service (``org.people_writes``) and the person form (``org.forms``) ask it
through the guard ``accounts`` registers here when it starts (``AccountsConfig.ready``). Without
one (no sign-in app) nothing is guarded.
"""

from __future__ import annotations

from typing import Protocol


class Guard(Protocol):
    def match_field(self) -> str:
        """The personnel field a provider's claim is matched with."""

    def normalized(self, field: str, value) -> str:
        """The field's value as compared."""

    def field_label(self, field: str | None = None) -> str: ...

    def may_change_matched_field(self, user, person) -> bool: ...

    def matched_field_refusal(self, user, person, old_value, new_value) -> str | None:
        """Why ``user`` may not change the matched field, or None."""

    def matched_field_changed(self, user, person, old_value, new_value) -> None:
        """The change went through on a person with a sign-in: unlink their single sign-on."""


_guard: Guard | None = None


def register(guard: Guard) -> None:
    global _guard
    _guard = guard


def current() -> Guard | None:
    return _guard
