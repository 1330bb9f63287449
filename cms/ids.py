"""A column equal to one of many ids, sent as one parameter.

``filter(civil_servant__in=ids)`` with thousands of ids (a department's people on a board)
makes Django prepare each id, the driver place each in the statement and PostgreSQL parse and
plan each as a constant: at 100,000 people a chairman's board spent about 150 ms of its
request on the 6,412 ids of one list, for a statement the database ran in 1.5 ms (issue 48).
:class:`AnyId` sends them as one array on PostgreSQL (``= ANY(%s)``) and as a plain ``IN``
list elsewhere; the rows are those of ``__in``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import F, Lookup


class AnyId(Lookup):
    """``AnyId("civil_servant_id", ids)``: the column (a name or an expression) is one of
    ``ids`` (integers). An expression for ``filter`` and ``Q``; no ids matches no row, as
    ``__in=[]`` does."""

    lookup_name = "any_id"
    prepare_rhs = False

    def __init__(self, column: str | F, ids: Iterable[int]):
        lhs = F(column) if isinstance(column, str) else column
        super().__init__(lhs, sorted({int(value) for value in ids}))

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            kind = self.lhs.output_field.db_type(connection)
            return f"{lhs} = ANY(%s::{kind}[])", [*params, self.rhs]
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]
