"""Assignment lines given as records, checked by the Excel results rules and upserted.

The door of the integration API (:mod:`api.write`) to the importers: the API checks the shape
of the request and its scope; this module does everything a line needs to be stored, with the
same code as an uploaded "Kết quả" sheet.

1. :func:`check_records` — the records of one (agency, period) go through the Excel importer's
   own column parsers (the columns of :mod:`importers.kinds.results`) and then
   :meth:`ResultsKind.analyse`: the same code, in the same order, with the same Vietnamese
   messages as an uploaded file. An issue names the record (its index) and the column key.
2. :func:`upsert_lines` — the checked lines are keyed on ``(source, external_id)``, so
   re-sending an id updates the same line, never duplicates it. Unchanged lines are not
   touched. New lines are inserted and changed lines updated with the Excel import's writer
   (:mod:`importers.lines.store`). ``bulk_create(update_conflicts=True)`` cannot be used: the
   unique constraint on ``(source, external_id)`` is partial (``external_id <> ''``), and both
   SQLite and PostgreSQL accept ``ON CONFLICT`` on a partial index only with the index
   predicate in the conflict target, which Django does not emit ("ON CONFLICT clause does not
   match any PRIMARY KEY or UNIQUE constraint"). Existing ids are read first (one indexed query
   per 900 ids), inside the same transaction; a concurrent insert of the same id is retried
   once as an update.

Scores are not recomputed here: the people's rescoring is requested once the transaction
commits (:mod:`scoring.services.rescoring`), as after an Excel import.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from django.db import IntegrityError, transaction
from django.utils import timezone

from importers.issues import column_index
from importers.kinds.base import Context
from importers.kinds.results import MAX_COUNT, MAX_QUANTITY, SHEET, SHEET_SPEC, ResultsKind
from importers.lines import store
from importers.reading.frame import ROW, ParsedSheet, parse_column
from scoring.models import AssignmentLine, Period, PeriodStatus
from scoring.models.guards import closed_period_error
from scoring.services.input_locks import lock_inputs
from scoring.services.rescoring import request_rescore

__all__ = [
    "MAX_COUNT",
    "MAX_QUANTITY",
    "CheckedLines",
    "LineStatus",
    "PeriodsClosed",
    "RecordCheck",
    "RecordIssue",
    "StaleLines",
    "Upserted",
    "check_records",
    "line_version",
    "upsert_lines",
]

#: Stored columns compared to decide whether a re-sent line changed: the Excel importer's,
#: plus the period (records may span periods).
VALUE_FIELDS = ("period_id", *store.VALUE_FIELDS)
ID_CHUNK = 900


@dataclass(frozen=True)
class RecordIssue:
    """An issue of the results rules: on record ``index`` (None: on the whole group) and
    column ``key`` ("" when it names no column)."""

    index: int | None
    key: str
    message: str
    is_error: bool


class CheckedLines:
    """Records that passed the results rules, ready to be written (one or more groups)."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame

    @classmethod
    def concat(cls, parts: list[CheckedLines]) -> CheckedLines:
        frames = [part._frame for part in parts]
        return cls(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())

    def __len__(self) -> int:
        return len(self._frame)

    def units(self) -> list[tuple[int, int]]:
        """``(record index, id of the unit that carries the line out)`` of each line."""
        return [
            (int(row), int(unit))
            for row, unit in zip(
                self._frame[ROW].tolist(), self._frame["unit_id"].tolist(), strict=True
            )
        ]


@dataclass
class RecordCheck:
    lines: CheckedLines | None
    issues: list[RecordIssue]


class _RecordsKind(ResultsKind):
    """The Excel results kind, compared with nothing stored: records are upserted by their own
    key."""

    reads_files = False

    def scope(self, context):
        return AssignmentLine.objects.none()


def check_records(
    agency, period, records: Mapping[int, dict], *, rules: bool = True
) -> RecordCheck:
    """Run the Excel results rules on the records (``{index: {column key: value}}``) of one
    agency (the one owning the catalog) and period. The column keys are those of the results
    sheet (:data:`importers.kinds.results.COLUMNS`); "line_code" is not read: a record's
    identity is the caller's, given to :func:`upsert_lines`.

    The agency and period are checked first (an approved catalog in force, an open period);
    their errors come with index None and the records are not checked. With ``rules=False``
    only that first check is made.
    """
    kind = _RecordsKind()
    context = Context(agency=agency, period=period, period_code=period.code)
    issues = [
        RecordIssue(None, "", issue.message, True)
        for issue in kind.context_issues(context)
        if issue.is_error
    ]
    if issues or not rules:
        return RecordCheck(None, issues)
    result = kind.analyse(context, {SHEET: _parsed_sheet(records)})
    for issue in result.issues:
        index = None if issue.row is None else int(issue.row)
        issues.append(RecordIssue(index, _key_of(issue), issue.message, issue.is_error))
    if any(issue.is_error for issue in result.issues) or result.payload is None:
        return RecordCheck(None, issues)
    frame = result.payload["new"].assign(period_id=period.pk)
    return RecordCheck(CheckedLines(frame), issues)


def _parsed_sheet(records: Mapping[int, dict]) -> ParsedSheet:
    """The records as the Excel reader would have parsed them (rows numbered by index)."""
    indices = list(records)
    rows = np.asarray(indices, dtype=np.int64)
    frame, issues = {}, []
    for position, column in enumerate(SHEET_SPEC.columns):
        if column.key == "line_code":
            raw = [f"#{i}" for i in indices]  # unique per record: identity is the caller's key
        else:
            raw = [records[i].get(column.key) for i in indices]
        values = np.empty(len(indices), dtype=object)
        values[:] = [
            "" if value is None else (str(value) if isinstance(value, bool) else value)
            for value in raw
        ]
        parsed, _empty, column_issues = parse_column(values, column, SHEET_SPEC, position, rows)
        frame[column.key] = pd.Series(
            parsed, dtype=np.float64 if parsed.dtype.kind == "f" else object
        )
        issues.extend(column_issues)
    data = pd.DataFrame(frame)
    data[ROW] = rows
    return ParsedSheet(SHEET_SPEC, data.reset_index(drop=True), issues)


def _key_of(issue) -> str:
    if not issue.column:
        return ""
    return SHEET_SPEC.columns[column_index(issue.column)].key


# --------------------------------------------------------------------------- upsert


@dataclass(frozen=True)
class LineStatus:
    index: int
    status: str  # "created", "updated" or "unchanged"
    id: int
    version: str = ""  # line_version() of the line as stored now


@dataclass
class Upserted:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    items: list[LineStatus] = field(default_factory=list)


class PeriodsClosed(Exception):
    """A period of the lines (or the one a stored line is in) no longer accepts inputs;
    nothing was written. ``problems`` lists ``(record index, field, message)``, field being
    "period" or "external_id"; ``reason`` is the first message."""

    def __init__(self, reason: str, problems: list[tuple[int, str, str]]):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems


class StaleLines(Exception):
    """The caller changed stored lines without having seen their current values; nothing was
    written. ``problems`` lists ``(record index, stored values or None, kind)``: kind is
    ``"stale"`` (the version sent is not the stored line's: someone changed or deleted it
    since) or ``"missing"`` (no version was sent for a line that already exists)."""

    def __init__(self, problems: list[tuple[int, dict | None, str]]):
        super().__init__(f"{len(problems)} stale line(s)")
        self.problems = problems


def _canonical(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(str(int(n)) for n in value)
    return str(value)


def line_version(values) -> str:
    """The version of a stored line: a short digest of its stored values (period, person,
    product, unit, quantities, dates, counts, note). ``values`` is a mapping or a line.

    Like ``cms.seen`` for forms, it is a fingerprint of values rather than a counter, so it
    needs no column and changes whichever door (admin, Excel, API) changed the line."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name)
    text = "\x1f".join(_canonical(get(name)) for name in VALUE_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def upsert_lines(
    lines: CheckedLines,
    *,
    source: str,
    external_ids: Mapping[int, str],
    reason: str,
    versions: Mapping[int, str | None] | None = None,
    agency_ids: Iterable[int] = (),
) -> Upserted:
    """Insert or update the checked lines, keyed on ``(source, external_ids[index])``, all of
    them or (raising :class:`PeriodsClosed` or :class:`StaleLines`) none. ``reason`` is the
    rescoring request's.

    ``versions`` (``{record index: version or None}``), when given, is what the caller saw:
    a line that exists and would change must come with its current :func:`line_version`,
    and a version sent for a line that no longer exists is stale too. Unchanged lines pass
    whatever version they carry (nothing is overwritten).

    ``agency_ids`` are the agencies whose catalogues the lines use: they are locked before the
    periods, the order every door takes (:mod:`scoring.services.input_locks`)."""
    agency_ids = tuple(agency_ids)
    frame = lines._frame.copy()
    frame["external_id"] = [external_ids[int(row)] for row in frame[ROW].tolist()]
    frame["note"] = [note or "" for note in frame["note"].tolist()]
    try:
        return _upsert_locked(frame, source, reason, versions, agency_ids)
    except IntegrityError:
        # The same external_id was inserted concurrently: read again. With versions, the
        # caller did not see that line, so a change to it is refused as stale.
        return _upsert_locked(frame, source, reason, versions, agency_ids)


def _upsert_locked(
    frame: pd.DataFrame,
    source: str,
    reason: str,
    versions: Mapping[int, str | None] | None,
    agency_ids: tuple[int, ...],
) -> Upserted:
    with transaction.atomic():
        # The agencies, then the periods (one order for every door): none can be closed
        # while its lines are being written, and an import of the same month waits.
        current = lock_inputs(agency_ids, set(frame["period_id"].tolist()))
        indices = [int(row) for row in frame[ROW].tolist()]
        period_ids = [int(pk) for pk in frame["period_id"].tolist()]
        problems = [
            (index, "period", closed_period_error(current[pk]).messages[0])
            for index, pk in zip(indices, period_ids, strict=True)
            if not current[pk].accepts_inputs
        ]
        if problems:
            raise PeriodsClosed(problems[0][2], problems)
        upserted = _write(frame, source, versions)
        # Bulk writes send no model signal: the people's scores are asked for here, queued
        # once this transaction commits (scoring.services.rescoring).
        people: dict[int, set[int]] = defaultdict(set)
        for period_id, person in zip(period_ids, frame["person_id"].tolist(), strict=True):
            people[period_id].add(int(person))
        for period_id, persons in people.items():
            request_rescore(current[period_id], people=persons, reason=reason)
    return upserted


def _stored(source: str, external_ids: list[str], lock: bool = False) -> dict[str, dict]:
    stored = {}
    for start in range(0, len(external_ids), ID_CHUNK):
        chunk = external_ids[start : start + ID_CHUNK]
        rows = AssignmentLine.objects.filter(source=source, external_id__in=chunk)
        if lock:  # the versions compared stay the stored ones until this transaction ends
            rows = rows.select_for_update(of=("self",))
        for values in rows.values("id", "external_id", "period__status", *VALUE_FIELDS):
            stored[values["external_id"]] = values
    return stored


def _check_versions(indices, external_ids, columns, stored, versions) -> None:
    problems = []
    for position, (index, external_id) in enumerate(zip(indices, external_ids, strict=True)):
        sent = versions.get(index)
        old = stored.get(external_id)
        if old is None:
            if sent:  # the caller saw a line that is gone
                problems.append((index, None, "stale"))
            continue
        if _same({name: columns[name][position] for name in VALUE_FIELDS}, old):
            continue  # nothing would change: nothing can be lost
        if not sent:
            problems.append((index, old, "missing"))
        elif sent != line_version(old):
            problems.append((index, old, "stale"))
    if problems:
        raise StaleLines(problems)


def _same(row: dict, stored: dict) -> bool:
    return all(
        (list(row[name]) if name == "failed_by_product" else row[name]) == stored[name]
        for name in VALUE_FIELDS
    )


def _write(
    frame: pd.DataFrame, source: str, versions: Mapping[int, str | None] | None = None
) -> Upserted:
    external_ids = frame["external_id"].tolist()
    indices = [int(row) for row in frame[ROW].tolist()]
    stored = _stored(source, external_ids, lock=versions is not None)
    problems = []
    for index, external_id in zip(indices, external_ids, strict=True):
        old = stored.get(external_id)
        if old is not None and old["period__status"] != PeriodStatus.OPEN:
            period = Period.objects.get(pk=old["period_id"])
            problems.append((index, "external_id", closed_period_error(period).messages[0]))
    if problems:
        raise PeriodsClosed(problems[0][2], problems)

    now = timezone.now()
    columns = store.line_columns(frame, now)
    if versions is not None:
        _check_versions(indices, external_ids, columns, stored, versions)
    new, changed, changed_ids, statuses = [], [], [], []
    for position, (index, external_id) in enumerate(zip(indices, external_ids, strict=True)):
        old = stored.get(external_id)
        row = {name: columns[name][position] for name in VALUE_FIELDS}
        if old is None:
            new.append(position)
            status = "created"
        elif _same(row, old):
            status = "unchanged"
        else:
            changed.append(position)
            changed_ids.append(old["id"])
            status = "updated"
        statuses.append((index, status))

    if new:
        store.insert_lines(frame.iloc[new], source=source, created_by_id=None, now=now)
    if changed:
        store.update_lines(changed_ids, frame.iloc[changed], now)
    written = _stored(source, external_ids)  # the ids of new lines, every line's version
    items = [
        LineStatus(
            index,
            status,
            written[external_ids[position]]["id"],
            line_version(written[external_ids[position]]),
        )
        for position, (index, status) in enumerate(statuses)
    ]
    items.sort(key=lambda entry: entry.index)
    return Upserted(
        created=len(new),
        updated=len(changed),
        unchanged=len(indices) - len(new) - len(changed),
        items=items,
    )
