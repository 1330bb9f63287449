"""The one write service of a work plan and its items (the admin's add, edit and delete doors
through ``policy.WRITE_SERVICES``), run by :mod:`org.write_gate`: who may
(``org.access.refusal``: the model permission, the plan's agency in the writer's reach, an
approved plan frozen for everyone), the lock (the plan's agency, then the row), the state the
writer saw, and the change history."""

from __future__ import annotations

from org import access, write_gate
from org.models import Agency


def refusal(user, action: str, row) -> str | None:
    return access.refusal(user, action, row)


def lock(row) -> None:
    if row.agency_id:
        list(
            Agency.objects.select_for_update(no_key=True)
            .filter(pk=row.agency_id)
            .values_list("pk", flat=True)
        )


save, delete = write_gate.row_service(refusal, lock)
