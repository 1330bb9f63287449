"""Small reads compiled once per shape and run again with new values (issue 48).

One person's chain after a change (period, six-month, annual, organisation) sends about fifty
small statements; Django builds each queryset and compiles its SQL anew on every call, which
was about 40 % of the chain's CPU — more than the database took to answer them.

:func:`kept_rows` runs a ``values_list`` read built by a function of its values: the first call
of a shape builds the queryset with placeholder values and compiles it (twice, with two sets of
placeholders, to find where each value goes); every later call of the same shape puts its own
values in those places and runs the kept statement, applying the same value converters Django
applies. The rows are those ``list(build(*fixed, **values))`` gives; that ordinary path is taken
whenever the kept one cannot be proven the same (below), so a read is never wrong, only not
faster.

Rules for a call site:

* ``build`` is a plain function or lambda with no closure and no defaults: the statement it
  builds depends only on its arguments (and on module-level names such as models). Anything
  else that shapes the statement — a flag, a tuple of kinds, a field name — is passed in
  ``fixed``, which is part of the shape (so it must be hashable).
* ``values`` are ``int``, ``datetime.date`` (not a ``datetime``), ``str``, or collections of
  ``int`` or of ``str`` (ids, years, a period's first and last days, quota groups' names, a
  tree's path). A text goes into the query as it is (``=``, ``IN``) or into a ``LIKE``
  pattern escaped as Django escapes it (``__startswith``, ``__contains``, ``__endswith``,
  SQLite's ``__iexact``: the placeholders hold ``%`` and ``_``, so the two compilations tell
  the escaped text from the text as it is); any other change of it (``UPPER`` in Python, a
  number field given a text) takes the ordinary path. A collection is a set of values for ``IN (…)``
  (``__in``) and nothing else — not its length, not an element alone: it is read as a set of
  distinct values, and ``IN`` has one mark per value, so the statement of 100 ids is another
  than that of 101. So that a group's members (tens to hundreds of ids, every size) do not each
  make a shape, a collection of more than :data:`EXACT_UP_TO` values is *padded* to the next
  power of two by repeating its last value (``IN (1, 2, 3, 3)`` is ``IN (1, 2, 3)``, and so is
  ``NOT IN``); one longer than :data:`MAX_LENGTH` takes the ordinary path.
  Anything else (bytes, a datetime, an out-of-range int, a mixed collection) takes the
  ordinary path.
* ``build`` passes each value into the query as it is: no arithmetic on it, no attribute of it
  (``day.month``), no branch on it (``if year > …``) — such a statement would be kept with what
  the placeholder gave. The test suite compiles every call again with its real values and
  compares (:data:`CHECK`, set by ``tests/conftest.py``), so a build that breaks this rule fails
  the tests of its callers; a padded call is also run the ordinary way there and its rows
  compared (what a build that read a collection's length would get wrong).
* ``build`` returns a ``values_list`` queryset (plain tuples or ``flat=True``), a ``values``
  one (dicts), or one of model instances of its own model's columns (``only``/``defer`` as
  wished; no ``select_related``, ``prefetch_related`` or annotations), possibly sliced
  (``[:1]`` for a "first" read, ``[:21]`` for a "get").

On PostgreSQL a kept statement is sent as a prepared statement (:data:`PREPARED`): the server
parses and plans it once per connection instead of on every call, which was most of the time a
small join took there. It goes through Django's cursor wrapper like any statement (logged,
counted, shown with its values). Each value is bound with the type PostgreSQL gives the literal
Django would write (a bare int as ``integer``); a statement holding a value psycopg would bind
otherwise (a float), or one the server will not prepare, is sent as text.

:func:`kept_rows_together` takes several reads that do not depend on one another (each a
:func:`read`: a build and its values as :func:`kept_rows` takes them) and gives each one's rows.
On PostgreSQL the prepared ones are sent in one pipeline (psycopg's pipeline mode) and answered
together — one round trip instead of one each, about 0.16 ms saved per statement at 100,000
people (issue 48, session 55) — each still logged and counted as a statement of its own;
elsewhere, or for a read not yet prepared, they run one by one.

What keeps it honest: the two compilations (two different placeholders for each value) must
give the same SQL text and the same parameters everywhere but where the values go, and every
value must go somewhere (a value written into the text itself changes the text); no extra
select columns (Django would cut them), no composite fields. Otherwise the shape is
remembered as "not kept" and served by the ordinary path. ``tests/cms/test_statements.py``
compares the two paths on both engines; under :data:`CHECK` a prepared statement's rows are
also read as text and compared.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import threading
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import (
    EmptyResultSet,
    FieldDoesNotExist,
    FieldError,
    FullResultSet,
    ValidationError,
)
from django.db import NotSupportedError, connections
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
)

#: Shapes kept per process; the cache is emptied when more accumulate (a shape is a call
#: site, its fixed arguments and its collections' lengths: a few hundred in a serving process).
MAX_SHAPES = 1024

#: A collection longer than this takes the ordinary path; so does a statement whose marks,
#: padded, are more than the database's ``max_query_params`` (Django's 999 for SQLite).
MAX_LENGTH = 1024
#: A collection of up to this many values is a shape of its own length (a person's chain: one
#: to a few people); a longer one is padded to the next power of two (at most eight shapes
#: more per call site, whatever the sizes of the groups it reads).
EXACT_UP_TO = 8

#: A scalar value's placeholders (two sets): inside a small integer column's range, so that
#: Django's overflow check (``IntegerFieldOverflow``) does not refuse them.
_SCALAR_BASES = (30_011, 31_019)
#: A collection's placeholders (two sets), far from any scalar's.
_LIST_BASES = (1_700_000_001, 1_800_000_001)
#: A date's placeholders (two sets): days no period of this application holds.
#: They differ in year, month and day, so that a build reading one of those moves a parameter
#: that is not the value, and the shape is not kept.
_DATE_BASES = (datetime.date(1901, 1, 1), datetime.date(1903, 2, 2))
#: Integers outside this range take the ordinary path (Django refuses them for an integer
#: column without asking the database; the kept statement would ask it).
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
#: The highest value of a small integer column (Django's range on every backend).
_SMALL_MAX = 32_767

#: When true, every call of a kept shape also compiles its statement with the real values and
#: fails (``AssertionError``) unless it is the kept one with those values in their places: the
#: test suite's check of every call site (``tests/conftest.py``); off in production.
CHECK = False

#: On PostgreSQL, send kept statements as prepared statements: parsed and planned once per
#: connection, not on every call (a one-person read joining four tables spent 0.45 of its
#: 0.8 ms in the server's parsing and planning at 100,000 people). Needs the connection's
#: ``prepare_threshold`` set (``cms/settings/base.py``); Django's own statements stay text.
PREPARED = True

#: The start of a text placeholder: a control character no name, code or label holds, and
#: the two characters a ``LIKE`` pattern escapes (``%`` and ``_``), so that a text Django
#: escapes (``__startswith``, SQLite's ``__iexact``) is found as escaped, never as it is.
_TEXT_MARK = "\x1fkept%_"


@dataclass(frozen=True, slots=True)
class _Pattern:
    """How a text is written where Django puts it into a ``LIKE`` pattern: escaped by the
    backend (``prep_for_like_query``), between ``before`` and ``after`` (``%`` or nothing)."""

    alias: str
    before: str
    after: str

    def __call__(self, value: str) -> str:
        escaped = connections[self.alias].ops.prep_for_like_query(value)
        return f"{self.before}{escaped}{self.after}"


#: ``__startswith``, ``__endswith``, ``__contains`` and a pattern of the text alone
#: (SQLite's ``__iexact``), with ``%`` on either side as Django writes them.
_PATTERN_ENDS = (("", "%"), ("%", ""), ("%", "%"), ("", ""))

#: Texts a placeholder does not look like, each of which Django (or a build) may write
#: otherwise than as given (:func:`_texts_hold`): digits alone (a JSON key, on PostgreSQL an
#: array index), an IPv6 address (``GenericIPAddressField`` cleans it), capitals, spaces at
#: either end and a decomposed accent (lower-cased, stripped, normalised), ``LIKE``'s
#: characters and a backslash, and nothing at all.
_TEXT_PROBES = ("0", "0:0::1", " Ab%_\\e\u0301 ", "")

#: What building a statement may raise for a placeholder or a probe where the statement
#: wants something else (a number, a day, a field's name): that value is not placed as given.
_REFUSED = (ValueError, TypeError, ValidationError, FieldError, FieldDoesNotExist)

#: Fixed parameters psycopg binds with the type of the literal Django writes for them
#: (:func:`_bound_alike`).
_BOUND_ALIKE = (bool, datetime.date, datetime.datetime, Decimal)

#: ``psycopg.pq.TransactionStatus.IDLE``: no transaction open on the connection.
_IDLE = 0

_NOT_KEPT = object()
_LOCK = threading.Lock()
_SHAPES: dict[tuple, Any] = {}


@dataclass(slots=True, eq=False)
class _Kept:
    """One compiled statement, where each value goes, and the converters of its columns."""

    alias: str
    sql: str
    params: list
    #: (position in the parameters, value name, index in a collection or None, how the value
    #: is written: ``int``, the column's integer wrapper type, for a date ``None`` (as it is)
    #: or ``str`` (SQLite's ISO text), for a text ``None`` or a :class:`_Pattern`)
    slots: list
    converters: list
    flat: bool
    #: the keys of a ``values`` read's dicts (``None``: tuples)
    names: tuple | None
    #: a read of model instances: ``(model, the attribute names of the columns)``
    model: tuple | None
    #: value name → (lowest, highest) for an int Django checks against a narrower column
    #: (``IntegerFieldOverflow``: a positive or small integer column); outside it Django
    #: answers without asking the database, so such a value takes the ordinary path
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: PostgreSQL: ``True`` once the statement ran as a prepared statement, ``False`` once the
    #: server refused it so (then it is sent as text, as Django sends it), ``None`` before
    #: (:func:`_fetch`)
    prepared: bool | None = None

    def params_with(self, values: dict) -> list:
        params = list(self.params)
        for position, name, index, kind in self.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = value if kind is int or kind is None else kind(value)
        return params

    def rows(self, values: dict) -> list:
        connection = connections[self.alias]
        return self.made(_fetch(self, connection, self.params_with(values)), connection)

    def made(self, rows: list, connection) -> list:
        """The driver's ``rows`` of this statement as the queryset gives them."""
        if self.converters:
            converted = []
            for row in rows:
                row = list(row)
                for position, (functions, expression) in self.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(tuple(row))
            rows = converted
        elif rows and type(rows[0]) is not tuple:
            rows = [tuple(row) for row in rows]
        if self.model is not None:  # as Django's ModelIterable makes them
            model, init_list = self.model
            return [model.from_db(self.alias, init_list, row) for row in rows]
        if self.names is not None:
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [row[0] for row in rows] if self.flat else rows


def _fetch(kept: _Kept, connection, params: list) -> list:
    """The kept statement's rows as the driver returns them: on PostgreSQL as a prepared
    statement (:data:`PREPARED`), elsewhere, or when the server refused to prepare it, as the
    text Django sends."""
    if PREPARED and kept.prepared is not False and connection.vendor == "postgresql":
        rows = _fetch_prepared(kept, connection, params)
        if rows is not None:
            if CHECK:
                _check_prepared(kept, connection, params, rows)
            return rows
    with connection.cursor() as cursor:
        cursor.execute(kept.sql, params)
        return cursor.fetchall()


def _fetch_prepared(kept: _Kept, connection, params: list) -> list | None:
    """The rows of ``kept`` run as a prepared statement on this connection (psycopg prepares
    it on its first run here, keeps the connection's prepared statements and forgets them on a
    rollback), through Django's cursor wrapper: logged and counted as any statement. ``None``
    when the connection does not prepare statements (``prepare_threshold`` unset) or the server
    refused this statement so (:func:`_probe`)."""
    raw = _preparing_connection(connection)
    if raw is None:
        return None
    if kept.prepared is None and not _probe(kept, connection, params):
        return None
    try:
        return _run_prepared(kept, connection, params)
    except NotSupportedError:
        if not _forgot_prepared(connection, raw):
            raise
        return _run_prepared(kept, connection, params)


def _preparing_connection(connection):
    """The driver's connection, open and usable (Django's refusal of a broken transaction
    raised before any statement), or ``None`` when it does not prepare statements
    (``prepare_threshold`` unset)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    raw = connection.connection
    return None if raw.prepare_threshold is None else raw


def _forgot_prepared(connection, raw) -> bool:
    """After "cached plan must not change result type" (another session changed a column a
    statement reads: a migration while the process runs): outside a transaction, the
    connection's prepared statements forgotten here (psycopg forgets its names with them), so
    that the statement is prepared again — ``True``; in a transaction, whose rollback makes
    psycopg forget them, ``False`` (the error stands)."""
    if not (raw.autocommit and raw.info.transaction_status == _IDLE):
        return False
    with connection.wrap_database_errors:
        raw.execute("DEALLOCATE ALL")
    return True


#: A kept read of more rows than this does not leave its rows held by the connection's own
#: cursor until the next read (:func:`_run_prepared`): that cursor is closed and made anew.
OWN_CURSOR_ROWS = 1000


def _run_prepared(kept: _Kept, connection, params: list) -> list:
    """The rows of ``kept`` on the connection's own preparing cursor: made once per connection
    and time zone (a cursor made anew built its adapters anew: a fifth of a small read's own
    time in this process), taken while in use (a read made while another runs — from an
    ``execute_wrapper`` — gets a cursor of its own), kept only after a small answer (it holds
    its last answer until the next read)."""
    raw, zone = connection.connection, connection.timezone
    own = connection.__dict__.pop("_kept_cursor", None)
    with connection.wrap_database_errors:
        if own is None or own[0] is not raw or own[1] != zone or own[2].closed:
            own = (raw, zone, _preparing_cursor(connection))
        cursor = connection._prepare_cursor(own[2])
    cursor.execute(kept.sql, params)
    rows = cursor.fetchall()
    if len(rows) <= OWN_CURSOR_ROWS:
        connection.__dict__["_kept_cursor"] = own
    else:
        own[2].close()
    return rows


class _Answered:
    """A statement's answer from a pipeline (:func:`_fetch_together`), given to Django's cursor
    wrapper as a cursor whose ``execute`` has the answer already: so that the statement is
    logged, counted and seen by ``execute_wrapper`` hooks as any statement — the time logged
    its reading — and a failed one raises its error there, as Django's."""

    def __init__(self, rows: list | None, error: BaseException | None, query):
        self.rows, self.error, self._query = rows, error, query

    def execute(self, sql, params=None):
        if self.error is not None:
            raise self.error
        return self

    def fetchall(self) -> list:
        return self.rows or []

    def close(self) -> None:
        return None


def _fetch_together(connection, items: list[tuple[_Kept, list]]) -> list[list] | None:
    """The rows of each ``(kept statement, parameters)`` of ``items``, each statement
    prepared (:func:`_fetch_prepared`), all sent in one pipeline (psycopg's pipeline mode) and
    answered together. Then each answer goes through Django's cursor wrapper in turn
    (:class:`_Answered`): logged, counted and seen by hooks as its own statement, up to a
    failed one, whose error is raised there as Django's; the statements after it, which the
    server skipped, are neither logged nor run (in a transaction, the transaction is failed as
    after any failed statement). ``None`` when the connection does not prepare statements or
    cannot pipeline them, or when the server answered that a statement's plan no longer fits
    its result outside a transaction (forgotten here: the caller runs them one by one)."""
    pg = _postgres()
    raw = _preparing_connection(connection)
    if raw is None or not pg.pipelines:
        return None
    cursors: list = []
    failed: BaseException | None = None
    try:
        with connection.wrap_database_errors:
            cursors = [_preparing_cursor(connection) for _ in items]
        try:
            with raw.pipeline():
                for cursor, (kept, params) in zip(cursors, items, strict=True):
                    try:
                        cursor.execute(kept.sql, params)
                    except pg.error as error:  # an earlier statement's failure, answered
                        failed = error
                        break
        except pg.error as error:  # the first failure, or "pipeline aborted" after it
            failed = failed or error
        if isinstance(failed, pg.not_supported) and _forgot_prepared(connection, raw):
            return None
        results = []
        for cursor, (kept, params) in zip(cursors, items, strict=True):
            answered = cursor.pgresult is not None
            answer = _Answered(
                cursor.fetchall() if answered else None,
                None if answered else (failed or pg.aborted("pipeline aborted")),
                _AsSent(raw, kept.sql, params),
            )
            wrapper = connection._prepare_cursor(answer)
            wrapper.execute(kept.sql, params)  # raises a failed statement's error
            results.append(wrapper.fetchall())
        return results
    finally:
        for cursor in cursors:
            cursor.close()


def _preparing_cursor(connection):
    """A :class:`_Postgres` preparing cursor made as Django's ``create_cursor`` makes one:
    with the current time zone's loader where the connection's differs."""
    pg, raw = _postgres(), connection.connection
    cursor = pg.cursor(raw)
    if connection.timezone != raw.adapters.get_loader(pg.timestamptz, pg.text).timezone:
        pg.register_tzloader(connection.timezone, cursor)
    return cursor


def _probe(kept: _Kept, connection, params: list) -> bool:
    """The first run of ``kept`` in this process, on the driver's own cursor (not logged:
    a page's statements are counted alike whichever request ran a statement first): whether
    the server prepares it. A refusal of the statement itself (a value whose type only its
    text gives, ``$1 IS NULL``: a programming, data or unsupported-feature error) marks it to
    be sent as text from then on; any other error (a lock, a timeout, a lost connection) is
    raised as Django's. Inside a transaction — one open, or one the driver opens with its next
    statement (Django's ``atomic`` before any statement) — the attempt is guarded by a
    savepoint, so that the caller's transaction is as it was."""
    raw = connection.connection
    guarded = not raw.autocommit or raw.info.transaction_status != _IDLE
    with connection.wrap_database_errors:
        if guarded:
            raw.execute("SAVEPOINT kept_statement_probe")
        try:
            with _preparing_cursor(connection) as cursor:
                cursor.execute(kept.sql, params)
                cursor.fetchall()
        except BaseException as error:
            if guarded:
                raw.execute("ROLLBACK TO SAVEPOINT kept_statement_probe")
                raw.execute("RELEASE SAVEPOINT kept_statement_probe")
            if not isinstance(error, _postgres().refusals):
                raise
            kept.prepared = False
            return False
        if guarded:
            raw.execute("RELEASE SAVEPOINT kept_statement_probe")
    kept.prepared = True
    return True


@dataclass(frozen=True, slots=True)
class _Postgres:
    """What the prepared path takes from psycopg and Django's PostgreSQL backend: imported
    once, and only where it runs (:func:`_postgres`)."""

    cursor: type  # Django's server-binding cursor, each statement prepared
    int4: type
    int8: type
    #: ints Django wraps in their column's type (``adapt_integerfield_value``)
    wrapped: tuple
    timestamptz: int
    text: Any  # ``psycopg.pq.Format.TEXT``
    register_tzloader: Callable
    #: the errors by which the server refuses a statement itself (:func:`_probe`)
    refusals: tuple
    #: whether the driver's libpq sends statements in a pipeline (:func:`_fetch_together`)
    pipelines: bool
    error: type[Exception]  # psycopg's ``Error``
    not_supported: type[Exception]  # psycopg's ``NotSupportedError``
    aborted: type[Exception]  # psycopg's ``PipelineAborted``


@functools.cache
def _postgres() -> _Postgres:
    from psycopg import DataError, Error, NotSupportedError, Pipeline, ProgrammingError
    from psycopg.errors import PipelineAborted
    from psycopg.pq import Format
    from psycopg.types.numeric import Int2, Int4, Int8

    from django.db.backends.postgresql import base
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    server_binding: Any = base.ServerBindingCursor  # defined only under psycopg 3

    class PreparingCursor(server_binding):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            try:
                bound = _typed_as_literals(params)
                return super().execute(query, bound, prepare=True, binary=binary)
            finally:
                # What Django's query log shows (``last_executed_query`` reads ``_query``,
                # which psycopg leaves empty for a prepared statement): the statement with its
                # values as Django would have sent it, failed or not — made only when read.
                self._query = _AsSent(self.connection, query, params)

    return _Postgres(
        cursor=PreparingCursor,
        int4=Int4,
        int8=Int8,
        wrapped=(Int2, Int4, Int8),
        timestamptz=base.TIMESTAMPTZ_OID,
        text=Format.TEXT,
        register_tzloader=register_tzloader,
        refusals=(ProgrammingError, DataError, NotSupportedError),
        pipelines=Pipeline.is_supported(),
        error=Error,
        not_supported=NotSupportedError,
        aborted=PipelineAborted,
    )


def _typed_as_literals(params):
    """``params`` with each bare int typed as PostgreSQL types the literal Django writes for
    it: ``integer`` within its range, else ``bigint`` (psycopg would bind the narrowest type
    the value fits: ``smallint`` for 10, then an overflow for 20,000 on the same statement)."""
    if not params:
        return params
    pg = _postgres()
    return [
        (pg.int4(value) if _INT_MIN <= value <= _INT_MAX else pg.int8(value))
        if type(value) is int
        else value
        for value in params
    ]


class _AsSent:
    """A prepared statement's text as Django's query log shows a statement (``query``, bytes)."""

    __slots__ = ("connection", "params", "sql")

    def __init__(self, connection, sql, params):
        self.connection, self.sql, self.params = connection, sql, params

    @property
    def query(self) -> bytes:
        from psycopg import ClientCursor

        with ClientCursor(self.connection) as cursor:
            return cursor.mogrify(self.sql, self.params).encode()


def _check_prepared(kept: _Kept, connection, params: list, rows: list) -> None:
    """:data:`CHECK` on PostgreSQL: the prepared statement read the rows the statement sent
    as text reads (the driver's own cursor, not logged)."""
    if not _same_rows(rows, _unlogged_rows(connection, kept.sql, params)):
        raise AssertionError(
            f"kept_rows: the prepared statement read other rows than the text: {kept.sql}"
        )


def _unlogged_rows(connection, sql: str, params: list) -> list:
    """The rows of ``sql`` read as text on the driver's own cursor (not logged: a test that
    counts a page's queries counts what production sends)."""
    connection.ensure_connection()
    cursor = connection.create_cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _same_rows(got: list, expected: list) -> bool:
    return sorted(map(repr, got)) == sorted(map(repr, expected))


def kept_rows(build: Callable[..., Any], *fixed: Hashable, **values: Any) -> list:
    """``list(build(*fixed, **values))``, by a statement compiled once per shape (see the
    module's docstring for what ``build``, ``fixed`` and ``values`` may be)."""
    return _rows_of(_find(build, fixed, values), build, fixed, values)


def _rows_of(found: tuple[_Kept, dict] | None, build, fixed: tuple, values: dict) -> list:
    """The rows of a call (:func:`_find`'s ``found``), by its kept statement or the ordinary
    way."""
    if found is None:
        return list(build(*fixed, **values))
    kept, normal = found
    return kept.rows(normal)


@dataclass(frozen=True, slots=True)
class Read:
    """One read of :func:`kept_rows_together`: ``kept_rows(build, *fixed, **values)``."""

    build: Callable[..., Any]
    fixed: tuple
    values: dict


def read(build: Callable[..., Any], *fixed: Hashable, **values: Any) -> Read:
    """A :class:`Read` (the arguments as :func:`kept_rows` takes them)."""
    return Read(build, fixed, values)


def kept_rows_together(*reads: Read) -> list[list]:
    """``[kept_rows(read.build, *read.fixed, **read.values) for read in reads]``: reads that
    do not depend on one another (none of them writes). On PostgreSQL those sent as prepared
    statements go together (:func:`_fetch_together`): one round trip to the server instead of
    one each, which at 100,000 people was most of a small read's time. Each is still logged
    and counted as a statement of its own; the rows are those of :func:`kept_rows`."""
    found = [_find(r.build, r.fixed, r.values) for r in reads]
    results: list[list | None] = [None] * len(reads)
    together = [(i, *f) for i, f in enumerate(found) if f is not None and f[0].prepared is True]
    if (
        PREPARED
        and len(together) > 1
        and len({kept.alias for _i, kept, _n in together}) == 1
        and connections[together[0][1].alias].vendor == "postgresql"
    ):
        connection = connections[together[0][1].alias]
        items = [(kept, kept.params_with(normal)) for _i, kept, normal in together]
        fetched = _fetch_together(connection, items)
        if fetched is not None:
            for (i, kept, _normal), (_kept, params), rows in zip(
                together, items, fetched, strict=True
            ):
                if CHECK:
                    _check_prepared(kept, connection, params, rows)
                results[i] = kept.made(rows, connection)
    return [
        _rows_of(f, r.build, r.fixed, r.values) if rows is None else rows
        for rows, f, r in zip(results, found, reads, strict=True)
    ]


def _find(build: Callable[..., Any], fixed: tuple, values: dict) -> tuple[_Kept, dict] | None:
    """The kept statement of this call and its values as it takes them, or ``None`` for the
    ordinary path (:func:`kept_rows`); under :data:`CHECK`, checked first."""
    if (
        not inspect.isfunction(build)
        or build.__closure__ is not None
        or build.__defaults__ is not None
        or build.__kwdefaults__ is not None
    ):
        raise TypeError("kept_rows: build must take everything it uses as arguments")
    normal = _normalised(values)
    if normal is None:
        return None
    shapes = _shapes(normal)
    if any(length is not None and not 0 < length <= MAX_LENGTH for _n, _k, length in shapes):
        # ``IN ()``: Django answers without the database; a long list: a shape too many
        return None
    padded = any(length is not None and length > EXACT_UP_TO for _n, _k, length in shapes)
    if padded:  # the values padded once; the shape is theirs
        normal = {name: _pad(value) for name, value in normal.items()}
        shapes = _shapes(normal)
    # The function by its code, module and name (two functions of the same text in two modules
    # compare equal by code alone); each fixed argument with its type (``True == 1``).
    key = (
        build.__code__, build.__module__, build.__qualname__,
        tuple((type(value), value) for value in fixed), shapes,
    )  # fmt: skip
    kept = _SHAPES.get(key)
    if kept is None:
        kept = _compile(build, fixed, shapes)
        with _LOCK:
            if len(_SHAPES) >= MAX_SHAPES:
                _SHAPES.clear()
            _SHAPES[key] = kept
    if kept is _NOT_KEPT or any(
        not low <= normal[name] <= high for name, (low, high) in kept.ranges.items()
    ):
        return None
    if CHECK:
        _check(kept, build, fixed, normal)
        if padded:
            _check_rows(kept, build, fixed, values, normal)
    return kept, normal


def _shapes(normal: dict) -> tuple:
    """Each value's part of the shape: ``(name, kind, length)``, the kind ``"int"``,
    ``"date"`` or ``"str"`` (of the value, or of a collection's values), the length a
    collection's (``None`` for a single value)."""
    return tuple((name, *_shape(value)) for name, value in normal.items())


def _shape(value) -> tuple[str, int | None]:
    if type(value) is tuple:
        return ("str" if value and type(value[0]) is str else "int"), len(value)
    if type(value) is datetime.date:
        return "date", None
    return ("str" if type(value) is str else "int"), None


def _pad(value):
    """``value`` (a sorted tuple of distinct ints or texts) of more than :data:`EXACT_UP_TO`
    values, its last value repeated up to the next power of two; anything else as it is."""
    if type(value) is not tuple or len(value) <= EXACT_UP_TO:
        return value
    wanted = 1 << (len(value) - 1).bit_length()
    return value + (value[-1],) * (wanted - len(value))


def _distinct_fill(values: dict) -> dict:
    """Padded collections with their repeats replaced by distinct values none of them holds:
    Django drops repeated values from ``IN (…)``, so the statement it compiles for the padded
    values is the kept one only with distinct ones in those places."""
    filled = {}
    for name, value in values.items():
        if type(value) is tuple and len(value) > 1 and value[-1] == value[-2]:
            real = tuple(dict.fromkeys(value))
            missing = len(value) - len(real)
            if type(real[0]) is str:  # texts none of the values is (a control character)
                fill: tuple = tuple(f"{_TEXT_MARK}fill-{i:05d}" for i in range(missing))
            else:
                filler = min(real) - 1
                fill = tuple(range(filler, filler - missing, -1))
            value = real + fill
        filled[name] = value
    return filled


def _check(kept: _Kept, build, fixed, values: dict) -> None:
    """:data:`CHECK`: the statement compiled with the real values is the kept one (a padded
    collection's repeats compiled as distinct values in the same places)."""
    values = _distinct_fill(values)
    found = _compiled(build, fixed, values)
    expected = (kept.sql, kept.params_with(values))
    if found is None or (found[1], found[2]) != expected:
        raise AssertionError(
            f"kept_rows: {build.__qualname__} builds another statement for {values!r} than the "
            "one kept for its shape: it must pass its values into the query as they are"
        )


def _check_rows(kept: _Kept, build, fixed, values: dict, padded: dict) -> None:
    """:data:`CHECK` of a padded call: the kept statement with its repeats reads the rows of
    the statement Django compiles for the values as given. Both run on the driver's own cursor
    (not logged: a test that counts a page's queries counts what production sends)."""
    ordinary = _compiled(build, fixed, values)
    if ordinary is None:
        raise AssertionError(f"kept_rows: {build.__qualname__} compiles nothing for {values!r}")
    connection = connections[kept.alias]
    expected = _unlogged_rows(connection, ordinary[1], ordinary[2])
    got = _unlogged_rows(connection, kept.sql, kept.params_with(padded))
    if not _same_rows(got, expected):
        raise AssertionError(
            f"kept_rows: {build.__qualname__} reads other rows for {values!r} padded than "
            "as given: a collection must go into the query only as the values of IN"
        )


def given_ids(value) -> bool:
    """Whether ``value`` is ids given one by one (a list, tuple or set), which a kept statement
    takes — not ``None`` (everyone) or a queryset (a subquery, compiled with its caller)."""
    return isinstance(value, (list, tuple, set, frozenset))


def forget() -> None:
    """Empty the kept shapes (tests that change the database's settings or routing)."""
    with _LOCK:
        _SHAPES.clear()


def _normalised(values: dict) -> dict | None:
    """The values as the statement takes them (a collection as a sorted tuple of distinct
    ints or of distinct texts), or ``None`` when one of them is not of a kind kept statements
    take."""
    normal: dict[str, Any] = {}
    for name, value in values.items():
        if type(value) is int:
            if not _INT_MIN <= value <= _INT_MAX:
                return None
            normal[name] = value
        elif type(value) is datetime.date or type(value) is str:
            normal[name] = value
        elif isinstance(value, Collection) and not isinstance(value, (str, bytes, dict)):
            items = set(value)
            if not (
                all(type(item) is int and _INT_MIN <= item <= _INT_MAX for item in items)
                or all(type(item) is str for item in items)
            ):
                return None
            normal[name] = tuple(sorted(items))
        else:
            return None
    return normal


def _placeholders(shapes: tuple, which: int) -> dict:
    values: dict = {}
    scalar, listed, day = _SCALAR_BASES[which], _LIST_BASES[which], _DATE_BASES[which]
    texts = 0
    for name, kind, length in shapes:
        if kind == "date":
            values[name] = day
            day += datetime.timedelta(days=1)
        elif kind == "str":
            count = 1 if length is None else length
            made = tuple(f"{_TEXT_MARK}{which}-{texts + i:05d}" for i in range(count))
            values[name] = made[0] if length is None else made
            texts += count
        elif length is None:
            values[name] = scalar
            scalar += 2
        else:
            values[name] = tuple(range(listed, listed + length))
            listed += length
    return values


def _compiled(build, fixed, values):
    queryset = build(*fixed, **values)
    iterable = getattr(queryset, "_iterable_class", None)
    if iterable not in (ValuesListIterable, FlatValuesListIterable, ValuesIterable, ModelIterable):
        return None
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        return None
    query = queryset.query
    names = None
    if iterable is ValuesIterable:  # the keys ``ValuesIterable`` gives its dicts
        names = tuple(
            query.selected or [*query.extra_select, *query.values_select, *query.annotation_select]
        )
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return None
    limit = connections[queryset.db].features.max_query_params
    if limit is not None and len(params) > limit:
        # Padding may pass the database's limit where the ordinary statement would not (SQLite
        # before 3.32 allows 999 marks; callers read 900 ids at a time to stay under it).
        return None
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_extra_select or compiler.has_composite_fields(fields):
        return None
    model = None
    if iterable is ModelIterable:
        info = compiler.klass_info
        selected = info["select_fields"] if info else []
        # The model's own columns only, all of the row: no related rows, no annotations.
        if (
            not info
            or info.get("related_klass_infos")
            or compiler.annotation_col_map
            or list(selected) != list(range(len(fields)))
        ):
            return None
        model = (info["model"], tuple(column[0].target.attname for column in compiler.select))
    flat = iterable is FlatValuesListIterable
    return queryset.db, sql, list(params), compiler, fields, flat, names, model


def _compile(build, fixed, shapes):
    """The shape's :class:`_Kept`, or ``_NOT_KEPT`` when the two compilations do not prove
    where each value goes."""
    first_values, second_values = _placeholders(shapes, 0), _placeholders(shapes, 1)
    try:
        first = _compiled(build, fixed, first_values)
        second = _compiled(build, fixed, second_values)
    except _REFUSED:
        # A text placeholder where the field wants a number or a day (``pk="…"``), or a name
        # (``order_by(text)``): the value would be converted or read, not placed as it is.
        return _NOT_KEPT
    if first is None or second is None:
        return _NOT_KEPT
    alias, sql, params, compiler, fields, flat, names, model = first
    if (alias, sql, len(params), flat, names, model) != (
        second[0], second[1], len(second[2]), second[5], second[6], second[7]
    ):  # fmt: skip
        return _NOT_KEPT
    wanted = _wanted(alias, shapes, first_values, second_values)
    slots, placed = [], set()
    for position, (a, b) in enumerate(zip(params, second[2], strict=True)):
        found = None
        if type(a) is type(b) and isinstance(a, (int, str, datetime.date)):
            found = wanted.get((a, b))
        if found is not None:
            # A value may be in several places (a day that is both ends of a window): each
            # place moved with it between the two compilations, so each is its own.
            name, index, kind = found
            placed.add((name, index))
            if kind is int:
                kind = type(a)  # PostgreSQL binds a small integer column's value as ``Int2``
            slots.append((position, name, index, kind))
        elif a != b or type(a) is not type(b):
            return _NOT_KEPT  # a parameter that moved with the values but is not one of them
    if len(placed) != sum(1 if n is None else n for _name, _kind, n in shapes):
        return _NOT_KEPT  # a value in no place (folded into the text, or dropped)
    converters = compiler.get_converters(fields)
    kept = _Kept(alias, sql, params, slots, list(converters.items()), flat, names, model)
    # Django refuses an int outside its column's range without asking the database (a
    # condition dropped, or no rows): where a probe outside a positive or small integer
    # column's range changes the statement, values beyond it take the ordinary path.
    for name, kind, length in shapes:
        if kind == "int" and length is None:
            low = 0 if not _same_with(kept, build, fixed, first_values, name, -1) else _INT_MIN
            high = (
                _SMALL_MAX
                if not _same_with(kept, build, fixed, first_values, name, _SMALL_MAX + 1)
                else _INT_MAX
            )
            if (low, high) != (_INT_MIN, _INT_MAX):
                kept.ranges[name] = (low, high)
    if not _texts_hold(kept, build, fixed, first_values, shapes):
        return _NOT_KEPT
    if connections[alias].vendor == "postgresql" and not _bound_alike(kept):
        kept.prepared = False
    return kept


def _bound_alike(kept: _Kept) -> bool:
    """Whether psycopg binds every parameter of ``kept`` with the type PostgreSQL gives the
    literal Django writes for it (:func:`_fetch_prepared`): a text (a choice's member too), a
    day, a time, a truth value, a ``Decimal``, an int Django wrapped in its column's type
    (``Int2``/``Int4``/``Int8``) or a bare int (typed as its literal is,
    :func:`_typed_as_literals`). A float is bound as ``float8`` where its literal is an exact
    ``numeric``, and other types as psycopg adapts them: such a statement is sent as text."""
    wrapped = _postgres().wrapped
    for param in kept.params:
        if type(param) is int or isinstance(param, (str, *wrapped)):
            continue
        if type(param) in _BOUND_ALIKE:
            continue
        return False
    return True


def _texts_hold(kept: _Kept, build, fixed, values: dict, shapes: tuple) -> bool:
    """Whether each text value is written as the kept statement writes it whatever the text:
    the statement compiled with each of :data:`_TEXT_PROBES` in its place (the first of a
    collection: Django treats every value of ``IN`` alike) is the kept one with the probe in
    its place. A change Django makes only to some texts (an IPv6 address cleaned, a JSON key
    of digits taken as an array index, a kind lower-cased) leaves the placeholder as it is,
    so the two compilations alone cannot see it."""
    for name, kind, length in shapes:
        if kind != "str":
            continue
        for probe in _TEXT_PROBES:
            probed = probe if length is None else (probe, *values[name][1:])
            if not _same(kept, build, fixed, {**values, name: probed}):
                return False
    return True


def _wanted(alias: str, shapes: tuple, first_values: dict, second_values: dict) -> dict:
    """(first placeholder, second placeholder) → (value name, index in a collection or
    ``None``, how the value is written in that place)."""
    wanted: dict = {}
    for name, kind, length in shapes:
        for index in [None] if length is None else range(length):
            a = first_values[name] if index is None else first_values[name][index]
            b = second_values[name] if index is None else second_values[name][index]
            if kind == "date":  # as it is (PostgreSQL), or as SQLite's ISO text
                wanted[(a, b)] = (name, index, None)
                wanted[(a.isoformat(), b.isoformat())] = (name, index, str)
            elif kind == "str":  # as it is, or in a LIKE pattern
                wanted[(a, b)] = (name, index, None)
                for before, after in _PATTERN_ENDS:
                    pattern = _Pattern(alias, before, after)
                    wanted[(pattern(a), pattern(b))] = (name, index, pattern)
            else:
                wanted[(a, b)] = (name, index, int)
    return wanted


def _same_with(kept: _Kept, build, fixed, values: dict, name: str, probe: int) -> bool:
    """Whether ``name`` = ``probe`` compiles to the kept statement with the probe in its place."""
    return _same(kept, build, fixed, {**values, name: probe})


def _same(kept: _Kept, build, fixed, values: dict) -> bool:
    """Whether ``values`` compile to the kept statement with them in their places."""
    try:
        found = _compiled(build, fixed, values)
    except _REFUSED:
        return False
    return found is not None and (found[1], found[2]) == (kept.sql, kept.params_with(values))
