"""The public satisfaction page (issue 33 item 3): a one-time code per completed product or
service, one answer per code, no sign-in, rate-limited; the answers feed the framework's
``feedback.satisfaction_criteria`` and appear in the person's explanation."""

import copy
import datetime

import pytest

from django.core.cache import cache
from django.urls import reverse

from feedback import services, views
from feedback.models import SatisfactionCode
from org.access import CIVIL_SERVANT_GROUP
from scoring.models import CriteriaFramework
from scoring.services import score_person
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

RESULT_DAY = datetime.date(2026, 3, 12)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    world = build_world()
    person = world.person("Trần Thị Hài Lòng")
    world.full_month(person, total=27)
    world.code = services.issue_code(
        person=person,
        agency=world.department,
        subject="Cấp bản sao trích lục hộ tịch",
        completed_on=RESULT_DAY,
    )
    return world


def feed_satisfaction_into_ii4(min_answers="1"):
    """The province lists Form 01's II.4 (attitude towards citizens) as fed by the answers."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["feedback"] = {
        "satisfaction_criteria": ["general.II.4"],
        "min_answers": {"value": min_answers, "confidence": "inferred", "citation": "thử"},
        "citation": "thử",
        "confidence": "inferred",
    }
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def test_a_code_is_answered_once_without_sign_in_and_feeds_the_explanation(client, world):
    code = world.code
    assert len(code.code) == services.CODE_LENGTH
    # Typed from paper: lower case with the printed dash is found.
    typed = services.printed(code.code).lower()
    response = client.post(reverse("feedback:start"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:answer", args=[code.code])
    page = client.get(response["Location"]).content.decode()
    assert "Cấp bản sao trích lục hộ tịch" in page
    assert world.department.name in page
    assert "12/03/2026" in page
    assert "Trần Thị Hài Lòng" not in page  # the civil servant is not named to the public
    assert "Rất hài lòng" in page and "Rất không hài lòng" in page

    url = reverse("feedback:answer", args=[code.code])
    missing = client.post(url, {"comment": "Nhanh"})
    assert missing.status_code == 400
    assert "Hãy chọn một mức hài lòng." in missing.content.decode()
    done = client.post(url, {"rating": "5", "comment": "Nhanh, đúng hẹn"})
    assert done.status_code == 200
    assert "Cảm ơn bạn đã đánh giá" in done.content.decode()
    code.refresh_from_db()
    assert (code.rating, code.comment) == (5, "Nhanh, đúng hẹn")
    answered_at = code.answered_at

    again = client.post(url, {"rating": "1"})
    assert again.status_code == 409
    assert "Mã phản hồi này đã được sử dụng. Mỗi mã chỉ trả lời được một lần." in (
        again.content.decode()
    )
    code.refresh_from_db()
    assert (code.rating, code.answered_at) == (5, answered_at)
    with pytest.raises(services.FeedbackError):
        services.answer(code.code, rating=1)

    feed_satisfaction_into_ii4()
    person = world.people["Trần Thị Hài Lòng"]
    score = score_person(person, world.period)
    own = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    person.user = own
    person.save()
    client.force_login(own)
    html = client.get(reverse("scoring_explain", args=[score.pk])).content.decode()
    assert (
        "Mức độ hài lòng của người dân, doanh nghiệp: 1 ý kiến, bình quân 100,00% → điểm tiêu "
        "chí general.II.4 = 2,50." in html
    )


def test_below_the_minimum_the_evaluator_mark_stands_and_the_count_is_not_shown(client, world):
    services.answer(world.code.code, rating=5)
    feed_satisfaction_into_ii4(min_answers="5")
    person = world.people["Trần Thị Hài Lòng"]
    score = score_person(person, world.period)
    steps = score.explanation["steps"]
    below = next(s for s in steps if s["code"] == "satisfaction_below_min")
    assert below == {
        "code": "satisfaction_below_min",
        "criteria": ["general.II.4"],
        "min_answers": 5,
        "reading": "evaluator_mark",
    }


def test_an_unknown_code_is_named_and_attempts_are_limited(client, world, monkeypatch):
    response = client.post(reverse("feedback:start"), {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 404
    assert "Không tìm thấy mã phản hồi này" in response.content.decode()
    monkeypatch.setattr(views, "RATE_LIMIT", 2)
    client.post(reverse("feedback:start"), {"code": "ZZZZ-ZZZY"})
    limited = client.post(reverse("feedback:start"), {"code": world.code.code})
    assert limited.status_code == 429
    assert "Bạn đã thử quá nhiều lần. Hãy đợi 10 phút" in limited.content.decode()
    assert limited["Retry-After"] == "600"
    assert SatisfactionCode.objects.get(pk=world.code.pk).answered_at is None


def test_the_start_page_explains_what_to_type(client):
    html = client.get(reverse("feedback:start")).content.decode()
    assert "Nhập mã phản hồi in trên phiếu trả kết quả" in html
    assert 'name="viewport"' in html
