"""The one writer of assignment lines for the Excel results import and the integration API.

Rows come as the frame :meth:`importers.kinds.results.ResultsKind.analyse` returns (one row per
line: ``person_id``, ``item_id``, ``unit_id``, ``assigned``, ``completed``, ``deadline``,
``completed_on``, ``failed_reviews``, ``delays``, ``failed_list``, ``note``, ``external_id``,
and ``period_id`` when the rows span periods). They are written with :mod:`importers.bulk`, which
sends no model signal and writes the change-history rows itself.

Who may write them is not decided here: :func:`insert_lines`, :func:`update_lines` and
:func:`delete_lines` run their statements through the lines' write service
(``scoring.services.lines.write_many``: the lock order, closed periods, who may for every line
written, changed or removed, rescoring) as the writer the door named with
``scoring.services.lines.writing_as`` (the Excel pipeline's commit). The ``raw_*`` statements
are for a door already inside :func:`~scoring.services.lines.write_many`
(``importers.lines.records``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from cms.lazy import lazy_module
from importers import bulk
from importers.reading.frame import ROW
from scoring.models import AssignmentLine
from scoring.services import lines as line_service

ID_CHUNK = 900

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

#: Stored fields compared to decide whether a line changed: the fields a line's version is
#: made of (``scoring.services.lines.VERSION_FIELDS``) but its period, which a line keeps.
VALUE_FIELDS = tuple(name for name in line_service.VERSION_FIELDS if name != "period_id")


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


def raw_insert_lines(
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


def raw_update_lines(ids: Sequence[int], frame: pd.DataFrame, now) -> None:
    """Overwrite the stored lines ``ids`` with the rows of ``frame`` (same order)."""
    bulk.update_columns(AssignmentLine, ids, line_columns(frame, now))


def raw_delete_lines(ids: Sequence[int]) -> None:
    bulk.delete_ids(AssignmentLine, ids)


def stored_by_ids(ids: Sequence[int]) -> dict[int, Mapping[str, object]]:
    """``{id: person, period, unit}`` of stored lines, locked (``FOR UPDATE``) until the
    transaction ends; one query per 900 ids."""
    found: dict[int, Mapping[str, object]] = {}
    ids = [int(pk) for pk in ids]
    for start in range(0, len(ids), ID_CHUNK):
        rows = (
            AssignmentLine.objects.select_for_update(of=("self",))
            .filter(pk__in=ids[start : start + ID_CHUNK])
            .values("id", "civil_servant_id", "period_id", "unit_id")
        )
        found.update((row["id"], row) for row in rows)
    return found


def _keys(frame: pd.DataFrame) -> list:
    return bulk.int_column(frame[ROW]) if ROW in frame else list(range(len(frame)))


def insert_lines(
    frame: pd.DataFrame, *, source: str, created_by_id, now, period_id: int | None = None
) -> None:
    """:func:`raw_insert_lines` through the lines' write service, as the door's writer."""
    writer = line_service.current_writer()
    periods = (
        [int(period_id)] * len(frame)
        if period_id is not None
        else bulk.int_column(frame["period_id"])
    )
    # Whole columns as ints, then one named tuple per line (no per-value int()).
    targets = list(
        map(
            line_service.Target,
            _keys(frame),
            bulk.int_column(frame["person_id"]),
            periods,
            bulk.int_column(frame["unit_id"]),
        )
    )

    def write(_stored):
        raw_insert_lines(
            frame, source=source, created_by_id=created_by_id, now=now, period_id=period_id
        )

    line_service.write_many(
        writer.user,
        targets=targets,
        write=write,
        agency_ids=writer.agency_ids,
        reason=writer.reason,
    )


def update_lines(ids: Sequence[int], frame: pd.DataFrame, now) -> None:
    """:func:`raw_update_lines` through the lines' write service, as the door's writer: who may
    is asked of each line as it was stored and as it will be."""
    writer = line_service.current_writer()
    ids = [int(pk) for pk in ids]

    def targets(stored):
        return [
            line_service.Target(key, int(person), int(stored[pk]["period_id"]), int(unit))
            for key, pk, person, unit in zip(
                _keys(frame),
                ids,
                frame["person_id"].tolist(),
                frame["unit_id"].tolist(),
                strict=True,
            )
        ]

    line_service.write_many(
        writer.user,
        targets=targets,
        stored=lambda: stored_by_ids(ids),
        write=lambda _stored: raw_update_lines(ids, frame, now),
        agency_ids=writer.agency_ids,
        reason=writer.reason,
    )


def delete_lines(ids: Sequence[int]) -> None:
    """:func:`raw_delete_lines` through the lines' write service, as the door's writer."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return
    writer = line_service.current_writer()
    line_service.write_many(
        writer.user,
        targets=[],
        stored=lambda: stored_by_ids(ids),
        write=lambda _stored: raw_delete_lines(ids),
        agency_ids=writer.agency_ids,
        reason=writer.reason,
    )


def _dates(values: pd.Series) -> list:
    """The dates of a column, ``None`` where empty (None, NaT, NaN: tested at C speed)."""
    values = values.astype(object)
    return values.where(values.notna(), None).tolist()
