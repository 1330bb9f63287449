"""Recording reads of personal data: :func:`record_read`, one INSERT per read.

**Fail closed.** The row is written before the data leaves (call it before building or
returning the response). If it cannot be written, the exception propagates and the reader gets
an error page (a database that does not answer: 503, "try again") instead of the data — under
Law 91/2025 a read of personal data that leaves no trace is not allowed to happen, and a
database that refuses this small INSERT would fail the page anyway. The INSERT runs in a
savepoint when the caller is inside a transaction, so the failure is clean.

Who: the signed-in person (an integration token's reads are logged in ``api.ApiAccessLog``).
What: the model and a label, the ids of the rows (up to :data:`MAX_IDS`) and their number,
the civil servants the rows are about (ids up to :data:`MAX_IDS`, their number always), the
filter or query used. How: the kind and format. Where from: the path, the method, the client
address (``cms.client_ip``, which trusts only ``DJANGO_NUM_PROXIES`` proxies). The agency:
whose data it is, when the read concerns one agency (an export of an agency, a person's page).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from audit.models import PersonalDataRead, ReadFormat, ReadKind
from cms.client_ip import client_ip
from org.access import is_declared, scope_of

#: Ids kept per read (the counts are always complete). 20,000 ids is about 140 kB of text:
#: every civil servant of a province fits.
MAX_IDS = 20_000
#: Query-string parameters that say how, not what (left out of the recorded filter).
_NOT_FILTERS = {"export", "p", "page", "csrfmiddlewaretoken"}


def record_read(  # noqa: C901
    request,
    kind: str,
    *,
    format: str = ReadFormat.HTML,
    model: type[Model] | str | None = None,
    label: str = "",
    objects: Iterable[Model] | None = None,
    object_ids: Iterable | None = None,
    queryset: QuerySet | None = None,
    subjects: Iterable | None = None,
    count: int | None = None,
    query: str | None = None,
    agency=None,
) -> PersonalDataRead:
    """Record that the person of ``request`` read personal data; returns the row.

    Give what is at hand, cheapest first: ``objects`` (model instances: their ids and, through
    the model's declared scope, their people), or ``object_ids``, or a ``queryset`` (counted and
    its people listed in two queries); ``subjects`` (civil servant ids) and ``count`` override
    what was derived. ``query`` defaults to the request's query string without paging and
    export parameters. ``agency`` is an ``Agency`` or its id.
    """
    if kind not in ReadKind.values:
        raise ValueError(f"unknown read kind {kind!r}")
    if queryset is not None and not isinstance(queryset, QuerySet):
        # Search results of a listing (Wagtail's search backend): the rows, as a queryset.
        found = list(queryset)
        model = model or (type(found[0]) if found else None)
        queryset = _as_queryset(model, [row.pk for row in found]) if model else None
        if queryset is None:
            object_ids = []
    if objects is not None:
        objects = list(objects)
        if model is None and objects:
            model = type(objects[0])
    if isinstance(model, str):
        model_label = model
    elif model is not None:
        model_label = model._meta.label_lower
    elif queryset is not None:
        model, model_label = queryset.model, queryset.model._meta.label_lower
    else:
        model_label = ""
    if not label and model is not None and not isinstance(model, str):
        label = str(model._meta.verbose_name_plural)

    ids: list = []
    people: list = []
    if objects is not None:
        ids = [obj.pk for obj in objects]
        if subjects is None:
            people = [p for p in (person_of(obj) for obj in objects) if p is not None]
        if agency is None and len(objects) == 1:
            agency = agency_of(objects[0])
    elif object_ids is not None:
        ids = list(object_ids)
    elif queryset is not None:
        ids = list(queryset.values_list("pk", flat=True)[: MAX_IDS + 1])
        if count is None:
            count = len(ids) if len(ids) <= MAX_IDS else queryset.count()
        if subjects is None:
            people = people_of(queryset)
    if subjects is not None:
        people = list(subjects)
    people = list(dict.fromkeys(p for p in people if p is not None))
    if count is None:
        count = len(ids)

    user = getattr(request, "user", None)
    person = user if isinstance(user, get_user_model()) and user.is_authenticated else None
    if query is None:
        query = filter_query(request)
    row = PersonalDataRead(
        user=person,
        username=(person.get_username() if person is not None else str(user or ""))[:150],
        kind=kind,
        format=format,
        model=model_label[:100],
        label=str(label)[:255],
        object_ids=_id_text(ids),
        row_count=count,
        subject_ids=_id_text(people),
        subject_count=len(people),
        query=query[:10_000],
        method=(request.method or "")[:8],
        path=request.get_full_path()[:1000],
        ip=client_ip(request) or None,
        agency_id=getattr(agency, "pk", agency),
    )
    with transaction.atomic():
        # bulk_create: one INSERT and no model signals (the row is final when written).
        PersonalDataRead.objects.bulk_create([row])
    return row


def filter_query(request) -> str:
    """The filter of ``request``: its query string without paging and export parameters."""
    return "&".join(
        f"{key}={value}"
        for key, values in request.GET.lists()
        if key not in _NOT_FILTERS
        for value in values
    )


def describe_rows(rows, request) -> dict:
    """What :func:`record_read` keeps of ``rows`` (a queryset, or a listing's search results)
    read through ``request``, as JSON, for a read recorded later (an export built by the
    worker, recorded at download)."""
    queryset = rows
    if not isinstance(rows, QuerySet):
        found = list(rows)
        queryset = _as_queryset(type(found[0]), [row.pk for row in found]) if found else None
    query = filter_query(request)
    if queryset is None:
        return {"label": "", "object_ids": [], "subjects": [], "count": 0, "query": query}
    ids = list(queryset.values_list("pk", flat=True)[: MAX_IDS + 1])
    return {
        "query": query,
        "model": queryset.model._meta.label_lower,
        "label": str(queryset.model._meta.verbose_name_plural),
        "object_ids": [int(i) for i in ids[:MAX_IDS]],
        "subjects": [int(p) for p in people_of(queryset)],
        "count": len(ids) if len(ids) <= MAX_IDS else queryset.count(),
    }


def _as_queryset(model, pks: list) -> QuerySet:
    query = Q(pk__in=[])
    for start in range(0, len(pks), 900):
        query |= Q(pk__in=pks[start : start + 900])
    return model._default_manager.filter(query)


def _id_text(ids: Iterable) -> str:
    kept = [str(int(i)) for i in list(ids)[:MAX_IDS]]
    return f",{','.join(kept)}," if kept else ""


def _scope_path(model, which: str) -> str | None:
    """The ORM path from a row of ``model`` to its civil servant (``which="person"``) or its
    agency (``"agency"``), from the scope the model's app declares (``org.access``): ``""``
    when the row is one, ``None`` when it has none."""

    if not is_declared(model):
        return None
    return getattr(scope_of(model), which)


def _follow_id(obj, path: str | None):
    """The id at the end of ``path`` from ``obj`` (foreign keys only; ``None`` if broken)."""
    if path is None:
        return None
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    try:
        return getattr(obj, f"{last}_id", None)
    except AttributeError:
        return None


def person_of(obj) -> int | None:
    """The id of the civil servant a row is about, if its model declares one."""
    return _follow_id(obj, _scope_path(type(obj), "person"))


def agency_of(obj) -> int | None:
    """The id of the agency or unit a row belongs to, if its model declares one through a
    chain of foreign keys (a person's agencies come from their postings: none here)."""
    return _follow_id(obj, _scope_path(type(obj), "agency"))


def people_of(queryset: QuerySet) -> list:
    """The distinct civil servants the rows of ``queryset`` are about."""
    path = _scope_path(queryset.model, "person")
    if path is None:
        return []
    field = path or "pk"
    return list(
        queryset.order_by()
        .exclude(**{f"{field}__isnull": True})
        .values_list(field, flat=True)
        .distinct()
    )
