"""Who may enter, see and recompute organisation scoring — built on ``org.access``.

* Row reach is the one permission layer: ``org.access.can_access_agency`` /
  ``visible_agencies`` (Sở Nội vụ everything; users granted an agency its subtree).
* What kind of thing a user may touch comes from the group permissions of ``org_scoring.policy``
  (Sở Nội vụ and agency admins only; unit leaders and civil servants have none).
* Appraising (the mark that counts, certifying a task's outcome) belongs to the agency that
  recognises the rating (Gia Lai plan §III.1, §III.4.b): Sở Nội vụ for departments and
  communes, the parent agency's admins (its personnel unit) for units. Sở Nội vụ may always.
"""

from org.access import (
    DELETE,
    PROVINCE_OFFICE_GROUP,
    can_access_agency,
    group_names,
    has_grant,
    headed_agencies,
    is_home_affairs,
    visible_agencies,
)
from org.authority import rater_agency_of
from org.models import AccessRole, Agency, AgencyAccess, AgencyKind
from org_scoring.models import ProvinceTask
from org_scoring.services.quarterly import assessed_agencies


def scoring_agencies(user):
    """Agencies/units (not the province) whose organisation scoring ``user`` may reach."""
    return visible_agencies(user).exclude(parent=None)


def can_view(user) -> bool:
    return bool(user and user.is_authenticated) and user.has_perm(
        "org_scoring.view_organisationscore"
    )


def can_view_agency(user, agency) -> bool:
    return can_view(user) and agency.parent_id is not None and can_access_agency(user, agency)


def can_recompute(user, agency) -> bool:
    return can_view_agency(user, agency) and user.has_perm("org_scoring.change_organisationtask")


def can_appraise(user, agency) -> bool:
    """Whether ``user`` gives the appraised marks and certifies outcomes of ``agency``."""
    if is_home_affairs(user):
        return True
    if user is None or not user.is_authenticated or agency is None:
        return False
    rater = rater_agency_of(agency)
    if rater is None or rater.kind == AgencyKind.PROVINCE:
        return False
    return AgencyAccess.objects.filter(
        user=user, role=AccessRole.AGENCY_ADMIN, agency__in=rater.ancestors(include_self=True)
    ).exists()


def may_appraise_somewhere(user) -> bool:
    """Whether the appraisal fields are worth showing at all (the row is checked on save)."""
    return is_home_affairs(user) or bool(
        user and user.is_authenticated and has_grant(user, AccessRole.AGENCY_ADMIN)
    )


# --- the quarterly assessment (Gia Lai plan §V.3; docs/organisation-scoring.md §9) ----------
#
# * The Office of the province People's Committee (group ``PROVINCE_OFFICE_GROUP``) enters the
#   tasks the province assigned to every department and commune: its reach is the province's
#   departments and communes, and it holds the model permissions of ``ProvinceTask`` (and the
#   late-entry permission) from ``org_scoring.policy``. Sở Nội vụ reaches and may do the same.
# * The province chairman — the head of the province People's Committee today, the same
#   person who decides the directors' ratings (``org.authority``) — reads the board and
#   confirms the quarter. Sở Nội vụ reads the board and recomputes it, but does not confirm.
# * Agency admins, unit leaders and civil servants have none of these.


def is_province_office(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return PROVINCE_OFFICE_GROUP in group_names(user)


def is_province_chairman(user) -> bool:
    return any(agency.kind == AgencyKind.PROVINCE for agency in headed_agencies(user))


def may_enter_province_tasks(user) -> bool:
    return (is_home_affairs(user) or is_province_office(user)) and user.has_perm(
        "org_scoring.add_provincetask"
    )


def may_enter_late(user) -> bool:
    return may_enter_province_tasks(user) and user.has_perm("org_scoring.enter_late_provincetask")


def may_view_quarterly_board(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return is_province_chairman(user) or (
        (is_home_affairs(user) or is_province_office(user))
        and user.has_perm("org_scoring.view_quarterlyassessment")
    )


def may_recompute_quarter(user) -> bool:
    return is_home_affairs(user) and user.has_perm("org_scoring.view_quarterlyassessment")


def may_confirm_quarter(user) -> bool:
    return is_province_chairman(user)


def quarterly_agencies(user):
    """The departments and communes whose quarterly tasks and results ``user`` reaches."""
    if may_enter_province_tasks(user) or may_view_quarterly_board(user):
        return assessed_agencies()
    return Agency.objects.none()


def editable_province_tasks(user):
    """The province tasks ``user`` may change or delete (the window is checked on saving)."""
    if not may_enter_province_tasks(user):
        return ProvinceTask.objects.none()
    return ProvinceTask.objects.filter(agency__in=quarterly_agencies(user))


# --- the write guard of the organisation inputs (``policy.WRITE_GUARDS``) ------------------
#
# Asked by ``org.access.refusal`` for every change and delete of a task, general mark or
# shortcoming, whatever the door (edit and delete views, bulk actions). A row appraised or
# certified by a body the user does not speak for (``can_appraise``) cannot be deleted, moved
# to another agency, year or criterion, or have its appraisal changed by the assessed agency.


def _appraisal(row) -> str | None:
    """Who appraised or certified ``row`` ("" when nobody), by display name."""
    by = getattr(row, "appraised_by", None) or getattr(row, "certified_by", None)
    appraised = getattr(row, "appraised_mark", None) is not None or (
        getattr(row, "certified_at", None) is not None
    )
    if not appraised:
        return None
    return (by.get_full_name() or by.get_username()) if by is not None else ""


def _moved(row, stored) -> bool:
    keys = ("agency_id", "year", "criterion")
    return any(getattr(row, key, None) != getattr(stored, key, None) for key in keys)


def appraiser_refusal_message(agency) -> str:
    """Who appraises ``agency``: the one sentence of the write guard and the admin forms."""
    from django.utils.translation import gettext as _

    return _(
        "Chỉ Sở Nội vụ (với sở, ban, ngành, UBND xã, phường) hoặc bộ phận tổ chức, cán bộ "
        "của cơ quan cấp trên (với đơn vị trực thuộc) được thẩm định cho %(agency)s."
    ) % {"agency": agency}


def organisation_input_guard(user, action, row) -> str | None:
    from django.utils.translation import gettext as _

    stored = type(row)._default_manager.filter(pk=row.pk).first() if row.pk else None
    by = _appraisal(stored) if stored is not None else None
    if by is not None and not can_appraise(user, stored.agency):
        by = by or _("cơ quan thẩm định")
        if action == DELETE:
            return _(
                "Dòng này đã được thẩm định hoặc xác nhận (%(by)s): cơ quan được đánh giá "
                "không xoá được. Nếu có sai sót, đề nghị cơ quan thẩm định sửa hoặc xoá."
            ) % {"by": by}
        if _moved(row, stored):
            return _(
                "Dòng này đã được thẩm định hoặc xác nhận (%(by)s): không chuyển được sang "
                "cơ quan, năm hoặc tiêu chí khác. Hãy thêm dòng mới cho nơi cần nhập."
            ) % {"by": by}
        if getattr(row, "appraised_mark", None) != getattr(stored, "appraised_mark", None):
            return _("Chỉ cơ quan thẩm định được sửa điểm sau thẩm định.")
    if action == DELETE:
        return None
    if _gives_appraisal(row, stored):
        agency = row.agency if row.agency_id else None
        if agency is not None and not can_appraise(user, agency):
            return appraiser_refusal_message(agency)
    return None


def _gives_appraisal(row, stored) -> bool:
    """Whether ``row`` as it would be saved carries an appraisal (an appraised mark) or a
    certification (a task's) that the stored row does not: a new one, a changed one, or one
    moved to another agency, year or criterion."""
    if getattr(row, "appraised_mark", None) is not None:
        return stored is None or _moved(row, stored) or row.appraised_mark != stored.appraised_mark
    if getattr(row, "certified_at", None) is not None:
        return (
            stored is None
            or _moved(row, stored)
            or row.certified_at != stored.certified_at
            or row.certified_by_id != stored.certified_by_id
        )
    return False
