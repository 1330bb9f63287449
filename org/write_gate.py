"""The shape every per-kind write service shares (issue 27: one gate per write).

A kind of input (assignment lines: ``scoring.services.lines``; the organisation's tasks, marks
and shortcomings: ``org_scoring.services.writes``; leader marks đ/e:
``scoring.services.leader_marks``) answers, in its own module, **who may** (its ``refusal``),
**what it locks** and **whether the period or year still accepts inputs**. This module runs the
steps in the one order every door gets:

1. open a transaction and take the kind's locks (the agency, then the period; the row itself);
2. ask the kind's ``refusal`` again, on the row as it would be stored (a door's earlier check
   may be stale: a transfer or an appraisal recorded meanwhile);
3. read the stored row under ``SELECT … FOR UPDATE`` and compare it with what the writer was
   shown (``cms.seen``'s snapshot): a difference raises :class:`Stale` naming each changed
   field, and nothing is written;
4. write through the ORM (the change history and the rescoring follow the model's signals).

The exceptions carry what a door shows: :class:`Refused` its sentence, :class:`Stale` the
sentences of :func:`cms.seen.differences` and the stored snapshot for a fresh form token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from cms import seen as seen_module
from org.access import CHANGE, DELETE


class Refused(Exception):
    """The writer may not write this row (the sentence to show): nothing written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Stale(Exception):
    """The stored row changed since the writer saw it: nothing written."""

    def __init__(self, model, differences: list[str], now: dict | None):
        super().__init__("stale input")
        self.model = model
        self.differences = differences
        self.now = now

    @property
    def message(self) -> str:
        return seen_module.conflict_message(self.differences)


def _stored_locked(instance, children: Iterable[str]) -> dict | None:
    fresh = type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
    return None if fresh is None else seen_module.snapshot(fresh, children)


def run(
    user,
    action: str,
    instance,
    *,
    refusal: Callable[[object, str, object], str | None],
    lock: Callable[[object], None],
    write: Callable[[], object],
    seen: dict | None = None,
    children: Iterable[str] = (),
):
    """Steps 1–4 for one row; returns what ``write`` returns. ``seen`` is the snapshot the
    writer was shown (None: a door without one, e.g. a new row)."""
    children = list(children)
    with transaction.atomic():
        lock(instance)
        reason = refusal(user, action, instance)
        if reason is not None:
            raise Refused(reason)
        if seen is not None and instance.pk is not None:
            now = _stored_locked(instance, children)
            if now != seen:
                raise Stale(type(instance), seen_module.differences(type(instance), seen, now), now)
        return write()


def row_service(
    refusal: Callable[[object, str, object], str | None], lock: Callable[[object], None]
) -> tuple[Callable, Callable]:
    """``(save, delete)`` of a kind whose row is written as it stands (validated with
    ``full_clean``, then saved; or deleted) through :func:`run` with the kind's ``refusal`` and
    ``lock``; a door may pass its own ``write`` (an admin form's save with its inlines)."""

    def save(user, row, *, action: str = CHANGE, seen: dict | None = None, write=None, children=()):
        def default():
            row.full_clean()
            row.save()
            return row

        return run(
            user,
            action,
            row,
            refusal=refusal,
            lock=lock,
            write=write or default,
            seen=seen,
            children=children,
        )

    def delete(user, row, *, write=None):
        def default():
            row.delete()

        return run(user, DELETE, row, refusal=refusal, lock=lock, write=write or default)

    return save, delete
