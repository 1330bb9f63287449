"""The one write service for the facts of a year that force "not completed" (Decree 335
Art. 20 cl. 4: a reprimand or heavier discipline, …; ``scoring.Disqualification``), run by
:mod:`org.write_gate`.

It holds, in one place:

* **who may** (:func:`refusal`, asked again under the lock): ``org.access.refusal`` — the model
  permission of a role, the row's reach **by its year** (the person posted in the writer's
  subtrees during that year), never one's own record (nobody changes the inputs of their own
  score) — and the write guard :func:`guard`: a fact **Sở Nội vụ recorded** is changed or
  removed by Sở Nội vụ only, never by an agency (its creator is read from the row's change
  history, ``audit.history``);
* **the state the writer saw**: the stored row's snapshot (``cms.seen``) compared under its
  lock; a change made meanwhile raises ``org.write_gate.Stale`` naming each field, nothing
  written;
* **the lock**: the person's row (``FOR NO KEY UPDATE``), so two writers of one person's year
  run one after the other;
* **history and rescoring**: saved through the ORM — the change history records it and the
  person's annual scores are marked stale at once and rescored (``scoring.signals``).

Doors: the admin forms (add, edit, delete, bulk delete: ``org.admin_scope`` through
``policy.WRITE_SERVICES``; the form's ``clean`` asks :func:`kind_error`,
``scoring.views.forms.DisqualificationForm``; the bulk delete asks :func:`refusal` for each row
through ``org.access.may``, the guard through ``policy.WRITE_GUARDS``). No Excel kind, API or form
writes disqualifications.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.history import history_model
from cms.form_errors import check_all
from org import access, write_gate
from org.access import CHANGE, DELETE, is_home_affairs
from org.models import CivilServant
from scoring.services.frameworks import known_disqualifier_codes


def kind_error(kind: str) -> str | None:
    """Why ``kind`` is not a disqualifier code of the live frameworks, or None (no live
    framework names any: every code is taken)."""
    if not kind:
        return None
    codes = known_disqualifier_codes()
    if codes and kind not in codes:
        return _("Mã không có trong khung đánh giá. Các mã hợp lệ: %(codes)s.") % {
            "codes": ", ".join(sorted(codes))
        }
    return None


def check(row) -> None:
    """The row's code is a disqualifier of the live frameworks; raises ``ValidationError``."""
    error = kind_error(row.kind)
    if error is not None:
        raise ValidationError({"kind": error})


def recorded_by_home_affairs_message() -> str:
    return _(
        "Trường hợp này do Sở Nội vụ ghi nhận; cơ quan không sửa, không xoá được. Nếu cần điều "
        "chỉnh, hãy đề nghị Sở Nội vụ (kèm quyết định, kết luận mới)."
    )


def recorded_by_home_affairs(row) -> bool:
    """Whether the stored ``row`` was added by Sở Nội vụ (or a superuser), by its history."""
    from django.contrib.auth import get_user_model

    if row.pk is None:
        return False
    creator = (
        history_model(type(row))
        .objects.filter(id=row.pk, history_type="+")
        .values_list("history_user_id", flat=True)
        .first()
    )
    if creator is None:
        return False
    user = get_user_model().objects.filter(pk=creator).first()
    return user is not None and is_home_affairs(user)


def guard(user, action: str, row) -> str | None:
    """The write guard of ``policy.WRITE_GUARDS`` (every door, the bulk delete included)."""
    if action in (CHANGE, DELETE) and not is_home_affairs(user) and recorded_by_home_affairs(row):
        return recorded_by_home_affairs_message()
    return None


def refusal(user, action: str, row) -> str | None:
    return access.refusal(user, action, row)


def lock(row) -> None:

    if row.civil_servant_id:
        list(
            CivilServant.objects.select_for_update(no_key=True)
            .filter(pk=row.civil_servant_id)
            .values_list("pk", flat=True)
        )


_save, delete = write_gate.row_service(refusal, lock)


def save(user, row, *, action: str = CHANGE, seen: dict | None = None, write=None, children=()):
    """``write_gate``'s save of the row (who may, the lock, the state seen); written as it
    stands after :func:`check` and ``full_clean``, or by the door's ``write`` (the admin form,
    whose ``clean`` asked :func:`kind_error`)."""

    def default():
        check_all(row.full_clean, lambda: check(row))
        row.save()
        return row

    return _save(user, row, action=action, seen=seen, write=write or default, children=children)
