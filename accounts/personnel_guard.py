"""The single sign-on rule on personnel records (``accounts.sso``), as the guard ``org`` asks
(``org.sign_in_guard``, registered by ``AccountsConfig.ready``): the personnel write service and
the person form sit below ``accounts`` and do not import it."""

from __future__ import annotations

from accounts import services, sso


class PersonnelGuard:
    def match_field(self) -> str:
        return sso.match_field()

    def normalized(self, field: str, value) -> str:
        return sso.normalized(field, value)

    def field_label(self, field: str | None = None) -> str:
        return sso.field_label(field)

    def may_change_matched_field(self, user, person) -> bool:
        return sso.may_change_matched_field(user, person)

    def matched_field_refusal(self, user, person, old_value, new_value) -> str | None:
        return sso.matched_field_refusal(user, person, old_value, new_value)

    def matched_field_changed(self, user, person, old_value, new_value) -> None:
        services.matched_field_changed(user, person, old_value, new_value)
