"""A column equal to one of many ids, sent as one parameter.

``filter(civil_servant__in=ids)`` with thousands of ids (a department's people on a board)
makes Django prepare each id, the driver place each in the statement and PostgreSQL parse and
plan each as a constant: at 100,000 people a chairman's board spent about 150 ms of its
request on the 6,412 ids of one list, for a statement the database ran in 1.5 ms (issue 48).
:class:`AnyId` sends them as one array on PostgreSQL (``= ANY(%s)``) and as a plain ``IN``
list elsewhere; the rows are those of ``__in``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db.models import F, Lookup, QuerySet


class AnyId(Lookup):
    """``AnyId("civil_servant_id", ids)``: the column is one of ``ids`` (integers; ``None``
    left out). An expression for ``filter``, ``exclude`` and ``Q``; no ids matches no row, as
    ``__in=[]`` does. A column of the queried model itself: a name across a relation
    (``"line__civil_servant_id"``) would join without Django promoting the join inside an
    ``OR`` — write ``__in`` there."""

    lookup_name = "any_id"
    prepare_rhs = False

    def __init__(self, column: str | F, ids: Iterable[int | None]):
        if isinstance(ids, QuerySet):
            raise TypeError("AnyId takes ids, not a queryset: filter by __in=<queryset>.")
        lhs = F(column) if isinstance(column, str) else column
        #: the column's name, to know whether it may be empty (an expression: taken as such)
        self.column = column if isinstance(column, str) else None
        # ``None`` is left out, as ``__in`` leaves it out (it equals no row).
        super().__init__(lhs, sorted({int(value) for value in ids if value is not None}))

    def _may_be_empty(self, compiler) -> bool:
        """Whether the column may hold NULL. Asked of the model's field by its name: the
        resolved column of a foreign key names the target's primary key, never empty."""
        if self.column is None:
            return True
        if self.column == "pk":
            return False
        try:
            return compiler.query.model._meta.get_field(self.column).null
        except FieldDoesNotExist:
            return True

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            kind = self.lhs.output_field.db_type(connection)
            sql, params = f"{lhs} = ANY(%s::{kind}[])", [*lhs_params, self.rhs]
        else:
            marks = ", ".join(["%s"] * len(self.rhs))
            sql, params = f"{lhs} IN ({marks})", [*lhs_params, *self.rhs]
        if self._may_be_empty(compiler):
            # A column that may be empty: its negation then keeps the empty rows, as
            # ``exclude(column__in=…)`` does (``NOT (x IN …)`` alone is unknown for them).
            return f"({sql} AND {lhs} IS NOT NULL)", [*params, *lhs_params]
        return sql, params
