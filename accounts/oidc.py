"""Single sign-on with the province's OpenID Connect provider (mozilla-django-oidc), bound to
the person (the rules: ``accounts.sso``).

Configured by environment variables (``docs/operations.md``, "Đăng nhập một lần"): the
provider's endpoints, this application's client id and secret, optionally its issuer
(``KPI_OIDC_ISSUER``), and which claim names the person — ``KPI_OIDC_MATCH_CLAIM`` (default
``preferred_username``), compared with the personnel field ``KPI_OIDC_MATCH_FIELD``:
``official_id`` (default) or ``email`` (then the provider must say ``email_verified``).

Who signs in is decided by the provider's issuer and subject (``iss`` + ``sub`` of the verified
ID token) linked to a sign-in (``accounts.ExternalIdentity``), and nothing else. A provider
identity not linked yet is matched by the claim only to know whom to ask for proof: the person
is sent to the page that asks their activation code (``accounts_sso_link``), or, signed in with
their password and second factor, links it from their own page. Refused, with the reason in
Vietnamese (``accounts_sso_refused``) and an account event: an unknown person, a person whose
postings ended, a locked sign-in, an unverified e-mail, a person without a sign-in yet, and a
sign-in already linked to another identity at this provider (the takeover the 2026-11-25
review showed).
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services, sso
from accounts.backends import postings_ended
from accounts.models import ExternalIdentity
from org.models import CivilServant

# Kept for the code that imported them from here.
REFUSAL_KEY = sso.REFUSAL_KEY
match_claim = sso.match_claim
match_field = sso.match_field


class OIDCBackend(OIDCAuthenticationBackend):
    _payload: dict | None = None

    # --- mozilla-django-oidc's hooks ------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        # The verified ID token's claims: its ``iss`` and ``sub`` name the provider identity.
        self._payload = payload or {}
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims):
        return bool(str(claims.get("sub", "")).strip())

    def filter_users_by_claims(self, claims):
        none = self.UserModel.objects.none()
        payload = self._payload or {}
        subject = str(payload.get("sub") or "").strip()
        issuer = str(payload.get("iss") or "").strip()
        value = str(claims.get(sso.match_claim(), "")).strip()
        expected = getattr(settings, "KPI_OIDC_ISSUER", "")
        if (
            not subject
            or not issuer
            or str(claims.get("sub", "")) != subject
            or (expected and issuer != expected)
        ):
            return self._refuse(
                None,
                _(
                    "Nhà cung cấp định danh trả lời không hợp lệ (thiếu hoặc sai định danh). Hãy "
                    "thử lại; nếu vẫn lỗi, báo quản trị hệ thống."
                ),
                f"iss={issuer} sub={subject}",
                value,
            )
        where = f"{issuer} sub={subject} {sso.match_claim()}={value}"
        session = getattr(getattr(self, "request", None), "session", None)
        intent = session.pop(sso.LINK_INTENT_KEY, None) if session is not None else None
        link = sso.linked_users(issuer, subject).first()
        if link is not None:
            user = link.user
            if not user.is_active or postings_ended(user):
                return self._refuse_user(user, where)
            return self.UserModel.objects.filter(pk=user.pk)
        return self._not_linked(claims, issuer, subject, value, where, intent) or none

    def update_user(self, user, claims):
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is None or not user.is_active or postings_ended(user):
            return None
        return user

    # --- a provider identity not linked yet ------------------------------------------------

    def _not_linked(self, claims, issuer, subject, value, where, intent):
        """Link it for the signed-in person who asked to (password and second factor), or send
        the person the claim names to prove themselves; never sign in by the claim alone."""
        request = getattr(self, "request", None)
        session = getattr(request, "session", None)
        if intent is not None and request is not None and sso.signed_in_with_second_factor(request):
            user = request.user
            if intent == user.pk:
                from django.core.exceptions import ValidationError

                refusal = sso.claim_refusal(user, claims)
                if refusal is not None:
                    return self._refuse(user, refusal, where, value)
                try:
                    services.link_identity(
                        user,
                        user,
                        issuer,
                        subject,
                        how=_("bằng mật khẩu và xác thực hai lớp"),
                        request=request,
                    )
                except ValidationError as error:
                    return self._refuse(user, " ".join(error.messages), where, value)
                from django.contrib import messages

                messages.success(
                    request,
                    _("Đã liên kết đăng nhập một lần với tài khoản %(username)s.")
                    % {"username": user.username},
                    fail_silently=True,
                )
                return self.UserModel.objects.filter(pk=user.pk)
        field = sso.match_field()
        person = None
        if value:
            person = (
                CivilServant.objects.filter(**{f"{field}__iexact": value})
                .select_related("user")
                .first()
            )
        if field == "email" and not sso.email_verified(claims):
            # Logged on the sign-in the address names, if any: that person sees the attempt.
            named = person.user if person is not None and person.user_id else None
            return self._refuse(named, sso.unverified_email_message(value), where, value)
        if person is None:
            return self._refuse(
                None,
                _(
                    "Hệ thống chưa có hồ sơ cán bộ, công chức nào có %(field)s “%(value)s”. "
                    "Đề nghị bộ phận tổ chức cán bộ của cơ quan bạn cập nhật hồ sơ (đúng "
                    "%(field)s như ở hệ thống đăng nhập một lần) rồi đăng nhập lại."
                )
                % {"field": sso.field_label(field), "value": value},
                where,
                value,
            )
        user = person.user if person.user_id else None
        if (user is not None and postings_ended(user)) or (user is None and _ended(person)):
            return self._refuse(
                user,
                _(
                    "%(name)s không còn công tác tại cơ quan, đơn vị nào trong hệ thống nên "
                    "không đăng nhập được. Nếu bạn vừa được điều động, đề nghị cơ quan mới cập "
                    "nhật quá trình công tác."
                )
                % {"name": person.full_name},
                where,
                value,
            )
        if user is not None and not user.is_active:
            return self._refuse_user(user, where)
        if user is None:
            return self._refuse(
                None,
                _(
                    "%(name)s chưa có tài khoản đăng nhập. Đề nghị quản trị cơ quan tạo tài khoản "
                    "và trao phiếu kích hoạt; lần đầu đăng nhập một lần, bạn nhập mã kích hoạt "
                    "trên phiếu để liên kết."
                )
                % {"name": person.full_name},
                where,
                value,
            )
        if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
            return self._refuse(
                user,
                _(
                    "Tài khoản bạn vừa đăng nhập ở nhà cung cấp định danh không phải tài khoản đã "
                    "liên kết với %(name)s, nên không được đăng nhập thay người này. Nếu bạn là "
                    "%(name)s, hãy đăng nhập một lần bằng đúng tài khoản đã liên kết; nếu cần đổi, "
                    "đề nghị Sở Nội vụ hủy liên kết cũ."
                )
                % {"name": person.full_name},
                where,
                value,
            )
        if session is not None:
            session[sso.PENDING_KEY] = {
                "issuer": issuer,
                "subject": subject,
                "claim": value,
                "user": user.pk,
                "tries": 0,
                "at": timezone.now().isoformat(),
            }
        return None

    # --- refusals ---------------------------------------------------------------------------

    def _refuse_user(self, user, where):
        person = getattr(user, "civil_servant", None)
        name = person.full_name if person is not None else str(user)
        if postings_ended(user):
            message = _(
                "%(name)s không còn công tác tại cơ quan, đơn vị nào trong hệ thống nên "
                "không đăng nhập được. Nếu bạn vừa được điều động, đề nghị cơ quan mới cập "
                "nhật quá trình công tác."
            ) % {"name": name}
        else:
            message = _(
                "Tài khoản của %(name)s đã bị khóa. Liên hệ quản trị cơ quan để mở lại."
            ) % {"name": name}
        return self._refuse(user, message, where, "")

    def _refuse(self, user, message: str, detail: str, claimed: str):
        request = getattr(self, "request", None)
        session = getattr(request, "session", None)
        if session is not None:
            session.pop(sso.PENDING_KEY, None)
            session[sso.REFUSAL_KEY] = message
        services.sso_refused(user, detail, request=request, username=claimed)
        return self.UserModel.objects.none()


def _ended(person) -> bool:
    return not person.postings.exclude(end_date__lt=timezone.localdate()).exists()
