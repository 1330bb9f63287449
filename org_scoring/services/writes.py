"""The one write service for an organisation's inputs of a year (``org_scoring``: tasks,
general marks and their appraisal, shortcomings), run by :mod:`org.write_gate`.

It holds, in one place:

* **who may** (:func:`refusal`): ``org.access.refusal`` — the model permission, the agency in the
  writer's reach — and the inputs' write guard (``org_scoring.access.organisation_input_guard``):
  an agency never appraises its own score (only Sở Nội vụ, or the parent agency's organisation
  staff for a sub-unit, sets an appraised mark), and a row Sở Nội vụ appraised or certified is
  neither deleted, moved to another agency, year or criterion, nor re-marked by the assessed
  agency;
* **the state the writer saw**: the stored row's snapshot (``cms.seen``) compared under its lock;
  a change made meanwhile raises ``org.write_gate.Stale`` naming each field; nothing written;
* **the lock**: the agency row (``FOR NO KEY UPDATE``, the order of every input door), then the
  row itself;
* **history and rescoring**: saved through the ORM — the change history records it and the
  agency's year is marked for rescoring (``org_scoring.signals``).

Doors: the admin forms (add, edit, delete, bulk delete: ``org.admin_scope`` through
``policy.WRITE_SERVICES``; the bulk delete asks :func:`refusal` for each row through
``org.access.may``). The forms' own ``clean`` (``org_scoring.views.forms``: certify a task,
appraise a mark) asks :func:`appraisal_refusal` — the write guard itself, on the row as the form
would save it — so the sentence on the field is the service's, decided by the same function.
"""

from __future__ import annotations

from org import access, write_gate
from org.models import Agency
from org_scoring.access import organisation_input_guard


def refusal(user, action: str, row) -> str | None:
    return access.refusal(user, action, row)


def lock(row) -> None:
    if row.agency_id:
        list(
            Agency.objects.select_for_update(no_key=True)
            .filter(pk=row.agency_id)
            .values_list("pk", flat=True)
        )


def appraisal_refusal(user, action: str, row) -> str | None:
    """The inputs' write guard (``org_scoring.access.organisation_input_guard``) for ``row`` as
    a form would save it: the check :func:`refusal` makes again under the lock."""
    return organisation_input_guard(user, action, row)


save, delete = write_gate.row_service(refusal, lock)
