"""The one writer of assignment lines for the Excel results import and the integration API.

Rows come as the frame :meth:`importers.kinds.results.ResultsKind.analyse` returns (one row per
line: ``person_id``, ``item_id``, ``unit_id``, ``assigned``, ``completed``, ``deadline``,
``completed_on``, ``failed_reviews``, ``delays``, ``failed_list``, ``note``, ``external_id``,
and ``period_id`` when the rows span periods). They are written with :mod:`importers.bulk`, which
sends no model signal and writes the change-history rows itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from importers import bulk
from scoring.models import AssignmentLine

#: Stored fields compared to decide whether a line changed.
VALUE_FIELDS = (
    "civil_servant_id",
    "item_id",
    "unit_id",
    "assigned_quantity",
    "completed_quantity",
    "deadline",
    "completed_on",
    "failed_reviews",
    "delays",
    "note",
    "failed_by_product",
)


def line_columns(frame: pd.DataFrame, now) -> dict:
    """The stored columns of validated rows (``period_id`` too when the frame carries it)."""
    columns = {
        "civil_servant_id": bulk.int_column(frame["person_id"]),
        "item_id": bulk.int_column(frame["item_id"]),
        "unit_id": bulk.int_column(frame["unit_id"]),
        "assigned_quantity": bulk.decimal_column(frame["assigned"]),
        "completed_quantity": bulk.decimal_column(frame["completed"]),
        "deadline": _dates(frame["deadline"]),
        "completed_on": _dates(frame["completed_on"]),
        "failed_reviews": bulk.int_column(frame["failed_reviews"]),
        "delays": bulk.int_column(frame["delays"]),
        # JSON lists as tuples: bulk writers convert each distinct value once (hashable).
        "failed_by_product": [tuple(counts) for counts in frame["failed_list"]],
        "note": frame["note"].tolist(),
        "updated_at": now,
    }
    if "period_id" in frame:
        columns["period_id"] = bulk.int_column(frame["period_id"])
    return columns


def insert_lines(
    frame: pd.DataFrame, *, source: str, created_by_id, now, period_id: int | None = None
) -> None:
    """Insert the rows as new lines of ``source`` (of ``period_id``, or each row's own)."""
    columns = {
        **line_columns(frame, now),
        "source": source,
        "external_id": frame["external_id"].tolist(),
        "created_by_id": created_by_id,
        "created_at": now,
    }
    history_filter = {"source": source, "created_at": now}
    if period_id is not None:
        columns["period_id"] = period_id
        history_filter = {"period_id": period_id, **history_filter}
    bulk.insert_columns(AssignmentLine, columns, history_filter=history_filter)


def update_lines(ids: Sequence[int], frame: pd.DataFrame, now) -> None:
    """Overwrite the stored lines ``ids`` with the rows of ``frame`` (same order)."""
    bulk.update_columns(AssignmentLine, ids, line_columns(frame, now))


def delete_lines(ids: Sequence[int]) -> None:
    bulk.delete_ids(AssignmentLine, ids)


def _dates(values: pd.Series) -> list:
    return [None if _missing(value) else value for value in values.tolist()]


def _missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)
