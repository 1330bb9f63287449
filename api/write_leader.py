"""Leader criteria đ and e from an integration system (Decree 335 Art. 15 cl. 3 đ, e;
issue 13 item 1): the third door next to Form 01 and the general-marks Excel template.

A system with the right to write sends, for one leader and one period, the levels its evaluator
chose. The same rules as on Form 01 apply: the person must lead in the period (their governing
posting's role is a leader role of the framework in force for them), đ and e come together,
each is one of the framework's levels, the period is open — all decided by the one leader-mark
service, ``scoring.services.leader_marks`` — and the person's agency is within the token's
scope (this door's own "who may"). The mark is saved by that service (change history,
background rescoring, the version the system saw).
"""

from __future__ import annotations

import contextlib

from rest_framework import exceptions

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from cms import seen
from org.models import Agency, CivilServant
from scoring.models import LeaderMark, Period
from scoring.services import leader_marks
from scoring.services.postings import governing_row_in

from .write import OutOfScope, PeriodClosed, StaleWrite, VersionRequired


def current_mark(mark) -> dict:
    return {
        "period": mark.period.code,
        "official_id": mark.civil_servant.official_id,
        "organising": float(mark.organising) if mark.organising is not None else None,
        "cohesion": float(mark.cohesion) if mark.cohesion is not None else None,
        "version": seen.version(mark),
    }


def save_leader_mark(principal, data) -> tuple[LeaderMark, str]:
    """Check the well-shaped ``data`` (the request serializer's clean data: period, official_id,
    organising, cohesion as ``Decimal``, an optional ``version``) and store; returns the mark
    and ``created``/``updated``/``unchanged``. Raises ``ValidationError`` (400),
    ``OutOfScope`` (403), ``PeriodClosed`` (409), ``StaleWrite`` (412) or
    ``VersionRequired`` (428): changing a stored mark needs the version the system saw."""
    period = None
    with contextlib.suppress(ValueError, TypeError):
        period = Period.from_code(str(data["period"]))
    if period is None:
        raise exceptions.ValidationError({"period": [_("Không có kỳ đánh giá với mã này.")]})
    person = CivilServant.objects.filter(official_id=str(data["official_id"])).first()
    posting = governing_row_in(person.pk, period) if person else None
    if posting is None:
        raise exceptions.ValidationError(
            {"official_id": [_("Không có công chức mã số này công tác trong kỳ.")]}
        )
    agency = Agency.objects.get(pk=posting.agency_id)
    roots = principal.scope_paths if principal.system.can_write else []
    if not any(agency.path.startswith(root) for root in roots):
        raise OutOfScope(
            _(
                "Hệ thống tích hợp “%(system)s” không được phép ghi dữ liệu của %(agency)s. "
                "Không có gì được ghi."
            )
            % {"system": principal.system.name, "agency": agency.name},
            {"official_id": [_("Ngoài phạm vi được cấp.")]},
        )
    # What may be stored, on what state, with its history and rescoring: the one leader-mark
    # service (scoring.services.leader_marks), as Form 01 and the admin.
    values = {field: data[field] for field in leader_marks.FIELDS}
    errors = leader_marks.errors_for(person, period, values)
    if errors:
        if "civil_servant" in errors:  # "not a leader", "no framework": the request's person
            errors["official_id"] = errors.pop("civil_servant")
        raise exceptions.ValidationError(errors)
    try:
        # evaluator: chosen in the sending system; the change history says which.
        return leader_marks.save(
            person,
            period,
            values,
            evaluator=None,
            seen_version=data.get("version") or None,
            check_seen=True,
        )
    except leader_marks.PeriodNotOpen as exc:
        message = exc.messages[0]
        raise PeriodClosed(
            _("%(reason)s Không có gì được ghi.") % {"reason": message}, {"period": [message]}
        ) from exc
    except leader_marks.StaleMark as exc:
        _check_version(exc.mark, exc.seen_version)
        raise
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(exc.message_dict) from exc


def _check_version(mark, sent: str | None) -> None:
    """A change to a stored mark must name the version the system saw (nothing is lost)."""
    if mark is None:
        if sent:
            raise StaleWrite(
                _("Mức đ, e này đã bị xoá sau lần hệ thống đọc nó. Không có gì được ghi."),
                {"version": [_("Gửi lại không kèm version để tạo mới.")]},
                {"__all__": None},
            )
        return
    current = current_mark(mark)
    if not sent:
        raise VersionRequired(
            _(
                "Công chức này đã có mức đ, e trong kỳ: muốn thay đổi, hãy gửi kèm version "
                "(hoặc header If-Match). Không có gì được ghi."
            ),
            {"version": [_("Thiếu version (hiện tại: %(v)s).") % {"v": current["version"]}]},
            {"__all__": current},
        )
    if sent != current["version"]:
        raise StaleWrite(
            _(
                "Mức đ, e đã được thay đổi sau lần hệ thống đọc nó (đang lưu: đ %(dd)s %%, e "
                "%(e)s %%). Hãy xem lại rồi gửi kèm version mới nếu vẫn muốn ghi đè. Không có "
                "gì được ghi."
            )
            % {"dd": f"{mark.organising.normalize():f}", "e": f"{mark.cohesion.normalize():f}"},
            {"version": [_("Không còn là version đang lưu (%(v)s).") % {"v": current["version"]}]},
            {"__all__": current},
        )
