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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.lazy import lazy_module
from importers.issues import column_index
from importers.kinds.base import Context
from importers.kinds.results import MAX_COUNT, MAX_QUANTITY, SHEET, SHEET_SPEC, ResultsKind
from importers.lines import store
from importers.reading.frame import ROW, ParsedSheet, parse_column
from scoring.models import AssignmentLine
from scoring.services import lines as line_service

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

__all__ = [
    "MAX_COUNT",
    "MAX_QUANTITY",
    "CheckedLines",
    "LineStatus",
    "LinesRefused",
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
        raw: list[object]
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


#: A period of the lines (or of a stored line they change) no longer accepts inputs (the lines'
#: write service's exception; its problems' field "stored" names the stored line).
PeriodsClosed = line_service.PeriodsClosed
#: Lines the writer may not write (the lines' write service's who-may).
LinesRefused = line_service.BulkRefused


class StaleLines(Exception):
    """The caller changed stored lines without having seen their current values; nothing was
    written. ``problems`` lists ``(record index, stored values or None, kind)``: kind is
    ``"stale"`` (the version sent is not the stored line's: someone changed or deleted it
    since) or ``"missing"`` (no version was sent for a line that already exists)."""

    def __init__(self, problems: list[tuple[int, dict | None, str]]):
        super().__init__(f"{len(problems)} stale line(s)")
        self.problems = problems


#: The version of a stored line (the lines' write service's: the state the API shows).
line_version = line_service.line_version


def upsert_lines(
    lines: CheckedLines,
    *,
    source: str,
    external_ids: Mapping[int, str],
    reason: str,
    versions: Mapping[int, str | None] | None = None,
    agency_ids: Iterable[int] = (),
    user=None,
) -> Upserted:
    """Insert or update the checked lines, keyed on ``(source, external_ids[index])``, all of
    them or (raising :class:`PeriodsClosed`, :class:`LinesRefused` or :class:`StaleLines`)
    none, through the lines' write service (``scoring.services.lines.write_many``) as ``user``
    (an integration system's token; None for a door whose writer was decided elsewhere: a
    connector's mapping). ``reason`` is the rescoring request's.

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
        return _upsert_locked(frame, source, reason, versions, agency_ids, user)
    except IntegrityError:
        # The same external_id was inserted concurrently: read again. With versions, the
        # caller did not see that line, so a change to it is refused as stale.
        return _upsert_locked(frame, source, reason, versions, agency_ids, user)


def _upsert_locked(
    frame: pd.DataFrame,
    source: str,
    reason: str,
    versions: Mapping[int, str | None] | None,
    agency_ids: tuple[int, ...],
    user,
) -> Upserted:
    indices = [int(row) for row in frame[ROW].tolist()]
    external_ids = frame["external_id"].tolist()
    index_of = dict(zip(external_ids, indices, strict=True))
    targets = [
        line_service.Target(index, int(person), int(period), int(unit))
        for index, person, period, unit in zip(
            indices,
            frame["person_id"].tolist(),
            frame["period_id"].tolist(),
            frame["unit_id"].tolist(),
            strict=True,
        )
    ]
    now = timezone.now()
    columns = store.line_columns(frame, now)

    def stored():
        # Locked: the versions compared stay the stored ones until this transaction ends.
        return {
            index_of[external_id]: values
            for external_id, values in _stored(source, external_ids, lock=True).items()
        }

    def seen(rows):
        if versions is not None:
            _check_versions(indices, columns, rows, versions)

    def write(rows):
        return _write(frame, source, rows, columns, now)

    with transaction.atomic():
        return line_service.write_many(
            user,
            targets=targets,
            stored=stored,
            seen=seen,
            write=write,
            agency_ids=agency_ids,
            reason=reason,
            changed=lambda upserted: [
                item.index for item in upserted.items if item.status != "unchanged"
            ],
        )


def _stored(source: str, external_ids: list[str], lock: bool = False) -> dict[str, dict]:
    stored = {}
    for start in range(0, len(external_ids), ID_CHUNK):
        chunk = external_ids[start : start + ID_CHUNK]
        rows = AssignmentLine.objects.filter(source=source, external_id__in=chunk)
        if lock:
            rows = rows.select_for_update(of=("self",))
        for values in rows.values("id", "external_id", *VALUE_FIELDS):
            stored[values["external_id"]] = values
    return stored


def _check_versions(indices, columns, stored, versions) -> None:
    """``stored``: the stored lines by record index."""
    problems: list[tuple[int, dict | None, str]] = []
    for position, index in enumerate(indices):
        sent = versions.get(index)
        old = stored.get(index)
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


def _write(frame: pd.DataFrame, source: str, stored: Mapping[int, dict], columns, now) -> Upserted:
    """The bulk statements (inside ``write_many``): ``stored`` are the stored lines by record
    index, read and checked under the locks."""
    external_ids = frame["external_id"].tolist()
    indices = [int(row) for row in frame[ROW].tolist()]
    new, changed, changed_ids, statuses = [], [], [], []
    for position, index in enumerate(indices):
        old = stored.get(index)
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
        store.raw_insert_lines(frame.iloc[new], source=source, created_by_id=None, now=now)
    if changed:
        store.raw_update_lines(changed_ids, frame.iloc[changed], now)
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
