"""Review 2026-11-25 (ux M2, M3, L1, L2, L5): nothing raw or foreign on screen — states and
codes in words, decimal commas, scores with their places, Vietnamese messages without a space
before the full stop."""

import re
from decimal import Decimal

import pytest

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils import translation

from tests.support.test_support import _raise, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_support_history_says_each_state_in_words(client, world):  # noqa: F811
    """ux M2, coverage L2: "Nguyễn Văn Vũ: open", "…: answered"."""
    row = _raise(world)
    client.force_login(world["home"])
    client.post(reverse("support_request", args=[row.pk]), {"action": "answer", "text": "Đã sửa."})
    page = _text(client.get(reverse("support_request", args=[row.pk])).content.decode())
    history = page.split("Lịch sử xử lý", 1)[1]
    assert "Nguyễn Văn An: Chờ trả lời" in history
    assert ": Đã trả lời — Đã sửa." in history
    assert not re.search(r": (open|answered|converted|closed)\b", history)


def test_a_limit_message_has_no_space_before_the_full_stop():
    """ux L1: "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 100 ." (Django's catalogue)."""

    class Progress(forms.Form):
        percent = forms.IntegerField(validators=[MinValueValidator(0), MaxValueValidator(100)])

    with translation.override("vi"):
        high = Progress({"percent": 150})
        low = Progress({"percent": -5})
        assert not high.is_valid() and not low.is_valid()
        messages = [*high.errors["percent"], *low.errors["percent"]]
    assert messages == ["Giá trị phải nhỏ hơn hoặc bằng 100.", "Giá trị phải lớn hơn hoặc bằng 0."]
    assert not any(" ." in m for m in messages)


def test_the_outlier_note_writes_its_limit_with_a_decimal_comma():
    """ux L2: "từ 0.2 trở lên" next to "0,05" on "Thống kê, giám sát"."""
    from dashboards.admin_tables import outliers_table

    with translation.override("vi"):
        note = outliers_table(None, {}, None, None).note
    assert "từ 0,2 trở lên" in note and "0.2" not in note


def test_a_score_column_keeps_its_places():
    """ux L5: "Điểm năm 94,4" in "Kết quả xếp loại năm" against "94,40" everywhere else."""
    from cms.listing import ShownColumn
    from scoring.models import AnnualScore

    column = ShownColumn("score")
    assert column.get_value(AnnualScore(score=Decimal("94.40"))) == "94,40"


def test_choice_columns_read_their_labels():
    from cms.listing import ShownColumn
    from support.models import SupportRequest

    assert ShownColumn("status").get_value(SupportRequest(status="answered")) == "Đã trả lời"


def test_the_citizen_reads_the_unit_with_its_agency(client):
    """ux M8, coverage L6: "Cơ quan: Văn phòng Sở" — which Sở was not said."""
    from django.core.cache import cache

    from feedback import services
    from tests.scoring.helpers import build_world

    cache.clear()
    place = build_world()
    person = place.person("Trần Thị Hài Lòng")
    place.full_month(person, total=27)
    code = services.issue_code(
        person=person, agency=place.unit, subject="Cấp bản sao", completed_on=place.period.end_date
    )
    page = client.get(reverse("feedback:answer", args=[code.code])).content.decode()
    agency = re.search(r'id="feedback-agency">([^<]*)<', page).group(1)
    assert agency == f"{place.unit.name} — {place.department.name}"


def test_a_disqualification_reads_as_the_case_not_its_code():
    """ux M3: "discipline_reprimand_or_heavier" in "Trường hợp không hoàn thành"."""
    from scoring.models import Disqualification
    from scoring.viewsets import DisqualificationViewSet

    column = next(
        c for c in DisqualificationViewSet.list_display if getattr(c, "name", None) == "kind"
    )
    row = Disqualification(kind="discipline_reprimand_or_heavier")
    value = column.get_cell_context_data(row, {"request": None, "row": None, "table": None})[
        "value"
    ]
    assert "_" not in value and "khiển trách" in value


def test_a_citizens_answer_is_rescored_for_a_reason_in_words():
    """ux M3: the reason "satisfaction_answer" in "Tính điểm tự động"."""
    import inspect

    from feedback import services

    assert '"satisfaction_answer"' not in inspect.getsource(services)


def test_a_support_request_without_a_title_is_said_at_the_top(client, world):  # noqa: F811
    """ux M4: the support form had no banner either."""
    client.force_login(world["person"])
    response = client.post(
        reverse("support_raise"),
        {"agency": world["justice"].pk, "kind": "difficulty", "category": "software"},
    )
    assert response.status_code == 400
    found = re.search(
        r'<li class="[^"]*\berror\b[^"]*"[^>]*>(.*?)</li>', response.content.decode(), re.S
    )
    assert found and "Chưa lưu được. Hãy sửa rồi gửi lại:" in found.group(1)
