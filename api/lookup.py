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

The rows' stored JSON (the explanation…) is decoded by msgspec (``_decode_json``: the values
``json.loads`` gives), the rows are turned into the serializer's dicts by its own fields without
DRF's generic loop (``Representation``), and the body is written by msgspec when every value is
of a kind it writes byte for byte as DRF's ``JSONRenderer`` does (``LookupResponse``, ``encode``);
anything else — a float in the stored JSON, an indented body asked, the browsable API — is
written by DRF's renderer. The access-log row is written as for every read (``api.base``).

Only the exact lookup shape takes this path: a GET by an integration token whose parameters
are one ``civil_servant`` and one ``period`` that the FilterSet's form would accept, and
nothing else (no ``ordering``, ``cursor``, ``page_size``, ``format``…). Anything else — a
signed-in person, an invalid value, another parameter — goes the ordinary way, which gives
the same answers and the same error messages as before.
"""

from __future__ import annotations

import contextlib
import re
import threading
from operator import attrgetter
from typing import Any

import msgspec
from rest_framework import fields as drf_fields
from rest_framework import serializers as drf_serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils import encoders

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections, models, router
from django.db.models.query import get_related_populators
from django.utils import timezone

from api.serializers.common import FieldsBuiltOnce
from scoring.models import parse_period_code

from .principal import is_system

#: The query parameters of the lookup shape, exactly.
PARAMETERS = frozenset({"civil_servant", "period"})

# Placeholder values the statement is compiled with; each must appear exactly once among the
# compiled parameters, or no plan is kept (the ordinary path then serves every lookup).
_OFFICIAL_ID = "\x01kpi-lookup-official-id\x01"
_KIND = "\x01kpi-lookup-kind\x01"
_YEAR = 32_101
_NUMBER = 32_103
_PLACEHOLDERS = {"official_id": _OFFICIAL_ID, "kind": _KIND, "year": _YEAR, "number": _NUMBER}

#: A parameter's mark in a compiled statement, or an escaped percent sign.
_MARKS = re.compile("%s|%%")

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
        self.slots: dict[str, tuple[int | str, type]] = {}
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
        self.params: list | dict = params
        if connections[db].vendor == "sqlite":
            sql, self.params = self._for_sqlite(connections[db], sql, params)
        self.db = db
        self.sql = sql
        self.compiler = compiler
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise _NoPlan
        self.converters, self.json_columns = _fast_json_converters(compiler.get_converters(fields))
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [
            column[0].target.attname for column in compiler.select[self.start : self.end]
        ]
        # django-stubs 6 describe Django 6.0's signature (a fourth argument, fetch_mode); the
        # Django 5.2 this project runs takes three.
        self.related_populators = get_related_populators(klass_info, compiler.select, db)  # type: ignore[call-arg]
        self.representations: dict[type, Representation | None] = {}
        # The model's own JSON columns decoded by _decode_json (their values hold no float).
        self.plain_json = frozenset(
            column[0].target.attname
            for index, column in enumerate(compiler.select[self.start : self.end], self.start)
            if index in self.json_columns
        )

    def _for_sqlite(self, connection, sql: str, params: list) -> tuple[str, dict]:
        """The statement as SQLite runs it cheaply: its fixed text values (the row scope's
        ``LIKE`` patterns: the plan is kept per scope) written as literals, quoted by SQLite's
        own ``QUOTE()``, and the four lookup values as named parameters (``%(p0)s``…).

        SQLite compiles a statement again every time a value is bound to a parameter that is
        the pattern of a ``LIKE`` (its LIKE optimisation may depend on the value; the "query
        planner stability guarantee" that would stop it cannot be set from Python 3.11): each
        replay of the lookup's statement — five joins, 88 columns — was compiled anew, about
        100 of its 120 µs. With the patterns as literals it is compiled once per connection
        (Python's statement cache). And Django's SQLite cursor turns ``%s`` marks into ``?`` by
        a regular expression over the whole text (about 3.7 KB here: 40–80 µs per lookup),
        named marks by Python's ``%`` formatting (a few µs). The statement's effect is the
        same, and so is its text as Django logs it (``last_executed_query`` quotes each value
        with ``QUOTE()`` too, positional or named)."""
        slots = {index for index, _kind in self.slots.values()}
        fixed = [
            index
            for index, value in enumerate(params)
            if index not in slots and type(value) is str and "\x00" not in value
        ]
        literals: dict[int, str] = {}
        if fixed:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join(["QUOTE(%s)"] * len(fixed)), [params[i] for i in fixed]
                )
                literals = dict(zip(fixed, cursor.fetchone(), strict=True))
        position = 0

        def write(match):
            nonlocal position
            if match.group() == "%%":
                return "%%"
            index, position = position, position + 1
            if index in literals:
                return literals[index].replace("%", "%%")
            return f"%(p{index})s"

        sql = _MARKS.sub(write, sql)
        if position != len(params):  # never expected: every parameter has its mark
            raise _NoPlan
        self.slots = {name: (f"p{index}", kind) for name, (index, kind) in self.slots.items()}
        named = {f"p{i}": value for i, value in enumerate(params) if i not in literals}
        return sql, named

    def rows(self, values: dict) -> Rows:
        params: Any = self.params.copy()  # a list, or on SQLite a dict of named values
        for name, (index, kind) in self.slots.items():
            params[index] = kind(values[name])
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            results = cursor.fetchall()
        _LOCAL.json_plain = True
        if self.converters:
            results = self.compiler.apply_converters(results, self.converters)
        objects = Rows()
        for row in results:
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            objects.append(obj)
        objects.plan, objects.json_plain = self, _LOCAL.json_plain
        return objects


class Rows(list):
    """A lookup's model instances; ``plan`` made them, ``json_plain``: every JSON value was
    decoded by ``_decode_json`` (none holds a float)."""

    plan: Plan
    json_plain: bool


# The stored JSON (the explanation, the score's components…) decoded by msgspec instead of
# json.loads — the same values: msgspec accepts no text json.loads refuses, decodes strings,
# integers of any size, booleans and null as it does, and here refuses every number with a
# fraction or an exponent (``float_hook``), so a decoded value never holds a float. Any text it
# refuses (a float, NaN, text that is not JSON…) is decoded by Django's own converter, as
# before, and the lookup's answer is then encoded by DRF's renderer (see ``encode``).
def _refuse_float(text: str):
    raise ValueError(text)


_DECODER = msgspec.json.Decoder(float_hook=_refuse_float)


def _fast_json_converters(converters: dict) -> tuple[dict, frozenset]:
    """The compiler's converters with Django's ``JSONField.from_db_value`` (no custom decoder)
    replaced by ``_decode_json``; and the positions so replaced."""
    replaced = {}
    positions = set()
    for position, (convs, expression) in converters.items():
        convs = list(convs)
        for index, converter in enumerate(convs):
            field = getattr(converter, "__self__", None)
            if (
                getattr(converter, "__func__", None) is models.JSONField.from_db_value
                # Any JSONField that decodes as Django's does (cms.postgres.DocumentField too).
                and isinstance(field, models.JSONField)
                and field.decoder is None
            ):
                convs[index] = _json_converter(converter)
                positions.add(position)
        replaced[position] = (convs, expression)
    return replaced, frozenset(positions)


def _json_converter(django_converter):
    def _decode_json(value, expression, connection):
        if value is None:
            return None
        if type(value) is str:
            with contextlib.suppress(Exception):  # Django's converter decides, as it always did
                return _DECODER.decode(value)
        _LOCAL.json_plain = False
        return django_converter(value, expression, connection)

    return _decode_json


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


def lookup(view, request) -> Rows | None:
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


# The answer's rows without DRF's generic serializer loop, and its body without json.dumps.
#
# ``Representation.rows`` walks the serializer's own readable fields in their order and does
# for each what ``Serializer.to_representation`` does — the attribute, None kept as None, else
# the field's own ``to_representation`` — reading an attribute that is a model column (or a column
# of a forward relation) directly, and asking the field itself whenever that read fails (a
# missing relation: the field's default) or the field reads its attribute its own way (a
# related field, a method field). Only serializers whose fields are built once per thread
# (``FieldsBuiltOnce``: fields that do not depend on the request) and that keep DRF's
# ``to_representation`` take this path; the others are serialized by DRF.

_JSON = "json"


def _column_reader(model, attrs):
    """``operator.attrgetter`` of ``a.b`` when ``a`` is a forward relation of ``model`` and
    ``b`` a column of it (or ``a`` a column), else None (the field reads its attribute)."""
    current = model
    for position, attr in enumerate(attrs):
        last = position == len(attrs) - 1
        try:
            field = current._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        if not field.concrete:
            return None
        if field.is_relation:
            if last or not (field.many_to_one or field.one_to_one):
                return None
            current = field.related_model
        elif last and field.attname == attr:
            return attrgetter(".".join(attrs))
        else:
            return None
    return None


class Representation:
    """One serializer's fields compiled for ``rows`` (per thread, serializer and plan)."""

    def __init__(self, serializer, plan: Plan):
        self.steps = []
        for field in serializer.fields.values():
            if field.write_only:
                continue
            reader = None
            if type(field).get_attribute is drf_fields.Field.get_attribute and field.source_attrs:
                reader = _column_reader(plan.model, field.source_attrs)
            kind = None
            if (
                isinstance(field, drf_fields.JSONField)
                and type(field).to_representation is drf_fields.JSONField.to_representation
                and not field.binary
                and reader is not None
                and len(field.source_attrs) == 1
                and field.source_attrs[0] in plan.plain_json
            ):
                kind = _JSON  # the decoded value itself (no float: see _decode_json)
            self.steps.append((field.field_name, field, reader, kind))

    def rows(self, instances: Rows) -> tuple[list[dict], bool]:
        """The rows as ``Serializer.to_representation`` gives them, and whether every value
        is of a kind ``encode`` writes as DRF's renderer does."""
        plain = instances.json_plain
        results = []
        skip = drf_fields.SkipField
        for instance in instances:
            row: dict[str, object] = {}
            for name, field, reader, kind in self.steps:
                try:
                    if reader is None:
                        attribute = field.get_attribute(instance)
                    else:
                        attribute = reader(instance)
                except skip:
                    continue
                except Exception:
                    if reader is None:
                        raise
                    try:  # the field decides (its default, None, skipped or its error)
                        attribute = field.get_attribute(instance)
                    except skip:
                        continue
                check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                if check is None:
                    row[name] = None
                    continue
                value = row[name] = field.to_representation(attribute)
                if plain and kind is not _JSON:
                    plain = _plain(value)
            results.append(row)
        return results, plain


def _plain(value) -> bool:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    return kind is list and all(type(item) is str for item in value)


def representation(view, plan: Plan) -> Representation | None:
    """The view's serializer compiled for ``plan`` (once per thread), or None: DRF serializes."""
    serializer_class = view.get_serializer_class()
    cache = plan.representations
    if serializer_class not in cache:
        compiled = None
        if (
            issubclass(serializer_class, FieldsBuiltOnce)
            and serializer_class.to_representation is drf_serializers.Serializer.to_representation
        ):
            compiled = Representation(view.get_serializer(), plan)
        cache[serializer_class] = compiled
    return cache[serializer_class]


_ENCODER = msgspec.json.Encoder()
_LINE_SEPARATOR, _PARAGRAPH_SEPARATOR = "\u2028".encode(), "\u2029".encode()


def encode(data) -> bytes | None:
    """DRF's ``JSONRenderer`` body (compact, UTF-8, U+2028 and U+2029 escaped) for data made
    only of str, int, bool, None, lists and dicts with string keys — the kinds msgspec writes
    byte for byte as ``json.dumps`` does (no float, no Decimal, no date: those are written by
    DRF's renderer). None when msgspec refuses the data (a lone surrogate…): DRF decides."""
    try:
        body = _ENCODER.encode(data)
    except Exception:  # noqa: BLE001 - DRF's renderer gives its own answer or error
        return None
    if _LINE_SEPARATOR in body or _PARAGRAPH_SEPARATOR in body:
        body = body.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
    return body


class LookupResponse(Response):
    """The lookup's answer. Its body is written by ``encode`` when every value is plain and
    the negotiated renderer is DRF's own ``JSONRenderer`` with its default settings and no
    indent asked; else by that renderer (the browsable API, ``?format=``…), as before."""

    def __init__(self, data, plain: bool):
        super().__init__(data)
        self.plain = plain

    @property
    def rendered_content(self):
        renderer = getattr(self, "accepted_renderer", None)
        if (
            self.plain
            and isinstance(renderer, JSONRenderer)
            and type(renderer) is JSONRenderer
            and renderer.encoder_class is encoders.JSONEncoder
            and renderer.ensure_ascii is False
            and renderer.compact is True
            and getattr(self, "renderer_context", None) is not None
            and renderer.get_indent(self.accepted_media_type, self.renderer_context) is None
        ):
            body = encode(self.data)
            if body:
                # What Response.rendered_content does for a renderer without a charset.
                self.renderer_context["response"] = self
                self["Content-Type"] = (
                    self.content_type if self.content_type is not None else renderer.media_type
                )
                return body
        return super().rendered_content


def respond(view, rows: Rows) -> Response:
    """The cursor paginator's body for one page (no next, no previous) of ``rows``."""
    compiled = representation(view, rows.plan)
    if compiled is None:
        results, plain = view.get_serializer(rows, many=True).data, False
    else:
        results, plain = compiled.rows(rows)
    return LookupResponse({"next": None, "previous": None, "results": results}, plain)
