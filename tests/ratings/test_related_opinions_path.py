"""The related bodies' opinions walked as users, through the pages only (issue 45 item 4,
coverage F2; Gia Lai §IV.4.2.c): the appraiser asks two bodies with deadlines, each body is
told by e-mail, one answers in time, the other's deadline passes; the case page, the printed
Form 02 and its .xlsx show both, the answer in time and the silence, in part IV before the
appraisal; the late body's page says it can no longer answer."""

import datetime
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from cms.models import OutgoingMail
from ratings.models import RelatedOpinion
from tests.ratings.world import reload

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_two_bodies_asked_one_answers_one_stays_silent_and_form02_prints_both(
    client, world, monkeypatch
):
    today = timezone.localdate()
    person = world.staff("Trần Thị Liên Quan")
    case = world.case_for(person)
    world.self_assess(case)
    world.review(reload(case))
    world.users["quantrikhac"].email = "quantri@skh.example"
    world.users["quantrikhac"].save()
    world.users["truongphong2"].email = "truongphong2@stn.example"
    world.users["truongphong2"].save()

    # The appraiser asks both bodies on the case's page.
    client.force_login(world.users["quantri"])
    page = reverse("ratings_case_opinions", args=[case.pk])
    for body, days, question in (
        (world.other_department, 7, "Đề nghị cho ý kiến về việc phối hợp trong năm."),
        (world.unit2, 2, "Đề nghị cho ý kiến về tinh thần phối hợp."),
    ):
        deadline = today + datetime.timedelta(days=days)
        response = client.post(
            page,
            {"body": body.pk, "question": question, "deadline": deadline.strftime("%d/%m/%Y")},
            follow=True,
        )
        assert f"Đã đề nghị {body.name} cho ý kiến, hạn {deadline:%d/%m/%Y}." in text_of(response)
    answered = RelatedOpinion.objects.get(case=case, body=world.other_department)
    silent = RelatedOpinion.objects.get(case=case, body=world.unit2)

    # Each body is told, with the question, the deadline and where to answer.
    told = {tuple(m.recipients): m for m in OutgoingMail.objects.all()}
    mail = told[("quantri@skh.example",)]
    assert "Đề nghị cho ý kiến về xếp loại: Trần Thị Liên Quan" in mail.subject
    assert "Đề nghị cho ý kiến về việc phối hợp trong năm." in mail.body
    assert f"Hạn trả lời: {answered.deadline:%d/%m/%Y}" in mail.body
    assert reverse("ratings_opinion_answer", args=[answered.pk]) in mail.body
    assert ("truongphong2@stn.example",) in told

    # The other department's admin answers in time.
    client.force_login(world.users["quantrikhac"])
    asked = text_of(client.get(reverse("ratings_opinions_asked")))
    assert "Đề nghị cho ý kiến về việc phối hợp trong năm." in asked
    client.post(
        reverse("ratings_opinion_answer", args=[answered.pk]),
        {"answer": "Phối hợp tốt, đúng hạn."},
    )

    # Three days later the unit's deadline has passed: its head can no longer answer.
    later = today + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    client.force_login(world.users["truongphong2"])
    answer_page = reverse("ratings_opinion_answer", args=[silent.pk])
    shown = text_of(client.get(answer_page))
    assert "Tình trạng Quá hạn, không có ý kiến" in shown and "Gửi ý kiến" not in shown
    response = client.post(answer_page, {"answer": "Tốt."})
    assert (
        f"Đã quá hạn trả lời ({silent.deadline:%d/%m/%Y}): hồ sơ ghi nhận cơ quan không có ý kiến."
    ) in text_of(response)
    silent.refresh_from_db()
    assert silent.answered_at is None

    answer_day = timezone.localtime(reload(case).related_opinions.get(pk=answered.pk).answered_at)
    said = f"Phối hợp tốt, đúng hạn. (trả lời ngày {answer_day:%d/%m/%Y})"
    silence = f"Không có ý kiến (hết hạn trả lời ngày {silent.deadline:%d/%m/%Y})"
    expected = [
        "IV. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC",
        "IV.1. Ý kiến của cơ quan, tổ chức, đơn vị có liên quan",
        world.other_department.name,
        said,
        world.unit2.name,
        silence,
        "IV.2. Thẩm định, đề xuất của cơ quan tham mưu về tổ chức, cán bộ",
    ]

    client.force_login(world.users["quantri"])
    printed = text_of(client.get(reverse("ratings_form02", args=[case.pk])))
    at = 0
    for part in expected:
        at = printed.index(part, at) + len(part)
    case_page = text_of(client.get(reverse("ratings_case", args=[case.pk])))
    assert said in case_page and silence in case_page
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("ratings_form02_xlsx", args=[case.pk])).content)
    ).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    at = 0
    for part in expected:
        at = cells.index(part, at) + len(part)
