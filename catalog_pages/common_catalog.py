"""The common catalog in force: which coefficient and output unit an agency item is scored with.

An agency catalog item merged into a common product (``CommonProductMapping``) keeps its own
coefficient until a province decision adopting the common catalog is in force
(``CommonCatalogAdoption``); from then on it takes the common product's coefficient and output
unit as frozen by that decision (``AdoptedCommonItem``), so the same product counts the same
in every agency (Đắk Lắk plan §III.2.3, Gia Lai §IV.2.2, Lào Cai §II.2.3).

**Which day decides** [giả định — tỉnh cần xác nhận]: the *first day of the period*. A period
that starts before the effective date keeps the agency's own coefficients for the whole period
(never retroactive, and never two coefficients inside one period); the first period starting
on or after the effective date uses the common ones. (The catalog *version* of a period is
chosen by its last day, docs/importers.md; the adoption deliberately uses the first day so that
work done before the decision applied is never re-weighted.)

:func:`resolve` is the one pure function every reader uses (scoring in batch and for one
person, the explain page, the API, the Excel exports); :func:`effective_items` loads what it
needs in a fixed number of queries (three), whatever the number of items.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog_pages.models import (
    AdoptedCommonItem,
    AdoptionStatus,
    CatalogVersion,
    CatalogVersionItem,
    CommonCatalogAdoption,
    CommonProductMapping,
)
from cms.statements import given_ids, kept_rows


class Effective(NamedTuple):
    """How one agency item counts in one period."""

    coefficient: Decimal
    output_unit: str
    own_coefficient: Decimal
    own_output_unit: str
    #: The adoption whose common coefficient applies (None: the agency's own).
    adoption_id: int | None = None
    common_code: str = ""

    @property
    def from_common(self) -> bool:
        return self.adoption_id is not None

    @property
    def changed(self) -> bool:
        return self.from_common and (
            self.coefficient != self.own_coefficient or self.output_unit != self.own_output_unit
        )


class ItemRow(NamedTuple):
    """What :func:`resolve` needs of an agency item (a ``CatalogVersionItem``)."""

    id: int
    agency_id: int
    uid: object
    coefficient: Decimal
    output_unit: str


class CommonEntry(NamedTuple):
    coefficient: Decimal
    output_unit: str
    code: str


def resolve(
    items: Iterable[ItemRow],
    adoption_id: int | None,
    entries: dict[tuple[int, object], CommonEntry],
) -> dict[int, Effective]:
    """item id → :class:`Effective`: the common coefficient and unit for the items the adoption
    in force maps (``entries``: (agency id, item uid) → entry), the item's own otherwise."""
    result = {}
    for item in items:
        entry = entries.get((item.agency_id, item.uid)) if adoption_id is not None else None
        if entry is None:
            result[item.id] = Effective(
                item.coefficient, item.output_unit, item.coefficient, item.output_unit
            )
        else:
            result[item.id] = Effective(
                entry.coefficient,
                entry.output_unit,
                item.coefficient,
                item.output_unit,
                adoption_id,
                entry.code,
            )
    return result


def adoption_in_force(day: datetime.date) -> CommonCatalogAdoption | None:
    return CommonCatalogAdoption.objects.in_force(day)


def _entries(adoption_id: int, uids) -> dict[tuple[int, object], CommonEntry]:
    rows = AdoptedCommonItem.objects.filter(adoption_id=adoption_id, item_uid__in=uids)
    return {
        (agency_id, uid): CommonEntry(coefficient, unit, code)
        for agency_id, uid, coefficient, unit, code in rows.values_list(
            "agency_id", "item_uid", "coefficient", "output_unit", "code"
        )
    }


def effective_items(
    items, day: datetime.date, versions: dict | None = None
) -> dict[int, Effective]:
    """item id → :class:`Effective` for the ``CatalogVersionItem`` ids (or a subquery of them)
    ``items``, in a period starting on ``day``. Three queries at most; ``versions``, when
    given, receives each item's catalog version id from the same reading."""
    rows = []
    # Ids given (one person's chain): statements compiled once per number of items
    # (``cms.statements``); a subquery of ids: compiled here.
    read = kept_rows(_item_rows, items=items) if given_ids(items) else _item_rows(items)
    for pk, version_id, agency_id, uid, coefficient, output_unit in read:
        rows.append(ItemRow(pk, agency_id, uid, coefficient, output_unit))
        if versions is not None:
            versions[pk] = version_id
    if not rows:
        return resolve(rows, None, {})
    adoption_id = next(iter(kept_rows(_adoption_in_force, day=day)), None)
    if adoption_id is None:
        return resolve(rows, None, {})
    return resolve(rows, adoption_id, _entries(adoption_id, {row.uid for row in rows}))


def _item_rows(items):
    # No order: the rows are taken by id. The model's order (its catalog version's, then the
    # item's place) joined every agency to sort two dozen rows (a scan of the province's
    # agencies in one person's chain).
    return (
        CatalogVersionItem.objects.filter(pk__in=items)
        .order_by()
        .values_list("id", "version_id", "version__agency_id", "uid", "coefficient", "output_unit")
    )


def _adoption_in_force(day):
    """The id of :meth:`CommonCatalogAdoptionQuerySet.in_force`'s adoption on ``day``."""
    return CommonCatalogAdoption.objects.in_force_rows(day).values_list("pk", flat=True)[:1]


def effective_for_lines(lines) -> dict[int, Effective]:
    """line id → :class:`Effective` for assignment lines (with ``item_id`` and ``period``
    loaded): one resolution per period start, a fixed number of queries per distinct period."""
    by_day: dict[datetime.date, list] = {}
    for line in lines:
        by_day.setdefault(line.period.start_date, []).append(line)
    found = {}
    for day, group in by_day.items():
        items = effective_items({line.item_id for line in group}, day)
        for line in group:
            if line.item_id in items:
                found[line.pk] = items[line.item_id]
    return found


# --- adopting ---------------------------------------------------------------------------------


class AdoptionError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def adopt(adoption: CommonCatalogAdoption, user) -> CommonCatalogAdoption:
    """Adopt a draft: freeze the common catalog's current mappings into it, give it the next
    version number. Either everything is written or nothing."""
    adoption = CommonCatalogAdoption.objects.select_for_update().get(pk=adoption.pk)
    if adoption.is_adopted:
        raise AdoptionError(
            _("Quyết định %(number)s đã được ban hành.") % {"number": adoption.decision_number}
        )
    mappings = list(CommonProductMapping.objects.select_related("common_product"))
    if not mappings:
        raise AdoptionError(
            _("Danh mục dùng chung chưa có sản phẩm nào được gộp; không có gì để ban hành.")
        )
    latest = (
        CommonCatalogAdoption.objects.exclude(version=None)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    AdoptedCommonItem.objects.bulk_create(
        AdoptedCommonItem(
            adoption=adoption,
            common_product=mapping.common_product,
            code=mapping.common_product.code,
            name=mapping.common_product.name,
            output_unit=mapping.common_product.output_unit,
            coefficient=mapping.common_product.coefficient,
            agency_id=mapping.agency_id,
            item_uid=mapping.item_uid,
            item_code=mapping.item_code,
        )
        for mapping in mappings
    )
    adoption.version = (latest or 0) + 1
    adoption.status = AdoptionStatus.ADOPTED
    adoption.adopted_by = user
    adoption.adopted_at = timezone.now()
    adoption._change_reason = _("Ban hành danh mục dùng chung")
    adoption.save()
    return adoption


# --- what changes for an agency ---------------------------------------------------------------


@dataclass
class ItemChange:
    code: str
    name: str
    old_coefficient: Decimal
    new_coefficient: Decimal
    old_unit: str
    new_unit: str
    common_code: str
    effective_from: datetime.date
    adoption: CommonCatalogAdoption

    @property
    def coefficient_changed(self) -> bool:
        return self.old_coefficient != self.new_coefficient

    @property
    def unit_changed(self) -> bool:
        return self.old_unit != self.new_unit


def changes_for_agency(agency, adoptions=None) -> list[ItemChange]:
    """For each adopted decision (newest first), the agency's items whose coefficient or
    output unit it changes: old (the agency's catalog version in force on the effective date,
    else its latest) → new. A fixed number of queries per adoption."""
    if adoptions is None:
        adoptions = CommonCatalogAdoption.objects.adopted().order_by("-effective_from", "-version")
    changes = []
    for adoption in adoptions:
        version = CatalogVersion.objects.in_force(agency, adoption.effective_from) or (
            CatalogVersion.objects.filter(agency=agency).order_by("-number").first()
        )
        if version is None:
            continue
        items = list(version.items.order_by("sort_order"))
        entries = {
            uid: entry
            for (agency_id, uid), entry in _entries(adoption.pk, {i.uid for i in items}).items()
            if agency_id == agency.pk
        }
        for item in items:
            entry = entries.get(item.uid)
            if entry is None:
                continue
            if entry.coefficient == item.coefficient and entry.output_unit == item.output_unit:
                continue
            changes.append(
                ItemChange(
                    item.code,
                    item.name,
                    item.coefficient,
                    entry.coefficient,
                    item.output_unit,
                    entry.output_unit,
                    entry.code,
                    adoption.effective_from,
                    adoption,
                )
            )
    return changes
