"""The score lookup's query built once and reused (issue 34).

``GET /api/v1/period-scores/?civil_servant=…&period=…`` with an integration token is the
API's hot path: an integration asks one person's score of one period, again and again. The
ordinary path (django-filter's FilterSet and form, ``org.access.visible``'s row scope, the
cursor paginator, the ORM compiling all of it) rebuilt the same SQL on every request: about
40 % of the request's CPU.

Here that SQL is compiled once per worker thread, database, system and row scope, from the
**same** pieces the ordinary path uses — the view's ``get_queryset()`` (the one row-scope
registry), the FilterSet's own ``civil_servant`` and ``period`` filters (in the FilterSet's
order), the paginator's ordering and page size — with placeholder values in the two
parameters' places. Each lookup then runs that statement with its own values and builds the
rows as the ORM's ``ModelIterable`` does (the same converters, ``from_db`` and
``select_related`` populators). The answer and its scope are the ordinary path's, byte for
byte (``tests/api/test_lookup_cost.py`` compares the statements and the bodies).

Only the exact lookup shape takes this path: a GET by an integration token whose parameters
are one ``civil_servant`` and one ``period`` that the FilterSet's form would accept, and
nothing else (no ``ordering``, ``cursor``, ``page_size``, ``format``…). Anything else — a
signed-in person, an invalid value, another parameter — goes the ordinary way, which gives
the same answers and the same error messages as before.
"""

from __future__ import annotations

import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models.query import get_related_populators
from django.utils import timezone

from scoring.models import parse_period_code

from .authentication import is_system

#: The query parameters of the lookup shape, exactly.
PARAMETERS = frozenset({"civil_servant", "period"})

# Placeholder values the statement is compiled with; each must appear exactly once among the
# compiled parameters, or no plan is kept (the ordinary path then serves every lookup).
_OFFICIAL_ID = "\x01kpi-lookup-official-id\x01"
_KIND = "\x01kpi-lookup-kind\x01"
_YEAR = 32_101
_NUMBER = 32_103
_PLACEHOLDERS = {"official_id": _OFFICIAL_ID, "kind": _KIND, "year": _YEAR, "number": _NUMBER}

#: Plans kept per thread (a few per system and database); cleared when more accumulate.
MAX_PLANS = 64

_LOCAL = threading.local()


class _NoPlan(Exception):
    """The compiled statement is not of a shape this module replays (never expected)."""


class Plan:
    """One compiled lookup statement and how to turn its rows into model instances."""

    def __init__(self, queryset):
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a scope reaching nothing: the ordinary path answers
            raise _NoPlan from None
        if not sql or compiler.annotation_col_map or compiler.has_extra_select:
            raise _NoPlan
        params = list(params)
        self.slots: dict[str, tuple[int, type]] = {}
        for name, placeholder in _PLACEHOLDERS.items():
            # PostgreSQL's backend binds a small integer field's value wrapped in psycopg's
            # ``Int2`` (an ``int``): the value is replayed in the type it was compiled with.
            found = [
                index
                for index, value in enumerate(params)
                if isinstance(value, type(placeholder)) and value == placeholder
            ]
            if len(found) != 1:
                raise _NoPlan
            self.slots[name] = (found[0], type(params[found[0]]))
        self.db = db
        self.sql = sql
        self.params = params
        self.compiler = compiler
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise _NoPlan
        self.converters = compiler.get_converters(fields)
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [
            column[0].target.attname for column in compiler.select[self.start : self.end]
        ]
        self.related_populators = get_related_populators(klass_info, compiler.select, db)

    def rows(self, values: dict) -> list:
        params = list(self.params)
        for name, (index, kind) in self.slots.items():
            params[index] = kind(values[name])
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            results = cursor.fetchall()
        if self.converters:
            results = self.compiler.apply_converters(results, self.converters)
        objects = []
        for row in results:
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


def lookup_values(request) -> dict | None:
    """The lookup's cleaned values (as the FilterSet's form cleans them: stripped, the period
    code parsed), or None when the request is not exactly the lookup shape."""
    if request.method != "GET" or not is_system(request.user):
        return None
    query = request.query_params
    if query.keys() != PARAMETERS:
        return None
    official = query.getlist("civil_servant")
    period = query.getlist("period")
    if len(official) != 1 or len(period) != 1:
        return None
    official_id, code = official[0].strip(), period[0].strip()
    if not official_id or not code:
        return None
    try:
        kind, year, number = parse_period_code(code)
    except ValueError:
        return None
    return {"official_id": official_id, "kind": kind, "year": year, "number": number}


def template_queryset(view, request):
    """The ordinary path's queryset for the lookup, with placeholders for its values: the
    view's scoped rows, the FilterSet's two filters in its order, the paginator's ordering
    and page (one row more than the page, as the cursor paginator reads)."""
    queryset = view.get_queryset()
    filterset = view.filterset_class(data=None, queryset=queryset, request=request)
    values = {
        "civil_servant": _OFFICIAL_ID,
        "period": (_KIND, _YEAR, _NUMBER),
    }
    for name, filter_ in filterset.filters.items():
        if name in values:
            queryset = filter_.filter(queryset, values[name])
    paginator = view.paginator
    ordering = paginator.get_ordering(request, queryset, view)
    page_size = paginator.get_page_size(request)
    return queryset.order_by(*ordering)[0 : page_size + 1], page_size


def _plans() -> dict:
    plans = getattr(_LOCAL, "plans", None)
    if plans is None:
        plans = _LOCAL.plans = {}
    return plans


def forget_plans() -> None:
    """Drop this thread's compiled lookups (tests)."""
    _plans().clear()


def lookup(view, request) -> list | None:
    """The lookup's rows (at most one page), or None when the ordinary path must answer."""
    values = lookup_values(request)
    if values is None:
        return None
    user = request.user
    key = (
        type(view),
        router.db_for_read(view.queryset.model),
        user.system.pk,
        tuple(user.scope_paths),
        # Today's date: a scope that ever depends on the day is compiled again each day.
        timezone.localdate(),
    )
    plans = _plans()
    entry = plans.get(key)
    if entry is None:
        try:
            template, page_size = template_queryset(view, request)
            entry = (Plan(template), page_size)
        except _NoPlan:
            entry = (None, 0)
        if len(plans) >= MAX_PLANS:
            plans.clear()
        plans[key] = entry
    plan, page_size = entry
    if plan is None:
        return None
    rows = plan.rows(values)
    if len(rows) > page_size:  # never for one person and one period: the ordinary path pages
        return None
    return rows
