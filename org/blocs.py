"""Who appraises a bloc (khối) of the political system: the one answer every door asks.

A catalog in the appraisal workflow (``catalog_pages``), a criteria-framework proposal
(``scoring.services.proposals``) and the plan milestones of an agency (``oversight``) are
appraised by the lead body of the agency's bloc: Sở Nội vụ for the state bloc, and for a bloc a
province gave to another body (``BlocLead``: Ban Tổ chức Tỉnh ủy for the Party, the Front's
standing committee for the Front — Nghệ An §V.1–V.4), the people granted "Thẩm định khối"
(``AccessRole.BLOC_APPRAISER``, group ``BLOC_APPRAISER_GROUP``) on that lead body. Their reach
(``org.access``) is their bloc, and only it; Sở Nội vụ keeps reading every bloc.
"""

from __future__ import annotations

from django.db.models import QuerySet

from org.access import is_home_affairs, reach
from org.models import Agency, BlocLead


def root_of(agency: Agency) -> Agency | None:
    """The root of ``agency``'s tree (itself for a root)."""
    if agency is None or not agency.path:
        return None
    first = agency.path.strip("/").split("/")[0]
    if str(agency.pk) == first:
        return agency
    return Agency.objects.filter(pk=int(first)).first()


def lead_of(agency: Agency) -> BlocLead | None:
    """The ``BlocLead`` of ``agency``'s bloc, or None (the state bloc: Sở Nội vụ)."""
    root = root_of(agency)
    if root is None:
        return None
    return BlocLead.objects.select_related("lead_agency", "root").filter(root=root).first()


def lead_name(agency: Agency) -> str:
    """The name of the body that appraises ``agency``'s bloc, for the pages."""
    from django.utils.translation import gettext

    lead = lead_of(agency)
    return lead.lead_agency.name if lead else gettext("Sở Nội vụ")


def _person(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "pk", None) is not None
    )


def appraised_roots(user) -> list[Agency]:
    """The roots of the blocs ``user`` appraises as a lead body's appraiser: read from their
    grants and groups once per request, by their reach (``org.access.Reach.bloc_roots``: the
    permission layer asks on every request)."""
    if not _person(user):
        return []
    return reach(user).bloc_roots


def is_bloc_appraiser(user) -> bool:
    return bool(appraised_roots(user))


def appraises(user, agency: Agency | None) -> bool:
    """Whether ``user`` appraises ``agency``'s catalog, framework proposal and milestones:
    the appraisers of its bloc's lead body, or — for a bloc without one — Sở Nội vụ. A
    superuser always may."""
    if agency is None or not _person(user):
        return False
    if user.is_superuser:
        return True
    roots = appraised_roots(user)
    if not roots and not is_home_affairs(user):
        return False  # either way below: no bloc of theirs, not Sở Nội vụ (no query)
    lead = lead_of(agency)
    if lead is None:
        return is_home_affairs(user)
    return any(agency.path.startswith(root.path) for root in roots)


def appraised_agencies(user) -> QuerySet:
    """Every agency ``user`` appraises (see :func:`appraises`), as one query."""
    if not _person(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    roots = appraised_roots(user)
    result = Agency.objects.within(roots)
    if is_home_affairs(user):
        led = list(BlocLead.objects.values_list("root__path", flat=True))
        state = Agency.objects.all()
        for path in led:
            state = state.exclude(path__startswith=path)
        result = result | state
    return result
