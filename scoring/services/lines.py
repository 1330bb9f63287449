"""The one write service for assignment lines (``scoring.AssignmentLine``: quantities,
completion, quality and timeliness counters), in the shape of ``scoring.services.leader_marks``
and run by :mod:`org.write_gate`.

It holds, in one place:

* **who may** (:func:`refusal`): ``org.access.refusal`` — the model permission of a role, the
  line's reach **by its period** (its person posted in the writer's subtrees during the period:
  after a transfer on day D the former agency writes nothing dated from D on and still corrects
  what is dated before; docs/security.md §3), never one's own line (nobody changes the inputs of
  their own score);
* **the state the writer saw**: the snapshot of the stored line (``cms.seen``) compared under the
  line's lock; a change made meanwhile raises ``org.write_gate.Stale`` naming each field;
* **the lock and the period**: the owning agency, then the period (``input_locks``, the one lock
  order of every input door), a period that no longer accepts inputs refused with its own
  sentence;
* **history and rescoring**: the line is saved through the ORM, so the change history records it
  and the period's rescoring is queued (``scoring.signals``).

Doors: the admin forms (add, edit, delete: ``org.admin_scope`` through
``policy.WRITE_SERVICES``) call :func:`save` / :func:`delete`; an upheld complaint's correction
calls :func:`correct`; the worklog's assignment :func:`add_once`. The agency doors — the Excel
results import and the write API — write many lines at once through ``importers.lines.records``
(same reach rule: the person posted in the agency's subtree during the period; the preview
fingerprint or the line's ``version`` as the state seen; the same lock order).
"""

from __future__ import annotations

from org import write_gate
from org.access import CHANGE, DELETE
from scoring.models import AssignmentLine


def own_line_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "Không ai được nhập, sửa hay xoá kết quả thực hiện nhiệm vụ của chính mình. Hãy giữ "
        "nguyên dòng này như trong mẫu tải về (kết quả đang lưu); lãnh đạo đơn vị hoặc một cán "
        "bộ tổ chức khác nhập thay đổi."
    )


def own_person_id(user) -> int | None:
    """The writer's own record, whose lines no door lets them write (the bulk doors ask it
    once per file: the Excel results import)."""
    from scoring.services.write_rights import person_id_of

    return person_id_of(user)


def refusal(user, action: str, line) -> str | None:
    from org import access

    return access.refusal(user, action, line)


def lock(line) -> None:
    from scoring.models.guards import closed_period_error
    from scoring.services.input_locks import lock_inputs

    if not line.period_id:
        return
    agency = line.unit.owning_agency or line.unit if line.unit_id else None
    locked = lock_inputs([agency.pk] if agency else [], [line.period_id])[line.period_id]
    if not locked.accepts_inputs:
        raise write_gate.Refused(" ".join(closed_period_error(locked).messages))


def save(user, line, *, action: str = CHANGE, seen: dict | None = None, write=None, children=()):
    """Store ``line`` as ``user`` wrote it (``write``: the door's own ORM save, e.g. the admin
    form's; default ``full_clean`` then ``save``). Raises ``write_gate.Refused`` or
    ``write_gate.Stale``; nothing is written then."""

    def default():
        line.full_clean()
        line.save()
        return line

    return write_gate.run(
        user,
        action,
        line,
        refusal=refusal,
        lock=lock,
        write=write or default,
        seen=seen,
        children=children,
    )


def correct(line, values: dict, *, user=None, label: str = ""):
    """Change ``values`` ({field: value}) of a stored line as a decision taken elsewhere says —
    an upheld complaint (``ratings.services.period_complaints``; *who* decided is the case's
    gate, ``ratings.workflow``): the same lock order and open period as every other door, the
    line read again under its lock, validated, saved through the ORM (history, rescoring).
    A validation message is prefixed with ``label`` (the field as the decision's page names
    it)."""
    from django.core.exceptions import ValidationError

    def write():
        fresh = AssignmentLine.objects.select_for_update().get(pk=line.pk)
        for field, value in values.items():
            setattr(fresh, field, value)
        try:
            fresh.full_clean()
        except ValidationError as error:
            if not label:
                raise
            raise ValidationError(
                [f"{label}: {message}" for message in error.messages], code="invalid"
            ) from error
        fresh.save()
        return fresh

    def decided(_user, _action, _row):
        return None

    try:
        return write_gate.run(user, CHANGE, line, refusal=decided, lock=lock, write=write)
    except write_gate.Refused as refused:
        raise ValidationError(refused.message) from refused


def add_once(line, *, user=None):
    """Add ``line`` (unsaved; its ``source`` and ``external_id`` set) unless a line with the same
    ``(source, external_id)`` exists: ``(line, created)``. For a door whose who-may is its own
    role gate — the worklog's assignment by the evaluator of the day (``worklog.access``) —
    and whose form may be sent twice: the lock order and open period of every door, the line
    validated before it is stored (ORM: history, rescoring)."""
    from django.core.exceptions import ValidationError

    def write():
        stored = AssignmentLine.objects.filter(
            source=line.source, external_id=line.external_id
        ).first()
        if stored is not None:
            return stored, False
        line.full_clean(validate_unique=False, validate_constraints=False)
        line.save()
        return line, True

    def decided(_user, _action, _row):
        return None

    try:
        return write_gate.run(user, CHANGE, line, refusal=decided, lock=lock, write=write)
    except write_gate.Refused as refused:
        raise ValidationError(refused.message) from refused


def delete(user, line, *, write=None):
    def default():
        line.delete()

    return write_gate.run(user, DELETE, line, refusal=refusal, lock=lock, write=write or default)
