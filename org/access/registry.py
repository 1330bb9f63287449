"""What the apps declare in their ``policy.py``, and where it is collected.

Each app says in its ``policy`` module how its models' rows reach the org tree
(``ROW_SCOPES``: a :class:`RowScope` per model), which rows it adds on purpose for reading on its
own pages (``EXTRA_REACH``: :class:`ExtraReach`), and — read by ``org.access.decisions`` — the
write guard and the write service of each kind of input. This module holds the declarations'
shapes and reads them once per process; it asks nothing of a user.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


@dataclass(frozen=True)
class RowScope:
    """How the rows of one model reach the org tree.

    ``person``: the path from a row to the civil servant it is about ("" when the row is one).
    ``agency``: the path from a row to the agency or unit it belongs to ("" when it is one).
    When both are given, a row is reached through its agency and, to be changed or picked, its
    person must be reachable too.
    ``kind``: ``"tree"`` (reached through the org tree, as above), ``"shared"`` (reference data
    every signed-in admin user may read and pick: periods, job positions, frameworks; model
    permissions still decide who changes them) or ``"home_affairs"`` (configuration and grants
    only Sở Nội vụ reaches at all).
    ``home_affairs_fields``: fields only Sở Nội vụ may set (the sign-in linked to a person).
    ``read_only_fields``: fields nobody sets by hand in the admin (provenance of integrations).
    ``frozen``: lookups of the rows nobody changes or deletes, Sở Nội vụ included (an approved
    job description): they stay readable, and are never ``editable`` or pickable.
    ``during``: the path to the object whose ``start_date``/``end_date`` the row is dated by
    (``"period"``; ``""`` for the row's own dates, e.g. a deputy's charge); ``year``: the path
    to the year it concerns. A row dated so reaches a user through its person only when that
    person was posted in the user's subtrees *during* that time: after a transfer the former
    agency keeps what is dated before it and nothing after (docs/security.md §3).
    """

    person: str | None = None
    agency: str | None = None
    kind: str = "tree"
    home_affairs_fields: tuple[str, ...] = ()
    read_only_fields: tuple[str, ...] = ()
    frozen: tuple[tuple[str, object], ...] = ()
    during: str | None = None
    year: str | None = None
    #: With ``year``: reached only through the posting held on the year's last day (a rating of
    #: the year belongs to the agency the person works in at its end, Decree 335 Art. 21).
    at_year_end: bool = False

    @property
    def is_tree(self) -> bool:
        return self.kind == "tree"

    @property
    def dated(self) -> bool:
        """Whether a row is dated by its scope (``during`` or ``year``)."""
        return self.during is not None or self.year is not None

    def frozen_q(self) -> Q | None:
        return Q(**dict(self.frozen)) if self.frozen else None


SHARED = RowScope(kind="shared")
HOME_AFFAIRS_ONLY = RowScope(kind="home_affairs")


@dataclass(frozen=True)
class ExtraReach:
    """Rows an app adds, on purpose, to a model's reach for **reading**, on its own pages: the
    evaluator of the day reads the people they evaluate (worklog), the members of an agency's
    catalog editor group read that agency's catalog, anyone holding a role on a rating case
    opens it. Declared in the adding app's ``policy.EXTRA_REACH`` (``"app.model"`` → a list of
    these) and asked by name: ``visible(user, model, extra=name, **context)`` and
    ``reads(user, row, extra=name, **context)``. Never widens ``editable`` or ``pickable``,
    nor a ``visible`` call that does not name it.

    ``rows``: ``"module.function"``, ``(user, **context) -> Q`` on the model, the rows added
    for a signed-in user who is not Sở Nội vụ (who reads every row anyway).
    ``row``: optionally ``"module.function"``, ``(user, row, **context) -> bool``, for a reach a
    condition cannot express (the actors of a rating case): asked by ``reads`` only.
    """

    name: str
    rows: str
    row: str | None = None


def model_permissions(app_label: str, actions, models) -> list[tuple[str, str]]:
    """``[(app_label, "view_x"), …]`` for every action × model: how policies list permissions."""
    return [(app_label, f"{action}_{model}") for model in models for action in actions]


POLICY_MODULE = "policy"


def app_policies():
    """Each installed app's ``policy`` module (the one place an app declares its role
    permissions and row scopes), in ``INSTALLED_APPS`` order."""
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{POLICY_MODULE}"
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


def declared(name: str) -> dict:
    """Every app's ``policy.<name>`` dict merged, keyed by ``app_label.modelname`` (lower
    case), in ``INSTALLED_APPS`` order (a later app's entry wins)."""
    merged: dict = {}
    for module in app_policies():
        for label, value in getattr(module, name, {}).items():
            merged[label.lower()] = value
    return merged


@functools.cache
def _scopes() -> dict[str, RowScope]:
    """Every app's ``policy.ROW_SCOPES``, keyed by ``app_label.modelname``."""
    return declared("ROW_SCOPES")


def scope_of(model) -> RowScope:
    """The declared scope of ``model``; an undeclared model is for Sở Nội vụ only."""
    return _scopes().get(model._meta.label_lower, HOME_AFFAIRS_ONLY)


def is_declared(model) -> bool:
    return model._meta.label_lower in _scopes()


@functools.cache
def _extra_reaches() -> dict[tuple[str, str], ExtraReach]:
    """Every app's ``policy.EXTRA_REACH``: (``app_label.modelname``, name) → its reach."""
    reaches: dict[tuple[str, str], ExtraReach] = {}
    for module in app_policies():
        for label, declared_reaches in getattr(module, "EXTRA_REACH", {}).items():
            for reach in declared_reaches:
                reaches[label.lower(), reach.name] = reach
    return reaches


def extra_reach(model, name: str) -> ExtraReach:
    """The declared extra reach ``name`` of ``model``; an undeclared one is an error (no app
    widens the registry without saying so in its policy)."""
    try:
        return _extra_reaches()[model._meta.label_lower, name]
    except KeyError:
        raise LookupError(f"no extra reach {name!r} declared for {model._meta.label}") from None


def extra_reaches() -> dict[tuple[str, str], ExtraReach]:
    """Every declared extra reach (docs and tests list them)."""
    return dict(_extra_reaches())


@functools.cache
def hook(path: str):
    """The function at ``"module.function"`` (an extra reach's ``rows`` or ``row``)."""
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def follow(obj, path: str):
    """The object at the lookup ``path`` (``"a__b"``) from ``obj``, or None along the way."""
    for name in filter(None, path.split("__")):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def row_span(scope: RowScope, obj) -> tuple[datetime.date, datetime.date] | None:
    """The days ``obj`` is dated by (its scope's ``during``/``year``), or None."""
    if scope.during is not None:
        dated = follow(obj, scope.during) if scope.during else obj
        start = getattr(dated, "start_date", None)
        if start is None:
            return None
        return start, getattr(dated, "end_date", None) or datetime.date.max
    if scope.year is not None:
        year = follow(obj, scope.year)
        if not year:
            return None
        return datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
    return None
