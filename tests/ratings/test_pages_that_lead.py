"""Review 2026-11-25, pages that lead (ux M1, M4, M5, L6, L7): the error said at the top of the
page, a refusal that names a step that exists, a trial that opens on a month with results, no
checksum on the import page."""

import datetime
import re

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ratings.services import period_complaints as service
from scoring.models import PeriodScore, PeriodStatus
from scoring.services import score_person
from tests.ratings.test_period_complaints import _file, setup  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _banner(html: str) -> str:
    found = re.search(r'<li class="[^"]*\berror\b[^"]*"[^>]*>(.*?)</li>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def test_an_empty_complaint_is_said_at_the_top(client, setup):  # noqa: F811
    """ux M4: the only error sat under the textarea, one screen down, with no banner."""
    _world, person, _head, score, _line, _outsider, _home = setup
    score = score_person(person, score.period, force=True)
    PeriodScore.objects.filter(pk=score.pk).update(computed_at=timezone.now())
    client.force_login(person.user)
    response = client.post(reverse("ratings_period_complaint_file", args=[score.pk]), {"text": ""})
    assert response.status_code == 400
    banner = _banner(response.content.decode())
    assert banner.startswith("Chưa lưu được. Hãy sửa rồi gửi lại: Nội dung, lý do kiến nghị")


def test_a_closed_month_refusal_names_the_reopen_page(setup):  # noqa: F811
    """ux M5: "…đề nghị Sở Nội vụ mở lại kỳ (sửa trạng thái của kỳ)…" — that step no longer
    exists; and "Kỳ Tháng 02/2026 đã khóa sổ (Đã khóa sổ)"."""
    world, person, head, score, line, _outsider, _home = setup
    complaint = _file(person, score)
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    with pytest.raises(ValidationError) as refused:
        service.answer(
            head.user,
            complaint,
            upheld=True,
            text="Đúng",
            corrections=service.Corrections(line=line, completed_quantity=2),
        )
    text = " ".join(refused.value.messages)
    assert "sửa trạng thái" not in text and "(Đã khóa sổ)" not in text
    assert "“Mở lại…”" in text and "Kỳ đánh giá" in text


def test_the_trial_opens_on_a_month_with_results(client):
    """ux M1: the trial's period select started at the newest (future, empty) month."""
    from org.access import HOME_AFFAIRS_GROUP
    from scoring.models import CriteriaFramework, Period
    from tests.factories import UserFactory
    from tests.scoring.helpers import build_world

    world = build_world()
    person = world.person("Trần Thị Thử")
    world.full_month(person)
    score_person(person, world.period)
    future = timezone.localdate() + datetime.timedelta(days=70)
    Period.for_date(future, create=True)
    client.force_login(UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP]))
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    page = client.get(reverse("scoring_framework_editor", args=[framework.pk])).content.decode()
    chosen = re.search(r'<option value="(\d+)" selected>([^<]*)<', page)
    assert chosen and chosen.group(2) == str(world.period)
