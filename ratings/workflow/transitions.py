"""The table of allowed moves of a rating case.

Main line: draft → self_assessed → reviewed → appraised → [opinion_requested → opinion_given]
→ decided → notified. Side states: on_hold (resumes to the state it was put on hold from) and
cancelled (final, with a reason; the subject may then get a new case).

Each transition names the roles that may perform it (``ratings.actors``), the data it
requires, and the guards (``ratings.workflow.guards``) that may refuse it with a reason.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cms import workflow
from ratings.actors import APPRAISER, EVALUATOR, OPINION_HOLDER, RATER, SUBJECT
from ratings.models import CaseKind, CaseState
from ratings.workflow import guards

S = CaseState
BOTH = frozenset(CaseKind.values)
ACTIVE = frozenset(
    {
        S.DRAFT,
        S.SELF_ASSESSED,
        S.REVIEWED,
        S.APPRAISED,
        S.OPINION_REQUESTED,
        S.OPINION_GIVEN,
        S.DECIDED,
        S.NOTIFIED,
    }
)


@dataclass(frozen=True)
class Transition(workflow.Transition):
    """The kit's transition (``cms.workflow``), with the kinds of case it applies to."""

    kinds: frozenset = BOTH
    #: A step that stops or undoes the case (review 2026-11-25, ux L11: "Tạm dừng" pressed by
    #: mistake put a case on hold): the box the person ticks to say they mean it.
    confirm: object = None


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "self_assess",
            _("Gửi phiếu tự đánh giá"),
            frozenset({S.DRAFT}),
            S.SELF_ASSESSED,
            frozenset({SUBJECT}),
            required=("self_assessment", "self_level"),
        ),
        Transition(
            "review",
            _("Ghi kết quả cuộc họp nhận xét, đánh giá"),
            frozenset({S.SELF_ASSESSED}),
            S.REVIEWED,
            frozenset({EVALUATOR}),
            required=("meeting_date", "meeting_comments", "minutes"),
        ),
        Transition(
            "return_to_subject",
            _("Trả lại để tự đánh giá lại"),
            frozenset({S.SELF_ASSESSED}),
            S.DRAFT,
            frozenset({EVALUATOR}),
            needs_comment=True,
            confirm=_("Tôi xác nhận trả hồ sơ về cho người được đánh giá tự đánh giá lại."),
        ),
        Transition(
            "appraise",
            _("Thẩm định và đề xuất mức xếp loại"),
            frozenset({S.REVIEWED}),
            S.APPRAISED,
            frozenset({APPRAISER}),
            required=("proposal_level", "proposal_comment"),
            guards=(
                guards.scores_are_fresh,
                guards.agency_has_score,
                guards.proposal_within_ceiling,
            ),
        ),
        Transition(
            "request_opinion",
            _("Xin ý kiến trước khi quyết định"),
            frozenset({S.APPRAISED}),
            S.OPINION_REQUESTED,
            frozenset({APPRAISER}),
            guards=(guards.opinion_is_required,),
            kinds=frozenset({CaseKind.CIVIL_SERVANT}),
        ),
        Transition(
            "give_opinion",
            _("Cho ý kiến"),
            frozenset({S.OPINION_REQUESTED}),
            S.OPINION_GIVEN,
            frozenset({OPINION_HOLDER}),
            required=("opinion_text",),
            kinds=frozenset({CaseKind.CIVIL_SERVANT}),
        ),
        Transition(
            "decide",
            _("Quyết định xếp loại"),
            frozenset({S.APPRAISED, S.OPINION_GIVEN}),
            S.DECIDED,
            frozenset({RATER}),
            required=("decision_level", "decision_ref", "decision_date"),
            guards=(
                guards.decision_after_meeting,
                guards.scores_are_fresh,
                guards.opinion_obtained,
                guards.decision_within_ceiling,
                guards.subunits_decided,
                guards.head_not_above_agency,
                guards.deputy_not_above_head,
                guards.excellent_quota,
            ),
        ),
        Transition(
            "return_to_review",
            _("Trả lại để thẩm định lại"),
            frozenset({S.APPRAISED, S.OPINION_GIVEN}),
            S.REVIEWED,
            frozenset({RATER}),
            needs_comment=True,
            confirm=_("Tôi xác nhận trả hồ sơ về bước thẩm định."),
        ),
        Transition(
            "notify",
            _("Thông báo kết quả"),
            frozenset({S.DECIDED}),
            S.NOTIFIED,
            frozenset({APPRAISER, RATER}),
        ),
        Transition(
            "complain",
            _("Gửi kiến nghị"),
            frozenset(
                {
                    S.REVIEWED,
                    S.APPRAISED,
                    S.OPINION_REQUESTED,
                    S.OPINION_GIVEN,
                    S.DECIDED,
                    S.NOTIFIED,
                }
            ),
            S.ON_HOLD,
            frozenset({SUBJECT}),
            required=("complaint_text",),
            guards=(guards.complaint_window,),
            kinds=frozenset({CaseKind.CIVIL_SERVANT}),
        ),
        Transition(
            "hold",
            _("Tạm dừng để kiểm tra, xác minh"),
            ACTIVE,
            S.ON_HOLD,
            frozenset({APPRAISER, RATER}),
            needs_comment=True,
            confirm=_(
                "Tôi xác nhận tạm dừng hồ sơ; hồ sơ chỉ tiếp tục khi có người bấm “Tiếp tục xử lý”."
            ),
        ),
        Transition(
            "resume",
            _("Tiếp tục xử lý"),
            frozenset({S.ON_HOLD}),
            None,
            frozenset({APPRAISER, RATER}),
            needs_comment=True,
        ),
        Transition(
            "cancel",
            _("Hủy hồ sơ"),
            ACTIVE | {S.ON_HOLD},
            S.CANCELLED,
            frozenset({APPRAISER, RATER}),
            needs_comment=True,
            danger=True,
            confirm=_("Tôi xác nhận hủy hồ sơ; việc hủy không hoàn tác được."),
        ),
    )
}
