"""Single sign-on with the province's OpenID Connect provider (mozilla-django-oidc).

Configured by environment variables (``docs/operations.md``, "Đăng nhập một lần"): the
provider's endpoints, this application's client id and secret, and which claim names the
person — ``KPI_OIDC_MATCH_CLAIM`` (default ``preferred_username``), compared with the
personnel record's field ``KPI_OIDC_MATCH_FIELD``: ``official_id`` (default) or ``email``.

A person signs in only if the personnel records know them and they have a posting today or
later: an unknown person and a person whose postings ended are refused, with the reason in
Vietnamese (``accounts_sso_refused``). A known person without a sign-in gets one, through the
account service; their rights follow their postings as for any sign-in. Local passwords keep
working beside it (provinces without an identity provider).
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from accounts.backends import postings_ended
from org.models import CivilServant

REFUSAL_KEY = "kpi_sso_refusal"
FIELD_LABELS = {"official_id": "mã số công chức", "email": "thư điện tử"}


def match_claim() -> str:
    return getattr(settings, "KPI_OIDC_MATCH_CLAIM", "preferred_username")


def match_field() -> str:
    field = getattr(settings, "KPI_OIDC_MATCH_FIELD", "official_id")
    return field if field in FIELD_LABELS else "official_id"


class OIDCBackend(OIDCAuthenticationBackend):
    def _refuse(self, message: str):
        request = getattr(self, "request", None)
        if request is not None and hasattr(request, "session"):
            request.session[REFUSAL_KEY] = message
        return self.UserModel.objects.none()

    def verify_claims(self, claims):
        return bool(str(claims.get(match_claim(), "")).strip())

    def filter_users_by_claims(self, claims):
        from accounts.services import sso_account

        value = str(claims.get(match_claim(), "")).strip()
        field = match_field()
        person = CivilServant.objects.filter(**{f"{field}__iexact": value}).first()
        if not value or person is None:
            return self._refuse(
                _(
                    "Hệ thống chưa có hồ sơ cán bộ, công chức nào có %(field)s “%(value)s”. "
                    "Đề nghị bộ phận tổ chức cán bộ của cơ quan bạn cập nhật hồ sơ (đúng "
                    "%(field)s như ở hệ thống đăng nhập một lần) rồi đăng nhập lại."
                )
                % {"field": _(FIELD_LABELS[field]), "value": value}
            )
        user = person.user if person.user_id else None
        if (
            (user is not None and postings_ended(user))
            or (user is None and not person.postings.exists())
            or (user is None and _ended(person))
        ):
            return self._refuse(
                _(
                    "%(name)s không còn công tác tại cơ quan, đơn vị nào trong hệ thống nên "
                    "không đăng nhập được. Nếu bạn vừa được điều động, đề nghị cơ quan mới cập "
                    "nhật quá trình công tác."
                )
                % {"name": person.full_name}
            )
        if user is not None and not user.is_active:
            return self._refuse(
                _("Tài khoản của %(name)s đã bị khóa. Liên hệ quản trị cơ quan để mở lại.")
                % {"name": person.full_name}
            )
        if user is None:
            user = sso_account(person)
        return get_user_model().objects.filter(pk=user.pk)

    def update_user(self, user, claims):
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is None or not user.is_active or postings_ended(user):
            return None
        return user


def _ended(person) -> bool:
    from django.utils import timezone

    return not person.postings.exclude(end_date__lt=timezone.localdate()).exists()
