"""Opinions of related bodies on an annual case (issue 45; Gia Lai §IV.4.2.c): the case's
appraiser asks two bodies with deadlines; one answers in time, the other stays silent past its
deadline; both are printed with the case on Form 02. Nobody else asks, nobody answers for
another body, and an answer after the deadline is refused with the reason."""

import datetime
from html import unescape

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ratings.models import RelatedOpinion
from ratings.printing.form02 import build_form02
from ratings.services import related_opinions as service
from tests.ratings.world import reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    person = world.staff("Trần Thị Liên Quan")
    case = world.case_for(person)
    world.self_assess(case)
    world.review(case)
    return reload(case)


def test_two_opinions_one_answered_one_silent_are_printed_on_form02(client, world, case):
    today = timezone.localdate()
    # The appraiser asks the other department through the case's page.
    client.force_login(world.users["quantri"])
    page = reverse("ratings_case_opinions", args=[case.pk])
    response = client.post(
        page,
        {
            "body": world.other_department.pk,
            "question": "Đề nghị cho ý kiến về việc phối hợp trong năm.",
            "deadline": (today + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert "Đã đề nghị" in unescape(response.content.decode()), (
        response.redirect_chain,
        response.status_code,
    )
    answered = RelatedOpinion.objects.get(case=case, body=world.other_department)
    # The second body was asked ten days ago with a deadline already past.
    silent = service.request(
        world.users["quantri"],
        case,
        world.unit2,
        today - datetime.timedelta(days=3),
        "Đề nghị cho ý kiến về tinh thần phối hợp.",
        today=today - datetime.timedelta(days=10),
    )

    # The other department's admin answers in time through its page.
    client.force_login(world.users["quantrikhac"])
    listing = unescape(client.get(reverse("ratings_opinions_asked")).content.decode())
    assert "Đề nghị cho ý kiến về việc phối hợp trong năm." in listing
    client.post(
        reverse("ratings_opinion_answer", args=[answered.pk]),
        {"answer": "Phối hợp tốt, đúng hạn."},
    )
    answered.refresh_from_db()
    assert answered.answer == "Phối hợp tốt, đúng hạn." and answered.answered_at

    # The unit's head is too late: refused with the reason, the silence stays recorded.
    with pytest.raises(ValidationError) as error:
        service.answer(world.users["truongphong2"], silent, "Tốt.")
    assert "Đã quá hạn trả lời" in error.value.messages[0]

    form = build_form02(case)
    section = next(s for s in form.sections if s.number == "IV.1")
    assert section.title == "Ý kiến của cơ quan, tổ chức, đơn vị có liên quan"
    printed = {row.label: row.value for row in section.rows}
    assert printed[world.other_department.name] == (
        f"Phối hợp tốt, đúng hạn. (trả lời ngày {today:%d/%m/%Y})"
    )
    assert printed[world.unit2.name] == (
        f"Không có ý kiến (hết hạn trả lời ngày {today - datetime.timedelta(days=3):%d/%m/%Y})"
    )
    numbers = [s.number for s in form.sections]
    assert numbers.index("IV.1") == numbers.index("IV") + 1
    client.force_login(world.users["quantri"])
    html = unescape(client.get(reverse("ratings_form02", args=[case.pk])).content.decode())
    assert "Không có ý kiến (hết hạn trả lời ngày" in html and "Phối hợp tốt, đúng hạn." in html


def test_only_the_appraiser_asks_and_only_the_body_answers(client, world, case):
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        service.request(world.users["truongphong"], case, world.unit2, deadline, "Ý kiến?")
    with pytest.raises(ValidationError) as error:
        service.request(world.users["quantri"], case, world.unit2, today, "")
    assert set(error.value.message_dict) == {"question", "deadline"}
    opinion = service.request(world.users["quantri"], case, world.unit2, deadline, "Ý kiến?")
    with pytest.raises(PermissionDenied):
        service.answer(world.users["quantrikhac"], opinion, "Tốt.")
    client.force_login(world.users["quantrikhac"])
    answer = reverse("ratings_opinion_answer", args=[opinion.pk])
    assert client.get(answer).status_code in (302, 403)
    client.post(answer, {"answer": "Tốt."})
    opinion.refresh_from_db()
    assert opinion.answered_at is None
    service.answer(world.users["truongphong2"], opinion, "Đơn vị thống nhất.")
    opinion.refresh_from_db()
    assert opinion.answer == "Đơn vị thống nhất."


def test_the_decided_rating_carries_the_opinions_in_the_api(client, world, case):
    """What another system reads of the decided case (``/api/v1/annual-ratings/``): the body
    asked, the question, the deadline, the answer and when it came — or none past the deadline."""
    today = timezone.localdate()
    in_time = today + datetime.timedelta(days=5)
    past = today - datetime.timedelta(days=3)
    asked = service.request(
        world.users["quantri"], case, world.other_department, in_time, "Ý kiến về phối hợp?"
    )
    service.answer(world.users["quantrikhac"], asked, "Phối hợp tốt, đúng hạn.")
    service.request(
        world.users["quantri"],
        case,
        world.unit2,
        past,
        "Ý kiến về tinh thần phối hợp?",
        today=today - datetime.timedelta(days=10),
    )
    world.appraise(reload(case))
    world.decide(reload(case))
    client.force_login(world.users["sonoivu"])
    rows = client.get("/api/v1/annual-ratings/", {"year": 2026}).json()["results"]
    (row,) = [r for r in rows if r["id"] == case.pk]
    assert row["decision_level"] == "good"
    opinions = sorted(row["related_opinions"], key=lambda o: o["deadline"], reverse=True)
    assert [
        (o["body"], o["question"], o["deadline"], o["answer"], o["answered_at"] is None)
        for o in opinions
    ] == [
        (
            world.other_department.code,
            "Ý kiến về phối hợp?",
            in_time.isoformat(),
            "Phối hợp tốt, đúng hạn.",
            False,
        ),
        (world.unit2.code, "Ý kiến về tinh thần phối hợp?", past.isoformat(), "", True),
    ]
