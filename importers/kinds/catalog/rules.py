"""The rules a catalog file must pass, each a named method of :class:`CatalogRules`: the job
positions each row names, the catalog's own rules (``catalog_pages.validation.validate_catalog``,
the page editor's, so Excel and the admin refuse the same things with the same messages), and a
warning on implausible coefficients. Run in that order by ``CatalogKind.analyse``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from catalog_pages.validation import ItemRow, validate_catalog
from cms.lazy import lazy_module
from importers.issues import WARNING, Issue
from importers.kinds.catalog.spec import COLUMNS
from importers.kinds.common import unknown_position_message
from importers.reading.frame import ROW, vi_decimal

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")

#: A coefficient this many times above (or below) the catalog's median, or its own previous
#: value, is flagged: ``1,125`` read as 1125 multiplies every score on the product by 1000.
PLAUSIBLE_RATIO = 100


class CatalogRules:
    """The rules of the catalog kind (mixed into ``CatalogKind``)."""

    def _position_issues(self, parsed, positions) -> list[Issue]:
        """Every job position code a row names must exist (trang Vị trí việc làm)."""
        issues = []
        for record in parsed.frame.itertuples(index=False):
            unknown = [code for code in record.job_positions if code not in positions]
            if unknown:
                issues.append(
                    parsed.issue(
                        getattr(record, ROW),
                        "job_positions",
                        " ".join(unknown_position_message(code, positions) for code in unknown),
                    )
                )
        return issues

    def _catalog_issues(self, parsed) -> list[Issue]:
        """The page editor's rules on the whole catalog (one standard product, at most five
        complexity groups per position, unique codes …), each on its row and column."""
        frame = parsed.frame
        rows = frame[ROW].tolist()
        items = [
            ItemRow(
                code=record.code,
                name=record.name,
                coefficient=None if np.isnan(record.coefficient) else record.coefficient,
                complexity_group=None
                if np.isnan(record.complexity_group)
                else record.complexity_group,
                is_standard=bool(record.is_standard),
                job_positions=list(record.job_positions),
            )
            for record in frame.itertuples(index=False)
        ]
        issues = []
        keys = {c.key for c in COLUMNS}
        for problem in validate_catalog(items, row_numbers=list(rows)):
            key = problem.field if problem.field in keys else None
            row = rows[problem.row] if problem.row is not None else None
            issues.append(parsed.issue(row, key, problem.message))
        return issues

    def _implausible_coefficients(self, parsed, current) -> list[Issue]:
        """A warning, not an error: a coefficient far from the catalog's median or from its own
        previous value (``PLAUSIBLE_RATIO``)."""
        frame = parsed.frame
        coefficients = frame["coefficient"].to_numpy(dtype=float)
        known = coefficients[~np.isnan(coefficients) & (coefficients > 0)]
        if not len(known):
            return []
        median = float(np.median(known))
        issues = []
        for code, value, row in zip(frame["code"], coefficients, frame[ROW], strict=True):
            if np.isnan(value) or value <= 0:
                continue
            before = current.get(code)
            previous = float(before.coefficient) if before is not None else None
            against_median = value >= median * PLAUSIBLE_RATIO or value * PLAUSIBLE_RATIO <= median
            against_previous = previous is not None and (
                value >= previous * PLAUSIBLE_RATIO or value * PLAUSIBLE_RATIO <= previous
            )
            if not (against_median or against_previous):
                continue
            if previous is not None:
                message = _(
                    "Hệ số quy đổi %(value)s khác thường: trung vị các hệ số của danh mục là "
                    "%(median)s, hệ số cũ của sản phẩm này là %(previous)s. Hãy kiểm tra lại "
                    "(ví dụ “1,125” bị ghi thành 1125)."
                )
            else:
                message = _(
                    "Hệ số quy đổi %(value)s khác thường: trung vị các hệ số của danh mục là "
                    "%(median)s. Hãy kiểm tra lại (ví dụ “1,125” bị ghi thành 1125)."
                )
            issues.append(
                parsed.issue(
                    row,
                    "coefficient",
                    message
                    % {
                        "value": vi_decimal(value),
                        "median": vi_decimal(median),
                        "previous": vi_decimal(previous) if previous is not None else "",
                    },
                    severity=WARNING,
                )
            )
        return issues
