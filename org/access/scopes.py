"""The rows of a model a user may read, change and pick, by the model's declared scope.

Each model's :class:`~org.access.registry.RowScope` (its app's ``policy.ROW_SCOPES``) says how
its rows reach the org tree; this module turns it into the rows of a user: :func:`visible`
(reading, with a named ``ExtraReach`` when a page asks for one), :func:`editable` (changing and
deleting: reached through a grant, never one's own), :func:`pickable` (form choices and
choosers) and :func:`row_in_reach` (a row being added or moved by a form, saved or not).
"""

from __future__ import annotations

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from org.access.registry import (
    RowScope,
    extra_reach,
    follow,
    hook,
    row_span,
    scope_of,
)
from org.access.tree import (
    can_access_agency,
    can_access_civil_servant,
    can_manage_civil_servant,
    held_person_q,
    posted_under,
    posted_under_during,
    posted_under_during_q,
    under,
    visible_person_q,
)
from org.access.user_reach import (
    civil_servant_of,
    is_home_affairs,
    is_person,
    reach,
    reached_paths,
    signed_in,
)
from org.models import CivilServant


def has_model_permission(user, model, action: str) -> bool:
    if not signed_in(user):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def _own(scope: RowScope, user) -> Q:
    """The user's own rows: by their person's id (read once per request with their reach), so
    the condition is one on the row's own column — PostgreSQL can then read the rows of
    ``agency IN (…) OR person = …`` by the two indexes instead of joining every row of the
    table to the people to test the sign-in (issue 48: a unit head's count of lines, 900 →
    40 ms at 100,000 people)."""
    if scope.person is None or not is_person(user):
        return Q(pk__in=[])
    me = civil_servant_of(user)
    if me is None:
        return Q(pk__in=[])
    return Q(**{scope.person or "pk": me.pk})


def _agency_under(agency: str, user, paths: list[str]) -> Q:
    """Rows whose agency (at the lookup ``agency``; ``""`` for an agency itself) lies under
    ``paths``. For a signed-in person's own reach, by the ids of those agencies (a few hundred
    at most, read once per request): a condition on the row's own column, where the agency's
    path made every row join its agency first (``postings_under`` does the same for
    postings)."""
    if is_person(user) and reach(user).holds_paths(paths):
        ids = reach(user).subtree_ids
        if not ids:
            return Q(pk__in=[])
        column = f"{agency}__pk" if agency else "pk"
        low, high = min(ids), max(ids)
        if len(ids) > 1 and high - low + 1 == len(set(ids)):
            # Ids with no gap (a department and its units, created together) as a range:
            # PostgreSQL (before 17) reads ``IN (…)`` on an index's second column only by
            # fetching each row, and so does not use it to keep the index's order; a range it
            # tests on the index itself. A listing ordered by (period, agency) then walks the
            # index, not the rows (issue 48: a director's period scores 113 → 19 ms at 100,000
            # people). Only in place of the list: both together made the planner count the
            # condition twice and expect a hundredth of the rows.
            return Q(**{f"{column}__range": (low, high)})
        return Q(**{f"{column}__in": ids})
    return under(agency, paths)


def _tree_reach(scope: RowScope, user, *, write: bool = False) -> Q:
    """Rows reached through the user's agency grants. A row dated by its scope reaches through
    its person only if the person was posted there at that time; a person's own record is
    changed only by the agency that holds them now."""
    paths = reached_paths(user)
    if not paths:
        return Q(pk__in=[])
    if scope.agency is not None:
        reached = _agency_under(scope.agency, user, paths)
        if scope.person is not None and scope.dated:
            reached &= Q(posted_under_during_q(paths, scope, user))
        return reached
    if scope.person is not None:
        if scope.dated:
            return Q(posted_under_during_q(paths, scope, user))
        if write and scope.person == "":
            return held_person_q(paths)
        return Q(posted_under(paths, scope.person or "pk", user))
    return Q(pk__in=[])


def _reached_or_own(model, scope: RowScope, user) -> Q:
    """The rows a user reads: those their grants reach, and their own. When every own row of
    the model already lies in the reach (a unit head's own scores are their unit's), the
    second half is left out: ``agency IN (…) OR person = …`` keeps PostgreSQL from reading by
    the (period, agency) index, and a listing sorted by it walked every row of the latest
    months testing both (issue 48: a unit head's period scores, 238 → 8 ms at 100,000
    people). Whether they all do is asked once per model and request, of the person's own rows
    (a few dozen, by the person's index), each tested against the reach."""
    reached = _tree_reach(scope, user)
    own = _own(scope, user)
    if scope.person is None or civil_servant_of(user) is None or not reached_paths(user):
        return reached | own
    known = reach(user).own_inside
    label = model._meta.label_lower
    if label not in known:
        rows = model._base_manager.all()
        outside = rows.filter(own).filter(~Exists(rows.filter(reached, pk=OuterRef("pk"))))
        known[label] = not outside.exists()
    return reached if known[label] else reached | own


def _base(model_or_queryset) -> QuerySet:
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset
    return model_or_queryset._default_manager.all()


def _rows(user, model_or_queryset, *, write: bool) -> QuerySet:
    """Rows reached by ``user``: through their grants, plus their own rows when only reading."""
    queryset = _base(model_or_queryset)
    scope = scope_of(queryset.model)
    if write and scope.frozen:
        queryset = queryset.exclude(scope.frozen_q())
    if is_home_affairs(user):
        return queryset
    if not signed_in(user) or scope.kind == "home_affairs":
        return queryset.none()
    if scope.kind == "shared":
        return queryset
    if not write:
        if scope.agency is None and scope.person is not None and not scope.dated:
            # The people themselves (``org.civilservant``): the same rows as below, in the form
            # of ``visible_person_q`` (a join of the subtree's postings, the own person folded
            # in), where ``EXISTS … OR user`` made PostgreSQL hash every posting of the
            # subtree before the first row (the people list at 100,000 people: the chairman's
            # first page 50–60 → 0.1 ms, his count 100–170 → 70 ms, a unit head's 30 → 3 ms).
            return queryset.filter(visible_person_q(user, scope.person or "pk"))
        return queryset.filter(_reached_or_own(queryset.model, scope, user))
    queryset = queryset.filter(_tree_reach(scope, user, write=True))
    if scope.person is not None:
        queryset = queryset.exclude(_own(scope, user))
    return queryset


def visible(user, model_or_queryset, *, extra: str | None = None, **context) -> QuerySet:
    """The rows ``user`` may read (model permissions are checked by the caller's view); with
    ``extra``, plus the rows of the declared ``ExtraReach`` of that name (``context`` is
    passed to it: the day of the worklog's evaluator)."""
    rows = _rows(user, model_or_queryset, write=False)
    if extra is None:
        return rows
    queryset = _base(model_or_queryset)
    added = extra_reach(queryset.model, extra)
    scope = scope_of(queryset.model)
    if is_home_affairs(user) or not signed_in(user) or scope.kind == "shared":
        return rows
    # The condition of ``_rows`` for reading, OR-ed with the added rows (one filter, so the
    # tree reach stays a correlated condition rather than a list of ids).
    reached = (
        Q(pk__in=[])
        if scope.kind == "home_affairs"
        else _reached_or_own(queryset.model, scope, user)
    )
    return queryset.filter(reached | hook(added.rows)(user, **context))


def reads(user, obj: Model, *, extra: str | None = None, **context) -> bool:
    """Whether ``user`` may read the stored row ``obj`` (:func:`visible`, with the named extra
    reach and its single-row test when it declares one)."""
    if visible(user, type(obj), extra=extra, **context).filter(pk=obj.pk).exists():
        return True
    if extra is None or not signed_in(user):
        return False
    added = extra_reach(type(obj), extra)
    return added.row is not None and bool(hook(added.row)(user, obj, **context))


def editable(user, model_or_queryset) -> QuerySet:
    """The rows ``user`` may change, delete or pick: reached through a grant, never their own."""
    return _rows(user, model_or_queryset, write=True)


def pickable(user, model_or_queryset) -> QuerySet:
    """The rows ``user`` may choose in a form field or a chooser. A person is pickable by every
    agency that ever had them (a correction of a month before their transfer names them): the
    row being written is then checked against its own dates (:func:`row_in_reach`)."""
    queryset = _base(model_or_queryset)
    if queryset.model is CivilServant and not is_home_affairs(user):
        paths = reached_paths(user)
        if not paths:
            return queryset.none()
        return queryset.filter(posted_under(paths, user=user)).exclude(
            _own(scope_of(CivilServant), user)
        )
    return editable(user, queryset)


def row_in_reach(user, obj: Model, *, write: bool) -> bool:
    """Whether ``obj`` (saved or not) is inside the user's reach, by following its scope to
    its agency and its person. Used for rows being added or moved by a form."""
    scope = scope_of(type(obj))
    if write and obj.pk is not None and scope.frozen and _frozen(scope, obj):
        return False
    if is_home_affairs(user):
        return True
    if not signed_in(user) or scope.kind == "home_affairs":
        return False
    if scope.kind == "shared":
        return True
    if obj.pk is None and scope.person == "":
        # A new person: reach comes from their postings, whose agency choices are restricted.
        return True
    person = follow(obj, scope.person) if scope.person is not None else None
    agency = follow(obj, scope.agency) if scope.agency is not None else None
    # scope.agency "" is the Agency model's own scope: ``agency`` is ``obj``, an Agency.
    if scope.agency == "" and (obj.pk is None or not agency.path):  # type: ignore[union-attr]
        # A new agency or unit is reached through its parent.
        agency = obj.parent  # type: ignore[attr-defined]
    if scope.person is not None and person is None and scope.agency is None:
        return False
    if scope.agency is not None and agency is None:
        return False
    if agency is not None and not can_access_agency(user, agency):
        return not write and person is not None and person.user_id == user.pk
    if person is not None:
        span = row_span(scope, obj)
        if write:
            if scope.person == "" and obj.pk is not None:
                return can_manage_civil_servant(user, person)
            if span is None and scope.dated:
                return False
            return can_manage_civil_servant(user, person, span)
        if span is not None:
            own = person.user_id is not None and person.user_id == getattr(user, "pk", None)
            return own or posted_under_during(user, person, *span)
        return can_access_civil_servant(user, person)
    return True


def _frozen(scope: RowScope, obj: Model) -> bool:
    """Whether the stored row ``obj`` is one nobody changes (its scope's ``frozen``)."""
    return type(obj)._default_manager.filter(scope.frozen_q(), pk=obj.pk).exists()
