"""The one write service for a person's record and postings (``org.CivilServant`` with its
inline ``org.Posting`` rows, transfers included), run by :mod:`org.write_gate`.

It holds, in one place:

* **who may** (:func:`refusal`, asked again under the lock): ``org.access.refusal`` — the model
  permission of a role; a person's own record (name, birth date, contact) is changed only by
  the agency that holds them now, or by any former agency once they hold none; never by the
  person themselves — and, for each posting written (:func:`posting_refusals`): the posting's
  agency in the writer's reach, and ``org.postings.check_posting_change`` — a former agency
  does not re-open, extend or turn "kiêm nhiệm" the posting of someone who moved (a transfer is
  undone by Sở Nội vụ or the new agency; review 2026-11-23, importers F2);
* **the state the writer saw**: the stored record's snapshot with its postings (``cms.seen``)
  compared under the lock; a change made meanwhile raises ``org.write_gate.Stale`` naming each
  field and posting — nothing written;
* **the lock**: the person's row (``SELECT … FOR UPDATE``), so two writers of one record run one
  after the other;
* **history and rescoring**: saved through the ORM — the change history records it and a
  posting rescoring every open period it covers, the agency it left, and marking the annual
  scores stale (``scoring.signals``).

Doors: the admin's person form (add, edit: ``org.admin_scope`` through ``policy.WRITE_SERVICES``;
its inline postings checked with :func:`posting_refusals` before the save); the personnel
Excel import writes many people at once and asks ``org.postings.check_posting_change`` (the
same posting rule) for each posting, with its preview's fingerprint as the state seen.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from org import write_gate
from org.access import CHANGE, DELETE

#: The inline children a person's snapshot carries.
CHILDREN = ("postings",)


def refusal(user, action: str, person) -> str | None:
    from org import access

    return access.refusal(user, action, person)


def posting_refusals(user, posting) -> list[str]:
    """Why ``user`` may not write ``posting`` as it would be saved (a new one, or a stored one
    changed), or ``[]``."""
    from org import access
    from org.models import Posting
    from org.postings import check_posting_change

    if not isinstance(posting, Posting) or posting.agency_id is None:
        return []
    if not access.row_in_reach(user, posting, write=True):
        return [_("Bạn không có quyền ghi dữ liệu này.")]
    if posting.civil_servant_id is None or posting.civil_servant.pk is None:
        return []  # a new person has no posting elsewhere
    stored = Posting.objects.filter(pk=posting.pk).first() if posting.pk else None
    person = posting.civil_servant
    return check_posting_change(
        user,
        person,
        agency=posting.agency,
        start_date=posting.start_date,
        end_date=posting.end_date,
        is_concurrent=posting.is_concurrent,
        posting=stored,
        postings=Posting.objects.filter(civil_servant=person).select_related("agency"),
    )


def lock(person) -> None:
    from org.models import CivilServant

    if person.pk is not None:
        list(CivilServant.objects.select_for_update().filter(pk=person.pk).values_list("pk"))


def save(user, person, *, action: str = CHANGE, seen: dict | None = None, write=None, children=()):
    def default():
        person.full_clean()
        person.save()
        return person

    return write_gate.run(
        user,
        action,
        person,
        refusal=refusal,
        lock=lock,
        write=write or default,
        seen=seen,
        children=children or CHILDREN,
    )


def delete(user, person, *, write=None):
    def default():
        person.delete()

    return write_gate.run(user, DELETE, person, refusal=refusal, lock=lock, write=write or default)
