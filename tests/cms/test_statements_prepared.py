"""``cms.statements`` on PostgreSQL: kept statements sent as prepared statements (issue 48,
session 54) read what Django's text reads. A reviewer's reproductions of what went wrong at
first: a float or a bare int bound with another type than its literal (wrong values, rows, an
overflow), a probe in a broken transaction raising another error than Django's, a column's
type changed by another session failing every later call, a time zone other than the
connection's, a failed statement logged as nothing."""

import datetime

import psycopg
import pytest

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.db.transaction import TransactionManagementError
from django.db.utils import DataError
from django.test.utils import CaptureQueriesContext, override_settings

from cms import statements
from cms.statements import kept_rows
from scoring.models import Period
from tests.cms.period_reads import ON_POSTGRESQL, by_year, divided, kinds, numbers

pytestmark = ON_POSTGRESQL  # and the ``periods`` of ``tests/cms/conftest.py``


# --- 1. a float constant: numeric literal as text, float8 when bound by the server -----------


def tenth_of_year(year):
    return (
        Period.objects.filter(year=year)
        .annotate(tenth=F("year") * 0.1)  # FloatField output
        .order_by("number")
        .values_list("number", "tenth")
    )


def tenth_at_most(year):
    return (
        Period.objects.filter(year=year)
        .alias(tenth=F("year") * 0.1)
        .filter(tenth__lte=202.6)
        .order_by("number")
        .values_list("number", flat=True)
    )


def test_float_constant_values(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    expected = list(tenth_of_year(2026))
    got = kept_rows(tenth_of_year, year=2026)
    assert got == expected, (got, expected)


def test_float_constant_rows(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    expected = list(tenth_at_most(2026))
    got = kept_rows(tenth_at_most, year=2026)
    assert got == expected, (got, expected)


def test_float_constant_under_check(periods):
    kept_rows(tenth_at_most, year=2026)  # CHECK on: raises AssertionError on a mismatch


# --- 2. a plain int (RawSQL) bound as int2 by value ------------------------------------------


def times(year, factor):
    return (
        Period.objects.filter(year=year)
        .annotate(product=RawSQL('"scoring_period"."number" * %s', (factor,)))
        .order_by("number")
        .values_list("number", "product")
    )


def shifted(year, base):
    return (
        Period.objects.filter(year=year)
        .annotate(shifted=RawSQL("%s << 4", (base,)))
        .order_by("number")
        .values_list("number", "shifted")
    )


def test_plain_int_overflows_as_int2(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    assert kept_rows(times, year=2026, factor=10) == list(times(2026, 10))  # probe: prepared
    expected = list(times(2026, 20000))  # Django: 20000, 40000, 60000
    got = kept_rows(times, year=2026, factor=20000)
    assert got == expected


def test_plain_int_shift_wraps_as_int2(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    expected = list(shifted(2026, 4096))
    got = kept_rows(shifted, year=2026, base=4096)
    assert got == expected, (got, expected)


# --- 3. a probe in a transaction already broken ----------------------------------------------


def test_probe_in_a_broken_transaction_raises_djangos_error(periods):
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            Period.objects.create(kind="month", year=2026, number=1)
        with pytest.raises(TransactionManagementError):
            list(by_year(2026))  # what Django says
        with pytest.raises(TransactionManagementError):
            kept_rows(by_year, year=2026)  # the kit says the same
    assert kept_rows(by_year, year=2026) == list(by_year(2026))
    assert [k.prepared for k in statements._SHAPES.values()] == [True]


# --- 4. timezone of a datetime read when the connection's time zone changed -------------------


def closed(year):
    return Period.objects.filter(year=year, number=2).values_list("closed_at", flat=True)


def test_datetimes_follow_djangos_timezone(periods, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    with override_settings(USE_TZ=False):
        expected = list(closed(2026))
        got = kept_rows(closed, year=2026)
    assert got == expected, (got, expected)


# --- 5. what held ----------------------------------------------------------------------------


def mixed(kind, ids, name, day, pattern):
    return (
        Period.objects.filter(kind=kind, pk__in=ids, start_date__gte=day)
        .filter(kind__iexact=name, status__icontains=pattern, kind__startswith=pattern)
        .annotate(label=Concat(Value(name), "kind"), d=Value(day), n=Coalesce("number", 5))
        .order_by("-number")
        .values("id", "label", "d", "n")
    )


def test_log_and_rows_match(periods):
    ids = sorted(Period.objects.values_list("pk", flat=True))
    args = {
        "kind": "month",
        "ids": ids,
        "name": "MONTH",
        "day": datetime.date(2026, 1, 1),
        "pattern": "o",
    }
    with CaptureQueriesContext(connection) as django_q:
        expected = list(mixed(**args))
    with CaptureQueriesContext(connection) as kept_q:
        first = kept_rows(mixed, **args)
        again = kept_rows(mixed, **args)
    assert first == again == expected
    assert [q["sql"] for q in kept_q.captured_queries] == [django_q.captured_queries[0]["sql"]] * 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reconnect_and_durable(periods):
    assert kept_rows(by_year, year=2026) == list(by_year(2026))
    connection.close()
    assert kept_rows(by_year, year=2025) == list(by_year(2025))
    with transaction.atomic(durable=True):
        assert kept_rows(by_year, year=2025) == list(by_year(2025))
        statements.forget()  # a probe at the start of a durable atomic
    with transaction.atomic(durable=True):
        assert kept_rows(by_year, year=2026) == list(by_year(2026))
    connection.close()
    with transaction.atomic(durable=True):  # probe again on a new connection, shapes kept
        assert kept_rows(by_year, year=2026) == list(by_year(2026))


# --- 6. a column's type changed by another session (a migration during a rolling deploy) ------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_column_type_changed_by_another_session(periods):
    assert kept_rows(kinds, year=2026) == list(kinds(2026))  # prepared on this connection
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(40)")
        assert list(kinds(2025)) == kept_rows(kinds, year=2025)
    finally:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(16)")
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_column_type_change_persists_on_the_connection(periods):
    from django.db import close_old_connections

    assert kept_rows(kinds, year=2026) == list(kinds(2026))
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(40)")
        failures = 0
        for _ in range(3):
            try:
                kept_rows(kinds, year=2025)
            except DatabaseError:
                failures += 1
            close_old_connections()  # request end: the connection is usable, kept (CONN_MAX_AGE)
        assert failures == 0, failures
    finally:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(16)")
        other.close()


def quotient(year, divisor):
    return (
        Period.objects.filter(year=year)
        .annotate(q=RawSQL("100 / %s", (divisor,)))
        .order_by("number")
        .values_list("number", "q")
    )


@pytest.mark.parametrize(
    "build",
    [quotient, divided],
    ids=["a bare int in RawSQL, typed as its literal", "an int Django types as its column"],
)
def test_a_failed_prepared_statement_is_logged_with_its_values(periods, monkeypatch, build):
    monkeypatch.setattr(statements, "CHECK", False)
    assert kept_rows(build, year=2026, divisor=1) == list(build(2026, 1))
    assert [k.prepared for k in statements._SHAPES.values()] == [True]
    with (
        CaptureQueriesContext(connection) as django_q,
        pytest.raises(DataError),
        transaction.atomic(),
    ):
        list(build(2026, 0))
    with (
        CaptureQueriesContext(connection) as kept_q,
        pytest.raises(DataError),
        transaction.atomic(),
    ):
        kept_rows(build, year=2026, divisor=0)
    logged = [q["sql"] for q in kept_q.captured_queries if "scoring_period" in (q["sql"] or "")]
    assert logged == [q["sql"] for q in django_q.captured_queries if "scoring_period" in q["sql"]]
    assert "/ 0" in logged[0]


# --- 7. reads sent together (``kept_rows_together``: one pipeline, one round trip) ----------


@pytest.fixture
def sent_together(monkeypatch):
    """The number of statements each pipeline sent (``_fetch_together`` answering)."""
    sent: list[int] = []
    fetch = statements._fetch_together

    def spy(connection, items):
        rows = fetch(connection, items)
        if rows is not None:
            sent.append(len(items))
        return rows

    monkeypatch.setattr(statements, "_fetch_together", spy)
    return sent


def together(year):
    return statements.kept_rows_together(
        statements.read(by_year, year=year),
        statements.read(kinds, year=year),
        statements.read(numbers, year=year),
    )


def test_together_reads_what_each_reads_and_logs_each(periods, sent_together):
    expected = [list(by_year(2026)), list(kinds(2026)), list(numbers(2026))]
    assert together(2026) == expected  # the first call probes each, one by one
    assert sent_together == []
    with CaptureQueriesContext(connection) as django_q:
        list(by_year(2025)), list(kinds(2025)), list(numbers(2025))
    with CaptureQueriesContext(connection) as kept_q:
        got = together(2025)
    assert got == [list(by_year(2025)), list(kinds(2025)), list(numbers(2025))]
    assert sent_together == [3]
    assert [q["sql"] for q in kept_q.captured_queries] == [
        q["sql"] for q in django_q.captured_queries
    ]


def test_together_in_a_transaction_sees_its_own_writes(periods, sent_together):
    together(2026)
    with transaction.atomic():
        Period.objects.create(kind="month", year=2027, number=1)
        assert together(2027) == [list(by_year(2027)), [(1, "month")], [1]]
    assert sent_together == [3]


def test_together_a_failed_statement_fails_the_transaction(periods, sent_together, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    reads = (statements.read(numbers, year=2026), statements.read(divided, year=2026, divisor=1))
    assert statements.kept_rows_together(*reads) == [list(numbers(2026)), list(divided(2026, 1))]
    with pytest.raises(DataError), transaction.atomic():
        statements.kept_rows_together(
            statements.read(numbers, year=2026), statements.read(divided, year=2026, divisor=0)
        )
    assert statements.kept_rows_together(*reads) == [list(numbers(2026)), list(divided(2026, 1))]
    assert sent_together == [2]  # probed one by one first; the failed pipeline answered nothing


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_together_a_failed_statement_outside_a_transaction(periods, sent_together, monkeypatch):
    monkeypatch.setattr(statements, "CHECK", False)
    reads = (statements.read(numbers, year=2026), statements.read(divided, year=2026, divisor=1))
    assert statements.kept_rows_together(*reads) == [list(numbers(2026)), list(divided(2026, 1))]
    with pytest.raises(DataError):
        statements.kept_rows_together(
            statements.read(divided, year=2026, divisor=0), statements.read(numbers, year=2026)
        )
    assert statements.kept_rows_together(*reads) == [list(numbers(2026)), list(divided(2026, 1))]
    assert sent_together == [2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_together_after_a_column_type_changed_by_another_session(periods, sent_together):
    assert together(2026) == [list(by_year(2026)), list(kinds(2026)), list(numbers(2026))]
    assert together(2026) == [list(by_year(2026)), list(kinds(2026)), list(numbers(2026))]
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(40)")
        assert together(2025) == [list(by_year(2025)), list(kinds(2025)), list(numbers(2025))]
        assert together(2025) == [list(by_year(2025)), list(kinds(2025)), list(numbers(2025))]
    finally:
        other.execute("ALTER TABLE scoring_period ALTER COLUMN kind TYPE varchar(16)")
        other.close()
    assert sent_together == [3, 3]  # the pipeline of the changed plan: one by one instead
