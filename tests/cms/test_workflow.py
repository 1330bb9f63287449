"""The approval-workflow kit (``cms.workflow``) on a plain object: state, role, data, guards,
the order of the checks and the messages each flow chooses."""

from dataclasses import dataclass

import pytest

from cms import workflow


@dataclass
class Doc:
    status: str = "draft"
    held_from: str = ""


def _flow(**kwargs):
    return workflow.Flow(
        (
            workflow.Transition(
                "submit",
                "Trình",
                frozenset({"draft"}),
                "submitted",
                frozenset({"author"}),
                required=("title",),
                guards=(lambda ctx: None if ctx.data.get("ok") else ["Chưa đủ", "Còn thiếu"],),
            ),
            workflow.Transition(
                "return",
                "Trả lại",
                frozenset({"submitted"}),
                "draft",
                frozenset({"approver"}),
                needs_comment=True,
                wrong_state="Chỉ bản đang trình mới được trả lại.",
            ),
            workflow.Transition(
                "approve",
                "Duyệt",
                frozenset({"submitted"}),
                "approved",
                guards=(lambda ctx: {"number": "Nhập số quyết định."},),
            ),
            workflow.Transition("hold", "Tạm dừng", frozenset({"draft"}), "on_hold"),
            workflow.Transition("resume", "Tiếp tục", frozenset({"on_hold"}), None),
        ),
        roles=lambda user, doc, today: {user} if user else set(),
        field_labels={"title": "tiêu đề", "comment": "ý kiến"},
        **kwargs,
    )


def test_a_move_in_order_state_role_data_guards():
    flow, doc = _flow(), Doc()
    with pytest.raises(workflow.NotAllowed) as error:
        flow.check(doc, "fly", "author")
    assert error.value.reasons == [str(workflow.UNKNOWN)]
    with pytest.raises(workflow.NotAllowed) as error:
        flow.check(doc, "return", "approver")
    assert error.value.reasons == ["Chỉ bản đang trình mới được trả lại."]
    with pytest.raises(workflow.Forbidden):
        flow.check(doc, "submit", "approver")
    with pytest.raises(workflow.Refused) as error:
        flow.check(doc, "submit", "author")
    assert error.value.reasons == ["Thiếu thông tin bắt buộc: tiêu đề."]
    with pytest.raises(workflow.Refused) as error:
        flow.check(doc, "submit", "author", data={"title": "A"})
    assert error.value.reasons == ["Chưa đủ", "Còn thiếu"]
    move = flow.check(doc, "submit", "author", data={"title": "A", "ok": True})
    assert (move.from_state, move.to_state, move.context.roles) == (
        "draft",
        "submitted",
        frozenset({"author"}),
    )
    flow.advance(move)
    assert doc.status == "submitted"


def test_comment_mapping_guards_available_and_resume():
    flow = _flow(
        wrong_state=lambda t, doc: f"Không “{t.label}” khi đang {doc.status}.",
        resume_target=lambda doc: doc.held_from,
    )
    doc = Doc(status="submitted")
    with pytest.raises(workflow.Refused) as error:
        flow.check(doc, "return", "approver", comment="  ")
    assert error.value.reasons == ["Thiếu thông tin bắt buộc: ý kiến."]
    with pytest.raises(workflow.Refused) as error:
        flow.check(doc, "approve", "anyone")  # no actors: the caller checks the role
    assert error.value.reasons == [{"number": "Nhập số quyết định."}]
    with pytest.raises(workflow.NotAllowed) as error:
        flow.check(doc, "submit", "author")
    assert error.value.reasons == ["Không “Trình” khi đang submitted."]
    assert [t.action for t in flow.available(doc, "approver")] == ["return", "approve"]
    held = Doc(status="on_hold", held_from="submitted")
    assert flow.check(held, "resume", "x").to_state == "submitted"
