"""Large ``values_list`` reads with Django's value converters applied once per distinct value.

Django converts every value of every row it reads (a decimal quantized, a date parsed): for a
re-import's 100,000 stored lines that was half the time of reading them, for a few hundred
distinct dates and quantities. :func:`values_rows` gives the same tuples as
``list(queryset)``, each column's converters run once per distinct raw value.
"""

from __future__ import annotations

from itertools import chain

from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI

#: Converted values shared between rows only when nobody can change them in place.
_MUTABLE = (list, dict, set, bytearray)


def values_rows(queryset) -> list[tuple]:
    """``list(queryset)`` of a ``values_list`` queryset (not ``flat``, not ``named``): the same
    tuples, the columns' converters applied once per distinct raw value (per type, so ``1``
    and ``1.0`` are converted each). A converted list or dict is never shared by two rows."""
    compiler = queryset.query.get_compiler(queryset.db)
    results = compiler.execute_sql(MULTI, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE)
    rows = list(chain.from_iterable(results))
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    if not rows or not converters:
        return [tuple(row) for row in rows]
    if compiler.has_composite_fields(fields):  # composite primary keys: Django's own path
        return list(queryset)
    connection = compiler.connection
    columns = [list(column) for column in zip(*rows, strict=True)]
    for position, (functions, expression) in converters.items():
        column = columns[position]
        cache: dict = {}
        for index, raw in enumerate(column):
            try:
                key = (type(raw), raw)
                column[index] = cache[key]
                continue
            except KeyError:
                pass
            except TypeError:  # an unhashable raw value (a memoryview): converted on its own
                key = None
            value = raw
            for function in functions:
                value = function(value, expression, connection)
            if key is not None and not isinstance(value, _MUTABLE):
                cache[key] = value
            column[index] = value
    return list(zip(*columns, strict=True))
