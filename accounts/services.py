"""The one write gate for sign-ins: every door (the account pages, the sign-on backend, the
posting signals, the daily sweep) creates, activates, resets, unlocks, deactivates and grants
through these functions, which decide who may, write the row and log the action
(``AccountEvent``).

Activation codes are random (50 bits), shown once (on the unit's printable slip or in the
e-mail invitation), stored as a keyed hash, single-use and expiring
(``KPI_ACTIVATION_CODE_DAYS``)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sso
from accounts.backends import forget_postings, postings_ended
from accounts.models import AccountBatch, AccountEvent, ActivationCode, ExternalIdentity
from accounts.roles import (
    admin_agencies,
    authority_of,
    is_account_admin,
    manageable_people,
    management_refusal,
    may_manage_user,
)
from accounts.sealing import seal as seal_codes
from accounts.sealing import unseal
from cms.client_ip import client_ip
from cms.mail import notices, send
from org import access
from org.models import AccessRole, Agency, AgencyAccess, BlocLead, CivilServant

#: No 0/O, 1/I/L: read off paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10

Action = AccountEvent.Action


def log_event(actor, user, action, detail="", *, request=None, username=""):
    """One account event (who, whom, what, when, from where): the one way to write them."""
    AccountEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        user=user if getattr(user, "pk", None) else None,
        username=str(username or (user.get_username() if getattr(user, "pk", None) else ""))[:150],
        action=action,
        detail=str(detail)[:255],
        ip=client_ip(request) if request is not None else None,
    )


_log = log_event


def code_hash(code: str) -> str:
    normalized = code.replace("-", "").replace(" ", "").upper()
    return hmac.new(settings.SECRET_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def username_for(person: CivilServant) -> str:
    """The sign-in name given to ``person`` (``KPI_ACCOUNT_USERNAME_RULE``): ``official_id``
    (default: the official ID, lower-case) or ``email`` (the e-mail address, falling back to the
    official ID when the person has none)."""
    rule = getattr(settings, "KPI_ACCOUNT_USERNAME_RULE", "official_id")
    if rule == "email" and person.email:
        return person.email.strip().lower()
    return person.official_id.strip().lower()


def _issue_code(actor, user, channel, batch=None) -> str:
    """A new one-time code for ``user``; earlier unused codes stop working."""
    now = timezone.now()
    ActivationCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = _new_code()
    days = getattr(settings, "KPI_ACTIVATION_CODE_DAYS", 30)
    ActivationCode.objects.create(
        user=user,
        code_hash=code_hash(code),
        channel=channel,
        batch=batch,
        issued_by=actor if getattr(actor, "pk", None) else None,
        expires_at=now + datetime.timedelta(days=days),
    )
    return code


def code_refusal(record: ActivationCode, user) -> str:
    """Why the code ``record`` may no longer open ``user``'s sign-in, or "": credentials follow
    authority when they are used too (review 2026-11-25, M1). A code issued by an agency admin
    to a clerk who has since become a head or deputy (or holds another deciding, evaluating or
    admin role) does not open the head's sign-in; Sở Nội vụ issues one."""
    issuer = record.issued_by
    if issuer is None or issuer.pk == user.pk:
        return ""
    role = authority_of(user)
    if not role or not management_refusal(issuer, user):
        return ""
    return _(
        "Mã kích hoạt này do %(issuer)s cấp, nhưng tài khoản nay giữ vai trò %(role)s: chỉ Sở "
        "Nội vụ được cấp mã kích hoạt cho tài khoản này. Đề nghị Sở Nội vụ cấp lại mã."
    ) % {"issuer": issuer.get_username(), "role": role}


def _invite(user, person, code) -> bool:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    link = f"{base}{reverse('accounts_activate')}?u={user.username}"
    body = _(
        "Kính gửi %(name)s,\n\nTài khoản của Anh/Chị trên hệ thống KPI Công vụ đã được tạo.\n"
        "Tên đăng nhập: %(username)s\nMã kích hoạt: %(code)s\n\n"
        "Mở %(link)s, nhập mã kích hoạt và đặt mật khẩu mới. Mã chỉ dùng một lần và hết hạn "
        "sau %(days)s ngày."
    ) % {
        "name": person.full_name,
        "username": user.username,
        "code": code,
        "link": link,
        "days": getattr(settings, "KPI_ACTIVATION_CODE_DAYS", 30),
    }
    return send(_("Kích hoạt tài khoản KPI Công vụ"), body, [person.email])


@dataclass
class BatchOutcome:
    batch: AccountBatch
    #: user id → the code in clear: for the slips, shown once to the person who ran the batch.
    codes: dict[int, str]


def may_provision(actor, agency: Agency | None) -> None:
    if not is_account_admin(actor):
        raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản."))
    if agency is not None and not admin_agencies(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản của cơ quan này."))


def new_batch(
    actor, people, *, agency: Agency | None = None, invite_by_email: bool = False
) -> AccountBatch:
    """The batch row of a provisioning of ``people`` by ``actor``, who must be allowed to."""
    may_provision(actor, agency)
    people = list(people)
    return AccountBatch.objects.create(
        created_by=actor,
        agency=agency,
        total=len(people),
        person_ids=[p.pk for p in people],
        invite_by_email=invite_by_email,
    )


def provision(
    actor, people, *, agency: Agency | None = None, invite_by_email: bool = False
) -> BatchOutcome:
    """Give every person of ``people`` without a sign-in one, in one operation: the username
    by :func:`username_for`, no usable password, a one-time activation code (for the slip; also
    sent by e-mail with ``invite_by_email`` where the person has an address). People the actor
    does not administer, and people who already have a sign-in, are listed and left alone."""
    batch = new_batch(actor, people, agency=agency, invite_by_email=invite_by_email)
    codes: dict[str, str] = {}
    run_batch(batch.pk, seal=False, codes=codes)
    batch.refresh_from_db()
    return BatchOutcome(batch, {int(k): v for k, v in codes.items()})


def sealed_codes(batch: AccountBatch) -> dict[str, str]:
    return unseal(batch.sealed_codes)


def run_batch(batch_id: int, *, seal: bool = True, codes: dict | None = None) -> str:
    """Work through a batch's people from where it stands (``done``): each person's sign-in,
    code, invitation (an outbox row), result line and the batch's progress commit together, so
    a worker killed half-way is resumed by the next without a person twice or a code lost.
    With ``seal`` the codes are kept in the batch for its slips; otherwise (the personnel
    import, run with nobody to print them) they go to ``codes`` only and are reissued later."""
    batch = AccountBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != AccountBatch.Status.RUNNING:
        return batch.status
    actor = batch.created_by
    people_by_id = CivilServant.objects.select_related("user").in_bulk(batch.person_ids)
    allowed = set(
        manageable_people(actor).filter(pk__in=batch.person_ids).values_list("pk", flat=True)
    )
    User = get_user_model()
    for index in range(batch.done, len(batch.person_ids)):
        person = people_by_id.get(batch.person_ids[index])
        with transaction.atomic():
            locked = AccountBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.done != index:  # another worker got here first
                return "skipped"
            kept = sealed_codes(locked) if seal else codes if codes is not None else {}
            row = _provision_one(actor, person, allowed, locked, kept, User)
            locked.results = [*locked.results, row]
            locked.done = index + 1
            if seal:
                locked.sealed_codes = seal_codes({int(k): v for k, v in kept.items()})
            locked.save(update_fields=["results", "done", "sealed_codes"])
    AccountBatch.objects.filter(pk=batch.pk).update(
        status=AccountBatch.Status.DONE, done=len(batch.person_ids), finished_at=timezone.now()
    )
    return AccountBatch.Status.DONE


def _provision_one(actor, person, allowed, batch, codes: dict, User) -> dict:
    if person is None:
        return {
            "person": None,
            "name": "",
            "official_id": "",
            "username": "",
            "outcome": "refused",
            "message": _("Hồ sơ này không còn."),
            "email": False,
        }
    row = {
        "person": person.pk,
        "name": person.full_name,
        "official_id": person.official_id,
        "username": "",
        "outcome": "",
        "message": "",
        "email": False,
    }
    person.refresh_from_db(fields=["user"])
    if person.pk not in allowed:
        row["outcome"] = "refused"
        row["message"] = _("Người này không thuộc cơ quan bạn quản lý.")
    elif person.user_id:
        row["outcome"] = "exists"
        row["username"] = person.user.username
        row["message"] = _("Đã có tài khoản.")
    else:
        username = username_for(person)
        if User.objects.filter(username__iexact=username).exists():
            row["outcome"] = "refused"
            row["message"] = _(
                "Tên đăng nhập “%(username)s” đã có người dùng: kiểm tra mã số công chức "
                "hoặc liên kết tài khoản sẵn có với hồ sơ này."
            ) % {"username": username}
        else:
            user = User(
                username=username,
                full_name=person.full_name,
                email=person.email or "",
                must_change_password=True,
            )
            user.set_unusable_password()
            user.save()
            person.user = user
            person.save(update_fields=["user"])
            _log(actor, user, Action.CREATED, person.official_id)
            if management_refusal(actor, user):
                # A head, a deputy, an evaluator: their first code is not the agency admin's
                # to hold (it would let them activate as the person, review 2026-11-25 M1),
                # nor to send — the address on the record is a field the agency admin edits.
                # The sign-in is made without a code; Sở Nội vụ issues one (Cấp lại mã).
                row["message"] = _(
                    "Người giữ vai trò lãnh đạo, đánh giá hoặc quản trị: không in phiếu, không "
                    "gửi thư; Sở Nội vụ cấp mã kích hoạt (Cấp lại mã)."
                )
                row["withheld"] = True
            else:
                code = _issue_code(actor, user, ActivationCode.Channel.SLIP, batch)
                codes[str(user.pk)] = code
                if batch.invite_by_email and person.email:
                    _invite(user, person, code)  # an outbox row of this transaction
                    _log(actor, user, Action.INVITED, person.email)
                    row["email"] = True
            row["outcome"] = "created"
            row["username"] = username
            row["user"] = user.pk
    return row


def provision_imported(actor, agency: Agency, official_ids) -> BatchOutcome | None:
    """The personnel import's sign-ins (where the province turns it on,
    ``KPI_IMPORT_CREATES_SIGN_INS``): :func:`provision` for the people of the file posted today
    in ``agency``'s subtree who have none, when ``actor`` administers that agency's sign-ins;
    None when there is nobody to give one or ``actor`` may not."""
    people = list(planned_for_import(actor, agency, official_ids))
    if not people:
        return None
    return provision(actor, people, agency=agency)


def planned_for_import(actor, agency: Agency, official_ids):
    """Who :func:`provision_imported` would give a sign-in (the import's preview counts them)."""
    if not admin_agencies(actor).filter(pk=agency.pk).exists():
        return CivilServant.objects.none()
    return people_posted_in(actor, agency).filter(user=None, official_id__in=list(official_ids))


def reissue_batch(actor, batch: AccountBatch) -> dict[int, str]:
    """New one-time codes for the people ``batch`` created who have not activated yet (the
    codes of a batch run in the background — the personnel import — were never shown): user
    id → code, for the slips. Earlier codes stop working; each reissue is logged."""
    User = get_user_model()
    ids = [
        row["user"] for row in batch.results if row.get("outcome") == "created" and row.get("user")
    ]
    codes: dict[int, str] = {}
    for user in User.objects.filter(pk__in=ids, is_active=True).order_by("pk"):
        if user.has_usable_password() or not may_manage_user(actor, user):
            continue
        with transaction.atomic():
            codes[user.pk] = _issue_code(actor, user, ActivationCode.Channel.SLIP, batch)
            _log(actor, user, Action.RESET, _("phiếu kích hoạt của lần tạo tài khoản"))
    return codes


def people_posted_in(actor, agency: Agency):
    """The people posted today in ``agency``'s subtree whose sign-ins ``actor`` administers
    (with a sign-in or not)."""
    today = timezone.localdate()
    # One filter() over the postings: the same posting is in the agency and active today (an
    # exclude() over a multi-valued relation left out anyone with any ended posting: review
    # 2026-11-25, importers H3).
    return (
        manageable_people(actor)
        .filter(
            Q(postings__end_date__isnull=True) | Q(postings__end_date__gte=today),
            postings__agency__path__startswith=agency.path,
            postings__start_date__lte=today,
        )
        .distinct()
        .order_by("full_name", "official_id")
    )


def activate(username: str, code: str, password: str, password2: str, *, request=None):
    """Set the first password of ``username`` with their one-time ``code``. Raises
    ``ValidationError`` with a message per field."""
    User = get_user_model()
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    now = timezone.now()
    record = None
    if user is not None and code:
        record = ActivationCode.objects.filter(user=user, code_hash=code_hash(code)).first()
    if user is None or record is None:  # no user: no record either
        raise ValidationError(
            {"code": _("Tên đăng nhập hoặc mã kích hoạt không đúng: nhập đúng như trên phiếu.")}
        )
    if record.used_at is not None:
        raise ValidationError(
            {"code": _("Mã kích hoạt này đã được dùng hoặc đã được thay bằng mã mới.")}
        )
    if record.expires_at < now:
        raise ValidationError(
            {"code": _("Mã kích hoạt đã hết hạn: đề nghị quản trị cơ quan cấp lại mã kích hoạt.")}
        )
    if not user.is_active or postings_ended(user):
        raise ValidationError({"code": _("Tài khoản này đã bị khóa.")})
    if refusal := code_refusal(record, user):
        raise ValidationError({"code": refusal})
    if password != password2:
        raise ValidationError({"password2": _("Hai lần nhập mật khẩu không khớp.")})
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record.used_at = now
        record.save(update_fields=["used_at"])
        _log(user, user, Action.ACTIVATED, request=request)
    return user


def password_changed(user):
    """``user`` set a new password themselves: no longer forced to change it."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    _log(user, user, Action.PASSWORD_CHANGED)


def _require(actor, target):
    """Refuse with the reason and who can do it (``accounts.roles.management_refusal``)."""
    refusal = management_refusal(actor, target)
    if refusal:
        raise PermissionDenied(refusal)


def _address_of(user) -> str:
    person = CivilServant.objects.filter(user=user).only("email").first()
    return (user.email or (person.email if person else "") or "").strip()


def notify_reset(actor, target) -> bool:
    """Tell ``target`` their sign-in was reset (by whom, when, what to do if they did not ask),
    by e-mail where an address is known (``cms.mail.send``); the reset is also an account event
    shown on their own account page. Whether a mail was sent."""
    address = _address_of(target)
    if not address:
        return False
    when = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    by = AccountEvent.label_of(actor) if actor is not None else _("hệ thống")
    body = _(
        "Kính gửi %(name)s,\n\nTài khoản %(username)s của Anh/Chị trên hệ thống KPI Công vụ vừa "
        "được cấp lại mã kích hoạt lúc %(when)s, do %(by)s thực hiện. Mật khẩu cũ không còn dùng "
        "được; hãy kích hoạt lại bằng mã trên phiếu được giao.\n\nNếu Anh/Chị không đề nghị cấp "
        "lại, hãy báo ngay cho Sở Nội vụ."
    ) % {
        "name": target.full_name or target.username,
        "username": target.username,
        "when": when,
        "by": by,
    }
    return send(
        _("Tài khoản KPI Công vụ của Anh/Chị vừa được cấp lại mã kích hoạt"), body, [address]
    )


def reset(actor, target, *, request=None) -> str:
    """A new activation code for ``target`` (their password stops working); returns it for
    the slip. Only by someone above them (``accounts.roles.may_manage_user``); the person is
    told (:func:`notify_reset`)."""
    _require(actor, target)
    with transaction.atomic():
        target.set_unusable_password()
        target.must_change_password = True
        target.save(update_fields=["password", "must_change_password"])
        code = _issue_code(actor, target, ActivationCode.Channel.SLIP)
        _log(actor, target, Action.RESET, request=request)
        # An outbox row committed with the reset (``cms.mail``: sent by the worker afterwards;
        # a fault while composing it does not undo the reset).
        notices(notify_reset, actor, target)
    return code


def reset_second_factor(actor, target, *, request=None) -> str:
    """A lost authenticator (and lost recovery codes): the person's second factor is removed
    and a new activation code issued (:func:`reset`: the slip, the notice); activating with it
    lets the person enrol a new authenticator (``accounts.enrolment``). Sở Nội vụ only — the
    second factor is what protects a sign-in from whoever holds its code. Logged."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(actor, target)
    if not access.is_home_affairs(actor):
        raise PermissionDenied(_("Chỉ Sở Nội vụ được gỡ xác thực hai lớp của một tài khoản."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
        _log(actor, target, Action.SECOND_FACTOR_REMOVED, request=request)
        return reset(actor, target, request=request)


def operator_code(target) -> str:
    """A new activation code issued by the server's operator (``manage.py activation_code``:
    the first superuser, made in the shell); the password stays, the code only proves
    possession for activating or enrolling the first authenticator. Logged, no actor."""
    with transaction.atomic():
        code = _issue_code(None, target, ActivationCode.Channel.SLIP)
        _log(None, target, Action.RESET, _("manage.py activation_code"))
    return code


def unlock(actor, target, *, request=None) -> None:
    """Clear the failed sign-ins that locked ``target`` out (django-axes)."""
    from axes.utils import reset as axes_reset

    _require(actor, target)
    axes_reset(username=target.username)
    _log(actor, target, Action.UNLOCKED, request=request)


def set_active(actor, target, active: bool, *, request=None) -> None:
    _require(actor, target)
    if active and postings_ended(target):
        raise ValidationError(
            _("Người này không còn quá trình công tác nào: không thể mở lại tài khoản.")
        )
    target.is_active = active
    target.save(update_fields=["is_active"])
    _log(actor, target, Action.REACTIVATED if active else Action.DEACTIVATED, request=request)


ROLE_GROUPS = {
    "agency_admin": access.AGENCY_ADMIN_GROUP,
    "bloc_appraiser": access.BLOC_APPRAISER_GROUP,
    "home_affairs": access.HOME_AFFAIRS_GROUP,
    "province_office": access.PROVINCE_OFFICE_GROUP,
}


def grant(actor, target, role: str, agency: Agency | None = None, *, request=None) -> None:
    """Grant ``target`` an explicit role: ``agency_admin`` of ``agency`` (by Sở Nội vụ, or an
    agency admin within their own agencies), ``home_affairs``, ``province_office`` or
    ``bloc_appraiser`` of a bloc's lead body ``agency`` (by Sở Nội vụ only). Logged."""
    _require(actor, target)
    if role not in ROLE_GROUPS:
        raise ValidationError(_("Vai trò không hợp lệ."))
    if role != "agency_admin" and not access.is_home_affairs(actor):
        raise PermissionDenied(_("Chỉ Sở Nội vụ được cấp quyền này."))
    with transaction.atomic():
        if role == "agency_admin":
            if agency is None:
                raise ValidationError({"agency": _("Chọn cơ quan mà người này quản trị.")})
            if not admin_agencies(actor).filter(pk=agency.pk).exists():
                raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản của cơ quan này."))
            AgencyAccess.objects.update_or_create(
                user=target, agency=agency, defaults={"role": AccessRole.AGENCY_ADMIN}
            )
        if role == "bloc_appraiser":
            # The appraiser of a bloc's lead body (org.blocs): on that body, which must lead a
            # bloc (org.BlocLead), so the grant reaches that bloc and nothing else.
            if agency is None or not BlocLead.objects.filter(lead_agency=agency).exists():
                raise ValidationError(
                    {
                        "agency": _(
                            "Quyền thẩm định khối chỉ cấp cho người của cơ quan chủ trì khối "
                            "(Ban Tổ chức Tỉnh ủy, Ủy ban MTTQ tỉnh…): chọn cơ quan đó, hoặc "
                            "khai báo cơ quan chủ trì khối trước."
                        )
                    }
                )
            AgencyAccess.objects.update_or_create(
                user=target, agency=agency, defaults={"role": AccessRole.BLOC_APPRAISER}
            )
        target.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        _log(
            actor,
            target,
            Action.GRANTED,
            f"{role} {agency.code if agency else ''}".strip(),
            request=request,
        )


def revoke(actor, target, role: str, agency: Agency | None = None, *, request=None) -> None:
    _require(actor, target)
    if role not in ROLE_GROUPS:
        raise ValidationError(_("Vai trò không hợp lệ."))
    if role != "agency_admin" and not access.is_home_affairs(actor):
        raise PermissionDenied(_("Chỉ Sở Nội vụ được thu hồi quyền này."))
    with transaction.atomic():
        if role == "agency_admin":
            grants = AgencyAccess.objects.filter(user=target, role=AccessRole.AGENCY_ADMIN)
            if not access.is_home_affairs(actor):
                grants = grants.filter(agency__in=admin_agencies(actor))
            if agency is not None:
                grants = grants.filter(agency=agency)
            grants.delete()
            if AgencyAccess.objects.filter(user=target, role=AccessRole.AGENCY_ADMIN).exists():
                _log(actor, target, Action.REVOKED, role, request=request)
                return
        if role == "bloc_appraiser":
            grants = AgencyAccess.objects.filter(user=target, role=AccessRole.BLOC_APPRAISER)
            (grants.filter(agency=agency) if agency is not None else grants).delete()
            if grants.exists():
                _log(actor, target, Action.REVOKED, role, request=request)
                return
        target.groups.remove(Group.objects.get(name=ROLE_GROUPS[role]))
        _log(actor, target, Action.REVOKED, role, request=request)


def sync_with_postings(person: CivilServant, actor=None) -> None:
    """Deactivate the sign-in of ``person`` once all their postings have ended (kept for
    history), and open again one it deactivated so when a new posting comes; called whenever a
    posting is written, and by the daily sweep."""
    user = person.user if person.user_id else None
    if user is None or user.is_superuser:
        return
    forget_postings(user)
    if not user.is_active:
        # Deactivated by this sweep (not by a person) and posted again — a transfer written as
        # "close the old posting, then open the new one", a rehiring: open it again.
        # The last opening or closing (a failed sign-in since then is logged too, and says
        # nothing about who closed it).
        last = (
            user.account_events.filter(action__in=(Action.DEACTIVATED, Action.REACTIVATED))
            .order_by("-at", "-pk")
            .first()
        )
        automatic = last is not None and last.action == Action.DEACTIVATED and last.actor is None
        if automatic and not postings_ended(user):
            user.is_active = True
            user.save(update_fields=["is_active"])
            _log(actor, user, Action.REACTIVATED, _("Có quá trình công tác mới"))
        return
    if postings_ended(user):
        user.is_active = False
        user.save(update_fields=["is_active"])
        _log(actor, user, Action.DEACTIVATED, _("Hết quá trình công tác"))


def sync_all() -> int:
    """The daily sweep: every active sign-in of a person whose postings all ended."""
    today = timezone.localdate()
    ended = (
        CivilServant.objects.filter(user__is_active=True, postings__isnull=False)
        .exclude(postings__end_date__isnull=True)
        .exclude(postings__end_date__gte=today)
        .distinct()
        .select_related("user")
    )
    count = 0
    for person in ended:
        was = person.user.is_active
        sync_with_postings(person)
        count += was and not person.user.is_active
    return count


# --- single sign-on links (the rules: accounts.sso) -----------------------------------------


def link_identity(actor, user, issuer: str, subject: str, *, how: str, request=None):
    """Bind the provider's ``issuer`` + ``subject`` to ``user`` once the person proved
    themselves (``how``: their activation code, or their password and second factor); from
    then on only that subject signs in as ``user`` through this provider. Logged."""
    with transaction.atomic():
        taken = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).first()
        if taken is not None and taken.user_id != user.pk:
            raise ValidationError(
                _(
                    "Tài khoản này ở nhà cung cấp định danh đã liên kết với một tài khoản khác "
                    "trong hệ thống."
                )
            )
        if taken is not None:
            return taken
        if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
            raise ValidationError(
                _(
                    "Tài khoản của bạn đã liên kết với một tài khoản khác ở nhà cung cấp định "
                    "danh này: hủy liên kết đó trước."
                )
            )
        link = ExternalIdentity.objects.create(
            user=user, issuer=issuer, subject=subject, linked_by=actor
        )
        _log(actor, user, Action.SSO_LINKED, f"{how}; {issuer} sub={subject}", request=request)
    return link


def unlink_identity(actor, user, *, reason: str = "", request=None) -> int:
    """Remove ``user``'s single sign-on links: by the person themselves, or by Sở Nội vụ (an
    account action, or changing the personnel field the provider's claim is matched with).
    Returns how many were removed; each is logged."""
    own = getattr(actor, "pk", None) == user.pk
    if actor is not None and not own and not access.is_home_affairs(actor):
        raise PermissionDenied(_("Chỉ Sở Nội vụ hoặc chính người này được hủy liên kết."))
    links = list(ExternalIdentity.objects.filter(user=user))
    with transaction.atomic():
        for link in links:
            link.delete()
            detail = f"{link.issuer} sub={link.subject}"
            _log(
                actor,
                user,
                Action.SSO_UNLINKED,
                f"{reason}; {detail}" if reason else detail,
                request=request,
            )
    return len(links)


def matched_field_changed(actor, person: CivilServant, old, new) -> None:
    """Sở Nội vụ changed the personnel field the provider's claim is matched with on a person
    who has a sign-in: the sign-in's links to the provider end (the person links again with
    proof). Called by the personnel write service after ``accounts.sso.matched_field_refusal``
    let the change through."""
    if person.user_id is None:
        return
    reason = _("%(field)s đổi từ “%(old)s” thành “%(new)s”") % {
        "field": sso.field_label(),
        "old": old or "",
        "new": new or "",
    }
    unlink_identity(actor, person.user, reason=reason)


def sso_refused(user, detail: str, *, request=None, username: str = "") -> None:
    """A single sign-on the backend refused (unknown person, ended postings, locked, unverified
    e-mail, a provider identity not linked to the sign-in it claims, a wrong code): logged on
    the sign-in it tried to reach, if any."""
    _log(None, user, Action.SSO_REFUSED, detail, request=request, username=username)


def link_with_code(user, code: str, issuer: str, subject: str, *, request=None):
    """The first sign-in through the provider: the person proves themselves with the one-time
    activation code on their slip (or invitation); the code is used up and the provider's
    identity linked to ``user``. Raises ``ValidationError`` (Vietnamese) otherwise."""
    record = None
    if code:
        record = ActivationCode.objects.filter(user=user, code_hash=code_hash(code)).first()
    if record is None:
        raise ValidationError(
            _("Mã kích hoạt không đúng: nhập đúng như trên phiếu kích hoạt của bạn.")
        )
    if record.used_at is not None:
        raise ValidationError(
            _(
                "Mã kích hoạt này đã được dùng hoặc đã được thay bằng mã mới. Nếu bạn đã đặt "
                "mật khẩu, hãy đăng nhập bằng mật khẩu và xác thực hai lớp rồi liên kết ở trang "
                "“Liên kết đăng nhập một lần”."
            )
        )
    if record.expires_at < timezone.now():
        raise ValidationError(
            _("Mã kích hoạt đã hết hạn: đề nghị quản trị cơ quan cấp lại mã kích hoạt.")
        )
    if not user.is_active or postings_ended(user):
        raise ValidationError(_("Tài khoản này đã bị khóa."))
    if refusal := code_refusal(record, user):
        raise ValidationError(refusal)
    with transaction.atomic():
        record.used_at = timezone.now()
        record.save(update_fields=["used_at"])
        if user.must_change_password and not user.has_usable_password():
            # Signs in at the provider: no password to change.
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        link = link_identity(
            user, user, issuer, subject, how=_("bằng mã kích hoạt"), request=request
        )
    return link
