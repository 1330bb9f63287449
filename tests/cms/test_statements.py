"""``cms.statements.kept_rows``: the rows ``list(build(...))`` gives, from a statement compiled
once per shape (issue 48: one person's chain spent about 40 % of its CPU compiling SQL).

Runs on SQLite and PostgreSQL (CI's engine tests): PostgreSQL's backend binds a small integer
column's value in a wrapper type, SQLite converts dates, booleans and JSON from text."""

import datetime

import pytest

from django.db import connection, transaction
from django.db.models import BooleanField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Trunc
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountEvent
from cms import statements
from cms.statements import kept_rows
from scoring.models import Period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_shapes")]

COLUMNS = ("id", "kind", "year", "number", "start_date", "published", "closed_blocs", "closed_at")


@pytest.fixture
def periods():
    made = {}
    for year in (2025, 2026):
        for number in (1, 2, 3):
            period = Period.objects.create(kind="month", year=year, number=number)
            made[(year, number)] = period
    Period.objects.filter(pk=made[(2026, 2)].pk).update(
        published=True,
        closed_blocs={"dang": "2026-03-05"},
        closed_at=datetime.datetime(2026, 3, 5, 8, 30, tzinfo=datetime.UTC),
    )
    return made


def by_year(year):
    return Period.objects.filter(year=year).order_by("number").values_list(*COLUMNS)


def by_ids(ids, year):
    return Period.objects.filter(pk__in=ids, year__gte=year).order_by("-id").values_list(*COLUMNS)


def numbers_of(kind, year):
    return (
        Period.objects.filter(kind=kind, year=year)
        .order_by("number")
        .values_list("number", flat=True)
    )


def first_of(year):
    return Period.objects.filter(year=year).order_by("number").values_list("id", "end_date")[:1]


def with_text(year):
    return (
        Period.objects.filter(year=year)
        .annotate(text=Cast("closed_blocs", TextField()), label=Value("kỳ"))
        .order_by("id")
        .values_list("id", "text", "label")
    )


def as_dicts(year):
    return (
        Period.objects.filter(year=year)
        .annotate(text=Cast("closed_blocs", TextField()))
        .order_by("number")
        .values("number", "text", "closed_at", "id")
    )


def test_the_same_rows_as_the_queryset_and_the_second_call_compiles_nothing(periods, monkeypatch):
    ids = [periods[(2026, 2)].pk, periods[(2025, 3)].pk, periods[(2026, 1)].pk]
    cases = [
        (by_year, (), {"year": 2026}),
        (by_year, (), {"year": 2025}),
        (by_ids, (), {"ids": ids, "year": 2025}),
        (by_ids, (), {"ids": list(reversed(ids)) + ids[:1], "year": 2026}),  # a set: IN
        (numbers_of, ("month",), {"year": 2026}),
        (first_of, (), {"year": 2025}),
        (with_text, (), {"year": 2026}),
        (as_dicts, (), {"year": 2026}),
    ]
    for build, fixed, values in cases:
        assert kept_rows(build, *fixed, **values) == list(build(*fixed, **values))
    # The shapes are kept: the same reads again compile no statement and send one each.
    calls = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        calls.append(self.query.model)
        return original(self, *args, **kwargs)

    expected = [list(build(*fixed, **values)) for build, fixed, values in cases]
    monkeypatch.setattr(statements, "CHECK", False)  # as in production
    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with CaptureQueriesContext(connection) as queries:
        got = [kept_rows(build, *fixed, **values) for build, fixed, values in cases]
    assert got == expected
    assert calls == []
    assert len(queries.captured_queries) == len(cases)
    # What SQLite keeps as text comes back converted, as Django gives it.
    row = kept_rows(by_year, year=2026)[1]
    assert row[4:] == (
        datetime.date(2026, 2, 1),
        True,
        {"dang": "2026-03-05"},
        datetime.datetime(2026, 3, 5, 8, 30, tzinfo=datetime.UTC),
    )
    assert kept_rows(numbers_of, "month", year=2026) == [1, 2, 3]
    assert kept_rows(numbers_of, "quarter", year=2026) == []  # another fixed value: its own shape


def test_other_values_of_the_same_shape_read_their_own_rows(periods):
    a, b = periods[(2025, 1)].pk, periods[(2026, 3)].pk
    assert [row[:4] for row in kept_rows(by_ids, ids=[a], year=2025)] == [(a, "month", 2025, 1)]
    assert [row[:4] for row in kept_rows(by_ids, ids=[b], year=2025)] == [(b, "month", 2026, 3)]
    assert kept_rows(by_ids, ids=[a], year=2026) == []
    assert kept_rows(first_of, year=2026)[0][0] == periods[(2026, 1)].pk


def test_what_it_cannot_prove_the_same_goes_the_ordinary_way(periods):
    year = 2026  # a name of the caller, which a build may not read
    with pytest.raises(TypeError, match="build must take everything"):
        kept_rows(lambda y: by_year(year), y=1)
    # Values a kept statement does not take: the ordinary path, the same rows.
    day = datetime.date(2026, 2, 1)
    assert kept_rows(
        lambda start: Period.objects.filter(start_date=start).values_list("number", flat=True),
        start=day,
    ) == [2]
    assert kept_rows(by_year, year=2**40) == []  # Django refuses it for an integer column
    assert kept_rows(by_ids, ids=[], year=2025) == []
    # A value written into the statement's text: the shape is not kept, the rows are right.
    literal = lambda year: Period.objects.filter(  # noqa: E731
        pk__in=RawSQL(f"SELECT id FROM scoring_period WHERE year = {int(year)}", [])  # noqa: S608, S611
    ).values_list("year", flat=True)
    assert kept_rows(literal, year=2025) == [2025, 2025, 2025]
    assert kept_rows(literal, year=2026) == [2026, 2026, 2026]
    not_kept = [key for key, kept in statements._SHAPES.items() if kept is statements._NOT_KEPT]
    assert [key[2] for key in not_kept] == [literal.__qualname__]
    # Related rows or annotations on model instances: the ordinary path.
    annotated = lambda year: Period.objects.filter(year=year).annotate(  # noqa: E731
        tag=Value("kỳ")
    )
    assert [p.tag for p in kept_rows(annotated, year=2025)] == ["kỳ"] * 3
    assert [kept for key, kept in statements._SHAPES.items() if key[0] is annotated.__code__] == [
        statements._NOT_KEPT
    ]
    assert kept_rows(
        lambda year: Period.objects.filter(year=year).order_by("number").values("number"),
        year=2026,
    ) == [{"number": 1}, {"number": 2}, {"number": 3}]


def in_window(start, end):
    return (
        Period.objects.filter(start_date__lte=end, end_date__gte=start)
        .order_by("id")
        .values_list("year", "number")
    )


def in_window_of_its_month(start, end):  # breaks the rule: reads the month of a value
    return in_window(start, end).filter(number__gte=start.month)


def odd_years_first_month(year):  # breaks the rule: branches on a value
    return by_year(year).filter(number=1) if year % 2 else by_year(year)


def held_on(day):
    return Period.objects.filter(start_date__lte=day, end_date__gte=day).values_list(
        "number", flat=True
    )


def test_days_and_a_value_in_two_places(periods):
    cases = [
        (in_window, {"start": datetime.date(2026, 2, 10), "end": datetime.date(2026, 3, 2)}),
        (in_window, {"start": datetime.date(2025, 3, 31), "end": datetime.date(2026, 1, 1)}),
        (held_on, {"day": datetime.date(2026, 2, 28)}),
        (held_on, {"day": datetime.date(2025, 1, 1)}),
        (by_year, {"year": 2025}),
    ]
    for build, values in cases:
        assert kept_rows(build, **values) == list(build(**values)), (build, values)
    assert kept_rows(in_window, start=datetime.date(2026, 2, 10), end=datetime.date(2026, 3, 2))
    assert kept_rows(held_on, day=datetime.date(2026, 2, 28)) == [2]
    assert statements._NOT_KEPT not in statements._SHAPES.values()
    # A build that reads a day's month: the placeholders' months differ, the shape is not kept.
    february = datetime.date(2026, 2, 10)
    assert kept_rows(in_window_of_its_month, start=february, end=february) == [(2026, 2)]
    assert [
        kept
        for key, kept in statements._SHAPES.items()
        if key[0] is in_window_of_its_month.__code__
    ] == [statements._NOT_KEPT]
    # A build that branches on a value the same way for both placeholders: kept, and the
    # suite's check (on in every test) refuses the call whose value takes the other branch.
    assert statements.CHECK
    assert kept_rows(odd_years_first_month, year=2025)[0][:4] == (
        periods[(2025, 1)].pk, "month", 2025, 1,
    )  # fmt: skip
    with pytest.raises(AssertionError, match="odd_years_first_month builds another statement"):
        kept_rows(odd_years_first_month, year=2026)
    # A datetime is not a day: the ordinary path (Django compares it as the column's type).
    noon = datetime.datetime(2026, 3, 6, 12, tzinfo=datetime.UTC)
    assert kept_rows(
        lambda at: Period.objects.filter(closed_at__lte=at).values_list("number", flat=True),
        at=noon,
    ) == [2]


def first_period(year):
    return Period.objects.filter(year=year).order_by("number").defer("closed_blocs")[:1]


def period_get(kind, year, number):
    return Period.objects.filter(kind=kind, year=year, number=number).order_by()[:21]


def test_model_instances_as_django_makes_them(periods):
    for year in (2025, 2026, 2027):
        kept, made = kept_rows(first_period, year=year), list(first_period(year))
        assert [vars(p).keys() for p in kept] == [vars(p).keys() for p in made]
        assert [(p.pk, p.year, p.number, p.start_date) for p in kept] == [
            (p.pk, p.year, p.number, p.start_date) for p in made
        ]
    [first] = kept_rows(first_period, year=2026)
    assert (first._state.adding, first._state.db) == (False, "default")
    assert first.get_deferred_fields() == {"closed_blocs"}
    assert first.closed_blocs == {}  # read on use, as Django reads a deferred field
    [got] = kept_rows(period_get, "month", year=2026, number=2)
    assert got == periods[(2026, 2)]
    assert (got.published, got.closed_blocs) == (True, {"dang": "2026-03-05"})
    assert got.closed_at == datetime.datetime(2026, 3, 5, 8, 30, tzinfo=datetime.UTC)
    got.published = False
    got.save(update_fields=["published"])  # an instance Django can save
    assert not Period.objects.get(pk=got.pk).published


def versions_from(version):
    from catalog_pages.models import CommonCatalogAdoption

    return (
        CommonCatalogAdoption.objects.filter(version__gte=version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def flag_value(flag):
    return Period.objects.annotate(flag=Value(flag)).values_list("flag", flat=True)[:1]


def test_what_django_answers_without_the_database_stays_its_answer(periods):
    """The 2026-11-30 review of this kit: a value outside its column's range, a fixed value of
    another type that compares equal, a build that reads a default or its instance."""
    from catalog_pages.models import CommonCatalogAdoption

    day = datetime.date(2026, 1, 1)
    made = [
        CommonCatalogAdoption.objects.create(
            decision_number=f"{n}/QĐ-UBND", decision_date=day, signer="Chủ tịch", effective_from=day
        )
        for n in (1, 2)
    ]
    CommonCatalogAdoption.objects.filter(pk=made[1].pk).update(version=1)
    # A positive column: ``version >= -1`` is every row for Django (the condition dropped, the
    # empty version too); a statement asking the database would leave the empty one out.
    assert kept_rows(versions_from, version=1) == [made[1].pk]
    assert kept_rows(versions_from, version=-1) == list(versions_from(-1)) == [m.pk for m in made]
    # A fixed True and a fixed 1 are two shapes.
    assert kept_rows(flag_value, True) == [True]
    assert kept_rows(flag_value, 1) == [1]
    # A keyword default or an instance's method could change the statement unseen: refused.
    field = "year"

    def with_default(year, *, name=field):
        return by_year(year)

    with pytest.raises(TypeError, match="build must take everything"):
        kept_rows(with_default, year=2026)
    with pytest.raises(TypeError, match="build must take everything"):
        kept_rows(Period.objects.filter, year=2026)


def test_the_kept_shapes_are_bounded(periods, monkeypatch):
    monkeypatch.setattr(statements, "MAX_SHAPES", 3)
    ids = list(Period.objects.values_list("pk", flat=True))
    for length in range(1, 7):
        assert len(kept_rows(by_ids, ids=ids[:length], year=2025)) == length
        assert len(statements._SHAPES) <= 3
    # A list longer than MAX_LENGTH: the ordinary path, no shape kept for it.
    statements.forget()
    monkeypatch.setattr(statements, "MAX_LENGTH", 5)
    assert len(kept_rows(by_ids, ids=ids, year=2025)) == 6
    assert statements._SHAPES == {}


def ids_excluded(ids, year):
    return Period.objects.filter(year=year).exclude(pk__in=ids).order_by("id").values_list("id")


def test_a_group_of_any_size_is_padded_to_a_few_shapes(periods, monkeypatch):
    """A collection of more than ``EXACT_UP_TO`` values is padded to the next power of two by
    repeating its last value: one shape for every size from 9 to 16, the same rows as the
    queryset, for ``IN`` and ``NOT IN``."""
    monkeypatch.setattr(statements, "EXACT_UP_TO", 2)
    ids = sorted(Period.objects.values_list("pk", flat=True))
    for length in range(1, len(ids) + 1):
        given = ids[:length]
        assert kept_rows(by_ids, ids=given, year=2025) == list(by_ids(given, 2025))
        assert kept_rows(ids_excluded, ids=given, year=2025) == list(ids_excluded(given, 2025))
    # Lengths 1, 2 exact; 3–4 padded to 4, 5–6 to 8: four shapes for each build.
    lengths = sorted({key[-1][0][2] for key in statements._SHAPES if key[2] == "by_ids"})
    assert lengths == [1, 2, 4, 8]
    # The padded statement has one mark per place, the repeats bound as the last value.
    monkeypatch.setattr(statements, "CHECK", False)  # as in production
    with CaptureQueriesContext(connection) as queries:
        assert kept_rows(by_ids, ids=ids[:5], year=2025) == list(by_ids(ids[:5], 2025))
    marks = ", ".join(map(str, [*ids[:5], ids[4], ids[4], ids[4]]))
    assert f"IN ({marks})" in queries.captured_queries[0]["sql"]
    assert len(kept_rows(by_ids, ids=[*ids[:5], 10**9], year=2025)) == 5  # an id of no row


def by_ids_limited(ids, year):
    # Breaks the rule: reads the collection's length (a padded call would read more rows).
    read = Period.objects.filter(pk__in=ids, year__gte=year).order_by("id").values_list("id")
    return read[: len(ids) - 1]


def test_a_build_reading_a_collections_length_is_caught_when_padded(periods, monkeypatch):
    monkeypatch.setattr(statements, "EXACT_UP_TO", 2)
    ids = sorted(Period.objects.values_list("pk", flat=True))
    with pytest.raises(AssertionError, match="only as the values of IN"):
        kept_rows(by_ids_limited, ids=ids[:3], year=2025)


def test_padding_never_passes_the_databases_limit_of_marks(periods, monkeypatch):
    """900 ids (what callers read at a time for SQLite's old limit of 999 marks) would be padded
    to 1,024: such a shape takes the ordinary path, whose statement has 900 marks."""
    ids = sorted(Period.objects.values_list("pk", flat=True))
    many = ids + list(range(10**6, 10**6 + 900 - len(ids)))
    monkeypatch.setattr(connection.features, "max_query_params", 999)
    assert kept_rows(by_ids, ids=many, year=2025) == list(by_ids(many, 2025))
    assert [shape for shape in statements._SHAPES.values() if shape is statements._NOT_KEPT]
    if connection.vendor == "sqlite":  # the old limit itself: the ordinary statement runs
        import sqlite3

        connection.ensure_connection()
        raw = connection.connection
        before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        try:
            assert len(kept_rows(by_ids, ids=many, year=2025)) == len(ids)
        finally:
            raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def test_the_suites_check_of_a_padded_call_is_not_counted_as_a_query(periods, monkeypatch):
    """A page's test that counts its queries counts what production sends: the check's own
    statements (``CHECK``) run on the driver's cursor, unlogged."""
    monkeypatch.setattr(statements, "EXACT_UP_TO", 2)
    ids = sorted(Period.objects.values_list("pk", flat=True))[:3]
    kept_rows(by_ids, ids=ids, year=2025)  # the shape compiled
    assert statements.CHECK
    with CaptureQueriesContext(connection) as queries:
        assert kept_rows(by_ids, ids=ids, year=2025) == list(by_ids(ids, 2025))
    assert len(queries.captured_queries) == 2  # the kept read and the comparison's own


def of_kind(kind, year):
    return (
        Period.objects.filter(kind=kind, year=year)
        .order_by("number")
        .values_list("number", flat=True)
    )


def of_kinds(kinds, year):
    return Period.objects.filter(kind__in=kinds, year=year).order_by("id").values_list("id", "kind")


def kind_starting(prefix):
    return (
        Period.objects.filter(kind__startswith=prefix).order_by("id").values_list("id", flat=True)
    )


def by_pk(pk):
    return Period.objects.filter(pk=pk).values_list("id", flat=True)


def test_texts_compared_whole_are_kept(periods, monkeypatch):
    """A text, or a collection of texts, that goes into the query as it is (``=``, ``IN``)
    is a value like an id (quota groups' names: issue 48); one a lookup changes is not."""
    Period.objects.create(kind="quarter", year=2026, number=1)
    cases = [
        (of_kind, {"kind": "month", "year": 2026}),
        (of_kind, {"kind": "quarter", "year": 2026}),
        (of_kind, {"kind": "tháng'; DROP TABLE scoring_period; --", "year": 2026}),
        (of_kind, {"kind": "", "year": 2026}),
        (of_kinds, {"kinds": ["quarter", "month"], "year": 2026}),
        (of_kinds, {"kinds": {"quarter"}, "year": 2026}),
    ]
    for build, values in cases:
        assert kept_rows(build, **values) == list(build(**values))
    assert kept_rows(of_kind, kind="quarter", year=2026) == [1]
    assert statements._NOT_KEPT not in statements._SHAPES.values()
    # Kept: the same reads again compile nothing.
    calls = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        calls.append(self.query.model)
        return original(self, *args, **kwargs)

    expected = [list(build(**values)) for build, values in cases]
    monkeypatch.setattr(statements, "CHECK", False)  # as in production
    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    assert [kept_rows(build, **values) for build, values in cases] == expected
    assert calls == []


def closed_for(bloc_day):
    return Period.objects.filter(closed_blocs__dang=bloc_day).values_list("id", flat=True)


def test_a_text_in_a_like_pattern_is_escaped_as_django_escapes_it(periods, monkeypatch):
    """``__startswith``: the kept statement takes the text escaped (``%`` and ``_`` are
    characters, not wildcards), as Django's own statement does."""
    cases = ["mon", "m_n", "%th", "", "month", "x\\"]
    for prefix in cases:
        assert kept_rows(kind_starting, prefix=prefix) == list(kind_starting(prefix))
    assert len(kept_rows(kind_starting, prefix="mon")) == 6
    assert kept_rows(kind_starting, prefix="m_n") == []  # a wildcard would match "month"
    assert kept_rows(kind_starting, prefix="%th") == []
    assert statements._NOT_KEPT not in statements._SHAPES.values()
    monkeypatch.setattr(statements, "CHECK", False)  # as in production
    assert [kept_rows(kind_starting, prefix=p) for p in cases] == [
        list(kind_starting(p)) for p in cases
    ]


def test_a_text_the_query_changes_otherwise_goes_the_ordinary_way(periods):
    # A JSON key compared with a text: Django writes it as JSON (``"…"``), not as it is.
    published = periods[(2026, 2)].pk
    assert kept_rows(closed_for, bloc_day="2026-03-05") == [published]
    assert kept_rows(closed_for, bloc_day="2026-03-06") == []
    # A text where the field wants a number: Django's own answer, not the placeholder's.
    with pytest.raises(ValueError, match="expected a number"):
        kept_rows(by_pk, pk="abc")
    assert kept_rows(by_pk, pk=periods[(2025, 1)].pk) == [periods[(2025, 1)].pk]
    # A collection of ids and texts together: the ordinary path, no shape.
    before = dict(statements._SHAPES)
    assert kept_rows(of_kinds, kinds=["month", 1], year=2025) == list(of_kinds(["month", 1], 2025))
    assert all(key[2] != "of_kinds" for key in statements._SHAPES.keys() - before.keys())
    not_kept = {key[2] for key, kept in statements._SHAPES.items() if kept is statements._NOT_KEPT}
    assert not_kept == {"closed_for", "by_pk"}


def test_texts_are_padded_as_ids_are(periods, monkeypatch):
    monkeypatch.setattr(statements, "EXACT_UP_TO", 2)
    kinds = ["month", "quarter", "six_months", "year", "x-1", "x-2"]
    for length in range(1, len(kinds) + 1):
        given = kinds[:length]
        assert kept_rows(of_kinds, kinds=given, year=2025) == list(of_kinds(given, 2025))
    lengths = sorted({key[-1][0][2] for key in statements._SHAPES if key[2] == "of_kinds"})
    assert lengths == [1, 2, 4, 8]


def events_at(ip):
    return AccountEvent.objects.filter(ip=ip).values_list("id", flat=True)


def blocs_key(key):
    return (
        Period.objects.annotate(value=KeyTextTransform(key, "closed_blocs"))
        .filter(value__isnull=False)
        .values_list("id", "value")
    )


def truncated(kind):
    return Period.objects.annotate(day=Trunc("start_date", kind)).order_by("id").values_list("day")


def ordered_by(field):
    return Period.objects.order_by(field).values_list("id", flat=True)


def test_a_text_django_writes_otherwise_only_for_some_values_is_not_kept(periods, monkeypatch):
    """Review of session 53: a change Django makes only to some texts leaves the placeholder
    as it is — an IPv6 address cleaned (SQLite), a JSON key of digits taken as an array index
    (PostgreSQL), a kind lower-cased (SQLite) — so the probes (``_TEXT_PROBES``) decide, and
    such a shape takes the ordinary path, in production as in the suite."""
    monkeypatch.setattr(statements, "CHECK", False)  # as in production: no second opinion
    event = AccountEvent.objects.create(action="signed_in", ip="2001:db8::1")
    spelled = "2001:0DB8:0000:0000:0000:0000:0000:0001"
    assert kept_rows(events_at, ip="2001:db8::1") == [event.pk]
    assert kept_rows(events_at, ip=spelled) == list(events_at(spelled)) == [event.pk]
    published = periods[(2026, 2)]
    Period.objects.filter(pk=published.pk).update(closed_blocs={"dang": "x", "0": "zero"})
    for key in ("dang", "0", "1"):
        assert kept_rows(blocs_key, key=key) == list(blocs_key(key))
    assert kept_rows(blocs_key, key="0") == list(blocs_key("0"))
    assert kept_rows(truncated, kind="month") == list(truncated("month"))
    assert kept_rows(truncated, kind="MONTH") == list(truncated("MONTH"))
    # A field's name given as a value: the ordinary path, not a placeholder's error.
    assert kept_rows(ordered_by, field="-number") == list(ordered_by("-number"))
    not_kept = {key[2] for key, kept in statements._SHAPES.items() if kept is statements._NOT_KEPT}
    assert {"events_at", "ordered_by"} <= not_kept
    # SQLite lower-cases the kind in Python; PostgreSQL's ``date_trunc`` takes it as given.
    assert ("truncated" in not_kept) == (connection.vendor == "sqlite")
    # PostgreSQL takes a key of digits as an array index; SQLite writes every key in a path.
    assert "blocs_key" in not_kept


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL only"
)


def flagged(year):
    # ``NULL IS NULL`` as Django sends it; bound by the server, ``$1 IS NULL`` has no type.
    return (
        Period.objects.filter(year=year)
        .annotate(open=RawSQL("%s IS NULL", (None,), output_field=BooleanField()))
        .order_by("number")
        .values_list("number", "open")
    )


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@on_postgresql
def test_a_kept_statement_is_prepared_once_and_logged_as_django_sends_it(periods):
    """Issue 48, session 54: the server parses and plans a kept statement once per connection
    (a one-person read of four tables: 0.8 ms as text, 0.3 ms prepared at 100,000 people). The
    query log still shows the statement with its values, one statement a call."""
    with CaptureQueriesContext(connection) as queries:
        first = kept_rows(by_year, year=2026)
        again = kept_rows(by_year, year=2025)
    assert first == list(by_year(2026)) and again == list(by_year(2025))
    assert [q["sql"].count('"scoring_period"."year" = ') for q in queries.captured_queries] == [
        1,
        1,
    ]
    assert '"scoring_period"."year" = 2026' in queries.captured_queries[0]["sql"]
    assert '"scoring_period"."year" = 2025' in queries.captured_queries[1]["sql"]
    prepared = [text for text in _prepared_statements() if '"scoring_period"."year" = $1' in text]
    assert len(prepared) == 1  # one statement for both calls


@on_postgresql
def test_a_statement_the_server_will_not_prepare_is_sent_as_text_and_the_transaction_goes_on(
    periods,
):
    """A statement PostgreSQL refuses to prepare (a value whose type only its text gives) is
    tried once, on the driver's own cursor inside a savepoint of its own, then sent as Django
    sends it: the caller's transaction is intact and the log shows one statement a call."""
    with CaptureQueriesContext(connection) as queries:
        rows = kept_rows(flagged, year=2026)
        again = kept_rows(flagged, year=2025)
    assert rows == [(1, True), (2, True), (3, True)] == list(flagged(2026))
    assert again == list(flagged(2025))
    assert len(queries.captured_queries) == 2
    assert Period.objects.filter(year=2026).count() == 3  # the transaction goes on
    kept = [k for k in statements._SHAPES.values() if k is not statements._NOT_KEPT]
    assert [k.prepared for k in kept] == [False]


@on_postgresql
def test_a_rollback_forgets_the_prepared_statements_and_they_are_made_again(periods):
    """psycopg deallocates a connection's prepared statements when a rollback may have undone
    what they name; the next call prepares its statement again."""
    assert kept_rows(by_year, year=2026) == list(by_year(2026))
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Period.objects.filter(year=2026, number=1).update(published=True)
        assert kept_rows(by_year, year=2026) == list(by_year(2026))
        raise ZeroDivisionError
    assert kept_rows(by_year, year=2026) == list(by_year(2026))
    assert not kept_rows(by_year, year=2026)[0][5]  # the update was rolled back
    assert any('"scoring_period"."year" = $1' in text for text in _prepared_statements())


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_statement_first_in_an_atomic_block_leaves_the_block_usable():
    """Django's ``atomic`` opens the transaction with its first statement: a refused
    statement tried first in the block is guarded too, and the block commits its work."""
    statements.forget()
    with transaction.atomic():
        assert kept_rows(flagged, year=2031) == []
        Period.objects.create(kind="month", year=2031, number=1)
        assert kept_rows(flagged, year=2031) == [(1, True)]
    assert Period.objects.filter(year=2031).count() == 1
    kept = [k for k in statements._SHAPES.values() if k is not statements._NOT_KEPT]
    assert [k.prepared for k in kept] == [False]


def _years(year):
    return Period.objects.filter(year=year).order_by("number").values_list("number", "kind")


def _ids_of(ids):
    return Period.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)


def test_reads_together_give_each_reads_rows_in_order(periods):
    ids = sorted(Period.objects.values_list("pk", flat=True))
    for _ in range(2):  # compiled and (PostgreSQL) probed, then sent together
        with CaptureQueriesContext(connection) as captured:
            got = statements.kept_rows_together(
                statements.read(_years, year=2026),
                statements.read(_ids_of, ids=ids[:2]),
                statements.read(_ids_of, ids=[]),  # Django answers it without the database
                statements.read(_years, year=1999),
            )
        assert got == [list(_years(2026)), ids[:2], [], []]
        assert len(captured) == 3  # each read one statement of its own, logged
