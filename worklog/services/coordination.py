"""The one write service for shared tasks and the related units' coordination ratings (issue 33
item 3; ``worklog.CoordinatingUnit``), in the shape of ``scoring.services.general_marks`` and
run by :mod:`org.write_gate`.

Two kinds of write, each with its gate:

* **Sharing** (:func:`share`): the person's evaluator — the one who reviews the line
  (``worklog.access.can_review``: the evaluator of the day whose authority decides the period)
  — names a related unit (đơn vị phối hợp) of the task. Never the unit that carries it (one's
  own unit does not rate its own coordination); never twice.
* **Rating** (:func:`rate`): the leader (cấp trưởng or cấp phó, a posting held today) of a
  unit named on the task rates, once per task and unit, how the person coordinated (5 … 1), with
  an optional comment; a later rating by the same unit replaces it (history keeps both). Refused
  with a sentence: a unit not named on the task, the person's own unit, a user who leads none of
  the named units, the person rating themselves.

Both: the agency of the line's unit, then the line's period, are locked (``input_locks``, the
one lock order); a period that no longer accepts inputs is refused with its own sentence; the
rating compares the row with the snapshot the leader was shown (``cms.seen``; a change made
meanwhile raises ``write_gate.Stale`` naming it — nothing written); the row is saved through the
ORM (``audit`` keeps the change history); a rating asks for the person to be rescored in every
open period containing the line's period (``coordination`` rule of the framework).
"""

from __future__ import annotations

import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from org import write_gate
from org.access import CHANGE, civil_servant_of, posted_agency_ids
from org.models import Agency, AgencyKind, LeadershipRole
from scoring.models import Period
from scoring.models.guards import closed_period_error
from scoring.services import rescoring
from scoring.services.input_locks import lock_inputs
from scoring.services.period_batch import SCORABLE_KINDS
from worklog.access import can_review
from worklog.models import CoordinatingUnit, CoordinationLevel

#: The longest comment kept with a rating.
MAX_COMMENT = 2000


def unit_label(agency: Agency) -> str:
    """The unit's name, with its agency's short name for a unit (phòng) — "Văn phòng" exists
    in every department."""
    if agency.kind == AgencyKind.UNIT and agency.parent_id:
        parent = agency.parent
        if parent is not None:
            return f"{agency.name} ({parent.short_name or parent.name})"
    return agency.name


# --- who leads which unit ------------------------------------------------------------------


def led_unit_ids(user, day: datetime.date) -> set[int]:
    """The agencies (ids) whose head or deputy ``user``'s civil servant is on ``day`` (their
    postings are read once per request: ``org.access.postings_of``)."""
    return posted_agency_ids(user, (LeadershipRole.HEAD, LeadershipRole.DEPUTY), day)


def leads(user, agency_id: int, day: datetime.date) -> bool:
    return agency_id in led_unit_ids(user, day)


# --- messages --------------------------------------------------------------------------------


def not_signed_in_message() -> str:
    return _("Hãy đăng nhập để ghi đánh giá phối hợp.")


def not_assigner_message(line) -> str:
    return _(
        "Chỉ người đánh giá của %(person)s (người giao và nghiệm thu việc này) ghi đơn vị phối hợp."
    ) % {"person": line.civil_servant.full_name}


def own_unit_message(line) -> str:
    return _(
        "%(unit)s là đơn vị của người thực hiện: đơn vị không tự đánh giá việc phối hợp của "
        "chính mình; chỉ các đơn vị phối hợp được ghi trên việc này đánh giá."
    ) % {"unit": unit_label(line.unit)}


def not_related_message(agency) -> str:
    return _(
        "%(unit)s không phải đơn vị phối hợp của việc này: chỉ các đơn vị được người giao việc "
        "ghi là đơn vị phối hợp mới đánh giá."
    ) % {"unit": unit_label(agency)}


def not_leader_message(agency) -> str:
    return _(
        "Chỉ lãnh đạo (cấp trưởng, cấp phó) của %(unit)s đánh giá việc phối hợp thay cho đơn vị "
        "này."
    ) % {"unit": unit_label(agency)}


def own_person_message() -> str:
    return _("Không ai tự đánh giá việc phối hợp của chính mình.")


def already_shared_message(agency) -> str:
    return _("%(unit)s đã là đơn vị phối hợp của việc này.") % {"unit": unit_label(agency)}


# --- the gate --------------------------------------------------------------------------------


def share_refusal(user, line, agency, day: datetime.date) -> str | None:
    """Why ``user`` may not name ``agency`` a related unit of ``line`` on ``day``, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return not_signed_in_message()
    if not can_review(user, line, day):
        return not_assigner_message(line)
    if agency.pk == line.unit_id:
        return own_unit_message(line)
    return None


def rate_refusal(user, row: CoordinatingUnit, day: datetime.date) -> str | None:
    """Why ``user`` may not rate the coordination of ``row``'s task for ``row``'s unit."""
    if user is None or not getattr(user, "is_authenticated", False):
        return not_signed_in_message()
    line = row.line
    me = civil_servant_of(user)
    if me is not None and me.pk == line.civil_servant_id:
        return own_person_message()
    if row.agency_id == line.unit_id:
        return own_unit_message(line)
    if not leads(user, row.agency_id, day):
        return not_leader_message(row.agency)
    return None


def lock(line):
    """The agency owning the line's unit, then the line's period (the one lock order); the
    locked period, refused when it no longer accepts inputs."""
    unit = line.unit
    owner = unit.owning_agency or unit
    locked = lock_inputs([owner.pk], [line.period_id])[line.period_id]
    if not locked.accepts_inputs_for(unit):
        raise write_gate.Refused(" ".join(closed_period_error(locked).messages))
    return locked


def rescore(line) -> None:
    """Ask for the line's person to be rescored in every open period containing its period (a
    month's rating counts in its month, quarter and year)."""
    period = line.period
    for covering in Period.objects.filter(
        start_date__lte=period.start_date, end_date__gte=period.end_date, kind__in=SCORABLE_KINDS
    ):
        if not covering.is_final:
            rescoring.request_rescore(
                covering,
                people=[line.civil_servant_id],
                reason=_("Đánh giá phối hợp của đơn vị phối hợp"),
            )


# --- the writes ------------------------------------------------------------------------------


def share(user, line, agency, *, today: datetime.date | None = None) -> CoordinatingUnit:
    """Name ``agency`` a related unit of ``line``. Raises ``write_gate.Refused``; nothing
    written then."""
    day = today or timezone.localdate()
    row = CoordinatingUnit(line=line, agency=agency, added_by=user)

    def refusal(user, _action, row):
        reason = share_refusal(user, line, agency, day)
        if reason is None and CoordinatingUnit.objects.filter(line=line, agency=agency).exists():
            return already_shared_message(agency)
        return reason

    def write():
        row.save()
        return row

    return write_gate.run(
        user, CHANGE, row, refusal=refusal, lock=lambda _row: lock(line), write=write
    )


def rate(
    user,
    line,
    agency_id: int,
    rating,
    comment: str = "",
    *,
    seen: dict | None = None,
    today: datetime.date | None = None,
) -> CoordinatingUnit:
    """Store the rating (5 … 1) of the unit ``agency_id`` for the coordination on ``line``, as
    ``user`` (its leader) gave it. Raises ``write_gate.Refused``, ``write_gate.Stale`` or
    ``ValidationError`` (field ``rating`` or ``comment``); nothing written then."""
    day = today or timezone.localdate()
    row = (
        CoordinatingUnit.objects.select_related("agency__parent", "line__unit__parent")
        .filter(line=line, agency_id=agency_id)
        .first()
    )
    if row is None:
        agency = Agency.objects.select_related("parent").filter(pk=agency_id).first()
        if agency is not None and agency.pk == line.unit_id:
            raise write_gate.Refused(own_unit_message(line))
        if agency is None:
            raise write_gate.Refused(_("Hãy chọn đơn vị phối hợp."))
        raise write_gate.Refused(not_related_message(agency))
    try:
        level = int(rating)
    except (TypeError, ValueError):
        level = None
    if level not in CoordinationLevel.values:
        raise ValidationError({"rating": _("Hãy chọn một mức đánh giá phối hợp.")})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("Nhận xét tối đa 2.000 ký tự.")})

    def write():
        row.rating = level
        row.comment = comment
        row.rated_by = user
        row.rated_at = timezone.now()
        row.save()
        rescore(line)
        return row

    return write_gate.run(
        user,
        CHANGE,
        row,
        refusal=lambda user, _action, locked: rate_refusal(
            user, cast(CoordinatingUnit, locked), day
        ),
        lock=lambda _row: lock(line),
        write=write,
        seen=seen,
    )


# --- reads -----------------------------------------------------------------------------------


def rows_of(line) -> list[CoordinatingUnit]:
    """The related units of ``line`` with their ratings, by unit name."""
    rows = CoordinatingUnit.objects.filter(line=line).select_related(
        "agency__parent", "rated_by", "added_by"
    )
    return sorted(rows, key=lambda row: unit_label(row.agency))


def shared_with(user, day: datetime.date):
    """The rows naming a unit ``user`` leads on ``day`` (the leader's list to rate)."""
    return (
        CoordinatingUnit.objects.filter(agency_id__in=led_unit_ids(user, day))
        .select_related(
            "agency__parent",
            "line__item",
            "line__period",
            "line__civil_servant",
            "line__unit__parent",
        )
        .order_by("rating", "-line__period__start_date", "line_id")
    )


def ratings_for_scoring(period, people=None) -> dict[int, list[tuple[str, str]]]:
    """The scoring's input (``scoring.services.feeds``): per person, ``(unit, level)`` of every
    rating given on lines of the periods inside ``period`` (a month's line counts in its month,
    its quarter and its year)."""
    rows = CoordinatingUnit.objects.filter(
        rating__isnull=False,
        line__period__start_date__gte=period.start_date,
        line__period__end_date__lte=period.end_date,
    )
    if people is not None:
        rows = rows.filter(line__civil_servant_id__in=people)
    result: dict[int, list[tuple[str, str]]] = {}
    for person, name, kind, parent_short, parent_name, rating in rows.values_list(
        "line__civil_servant_id",
        "agency__name",
        "agency__kind",
        "agency__parent__short_name",
        "agency__parent__name",
        "rating",
    ).order_by("line_id", "agency_id"):
        label = name
        if kind == AgencyKind.UNIT and (parent_short or parent_name):
            label = f"{name} ({parent_short or parent_name})"
        result.setdefault(person, []).append((label, str(rating)))
    return result
