"""Leader criteria đ and e from an integration system (Decree 335 Art. 15 cl. 3 đ, e;
issue 13 item 1): the third door next to Form 01 and the general-marks Excel template.

A system with the right to write sends, for one leader and one period, the levels its evaluator
chose. The same rules as on Form 01 apply: the person must lead in the period (their governing
posting's role is a leader role of the framework in force for them), đ and e come together,
each is one of the framework's levels, the period is open, and the person's agency is within the
token's scope. The mark is saved through the ORM (change history, background rescoring).
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions

from cms import seen
from org.models import Agency, CivilServant
from scoring.models import LeaderMark, Period
from scoring.models.guards import closed_period_error
from scoring.services.frameworks import framework_for_agency
from scoring.services.input_locks import lock_inputs
from scoring.services.postings import governing_row

from .write import OutOfScope, PeriodClosed, StaleWrite, VersionRequired

#: Request field → (LeaderMark field, framework criterion code).
FIELDS = {"organising": ("organising", "dd"), "cohesion": ("cohesion", "e")}


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
    errors = {}
    period = None
    with contextlib.suppress(ValueError, TypeError):
        period = Period.from_code(str(data["period"]))
    if period is None:
        raise exceptions.ValidationError({"period": [_("Không có kỳ đánh giá với mã này.")]})
    person = CivilServant.objects.filter(official_id=str(data["official_id"])).first()
    posting = governing_row(person.pk, period.start_date, period.end_date) if person else None
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
    resolved = framework_for_agency(agency, period)
    if resolved is None:
        raise exceptions.ValidationError(
            {"official_id": [_("Chưa xác định được khung đánh giá áp dụng cho công chức này.")]}
        )
    rules = resolved.rules
    if not rules.is_leader_role(posting.role):
        raise exceptions.ValidationError(
            {
                "official_id": [
                    _(
                        "Công chức này không giữ chức vụ lãnh đạo, quản lý trong kỳ: không có "
                        "tiêu chí đ, e."
                    )
                ]
            }
        )
    values = {}
    for key, (field, code) in FIELDS.items():
        allowed = rules.leader_criterion(code).allowed_percents
        value = data[key]
        if value not in allowed:
            errors[key] = [
                _("Giá trị phải là một trong các mức: %(levels)s.")
                % {"levels": ", ".join(f"{level.normalize():f}" for level in allowed)}
            ]
        else:
            values[field] = value
    if errors:
        raise exceptions.ValidationError(errors)
    with transaction.atomic():
        # The agency, then the period: the order every door writing inputs takes.
        owner = agency.owning_agency or agency  # the agency an Excel file of the mark names
        locked = lock_inputs([owner.pk], [period.pk])[period.pk]
        if not locked.accepts_inputs:
            message = closed_period_error(locked).messages[0]
            raise PeriodClosed(
                _("%(reason)s Không có gì được ghi.") % {"reason": message},
                {"period": [message]},
            )
        mark = (
            LeaderMark.objects.select_for_update()
            .filter(civil_servant=person, period=locked)
            .first()
        )
        if mark is not None and all(getattr(mark, f) == v for f, v in values.items()):
            return mark, "unchanged"
        _check_version(mark, data.get("version") or None)
        status = "created" if mark is None else "updated"
        mark = mark or LeaderMark(civil_servant=person, period=locked)
        for field, value in values.items():
            setattr(mark, field, value)
        mark.evaluator = None  # chosen in the sending system; the change history says which
        try:
            mark.full_clean()
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        mark.save()
    return mark, status


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
