"""Issue 42 item 6 (ux review 2026-11-25 B2, H5): a date is a fact. Every form and admin date
field refuses an impossible date with a Vietnamese message naming it (never rolled over to
another date or to today); a meeting or a decision is never dated in the future, and a decision
never before its meeting."""

import datetime

import pytest

from django.utils import timezone

from cms.formats.dates import AdminDateInput, DateField

pytestmark = pytest.mark.django_db


def _errors(field, value):
    try:
        field.clean(value)
    except Exception as error:  # noqa: BLE001 - ValidationError
        return " ".join(error.messages)
    return ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/11/2026", "Ngày 31/11/2026 không có trong lịch: tháng 11/2026 chỉ có 30 ngày."),
        ("29/02/2026", "Ngày 29/02/2026 không có trong lịch: tháng 02/2026 chỉ có 28 ngày."),
        ("30/02/2027", "Ngày 30/02/2027 không có trong lịch: tháng 02/2027 chỉ có 28 ngày."),
        ("15/13/2026", "“15/13/2026” không phải là ngày: tháng 13 không có (tháng từ 1 đến 12)."),
        ("2026-11-31", "Ngày 2026-11-31 không có trong lịch: tháng 11/2026 chỉ có 30 ngày."),
        ("hôm qua", "“hôm qua” không phải là ngày. Nhập ngày theo dạng ngày/tháng/năm"),
    ],
)
def test_an_impossible_date_is_refused_with_the_reason(typed, message):
    assert message in _errors(DateField(), typed)


def test_real_dates_are_read_day_first():
    field = DateField()
    assert field.clean("29/02/2028") == datetime.date(2028, 2, 29)
    assert field.clean("01/10/2026") == datetime.date(2026, 10, 1)
    assert field.clean("2026-10-01") == datetime.date(2026, 10, 1)


def test_a_date_still_to_come_is_refused_where_it_must_be_a_fact():
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    field = DateField(not_after_today=True)
    assert field.clean(today.strftime("%d/%m/%Y")) == today
    assert f"Ngày {tomorrow:%d/%m/%Y} chưa đến (hôm nay là {today:%d/%m/%Y})" in _errors(
        field, tomorrow.strftime("%d/%m/%Y")
    )
    # A deadline may be in the future.
    assert DateField().clean(tomorrow.strftime("%d/%m/%Y")) == tomorrow


def test_the_admin_date_picker_leaves_a_typed_date_as_typed():
    assert AdminDateInput().get_config()["validateOnBlur"] is False


def test_every_wagtail_admin_form_uses_the_project_date_field():
    from wagtail.admin.forms.models import formfield_for_dbfield

    from org_scoring.models import OrganisationTask

    field = formfield_for_dbfield(OrganisationTask._meta.get_field("deadline"))
    assert isinstance(field, DateField) and isinstance(field.widget, AdminDateInput)
    assert "tháng 11/2026 chỉ có 30 ngày" in _errors(field, "31/11/2026")
    # A date-and-time field keeps Wagtail's own.
    from django.db import models

    assert not isinstance(formfield_for_dbfield(models.DateTimeField()), DateField)


def test_every_hand_written_form_date_field_is_the_project_one():
    """No form of the project declares Django's bare DateField (grep of the class)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and "migrations" not in path.parts
        and "forms.DateField(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# --- the rating chain (ux review B2) ------------------------------------------------------


def test_a_meeting_in_the_future_is_refused():
    from ratings.forms import ReviewForm

    later = timezone.localdate() + datetime.timedelta(days=35)
    form = ReviewForm(
        data={"meeting_date": later.isoformat(), "meeting_comments": "Thống nhất."}, case=None
    )
    assert not form.is_valid()
    assert "chưa đến" in " ".join(form.errors["meeting_date"])


def test_a_decision_in_the_future_or_before_its_meeting_is_refused():
    from ratings.forms import DecideForm
    from ratings.models import RatingCase

    today = timezone.localdate()
    case = RatingCase(meeting_date=today - datetime.timedelta(days=2))
    data = {"decision_level": "good", "decision_ref": "15/QĐ"}

    future = DecideForm(data={**data, "decision_date": "31/12/2099"}, case=case)
    assert not future.is_valid()
    assert "Ngày 31/12/2099 chưa đến" in " ".join(future.errors["decision_date"])

    before = today - datetime.timedelta(days=5)
    early = DecideForm(data={**data, "decision_date": before.strftime("%d/%m/%Y")}, case=case)
    assert not early.is_valid()
    assert (
        f"Ngày quyết định {before:%d/%m/%Y} trước ngày họp nhận xét, đánh giá "
        f"{case.meeting_date:%d/%m/%Y}" in " ".join(early.errors["decision_date"])
    )

    ok = DecideForm(data={**data, "decision_date": today.strftime("%d/%m/%Y")}, case=case)
    assert ok.is_valid(), ok.errors


def test_a_satisfaction_code_for_a_result_not_yet_returned_is_refused():
    from feedback.admin_views import IssueForm

    later = timezone.localdate() + datetime.timedelta(days=46)
    form = IssueForm(
        data={
            "official_id": "CC001",
            "subject": "Cấp giấy phép",
            "completed_on": later.strftime("%d/%m/%Y"),
        }
    )
    assert not form.is_valid()
    assert "chưa đến" in " ".join(form.errors["completed_on"])
