"""Single sign-on bound to the person: the rules, read-only (the writes are in
``accounts.services``: :func:`~accounts.services.link_identity`,
:func:`~accounts.services.unlink_identity`, :func:`~accounts.services.link_with_code`).

* A sign-in is reached through the provider only by the provider's issuer and subject (``iss`` +
  ``sub``) linked to it (``accounts.ExternalIdentity``). A link is made only when the person
  proves themselves: their activation code (first sign-in through the provider), or a session
  signed in with their password and second factor (the page "Liên kết đăng nhập một lần").
* The personnel field the provider's claim is matched with (``KPI_OIDC_MATCH_FIELD``: the
  official ID or the e-mail address) only says *whom* to ask for proof; it never signs anyone in.
  Once the person has a sign-in, that field is read-only for everyone but Sở Nội vụ
  (:func:`matched_field_refusal`: the personnel form, the personnel write service and its bulk
  entry the personnel import ask it); Sở Nội vụ changing it unlinks the sign-in, logged.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ExternalIdentity
from org import access

#: The personnel fields a claim may be matched with, and how the person reads their name.
FIELD_LABELS = {
    "official_id": gettext_lazy("mã số công chức"),
    "email": gettext_lazy("thư điện tử"),
}
#: The session keys: the provider identity waiting for proof, a signed-in person's intent to
#: link, and the reason shown on the refusal page.
PENDING_KEY = "kpi_sso_pending"
LINK_INTENT_KEY = "kpi_sso_link_for"
REFUSAL_KEY = "kpi_sso_refusal"
#: Wrong activation codes accepted for one provider identity waiting for proof.
MAX_CODE_TRIES = 5
OIDC_BACKEND = "accounts.oidc.OIDCBackend"


def match_claim() -> str:
    return getattr(settings, "KPI_OIDC_MATCH_CLAIM", "preferred_username")


def match_field() -> str:
    field = getattr(settings, "KPI_OIDC_MATCH_FIELD", "official_id")
    return field if field in FIELD_LABELS else "official_id"


def field_label(field: str | None = None) -> str:
    return str(FIELD_LABELS[field or match_field()])


def normalized(field: str, value) -> str:
    """A matched field's value as compared (the official ID is stored upper-case; e-mail
    addresses compare without case)."""
    text = " ".join(str(value or "").split())
    return text.upper() if field == "official_id" else text.lower()


def matched_field_locked(person) -> bool:
    """Whether ``person``'s matched field is read-only for agency admins: they have a sign-in."""
    return person is not None and person.pk is not None and person.user_id is not None


def may_change_matched_field(user, person) -> bool:
    """Sở Nội vụ (and the server's command line, ``user`` None) change it; others only while
    the person has no sign-in."""
    if user is None or not matched_field_locked(person):
        return True
    return access.is_home_affairs(user)


def matched_field_refusal(user, person, old_value, new_value, field: str | None = None):
    """Why ``user`` may not change ``person``'s matched field from ``old_value`` to
    ``new_value`` (a Vietnamese sentence), or None. ``field``: the field being written (only
    the matched one is guarded). The one rule every door that writes a personnel record asks."""
    field = field or match_field()
    if field != match_field() or normalized(field, old_value) == normalized(field, new_value):
        return None
    if may_change_matched_field(user, person):
        return None
    return _(
        "%(name)s đã có tài khoản đăng nhập: %(field)s là căn cứ đăng nhập một lần nên chỉ Sở Nội "
        "vụ được sửa (việc sửa sẽ hủy liên kết đăng nhập một lần của người này). Hãy để nguyên "
        "“%(value)s” và đề nghị Sở Nội vụ sửa."
    ) % {"name": person.full_name, "field": field_label(field), "value": old_value or ""}


def email_verified(claims) -> bool:
    """Whether the provider says it verified the e-mail address it sends."""
    return claims.get("email_verified") in (True, "true", "True")


def unverified_email_message(value: str) -> str:
    return _(
        "Nhà cung cấp định danh chưa xác nhận địa chỉ thư điện tử “%(value)s” của bạn "
        "nên không dùng được để nhận ra bạn. Hãy xác nhận địa chỉ ở nhà cung cấp rồi "
        "đăng nhập lại."
    ) % {"value": value}


def claim_refusal(user, claims) -> str | None:
    """Why the provider identity with ``claims`` may not be linked to ``user`` from their own
    page (signed in with password and second factor), or None: its claim must name ``user``'s
    personnel record (the matched field; an e-mail verified by the provider) — not a
    colleague's, nor an identity a forged sign-in at the provider left in their browser. A
    sign-in without a personnel record (a system administrator) is not checked."""
    field = match_field()
    value = str(claims.get(match_claim(), "")).strip()
    if field == "email" and not email_verified(claims):
        return unverified_email_message(value)
    person = getattr(user, "civil_servant", None)
    if person is None:
        return None
    own = getattr(person, field) or ""
    if own and normalized(field, own) == normalized(field, value):
        return None
    return _(
        "Tài khoản bạn vừa đăng nhập ở nhà cung cấp định danh mang %(field)s “%(value)s”, không "
        "phải %(field)s của bạn (“%(own)s”), nên không liên kết được. Hãy đăng xuất khỏi nhà "
        "cung cấp định danh, đăng nhập lại bằng đúng tài khoản của bạn rồi liên kết; nếu hồ sơ "
        "của bạn ghi sai, đề nghị Sở Nội vụ sửa."
    ) % {"field": field_label(field), "value": value, "own": own}


def linked_users(issuer: str, subject: str):
    return ExternalIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user")


def signed_in_with_second_factor(request) -> bool:
    """A session that may link the provider: signed in with the password (not through the
    provider itself) and the second factor presented in this session."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND:
        return False
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())
