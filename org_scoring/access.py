"""Who may enter, see and recompute organisation scoring — built on ``org.access``.

* Row reach is the one permission layer: ``org.access.can_access_agency`` /
  ``visible_agencies`` (Sở Nội vụ everything; users granted an agency its subtree).
* What kind of thing a user may touch comes from the group permissions of ``org_scoring.policy``
  (Sở Nội vụ and agency admins only; unit leaders and civil servants have none).
* Appraising (the mark that counts, certifying a task's outcome) belongs to the agency that
  recognises the rating (Gia Lai plan §III.1, §III.4.b): Sở Nội vụ for departments and
  communes, the parent agency's admins (its personnel unit) for units. Sở Nội vụ may always.
"""

from org.access import can_access_agency, is_home_affairs, visible_agencies
from org.authority import rater_agency_of
from org.models import AccessRole, AgencyAccess, AgencyKind


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
    return (
        is_home_affairs(user)
        or AgencyAccess.objects.filter(user=user, role=AccessRole.AGENCY_ADMIN).exists()
    )
