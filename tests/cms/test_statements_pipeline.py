"""``cms.statements`` on PostgreSQL: reads sent together in one pipeline
(``kept_rows_together``) and the connection's own cursor for a read alone (issue 48, session
55) — a reviewer's probes: a failed statement raised as Django's, on that statement, with no
psycopg warning and no statement logged that the server skipped; savepoints; a read made while
another runs; a large answer not held; time zones, threads, a closed connection."""

import contextlib
import datetime
import logging
import threading

import pytest

from django.db import InternalError, connection, connections, transaction
from django.db.utils import DataError
from django.test.utils import CaptureQueriesContext, override_settings

from cms import statements
from cms.statements import kept_rows, kept_rows_together, read
from scoring.models import Period
from tests.cms.period_reads import ON_POSTGRESQL, by_year, divided, kinds, numbers

pytestmark = ON_POSTGRESQL  # and the ``periods`` of ``tests/cms/conftest.py``


def closed(year):
    return Period.objects.filter(year=year).order_by("number").values_list("number", "closed_at")


def _warm():
    statements.kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=1))
    statements.kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=1))


@pytest.fixture
def psycopg_warnings(caplog):
    caplog.set_level(logging.WARNING, logger="psycopg")
    yield lambda: [r for r in caplog.records if r.name.startswith("psycopg")]


def test_nested_savepoint_failure_recovers(periods, monkeypatch, psycopg_warnings):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    with transaction.atomic():
        Period.objects.create(kind="month", year=2026, number=4)
        with pytest.raises(DataError), transaction.atomic():
            kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=0))
        assert not connection.needs_rollback
        assert kept_rows_together(
            read(numbers, year=2026), read(divided, year=2026, divisor=1)
        ) == [[1, 2, 3, 4], list(divided(2026, 1))]
        assert kept_rows(numbers, year=2026) == [1, 2, 3, 4]
    assert psycopg_warnings() == []


def test_failure_caught_without_savepoint_matches_orm(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    with transaction.atomic():
        with contextlib.suppress(DataError):
            list(divided(2026, 0))
        orm_needs = connection.needs_rollback
        with pytest.raises(InternalError):
            list(numbers(2026))
        transaction.set_rollback(True)
    with transaction.atomic():
        with contextlib.suppress(DataError):
            kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=0))
        assert connection.needs_rollback == orm_needs
        with pytest.raises(InternalError):
            kept_rows(numbers, year=2026)
        transaction.set_rollback(True)
    assert kept_rows(numbers, year=2026) == [1, 2, 3]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("atomic", [True, False])
def test_failure_no_psycopg_warning(order, periods, monkeypatch, psycopg_warnings, atomic):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    reads = [read(divided, year=2026, divisor=0), read(numbers, year=2026)]
    if order:
        reads.reverse()
    with pytest.raises(DataError):
        if atomic:
            with transaction.atomic():
                kept_rows_together(*reads)
        else:
            kept_rows_together(*reads)
    assert [(r.getMessage()) for r in psycopg_warnings()] == []
    assert kept_rows(numbers, year=2026) == [1, 2, 3]


def test_first_statement_of_atomic_is_the_failing_pipeline(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    with pytest.raises(DataError), transaction.atomic():
        kept_rows_together(read(divided, year=2026, divisor=0), read(numbers, year=2026))
    with transaction.atomic():
        assert kept_rows_together(read(numbers, year=2025), read(divided, year=2025, divisor=1))
        Period.objects.create(kind="month", year=2030, number=1)
    assert Period.objects.filter(year=2030).count() == 1


class Blocked(Exception):
    pass


def test_execute_wrapper_blocking_inside_pipeline(periods, monkeypatch, psycopg_warnings):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    calls = []

    def blocker(execute, sql, params, many, context):
        calls.append(sql)
        if len(calls) == 2:
            raise Blocked
        return execute(sql, params, many, context)

    with connection.execute_wrapper(blocker), pytest.raises(Blocked):
        kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=1))
    assert psycopg_warnings() == []
    assert connection.connection.pgconn.pipeline_status == 0
    assert kept_rows(numbers, year=2026) == [1, 2, 3]
    with transaction.atomic():
        with connection.execute_wrapper(blocker), pytest.raises(Blocked):
            calls.clear()
            kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=1))
        assert kept_rows(numbers, year=2026) == [1, 2, 3]


def test_execute_wrapper_reentrant_kept_read(periods, monkeypatch):
    """A wrapper that itself runs a kept read after the statement (an audit, a check)."""
    monkeypatch.setattr(statements, "CHECK", False)
    kept_rows(numbers, year=2026)
    kept_rows(kinds, year=2025)
    inside = []

    def auditor(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not inside:
            inside.append(1)
            try:
                kept_rows(kinds, year=2025)
            finally:
                inside.clear()
        return result

    with connection.execute_wrapper(auditor):
        got = kept_rows(numbers, year=2026)
    assert got == [1, 2, 3], got


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_close_between_calls(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    assert kept_rows(numbers, year=2026) == [1, 2, 3]
    first = connections["default"].__dict__["_kept_cursor"]
    connection.close()
    with CaptureQueriesContext(connection) as q:
        assert kept_rows(numbers, year=2026) == [1, 2, 3]
        assert kept_rows_together(
            read(numbers, year=2025), read(divided, year=2025, divisor=1)
        ) == [[1, 2, 3], list(divided(2025, 1))]
    assert connections["default"].__dict__["_kept_cursor"][2] is not first[2]
    assert len(q) == 4


def test_own_cursor_after_error_reused(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    kept_rows(divided, year=2026, divisor=1)
    kept_rows(numbers, year=2026)
    with pytest.raises(DataError), transaction.atomic():
        kept_rows(divided, year=2026, divisor=0)
    assert kept_rows(numbers, year=2026) == [1, 2, 3]
    with transaction.atomic():
        with pytest.raises(DataError), transaction.atomic():
            kept_rows(divided, year=2026, divisor=0)
        assert kept_rows(numbers, year=2026) == [1, 2, 3]


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "America/New_York"])
def test_time_zone_override(periods, monkeypatch, zone):
    monkeypatch.setattr(statements, "CHECK", False)
    assert kept_rows(closed, year=2026) == list(closed(2026))
    assert kept_rows(closed, year=2026) == list(closed(2026))
    with override_settings(USE_TZ=False, TIME_ZONE=zone):
        expected = list(closed(2026))
        assert kept_rows(closed, year=2026) == expected
        assert kept_rows_together(read(closed, year=2026), read(numbers, year=2026)) == [
            expected,
            [1, 2, 3],
        ]
    assert kept_rows(closed, year=2026) == list(closed(2026))
    assert kept_rows_together(read(closed, year=2026), read(numbers, year=2026))[0] == list(
        closed(2026)
    )


def many(year):
    return Period.objects.filter(year__gte=year).values_list("id", "kind", "year", "number")


def test_a_large_answer_is_not_held_by_the_connections_cursor(monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    Period.objects.bulk_create(
        Period(
            kind="month",
            year=3000 + i // 12,
            number=i % 12 + 1,
            start_date=datetime.date(2000, 1, 1),
            end_date=datetime.date(2000, 1, 31),
        )
        for i in range(statements.OWN_CURSOR_ROWS * 3)
    )
    kept_rows(many, year=3000)
    assert len(kept_rows(many, year=3000)) == statements.OWN_CURSOR_ROWS * 3
    assert "_kept_cursor" not in connections["default"].__dict__  # closed, made anew next time
    assert kept_rows(numbers, year=3000) == list(range(1, 13))
    own = connections["default"].__dict__["_kept_cursor"][2]
    assert own.pgresult.ntuples == 12  # a small answer: the cursor kept


def test_threads_each_their_own(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    errors = []

    def work():
        try:
            # Another thread: another connection (not in the test's transaction).
            for _ in range(20):
                kept_rows(numbers, year=2026)
                kept_rows_together(read(numbers, year=2026), read(divided, year=2026, divisor=1))
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(20):
        assert kept_rows(numbers, year=2026) == [1, 2, 3]
    for t in threads:
        t.join()
    assert errors == []


def test_server_side_cursor_open_during_pipeline(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    with transaction.atomic():
        seen = []
        for p in Period.objects.order_by("pk").iterator(chunk_size=2):
            seen.append(
                kept_rows_together(
                    read(numbers, year=p.year), read(divided, year=p.year, divisor=1)
                )
            )
        assert len(seen) == 6


def test_read_ahead_people_queryset_or_none():
    from scoring.services import loading
    from tests.scoring.helpers import build_world

    world = build_world()
    person = world.person("Chuyên viên một")
    world.full_month(person, total=27, completed=1)
    from org.models import CivilServant

    qs = CivilServant.objects.filter(pk=person.pk).values("pk")
    assert loading.read_ahead(world.period, None, qs) == {}
    ahead = loading.read_ahead(world.period, {person.pk}, [person.pk])
    lines = loading.load_lines(world.period, {person.pk}, ahead)
    assert lines.raw(person.pk) == loading.load_lines(world.period, [person.pk]).raw(person.pk)
    loading.load_general_marks(world.period, [person.pk], ahead)
    loading.load_leader_marks(world.period, [person.pk], ahead)
    assert ahead == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failed_pipeline_query_log(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    _warm()
    with CaptureQueriesContext(connection) as one_by_one, pytest.raises(DataError):
        for r in (read(divided, year=2026, divisor=0), read(numbers, year=2026)):
            kept_rows(r.build, **r.values)
    with CaptureQueriesContext(connection) as piped, pytest.raises(DataError):
        kept_rows_together(read(divided, year=2026, divisor=0), read(numbers, year=2026))
    assert [q["sql"] for q in piped] == [q["sql"] for q in one_by_one]  # the failed one only
    assert "/ 0" in piped[0]["sql"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_changed_plan_in_a_pipeline_warns_nothing(periods, psycopg_warnings):
    import psycopg

    def together(year):
        return kept_rows_together(
            read(by_year, year=year), read(kinds, year=year), read(numbers, year=year)
        )

    together(2026)
    together(2026)
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(40)")
        assert together(2025) == [list(by_year(2025)), list(kinds(2025)), list(numbers(2025))]
    finally:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(16)")
        other.close()
    assert [r.getMessage() for r in psycopg_warnings()] == []
