"""Review 2026-11-25 (ux L11): "Tạm dừng để kiểm tra, xác minh", pressed by mistake as the first
button offered to the appraiser, put a case on hold at once. Actions that stop or undo a case
ask the person to tick that they mean it; they are never the form opened first."""

import re

import pytest

from django.urls import reverse

from ratings.models import CaseState
from tests.ratings.test_views import act, done, setup  # noqa: F401 (fixture)
from tests.ratings.world import reload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "prepare", "user"),
    [
        ("hold", None, "giamdoc"),
        ("cancel", None, "giamdoc"),
        ("return_to_subject", "self_assessed", "truongphong"),
    ],
)
def test_a_consequential_action_needs_its_box_ticked(setup, action, prepare, user):  # noqa: F811
    world, case, as_user = setup
    if prepare == "self_assessed":
        world.self_assess(case)
        case = reload(case)
        assert case.state == CaseState.SELF_ASSESSED
    before = reload(case).state
    client = as_user(user)
    refused = act(client, case, action, {"comment": "Bấm nhầm."})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Đánh dấu ô xác nhận" in text
    assert reload(case).state == before
    assert done(act(client, case, action, {"comment": "Có lý do.", "confirm": "on"}))
    assert reload(case).state != before


def test_the_first_form_opened_is_never_a_consequential_one(setup):  # noqa: F811
    _world, case, as_user = setup
    page = as_user("giamdoc").get(reverse("ratings_case", args=[case.pk])).content.decode()
    opened = re.findall(r'<details class="ratings-action" data-action="(\w+)"\s+open', page)
    assert "hold" not in opened and "cancel" not in opened
    # The box says what happens.
    assert "Tôi xác nhận tạm dừng hồ sơ" in page
