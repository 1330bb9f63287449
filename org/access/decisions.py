"""Whether a user may do an action to one row: the one answer every door asks.

:func:`refusal` puts together the model permission of a role, the row's reach
(``org.access.scopes``) and the model's write guard (an app's ``policy.WRITE_GUARDS``); the
doors then write through the kind's write service (``policy.WRITE_SERVICES``,
:func:`write_service`).
"""

from __future__ import annotations

import functools
from importlib import import_module

from django.db.models import Model
from django.utils.translation import gettext

from org.access.registry import ADD, CHANGE, VIEW, declared
from org.access.scopes import editable, has_model_permission, row_in_reach, visible


@functools.cache
def _guards() -> dict:
    """Every app's ``policy.WRITE_GUARDS``: ``app_label.modelname`` → a function
    ``(user, action, row) -> str | None`` giving the reason a write in reach is still refused
    (a row appraised or certified by a body the user does not speak for), or None."""
    return declared("WRITE_GUARDS")


@functools.cache
def _services() -> dict:
    """Every app's ``policy.WRITE_SERVICES``: ``app_label.modelname`` → the module of the kind's
    one write service (``save``, ``delete``, ``refusal``; ``org.write_gate``)."""
    return declared("WRITE_SERVICES")


def write_service(model):
    """The write service of ``model``'s kind of input, or None (a model without one is written
    by the door's own save, after :func:`refusal` and ``cms.seen``)."""
    path = _services().get(model._meta.label_lower)
    return import_module(path) if path else None


def out_of_reach_message() -> str:
    return gettext("Bạn không có quyền ghi dữ liệu này cho công chức, cơ quan đã chọn.")


def refusal(user, action: str, obj: Model) -> str | None:
    """Why ``user`` may not do ``action`` (view/add/change/delete) to this row (saved, or as a
    form would save it), or None when they may. The one answer every door asks: the model
    permission of a role, the row's reach (for dated rows, where the person was posted at the
    time), and the model's write guard."""
    model = type(obj)
    # Reading a row one may change is allowed even without the separate view permission.
    readable_anyway = action == VIEW and any(
        has_model_permission(user, model, other) for other in (CHANGE, ADD)
    )
    if not has_model_permission(user, model, action) and not readable_anyway:
        return out_of_reach_message()
    if obj.pk is None or action == ADD:
        reached = row_in_reach(user, obj, write=True)
    else:
        rows = visible(user, model) if action == VIEW else editable(user, model)
        reached = rows.filter(pk=obj.pk).exists() and (
            action == VIEW or row_in_reach(user, obj, write=True)
        )
    if not reached:
        return out_of_reach_message()
    guard = _guards().get(model._meta.label_lower)
    if action != VIEW and guard is not None:
        return guard(user, action, obj)
    return None


def may(user, action: str, obj: Model) -> bool:
    """Whether ``user`` may do ``action`` (view/add/change/delete) to this row."""
    return refusal(user, action, obj) is None
