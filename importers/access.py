"""Who may see and act on import jobs; every importer URL goes through these checks."""

from catalog_pages.access import viewable_agencies
from importers.kinds import KINDS
from importers.models import ImportJob
from org.access import is_home_affairs
from org.models import AGENCY_KINDS, Agency


def _candidates(user):
    """The agencies (not units) a user who is not Sở Nội vụ might import for: those they read."""
    return viewable_agencies(user).filter(kind__in=AGENCY_KINDS, is_active=True)


def importable_agencies(user):
    """Agencies (not units) for which ``user`` may download or upload at least one kind."""
    if is_home_affairs(user):
        return Agency.objects.filter(kind__in=AGENCY_KINDS, is_active=True).order_by("path")
    candidates = _candidates(user)
    # Kind by kind, each asked about the agencies no earlier kind allowed (at once, so that a
    # kind reading rows per agency reads them together): the agencies some kind allows.
    allowed: set[int] = set()
    remaining = list(candidates)
    for kind in KINDS.values():
        if not remaining:
            break
        allowed |= kind.importable_among(user, remaining)
        remaining = [agency for agency in remaining if agency.pk not in allowed]
    return candidates.filter(pk__in=allowed).order_by("path")


def can_use_importer(user) -> bool:
    """Whether some kind may be imported for some agency (:func:`importable_agencies` is not
    empty): the importer's door and its menu entry, asked on every admin page — kind by kind,
    each answering "any?" with a condition or few rows, stopping at the first yes."""
    if user is None or not user.is_authenticated:
        return False
    if is_home_affairs(user):
        return True
    # The candidates read once, by id: most people read no agency at all (a unit's staff and
    # its head) and are answered by this one query; the others' kinds are asked about a few ids
    # rather than each planning the reach again (issue 48, at 100,000 people: a unit head's
    # answer 26.6 → 9.2 ms, a director's 26.3 → 20.0 ms).
    ids = list(_candidates(user).values_list("pk", flat=True))
    if not ids:
        return False
    candidates = Agency.objects.filter(pk__in=ids)
    return any(kind.imports_any(user, candidates) for kind in KINDS.values())


def visible_jobs(user):
    if is_home_affairs(user):
        return ImportJob.objects.all()
    if user is None or not user.is_authenticated:
        return ImportJob.objects.none()
    agencies = list(importable_agencies(user).values_list("pk", flat=True))
    return ImportJob.objects.filter(uploaded_by=user) | ImportJob.objects.filter(
        agency_id__in=agencies
    )


def can_view_job(user, job: ImportJob) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_home_affairs(user) or job.uploaded_by_id == user.pk:
        return True
    kind = KINDS.get(job.kind)
    return job.agency is not None and kind is not None and kind.can_import(user, job.agency)


def can_act_on_job(user, job: ImportJob) -> bool:
    """Confirm or cancel: the right to import this kind for this agency, now."""
    kind = KINDS.get(job.kind)
    return job.agency is not None and kind is not None and kind.can_import(user, job.agency)
