"""The difference between a checked catalog file and the latest revision of the agency's page
(draft or live): new, changed, unchanged and removed products with their old → new values for
the preview, and the compared values a confirmation checks again (another clerk's draft saved
since the preview sends the confirmation back to the preview)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cms.lazy import lazy_module
from importers.changes import CHANGED, REMOVED, Change, field_changes, shown
from importers.kinds.catalog.spec import COMPARED_LABELS, SHEET
from importers.reading.frame import ROW

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")


class CatalogDiff:
    """The comparison with the page's latest revision (mixed into ``CatalogKind``)."""

    def _differences(self, frame, current, counts) -> tuple[list[Change], bool]:
        """The changes shown in the preview, the counts filled in, and whether the file is the
        latest revision as it stands (same items, same values, same order: nothing to save)."""
        changes = []
        for record in frame.itertuples(index=False):
            before = current.get(record.code)
            if before is None:
                counts.new += 1
            elif _item_values(before) == _row_values(record):
                counts.unchanged += 1
            else:
                counts.changed += 1
                fields = field_changes(
                    (label, _listed(old), _listed(new))
                    for label, old, new in zip(
                        COMPARED_LABELS, _item_values(before), _row_values(record), strict=True
                    )
                )
                subject = f"{record.code} {before.name}"
                changes.append(Change(CHANGED, subject, fields, SHEET, getattr(record, ROW)))
        removed = [code for code in current if code not in set(frame["code"])]
        counts.removed = len(removed)
        for code in removed:
            item = current[code]
            subject = _("%(code)s %(name)s (hệ số %(coefficient)s)") % {
                "code": code,
                "name": item.name,
                "coefficient": shown(item.coefficient),
            }
            changes.append(Change(REMOVED, subject, sheet=SHEET))
        unchanged = list(current) == list(frame["code"]) and counts.unchanged == len(frame)
        return changes, unchanged

    def _compared(self, current) -> dict:
        """The latest revision's items the file was compared with, as shown."""
        return {
            code: {
                str(label): shown(_listed(value))
                for label, value in zip(COMPARED_LABELS, _item_values(item), strict=True)
            }
            for code, item in current.items()
        }


def as_decimal(value, places):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(str(round(float(value), places)))


def _listed(value):
    return ", ".join(value) if isinstance(value, tuple) else value


def _item_values(item) -> tuple:
    return (
        item.name,
        item.output_unit,
        int(item.complexity_group),
        Decimal(item.coefficient).quantize(Decimal("0.0001")),
        item.standard_minutes,
        item.evidence_required,
        bool(item.is_standard),
        tuple(sorted(p.code for p in item.job_positions.all())),
    )


def _row_values(record) -> tuple:
    coefficient = as_decimal(record.coefficient, 4)
    return (
        record.name,
        record.output_unit,
        int(record.complexity_group),
        coefficient.quantize(Decimal("0.0001")) if coefficient is not None else None,
        None if np.isnan(record.standard_minutes) else int(record.standard_minutes),
        record.evidence_required,
        bool(record.is_standard),
        tuple(sorted(record.job_positions)),
    )
