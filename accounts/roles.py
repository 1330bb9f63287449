"""Who administers sign-ins, and whose.

* Sở Nội vụ (and a superuser): everyone's, province-wide; the only ones who grant Sở Nội vụ or
  province-office rights.
* An agency admin (group ``AGENCY_ADMIN_GROUP`` with an ``AgencyAccess`` of role
  ``agency_admin``): the sign-ins of the people their agencies hold now (after a transfer the new
  agency manages them), never their own, never a Sở Nội vụ user's or a superuser's.
* **Credentials follow authority**: an agency admin resets, unlocks, deactivates or grants
  rights only to people who hold no deciding, evaluating or admin role (:func:`authority_of`:
  heads and deputies — directors, the chairman, unit heads —, deputies in charge, anyone with an
  agency grant or an admin group). Those are Sở Nội vụ's: otherwise the admin could reset the
  director, read the code off the slip and act as the deciding director (review 2026-11-25 M1).
* **A deciding role is remembered** for :data:`AUTHORITY_MEMORY`: a head or deputy posting
  changed, ended or deleted in that time still makes the sign-in Sở Nội vụ's (the agency admin
  edits postings: otherwise they could demote the director, reset them and restore the
  posting once the code is used). Read from the postings' change history (``audit``, kept on
  every write of a posting, whatever the door).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from org import access
from org.models import AccessRole, Agency, AgencyAccess, CivilServant, LeadershipRole, Posting
from org.models.charge import DeputyCharge

#: How long a head or deputy posting changed, ended or deleted keeps the person's sign-in
#: Sở Nội vụ's to reset.
AUTHORITY_MEMORY = datetime.timedelta(days=30)
LEADER_ROLES = (LeadershipRole.HEAD, LeadershipRole.DEPUTY)

#: The roles granted explicitly (never derived from postings).
GRANTABLE = ("agency_admin", "home_affairs", "province_office", "bloc_appraiser")


def _admin_paths(user) -> list[str]:
    """The roots of ``user``'s agency-admin grants, read afresh (``org.access.grant_paths``):
    the agency admin's reach over sign-ins is these subtrees (:func:`admin_agencies`) and the
    people their agencies hold (``org.access.held_person_q``)."""
    return access.grant_paths(user, AccessRole.AGENCY_ADMIN)


def admin_agencies(user) -> QuerySet:
    """The agencies whose people's sign-ins ``user`` administers (Sở Nội vụ: every agency)."""
    if access.is_home_affairs(user):
        return Agency.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if access.AGENCY_ADMIN_GROUP not in access.group_names(user):
        return Agency.objects.none()
    paths = _admin_paths(user)
    if not paths:
        return Agency.objects.none()
    return access.agencies_under(paths)


def is_account_admin(user) -> bool:
    """Sở Nội vụ, or an agency admin with an agency-admin grant (the admin menu asks on every
    page: read from the user's groups and grants, kept per request by ``org.access``)."""
    if access.is_home_affairs(user):
        return True
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return False
    return access.AGENCY_ADMIN_GROUP in access.group_names(user) and access.has_grant(
        user, AccessRole.AGENCY_ADMIN
    )


def manageable_people(user) -> QuerySet:
    """The people whose sign-ins ``user`` administers."""
    if access.is_home_affairs(user):
        return CivilServant.objects.all()
    if not admin_agencies(user).exists():
        return CivilServant.objects.none()
    people = CivilServant.objects.filter(access.held_person_q(_admin_paths(user)))
    return people.exclude(user=user) if user.pk else people


#: Groups whose members hold an admin or appraising role (granted explicitly).
AUTHORITY_GROUPS = (
    access.HOME_AFFAIRS_GROUP,
    access.AGENCY_ADMIN_GROUP,
    access.PROVINCE_OFFICE_GROUP,
    access.BLOC_APPRAISER_GROUP,
    access.UNIT_LEADER_GROUP,
)


def _posting_history():
    """The postings' change history (``Posting.history``, registered by ``audit``), or None."""
    manager = getattr(Posting, "history", None)
    return manager.model.objects if manager is not None else None


def _recently_led(history, **person):
    """Historical rows of a head or deputy posting of ``person`` (a filter on the historical
    posting's ``civil_servant``), in force within :data:`AUTHORITY_MEMORY`, whose posting was
    written (created, changed, ended, deleted) in that time. A posting that had ended before
    (a former deputy's, loaded with the personnel file) does not count."""
    since = timezone.now() - AUTHORITY_MEMORY
    written = history.filter(history_date__gte=since).values("id")
    in_force = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate(since))
    return history.filter(in_force, role__in=LEADER_ROLES, id__in=written, **person)


def recent_leadership(user):
    """The latest change, within :data:`AUTHORITY_MEMORY`, of a head or deputy posting of
    ``user``'s person, as ``(posting as it was, changed on)``; None when there was none."""
    history = _posting_history()
    if history is None or getattr(user, "pk", None) is None:
        return None
    led = _recently_led(history, civil_servant__user=user).order_by("-history_date").first()
    if led is None:
        return None
    changed = (
        history.filter(id=led.id)
        .order_by("-history_date")
        .values_list("history_date", flat=True)[0]
    )
    return led, changed


def authority_users_q(day: datetime.date | None = None) -> Q:
    """The sign-ins (``User`` rows) that hold a deciding, evaluating or admin role on ``day`` or
    later: a superuser; a member of an admin group; anyone with an agency grant (agency admin,
    unit leader, bloc appraiser); the person of a head or deputy posting not ended (the evaluator,
    rater and opinion-giver of the authority rules are heads; the subject side of an agency's
    case is its head and its grantees); a deputy with a charge not ended."""
    day = day or timezone.localdate()
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=day)
    leader = Posting.objects.filter(
        not_ended,
        civil_servant__user=OuterRef("pk"),
        role__in=(LeadershipRole.HEAD, LeadershipRole.DEPUTY),
    )
    charge = DeputyCharge.objects.filter(not_ended, deputy__user=OuterRef("pk"))
    granted = AgencyAccess.objects.filter(user=OuterRef("pk"))
    grouped = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=AUTHORITY_GROUPS
    )
    found = (
        Q(is_superuser=True)
        | Q(Exists(grouped))
        | Q(Exists(granted))
        | Q(Exists(leader))
        | Q(Exists(charge))
    )
    history = _posting_history()
    if history is not None:
        found |= Q(Exists(_recently_led(history, civil_servant__user=OuterRef("pk"))))
    return found


def authority_of(user, day: datetime.date | None = None) -> str:
    """The deciding, evaluating or admin role ``user`` holds (in Vietnamese, for the refusal),
    or "" when they hold none (:func:`authority_users_q`, the same question row by row)."""
    if getattr(user, "pk", None) is None:
        return ""
    day = day or timezone.localdate()
    if user.is_superuser:
        return _("quản trị hệ thống")
    groups = sorted(set(user.groups.values_list("name", flat=True)) & set(AUTHORITY_GROUPS))
    if groups:
        return ", ".join(groups)
    granted = AgencyAccess.objects.filter(user=user).select_related("agency").first()
    if granted is not None:
        return f"{granted.get_role_display()} — {granted.agency.name}"
    posting = (
        Posting.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            civil_servant__user=user,
            role__in=(LeadershipRole.HEAD, LeadershipRole.DEPUTY),
        )
        .select_related("agency")
        .order_by("role", "-start_date")
        .first()
    )
    if posting is not None:
        return f"{posting.get_role_display()} — {posting.agency.name}"
    if DeputyCharge.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), deputy__user=user
    ).exists():
        return _("cấp phó được phân công phụ trách")
    recent = recent_leadership(user)
    if recent is not None:
        led, changed = recent
        return _(
            "%(role)s — %(agency)s (quá trình công tác này thay đổi ngày %(date)s, chưa quá "
            "%(days)d ngày)"
        ) % {
            "role": led.get_role_display(),
            "agency": Agency.objects.filter(pk=led.agency_id).values_list("name", flat=True).first()
            or "",
            "date": timezone.localtime(changed).strftime("%d/%m/%Y"),
            "days": AUTHORITY_MEMORY.days,
        }
    return ""


def management_refusal(actor, target) -> str:
    """Why ``actor`` may not reset, unlock, deactivate or grant rights to ``target`` (a
    Vietnamese sentence naming who can), or "" when they may."""
    denied = _("Bạn không có quyền quản lý tài khoản này.")
    if target is None or actor is None or target.pk == getattr(actor, "pk", None):
        return denied
    if target.is_superuser and not actor.is_superuser:
        return denied
    if access.is_home_affairs(actor):
        return ""
    if access.is_home_affairs(target):
        return denied
    if not manageable_people(actor).filter(user=target).exists():
        return denied
    role = authority_of(target)
    if role:
        return _(
            "%(name)s giữ vai trò %(role)s: chỉ Sở Nội vụ được cấp lại mã kích hoạt, mở khóa, "
            "khóa hoặc phân quyền cho tài khoản này (người có vai trò quyết định, đánh giá hoặc "
            "quản trị). Đề nghị Sở Nội vụ thực hiện."
        ) % {"name": target.full_name or target.get_username(), "role": role}
    return ""


def may_manage_user(actor, target) -> bool:
    """Whether ``actor`` may reset, unlock, deactivate or grant rights to ``target``: Sở Nội vụ
    anyone's but a superuser's (unless a superuser); an agency admin the people their agencies
    hold who hold no deciding, evaluating or admin role (:func:`management_refusal`)."""
    return not management_refusal(actor, target)


def managed_users_q(actor) -> Q:
    """The sign-ins (``User`` rows) ``actor`` administers, as one filter (the account events
    they read): everyone's for Sở Nội vụ; for an agency admin, those of the people their
    agencies hold now who hold no deciding, evaluating or admin role — the same answer as
    :func:`may_manage_user`, for many rows at once."""
    if access.is_home_affairs(actor):
        return Q(pk__isnull=False)
    if not admin_agencies(actor).exists():
        return Q(pk__in=[])
    people = CivilServant.objects.filter(access.held_person_q(_admin_paths(actor)))
    return Q(civil_servant__in=people) & ~authority_users_q() & ~Q(pk=actor.pk)
