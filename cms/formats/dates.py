"""The one date field of the project: a date typed dd/mm/yyyy is a fact or it is refused.

ux review 2026-11-25 H5: in every admin date field, 31/11/2026 became 01/12/2026 and 15/13/2026
became today. The server never accepted such a date — the admin's date picker (Wagtail's
``AdminDateInput``, jQuery datetimepicker) rewrote the text on blur before it was sent
(``validateOnBlur``: the picker's lenient parse rolls the overflow into the next month, and
replaces what it cannot read with today). So both sides are fixed here:

* :class:`AdminDateInput` is Wagtail's picker with ``validateOnBlur`` off: what the person typed
  stays in the box and is sent as typed; picking from the calendar works as before.
* :class:`DateField` reads the project's formats (``cms/formats``: day first) and refuses, with a
  Vietnamese message naming the date and how to write it, a day that is not in the calendar
  ("Ngày 31/11/2026 không có trong lịch: tháng 11/2026 chỉ có 30 ngày."), a month above 12, or
  text that is not a date. ``not_after_today=True`` also refuses a date still to come: a
  meeting, an appraisal or a decision is a fact, recorded after it happened (ux review B2).

Wagtail's admin forms get both for every model ``DateField`` (:func:`use_in_wagtail_admin_forms`);
hand-written forms declare :class:`DateField` instead of ``django.forms.DateField``.
"""

from __future__ import annotations

import calendar
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateInput as WagtailAdminDateInput

_NUMBERS = re.compile(r"^\s*(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})\s*$")


class AdminDateInput(WagtailAdminDateInput):
    """Wagtail's date picker, which leaves a typed date as typed (the server judges it)."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


def _day_month_year(text: str) -> tuple[int, int, int] | None:
    match = _NUMBERS.match(text)
    if not match:
        return None
    first, second, third = (int(g) for g in match.groups())
    if len(match.group(1)) == 4:  # 2026-11-31 (ISO)
        return third, second, first
    return first, second, third


def calendar_message(text: str) -> str:
    """What is wrong with ``text`` if it is a day or a month that does not exist, else ""."""
    parts = _day_month_year(text)
    if parts is not None:
        day, month, year = parts
        if not 1 <= month <= 12:
            return _(
                "“%(text)s” không phải là ngày: tháng %(month)d không có (tháng từ 1 đến 12). "
                "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/11/2026."
            ) % {"text": text.strip(), "month": month}
        if 1 <= year <= 9999:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                return _(
                    "Ngày %(text)s không có trong lịch: tháng %(month)02d/%(year)d chỉ có "
                    "%(last)d ngày. Hãy kiểm tra lại ngày."
                ) % {"text": text.strip(), "month": month, "year": year, "last": last}
    return ""


def impossible_date_message(text: str) -> str:
    """What is wrong with ``text`` as a date, in Vietnamese."""
    return calendar_message(text) or _(
        "“%(text)s” không phải là ngày. Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/11/2026."
    ) % {"text": text.strip()}


class DateField(forms.DateField):
    """A date typed day first; impossible dates refused with the reason, never rolled over."""

    widget = AdminDateInput

    def __init__(self, *, not_after_today: bool = False, **kwargs):
        self.not_after_today = not_after_today
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if not isinstance(value, str) or not value.strip():
                raise
            # A form's own wording for a date it does not read stands; a day or month that does
            # not exist is always named.
            own = (
                self.error_messages["invalid"] != forms.DateField.default_error_messages["invalid"]
            )
            message = calendar_message(value) if own else impossible_date_message(value)
            if not message:
                raise
            raise forms.ValidationError(message, code="invalid") from error

    def validate(self, value):
        super().validate(value)
        if self.not_after_today and value and value > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Ngày %(day)s chưa đến (hôm nay là %(today)s): chỉ ghi ngày đã diễn ra, "
                    "không ghi trước ngày trong tương lai."
                ),
                code="future",
                params={
                    "day": value.strftime("%d/%m/%Y"),
                    "today": timezone.localdate().strftime("%d/%m/%Y"),
                },
            )


def use_in_wagtail_admin_forms() -> None:
    """Every model ``DateField`` of a Wagtail admin form (snippets, pages, their inline items)
    uses :class:`DateField` with :class:`AdminDateInput` (``DateTimeField`` keeps its own)."""
    from django.db import models

    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(
        models.DateField,
        override={"form_class": DateField, "widget": AdminDateInput},
    )
