"""Freezing published catalogs into versions, finding the version in force, and diffing."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wagtail.models import TaskState

from catalog_pages.models import AgencyCatalogPage, CatalogVersion, CatalogVersionItem


def approver_of(revision):
    """Whoever approved the revision in the workflow, else whoever published it directly."""
    if revision is None:
        return None
    state = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=None)
        .order_by("-finished_at")
        .first()
    )
    return state.finished_by if state else revision.user


@transaction.atomic
def freeze_version(page: AgencyCatalogPage, revision=None, user=None) -> CatalogVersion:
    """Write version N+1 from the live content of ``page``; idempotent per revision."""
    page = AgencyCatalogPage.objects.select_for_update().get(pk=page.pk)
    if revision is not None:
        existing = CatalogVersion.objects.filter(page=page, revision=revision).first()
        if existing is not None:
            return existing
    latest = CatalogVersion.objects.filter(agency=page.agency).aggregate(n=Max("number"))["n"]
    previous = CatalogVersion.objects.filter(agency=page.agency, number=latest).first()
    effective = page.effective_from or timezone.localdate()
    if previous is not None and effective < previous.effective_from:
        effective = previous.effective_from
    version = CatalogVersion.objects.create(
        page=page,
        agency=page.agency,
        number=(latest or 0) + 1,
        effective_from=effective,
        approval_ref=page.approval_ref,
        approved_by=user or approver_of(revision),
        approved_at=timezone.now(),
        revision=revision,
    )
    for order, item in enumerate(list(page.items.all())):
        frozen = CatalogVersionItem.objects.create(
            version=version,
            uid=item.uid,
            code=item.code,
            name=item.name,
            output_unit=item.output_unit,
            complexity_group=item.complexity_group,
            coefficient=item.coefficient,
            standard_minutes=item.standard_minutes,
            evidence_required=item.evidence_required,
            is_standard=item.is_standard,
            sort_order=order,
        )
        frozen.job_positions.set(list(item.job_positions.all()))
        frozen.duties.set(list(item.duties.all()))
    return version


def version_in_force(agency, day: datetime.date) -> CatalogVersion | None:
    return CatalogVersion.objects.in_force(agency, day)


@dataclass
class VersionDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    renamed: list = field(default_factory=list)  # (old, new)
    coefficient_changed: list = field(default_factory=list)  # (old, new)
    other_changed: list = field(default_factory=list)  # (old, new, [field names])
    unchanged: int = 0

    @property
    def other_changes(self) -> list:
        """``other_changed`` with each field's name as users read it."""
        labels = {
            f: str(CatalogVersionItem._meta.get_field(f).verbose_name) for f in COMPARED_FIELDS
        }
        return [(old, new, [labels[f] for f in fields]) for old, new, fields in self.other_changed]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.renamed
            or self.coefficient_changed
            or self.other_changed
        )


COMPARED_FIELDS = ("code", "output_unit", "complexity_group", "is_standard", "evidence_required")


def diff_items(old_items, new_items) -> VersionDiff:
    """Items are matched by their stable uid, then by code (an item deleted and re-added).
    Works on frozen version items and on a page's (draft) catalog items alike."""
    diff = VersionDiff()
    old_items = list(old_items)
    by_uid = {item.uid: item for item in old_items}
    by_code = {item.code: item for item in old_items}
    matched_old = set()
    for item in new_items:
        before = by_uid.get(item.uid) or by_code.get(item.code)
        if before is None or id(before) in matched_old:
            diff.added.append(item)
            continue
        matched_old.add(id(before))
        changed = False
        if before.name != item.name:
            diff.renamed.append((before, item))
            changed = True
        if before.coefficient != item.coefficient:
            diff.coefficient_changed.append((before, item))
            changed = True
        others = [f for f in COMPARED_FIELDS if getattr(before, f) != getattr(item, f)]
        if others:
            diff.other_changed.append((before, item, others))
            changed = True
        if not changed:
            diff.unchanged += 1
    diff.removed = [item for item in old_items if id(item) not in matched_old]
    return diff


def diff_versions(old: CatalogVersion | None, new: CatalogVersion) -> VersionDiff:
    return diff_items(old.items.all() if old else [], new.items.all())


@dataclass
class DraftChanges:
    """What a catalog page's draft (its latest revision) changes against the version in force."""

    current: CatalogVersion | None
    diff: VersionDiff
    items: int
    effective_from: datetime.date | None
    date_changed: bool


def draft_changes(page: AgencyCatalogPage) -> DraftChanges:
    """``page`` is the page as edited (the latest revision as an object, items in memory);
    compared with the agency's latest approved version."""
    current = (
        CatalogVersion.objects.filter(agency_id=page.agency_id).order_by("-number").first()
        if page.agency_id
        else None
    )
    items = list(page.items.all())
    diff = diff_items(current.items.all() if current else [], items)
    date_changed = current is not None and page.effective_from != current.effective_from
    return DraftChanges(current, diff, len(items), page.effective_from, date_changed)
