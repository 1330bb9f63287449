"""The change history of score inputs, kept by django-simple-history in the ``audit`` app.

Every model whose values change someone's score, rating or who may act on it is registered
with :func:`track` by the app that owns it (the org models in ``audit.models``; scoring,
org_scoring in their own ``models`` module). The historical tables and their migrations all
live here (``app="audit"``), so the owning apps keep their migrations.

Each save, delete and many-to-many change through the ORM leaves one historical row: the whole
row as it was after the change, when, by whom (``history_user``) and how
(``history_change_reason``: the import job, the API system or the admin page). The user comes
from the request (``simple_history.middleware.HistoryRequestMiddleware``) or, where there is
no request of the acting person (an import running in the worker), from :func:`acting`. A save
that changes nothing leaves no row.

Bulk writes (``bulk_create``, ``QuerySet.update``, the importers' COPY/``UPDATE … FROM``) send
no model signals; they call :func:`record_rows` or :func:`record_query` afterwards, which copy
the rows as stored into the historical table in one ``INSERT … SELECT`` (no Python object per
row, so an import of 100,000 lines stays fast). On PostgreSQL the importers' inserts write the
historical rows in the same pass (:func:`copy_plan`), from the values they have just sent.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable
from dataclasses import dataclass

import simple_history
from modelcluster.fields import ParentalKey
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

from django.contrib.auth import get_user_model
from django.db import connections, models, router
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

CREATED, CHANGED, DELETED = "+", "~", "-"
#: Primary keys per ``IN (…)`` list (under SQLite's old limit of 999 parameters).
CHUNK = 900
#: The longest "how" text kept with a change.
MAX_REASON = 500

_tracked: list[type[models.Model]] = []


# --- who acts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Acting:
    user: object
    reason: str


_ACTING: contextvars.ContextVar[_Acting | None] = contextvars.ContextVar(
    "audit_acting", default=None
)


@contextlib.contextmanager
def acting(user=None, reason: str = ""):
    """Attribute every change made inside the block to ``user`` (a ``User`` or ``None``), with
    ``reason`` as how it was made — for writes without the acting person's request: an import
    confirmed by a person and run by the worker, a management command."""
    token = _ACTING.set(_Acting(user, reason))
    try:
        yield
    finally:
        _ACTING.reset(token)


def _person(user):
    """``user`` when it is a signed-in person (an integration token's principal is not)."""
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


def current_user():
    acting_now = _ACTING.get()
    if acting_now is not None:
        return _person(acting_now.user)
    request = getattr(HistoricalRecords.context, "request", None)
    return _person(getattr(request, "user", None))


def current_reason() -> str:
    acting_now = _ACTING.get()
    if acting_now is not None and acting_now.reason:
        return acting_now.reason[:MAX_REASON]
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return ""
    system = getattr(getattr(request, "user", None), "system", None)
    if system is not None:
        return f"API · {system.name}"[:MAX_REASON]
    return f"{request.method} {request.path}"[:MAX_REASON]


def _history_user(instance=None, request=None, **kwargs):
    return current_user()


# --- the records class ----------------------------------------------------------------------


class AuditHistoricalRecords(HistoricalRecords):
    """simple-history's records, with three project rules:

    * a ``ParentalKey`` (a person's postings) becomes a plain foreign key in the historical
      table — otherwise the historical rows would join the person's cluster of children;
    * a save that changes no tracked value leaves no historical row (Form 01 saves every
      criterion of the page, changed or not);
    * the reason (how the change was made) comes from :func:`acting` or the request;
    * a copied foreign key is indexed only when it points at a civil servant (the history is
      searched by person and by row id, never by product, unit or period): an import of
      100,000 lines writes 100,000 historical rows, and each index costs on every one.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in list(fields.items()):
            if isinstance(field, models.ForeignKey) and not isinstance(field, ParentalKey):
                field.db_index = _label(field.remote_field.model) == "org.civilservant"
            if isinstance(field, ParentalKey):
                plain = models.ForeignKey(
                    field.remote_field.model,
                    verbose_name=field.verbose_name,
                    on_delete=models.DO_NOTHING,
                    db_constraint=False,
                    related_name="+",
                    null=True,
                    blank=True,
                    db_index=True,
                )
                plain.name = name
                fields[name] = plain
        return fields

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and _unchanged(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        return get_change_reason_from_object(instance) or current_reason() or None


def _label(model) -> str:
    """``app.model`` in lower case, for a model class or a lazy ``"app.Model"`` reference."""
    if isinstance(model, str):
        return model.lower()
    return model._meta.label_lower


def _unchanged(instance) -> bool:
    """Whether the saved ``instance`` equals its latest historical row (no row: changed)."""
    history = history_model(type(instance))
    tracked = history.tracked_fields
    latest = (
        history.objects.filter(**{instance._meta.pk.attname: instance.pk})
        .order_by("-history_date", "-history_id")
        .values(*(field.attname for field in tracked))
        .first()
    )
    if latest is None:
        return False
    return all(
        same_value(field, latest[field.attname], getattr(instance, field.attname))
        for field in tracked
    )


def same_value(field, old, new) -> bool:
    """Equal once both are read as the field's type (``"4.5"`` and ``Decimal("4.50")``)."""
    if old == new:
        return True
    try:
        return field.to_python(old) == field.to_python(new)
    except Exception:  # any conversion failure: the values count as different  # noqa: BLE001
        return False


# --- registering ----------------------------------------------------------------------------


def track(model, *, excluded_fields: Iterable[str] = (), m2m_fields: Iterable[str] = ()) -> None:
    """Keep the change history of ``model`` in the ``audit`` app.

    ``auto_now`` timestamps are left out (the historical row has its own date), and so are
    ``excluded_fields`` (values derived from others, such as a folded name for search).
    """
    excluded = [
        field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)
    ]
    excluded += [name for name in excluded_fields if name not in excluded]
    simple_history.register(
        model,
        app="audit",
        records_class=AuditHistoricalRecords,
        excluded_fields=excluded,
        m2m_fields=list(m2m_fields),
        history_id_field=models.BigAutoField(primary_key=True),
        history_change_reason_field=models.TextField(null=True),
        get_user=_history_user,
        # Who made a change is kept as a plain id: no foreign-key check per historical row
        # (an import writes one per line, and PostgreSQL checks each at COMMIT); the id is
        # still indexed for the change-history page's "by whom" filter.
        user_db_constraint=False,
        verbose_name=format_lazy(_("lịch sử: {}"), model._meta.verbose_name),
        verbose_name_plural=format_lazy(_("lịch sử: {}"), model._meta.verbose_name_plural),
    )
    _tracked.append(model)


def tracked_models() -> list[type[models.Model]]:
    """Every model whose history is kept, in registration order."""
    return list(_tracked)


def is_tracked(model) -> bool:
    return model in _tracked


def history_model(model):
    """The historical model of a tracked ``model``."""
    return getattr(model, model._meta.simple_history_manager_attribute).model


# --- rows written in bulk -------------------------------------------------------------------


def record_rows(model, pks: Iterable, history_type: str = CHANGED, *, user=None, reason=None):
    """Historical rows for the rows ``pks`` of ``model`` as they are stored now (after a bulk
    insert or update; before a bulk delete with ``history_type=DELETED``)."""
    if not is_tracked(model):
        return 0
    ids = list(dict.fromkeys(pks))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        where = f"IN ({', '.join(['%s'] * len(chunk))})"
        written += _insert_select(model, where, chunk, history_type, user, reason)
    return written


def record_query(model, queryset, history_type: str = CHANGED, *, user=None, reason=None):
    """Historical rows for every row of ``queryset`` (of ``model``) as stored now."""
    if not is_tracked(model):
        return 0
    sql, params = queryset.values("pk").query.sql_with_params()
    return _insert_select(model, f"IN ({sql})", list(params), history_type, user, reason)


def _insert_select(model, where: str, where_params: list, history_type, user, reason) -> int:
    history = history_model(model)
    connection = connections[router.db_for_write(history)]
    quote = connection.ops.quote_name
    tracked = history.tracked_fields
    columns = [field.column for field in tracked]
    extra = [history._meta.get_field(name) for name in _EXTRA]

    def param(field) -> str:
        # PostgreSQL reads an untyped parameter in a SELECT list as text; SQLite's CAST to its
        # declared types would turn a datetime into a number.
        if connection.vendor == "sqlite":
            return "%s"
        return f"CAST(%s AS {field.db_type(connection)})"

    values = _extra_values(connection, history_type, user, reason)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608 - names from model meta
        f"({', '.join(quote(c) for c in columns + [f.column for f in extra])}) "
        f"SELECT {', '.join('src.' + quote(c) for c in columns)}, "
        f"{', '.join(param(f) for f in extra)} "
        f"FROM {quote(model._meta.db_table)} src "
        f"WHERE src.{quote(model._meta.pk.column)} {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values + list(where_params))
        return cursor.rowcount


_EXTRA = ("history_date", "history_type", "history_user", "history_change_reason")


def _extra_values(connection, history_type: str, user=None, reason=None) -> list:
    """When, how (created/changed/deleted), by whom and why — the history's own columns."""
    actor = _person(user) if user is not None else current_user()
    why = (reason if reason is not None else current_reason()) or None
    return [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        history_type,
        actor.pk if actor is not None else None,
        why[:MAX_REASON] if why is not None else None,
    ]


def copy_plan(model, connection, history_type: str = CREATED):
    """How to write the historical rows of rows being written by a bulk ``COPY``, in the same
    pass (no reading back): ``(table, tracked field names, extra column names, extra values)``
    — each historical row is the written row's tracked values followed by the extra values."""
    history = history_model(model)
    extra = [history._meta.get_field(name).column for name in _EXTRA]
    return (
        history._meta.db_table,
        [field.name for field in history.tracked_fields],
        extra,
        _extra_values(connection, history_type),
    )
