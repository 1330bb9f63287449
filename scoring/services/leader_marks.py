"""The one write service for a leader's criteria đ and e (Decree 335 Art. 15 cl. 3 đ, e;
``scoring.LeaderMark``), called by every door: Form 01, the write API and the general-marks
Excel kind (its mapping of fields), all through :func:`save`; the model has no admin form and
its ``clean`` asks no framework (the models import no service).

It holds, in one place:

* **what may be stored**: the person leads in the period — the role of the posting that
  governs it (``scoring.services.postings.governing_row``: the posting held on the period's last
  day, the rule the scorer uses) is a leader role of the framework in force for them; đ and e
  come together; each is one of the framework's levels. One message per refusal, the same at
  every door (:func:`not_leader_message`, :func:`pair_message`, :func:`level_message`).
* **the state the writer saw**: :func:`save` compares the version of the stored mark
  (``cms.seen.version``) with the one the writer was shown; a change made meanwhile raises
  :class:`StaleMark` with the stored values — nothing written.
* **history and rescoring**: the mark is saved through the ORM, so the change history records
  it and the period's rescoring is queued like for every other input; the agency and period are
  locked first (``scoring.services.input_locks``, the one lock order).

*Who* may write stays with each door's own gate (the evaluator of the day on Form 01, the
token's subtrees on the API, ``org.access`` reach in the admin): those differ by door on
purpose; what is written, on what state, is decided here.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms import seen
from org.models import Agency
from scoring.models import LeaderMark
from scoring.models.guards import closed_period_error
from scoring.services.input_locks import lock_inputs
from scoring.services.postings import framework_for_person, governing_row_in

#: LeaderMark field → the framework's leader-criterion code (d is computed, never entered).
FIELDS = {"organising": "dd", "cohesion": "e"}


def not_leader_message() -> str:
    return _("Công chức này không giữ chức vụ lãnh đạo, quản lý trong kỳ: không có tiêu chí đ, e.")


def pair_message() -> str:
    return _("Tiêu chí đ và e của người lãnh đạo, quản lý phải được chọn cùng lúc.")


def no_framework_message() -> str:
    return _("Chưa xác định được khung đánh giá áp dụng cho công chức này.")


def level_message(allowed) -> str:
    """ "Giá trị phải là một trong các mức: 100, 50." (levels with the decimal comma)."""
    return _("Giá trị phải là một trong các mức: %(levels)s.") % {
        "levels": ", ".join(
            f"{Decimal(level).normalize():f}".replace(".", ",") for level in allowed
        )
    }


class PeriodNotOpen(ValidationError):
    """The period no longer accepts inputs (its own message): nothing written."""


class StaleMark(Exception):
    """The stored mark changed since the writer saw it (or was removed): nothing written."""

    def __init__(self, mark, seen_version: str | None):
        super().__init__("stale leader mark")
        self.mark = mark
        self.seen_version = seen_version


def rules_for(person, period):
    resolved = framework_for_person(person, period)
    return resolved.rules if resolved is not None else None


def governing(person, period):
    return governing_row_in(person.pk, period)


def leads_in(person, period, rules=None) -> bool:
    """Whether ``person`` leads in ``period`` (their governing posting's role is a leader role
    of the framework): the one answer Form 01, the API, the admin and the scorer share."""
    rules = rules if rules is not None else rules_for(person, period)
    posting = governing(person, period)
    return rules is not None and posting is not None and rules.is_leader_role(posting.role)


def allowed_levels(rules) -> dict[str, list[Decimal]]:
    """LeaderMark field → the framework's levels (fields whose criterion it lacks left out)."""
    levels = {}
    for field, code in FIELDS.items():
        try:
            levels[field] = list(rules.leader_criterion(code).allowed_percents)
        except KeyError:
            continue
    return levels


def errors_for(person, period, values: dict) -> dict[str, list[str]]:
    """The refusals for storing ``values`` ({field: Decimal or None}) as ``person``'s đ/e in
    ``period``, by field (``civil_servant`` for "not a leader", ``__all__`` for the pair)."""
    rules = rules_for(person, period)
    if rules is None:
        return {"civil_servant": [no_framework_message()]}
    if not leads_in(person, period, rules):
        return {"civil_servant": [not_leader_message()]}
    if any(v is None for v in values.values()) and any(v is not None for v in values.values()):
        return {"__all__": [pair_message()]}
    errors = {}
    for field, allowed in allowed_levels(rules).items():
        value = values.get(field)
        if value is not None and Decimal(value) not in allowed:
            errors[field] = [level_message(allowed)]
    return errors


def validate(person, period, values: dict) -> None:
    errors = errors_for(person, period, values)
    if errors:
        raise ValidationError(errors)


def mark_version(mark) -> str:

    return seen.version(mark)


def save(
    person,
    period,
    values: dict,
    *,
    evaluator=None,
    seen_version: str | None = None,
    check_seen: bool = False,
):
    """Store ``values`` ({"organising": Decimal, "cohesion": Decimal}) as ``person``'s đ/e in
    ``period``; returns ``(mark, "created" | "updated" | "unchanged")``.

    With ``check_seen``, a stored mark whose version is not ``seen_version`` (or a mark
    removed since, when ``seen_version`` is given) raises :class:`StaleMark`. Raises
    ``ValidationError`` with the messages above, and the period's own message when it no
    longer accepts inputs. Nothing is written on any refusal."""
    validate(person, period, values)
    posting = governing(person, period)
    agency = Agency.objects.get(pk=posting.agency_id)
    owner = agency.owning_agency or agency
    with transaction.atomic():
        locked = lock_inputs([owner.pk], [period.pk])[period.pk]
        if not locked.accepts_inputs_for(agency):
            raise PeriodNotOpen(closed_period_error(locked).messages)
        mark = (
            LeaderMark.objects.select_for_update()
            .filter(civil_servant=person, period=locked)
            .first()
        )
        if mark is not None and all(getattr(mark, f) == v for f, v in values.items()):
            return mark, "unchanged"
        if check_seen and (
            (mark is None and seen_version)
            or (mark is not None and seen_version != mark_version(mark))
        ):
            raise StaleMark(mark, seen_version)
        status = "created" if mark is None else "updated"
        mark = mark or LeaderMark(civil_servant=person, period=locked)
        for field, value in values.items():
            setattr(mark, field, value)
        mark.evaluator = evaluator
        mark.full_clean()
        mark.save()
    return mark, status
