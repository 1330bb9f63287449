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
* **the single sign-on field** (:func:`_matched_field_written`): once a person has a sign-in, the
  personnel field the provider's claim is matched with (``KPI_OIDC_MATCH_FIELD``) is changed
  only by Sở Nội vụ, and that change unlinks their single sign-on — the rule is
  ``accounts.sso.matched_field_refusal``, registered by ``accounts`` as ``org.sign_in_guard``
  and asked by the form, :func:`save` and :func:`save_many` (any other door that writes a
  record asks it too);
* **history and rescoring**: saved through the ORM — the change history records it and a
  posting rescoring every open period it covers, the agency it left, and marking the annual
  scores stale (``scoring.signals``).

Doors: the admin's person form (add, edit: ``org.admin_scope`` through ``policy.WRITE_SERVICES``;
its inline postings checked with :func:`posting_refusals` before the save and **again under the
person's lock**, on the postings as the form saved them — :func:`save`); the personnel Excel
import writes many people at once through :func:`save_many` (the people's rows locked, their
record reach and every posting it adds or changes asked under the lock, on what the import
actually wrote; the preview runs the same in a savepoint, so its refusals are shown before any
confirmation), with its preview's fingerprint as the state seen (compared by the pipeline in the
same transaction).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from org import access, sign_in_guard, write_gate
from org.access import CHANGE, DELETE
from org.models import CivilServant, Posting
from org.postings import check_posting_change

#: The inline children a person's snapshot carries.
CHILDREN = ("postings",)


def refusal(user, action: str, person) -> str | None:

    return access.refusal(user, action, person)


#: A person's own record (what :func:`save_many` compares before and after a write).
RECORD_FIELDS = ("full_name", "gender", "date_of_birth", "email", "phone")
#: What makes a posting "changed" for the posting rule.
POSTING_FIELDS = ("agency_id", "role", "start_date", "end_date", "is_concurrent")


def posting_reasons(user, posting, *, stored=None, postings=()) -> list[str]:
    """The posting rule, for ``posting`` as it is (or would be) saved: its agency in the
    writer's reach, never one's own postings, and ``org.postings.check_posting_change`` against
    the person's postings as they were before (``stored``: this posting then, None for a new
    one; ``postings``: all of them) — a former agency does not re-open, extend or turn
    "kiêm nhiệm" the posting of someone who moved. ``user`` None: the server's command line."""

    if user is None or posting.agency_id is None:
        return []
    person = posting.civil_servant
    if not access.is_home_affairs(user):
        own = person.user_id is not None and person.user_id == getattr(user, "pk", None)
        if own or not access.can_access_agency(user, posting.agency):
            return [_("Bạn không có quyền ghi dữ liệu này.")]
    if person.pk is None:
        return []  # a new person has no posting elsewhere
    return check_posting_change(
        user,
        person,
        agency=posting.agency,
        start_date=posting.start_date,
        end_date=posting.end_date,
        is_concurrent=posting.is_concurrent,
        posting=stored,
        postings=postings,
    )


def posting_refusals(user, posting) -> list[str]:
    """Why ``user`` may not write ``posting`` as it would be saved (a new one, or a stored one
    changed), or ``[]``: the form's question before the save (asked again under the lock by
    :func:`save`)."""

    if not isinstance(posting, Posting) or posting.agency_id is None:
        return []
    if not access.row_in_reach(user, posting, write=True):
        return [_("Bạn không có quyền ghi dữ liệu này.")]
    if posting.civil_servant_id is None or posting.civil_servant.pk is None:
        return []  # a new person has no posting elsewhere
    person = posting.civil_servant
    return posting_reasons(
        user,
        posting,
        stored=Posting.objects.filter(pk=posting.pk).first() if posting.pk else None,
        postings=list(Posting.objects.filter(civil_servant=person).select_related("agency")),
    )


def _postings_of(person_ids) -> dict[int, list]:

    found: dict[int, list] = {}
    postings = Posting.objects.filter(civil_servant_id__in=list(person_ids))
    for posting in postings.select_related("agency", "civil_servant"):
        found.setdefault(posting.civil_servant_id, []).append(posting)
    return found


def _changed_postings(user, before: dict[int, list], after: dict[int, list]) -> list:
    """``[(person id, sentence)]`` for the postings a write added or changed that the posting
    rule refuses (asked against the postings as they were before the write)."""
    problems = []
    for person_id, postings in after.items():
        earlier = before.get(person_id, [])
        by_pk = {posting.pk: posting for posting in earlier}
        for posting in postings:
            old = by_pk.get(posting.pk)
            if old is not None and all(
                getattr(old, name) == getattr(posting, name) for name in POSTING_FIELDS
            ):
                continue
            for reason in posting_reasons(user, posting, stored=old, postings=earlier):
                problems.append((person_id, reason))
    return problems


class BulkRefused(write_gate.Refused):
    """People or postings the writer may not write: ``problems`` lists ``(official id,
    sentence)``; nothing written."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems[0][1])
        self.problems = problems


def save_many(user, official_ids, *, write):
    """Write many people with their postings as ``user`` (the personnel import), all or
    (raising :class:`BulkRefused`) none — the bulk entry point of this service:

    1. a transaction; the people already stored locked (``FOR UPDATE``, id order), their
       records and postings read;
    2. ``write()``: the door's writes through the ORM (history rows, the rescoring a posting
       triggers);
    3. who may, on what was actually written (under the lock, before the transaction ends):
       a record changed only where the writer's agency holds the person now
       (``org.access.editable``: never one's own, not a transferred person's former agency);
       each posting added or changed by :func:`posting_reasons` against the postings as they
       were — the same rule as the admin's form.

    Returns what ``write`` returns. The queries do not grow with the file's rows but with its
    people (one posting check each)."""
    from django.db import transaction

    ids = sorted({code for code in official_ids if code})
    with transaction.atomic():
        people = list(
            CivilServant.objects.select_for_update().filter(official_id__in=ids).order_by("pk")
        )
        records = {
            person.pk: [getattr(person, name) for name in RECORD_FIELDS] for person in people
        }
        before = _postings_of(records)
        matched = _stored_matched_field(records)
        result = write()
        if user is None:
            return result
        after_people = {
            person.pk: person for person in CivilServant.objects.filter(official_id__in=ids)
        }
        problems: list[tuple[str, str]] = []
        changed = [
            pk
            for pk, person in after_people.items()
            if pk in records and [getattr(person, name) for name in RECORD_FIELDS] != records[pk]
        ]
        if changed:
            allowed = set(
                access.editable(user, CivilServant.objects.filter(pk__in=changed)).values_list(
                    "pk", flat=True
                )
            )
            for pk in changed:
                if pk not in allowed:
                    person = after_people[pk]
                    problems.append(
                        (
                            person.official_id,
                            _(
                                "Công chức mã số %(code)s đang thuộc cơ quan khác (hoặc là chính "
                                "bạn): họ tên, ngày sinh, liên hệ do cơ quan đang quản lý người "
                                "này cập nhật. Hãy để nguyên các ô đó như đang lưu."
                            )
                            % {"code": person.official_id},
                        )
                    )
        after = _postings_of(after_people)
        for person_id, reason in _changed_postings(user, before, after):
            problems.append((after_people[person_id].official_id, reason))
        _matched_field_written(user, matched, problems=problems)
        if problems:
            raise BulkRefused(problems)
    return result


def _stored_matched_field(person_ids) -> dict:
    """``{person id: (person, the value of the field single sign-on matches by)}`` as stored
    (nothing without a sign-in guard, ``org.sign_in_guard``)."""

    guard = sign_in_guard.current()
    if guard is None:
        return {}
    field = guard.match_field()
    people = CivilServant.objects.filter(pk__in=[pk for pk in person_ids if pk])
    return {person.pk: (person, getattr(person, field)) for person in people}


def _matched_field_written(user, stored: dict, *, problems=None) -> None:
    """The single sign-on rule (``accounts.sso.matched_field_refusal``) on what a write stored:
    once a person has a sign-in, only Sở Nội vụ changes the field the provider's claim is
    matched with, and that change unlinks the person's single sign-on (logged). A refusal is
    added to ``problems`` (``(official id, sentence)``, the bulk write) or raised."""

    guard = sign_in_guard.current()
    if guard is None or not stored:
        return
    field = guard.match_field()
    after = {p.pk: p for p in CivilServant.objects.filter(pk__in=list(stored))}
    for pk, (before, old) in stored.items():
        person = after.get(pk)
        new = getattr(person, field) if person is not None else old
        if person is None or guard.normalized(field, old) == guard.normalized(field, new):
            continue
        reason = guard.matched_field_refusal(user, before, old, new)
        if reason is not None:
            if problems is None:
                raise write_gate.Refused(reason)
            problems.append((before.official_id, reason))
        elif before.user_id is not None:
            guard.matched_field_changed(user, person, old, new)


def lock(person) -> None:

    if person.pk is not None:
        list(CivilServant.objects.select_for_update().filter(pk=person.pk).values_list("pk"))


def save(user, person, *, action: str = CHANGE, seen: dict | None = None, write=None, children=()):
    """Store ``person`` (and, with the admin form's ``write``, its inline postings) as ``user``
    wrote it: who may and the state seen under the person's lock (``write_gate.run``), then the
    postings the write added or changed asked again (:func:`posting_reasons`) before the
    transaction ends — a refusal undoes the whole save."""

    def default():
        person.full_clean()
        person.save()
        return person

    def guarded():
        before = _postings_of([person.pk]) if person.pk is not None else {}
        stored = _stored_matched_field([person.pk]).get(person.pk) if person.pk else None
        result = (write or default)()
        if user is not None and person.pk is not None:
            problems = _changed_postings(user, before, _postings_of([person.pk]))
            if problems:
                raise write_gate.Refused(" ".join(dict.fromkeys(p[1] for p in problems)))
        if stored is not None:
            _matched_field_written(user, {person.pk: stored})
        return result

    return write_gate.run(
        user,
        action,
        person,
        refusal=refusal,
        lock=lock,
        write=guarded,
        seen=seen,
        children=children or CHILDREN,
    )


def delete(user, person, *, write=None):
    def default():
        person.delete()

    return write_gate.run(user, DELETE, person, refusal=refusal, lock=lock, write=write or default)
