"""Form 02 (Phiếu đánh giá, xếp loại chất lượng) of a rating case, as plain data.

Mẫu 02 of Decree 335 is not published on any page we could read (research notes §6): the
sections follow the procedure of the Gia Lai plan §IV.4.2 — self-assessment (a), the meeting of
the agency/unit with minutes (b), appraisal and proposal by the personnel unit (c), the opinion
required for some posts, and the decision of the competent authority (d).
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ratings.printing.common import (
    Header,
    Row,
    Section,
    Signature,
    date_text,
    header_for,
    number,
    text,
)
from ratings.services.case_figure import case_figure
from ratings.services.labels import level_label, position_group_label
from ratings.workflow.actors import resolve_actors
from scoring.explain import role_label


@dataclass
class Form02:
    header: Header
    identity: list[Row]
    sections: list[Section]
    signatures: list[Signature]
    #: (period, months it stands for in the mean, total, band): every figure the mean is made of
    periods: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: The mean written out, so that whoever signs can re-add it (legal review 2026-11-23 D3).
    working: str = ""


def _identity(case, actors) -> list[Row]:
    if case.is_agency_case:
        agency = case.subject_agency
        head = actors.evaluator.person
        return [
            Row(_("Tên cơ quan, tổ chức, đơn vị"), agency.name),
            Row(_("Trực thuộc"), agency.parent.name if agency.parent_id else "—"),
            Row(_("Người đứng đầu"), head.full_name if head else "—"),
            Row(_("Năm đánh giá"), str(case.year)),
        ]
    person = case.civil_servant
    posting = person.primary_posting_on(actors.day)
    return [
        Row(_("Họ và tên"), person.full_name),
        Row(
            _("Mã số %(category)s") % {"category": case.subject_kind_label.lower()},
            person.official_id,
        ),
        Row(
            _("Chức vụ, chức danh"),
            (posting.title or role_label(posting.role)) if posting else role_label(case.role),
        ),
        Row(_("Vị trí việc làm"), posting.job_position.name if posting else "—"),
        Row(_("Nhóm vị trí việc làm"), position_group_label(case.position_group)),
        Row(_("Cơ quan, đơn vị công tác"), case.agency.breadcrumb()),
        Row(_("Năm đánh giá"), str(case.year)),
    ]


def _lift_rows(case) -> list[Row]:
    """A decision above the computed ceiling for force majeure (Gia Lai plan §III.3.d)."""
    if not case.ceiling_lifted_from:
        return []
    return [
        Row(
            _("Mức tối đa theo kết quả chấm điểm, đánh giá"), level_label(case.ceiling_lifted_from)
        ),
        Row(
            _("Lý do bất khả kháng (quyết định cao hơn mức tối đa)"),
            text(case.force_majeure_reason),
        ),
    ]


def build_form02(case) -> Form02:
    actors = resolve_actors(case)
    title = (
        _("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CƠ QUAN, TỔ CHỨC, ĐƠN VỊ")
        if case.is_agency_case
        else _("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG %(category)s")
        % {"category": case.subject_kind_label.upper()}
    )
    header = header_for(case.agency, title, _("Năm %(year)d") % {"year": case.year})
    # One reading of the current inputs gives the printed figure, its band and its working
    # line (issue 42, legal review F2): the form never prints two different annual scores.
    figure = case_figure(case)
    annual = figure.annual
    results = Section(
        "I",
        _("Kết quả theo dõi, đánh giá trong năm"),
        [
            Row(
                _("Điểm đánh giá năm (trung bình các kỳ, tính theo số tháng mỗi kỳ)")
                if not case.is_agency_case
                else _("Điểm đánh giá của tổ chức"),
                # Issue 28: a figure whose inputs changed is never printed as if it were current.
                figure.stale or number(figure.score),
            ),
        ],
    )
    if annual is not None and figure.current:
        results.rows += [
            Row(
                _("Số kỳ được tính / không chấm điểm"),
                f"{annual.periods_counted} / {annual.periods_skipped}",
            ),
            Row(_("Mức xếp loại theo điểm"), level_label(figure.band)),
        ]
    if figure.stale:
        results.rows.insert(0, Row(_("Tình trạng số liệu"), figure.stale))
    if figure.decided_differs:
        results.rows += [
            Row(_("Điểm năm khi quyết định xếp loại"), number(figure.decided)),
            Row(_("Lưu ý"), figure.decided_note()),
        ]
    if case.is_agency_case:
        results.rows.append(Row(_("Điểm tự đánh giá"), number(case.self_score)))
    sections = [
        results,
        Section(
            "II",
            _("Tự nhận xét, đánh giá và tự xếp loại"),
            [
                Row(_("Tự nhận xét, đánh giá"), text(case.self_assessment)),
                Row(_("Tự đề xuất mức xếp loại"), level_label(case.self_level)),
            ],
        ),
        Section(
            "III",
            _("Nhận xét, đánh giá của tập thể cơ quan, đơn vị"),
            [
                Row(_("Ngày họp"), date_text(case.meeting_date)),
                Row(_("Ý kiến nhận xét, đánh giá tại cuộc họp"), text(case.meeting_comments)),
                Row(_("Biên bản cuộc họp"), case.minutes_filename or "—"),
            ],
        ),
        Section(
            "IV",
            _("Thẩm định, đề xuất của cơ quan tham mưu về tổ chức, cán bộ"),
            [
                Row(_("Mức xếp loại đề xuất"), level_label(case.proposal_level)),
                Row(_("Ý kiến thẩm định"), text(case.proposal_comment)),
            ],
        ),
    ]
    if actors.opinion_required or case.opinion_text:
        sections.append(
            Section(
                "V",
                _("Ý kiến của %(holder)s")
                % {"holder": actors.opinion.describe() if actors.opinion else "—"},
                [Row(_("Ý kiến"), text(case.opinion_text))],
            )
        )
    sections.append(
        Section(
            "VI" if len(sections) == 5 else "V",
            _("Quyết định xếp loại của cấp có thẩm quyền"),
            [
                Row(_("Mức xếp loại chất lượng"), level_label(case.decision_level)),
                *_lift_rows(case),
                Row(_("Số quyết định"), text(case.decision_ref)),
                Row(_("Ngày quyết định"), date_text(case.decision_date)),
                Row(
                    _("Ngày thông báo kết quả"),
                    date_text(
                        timezone.localtime(case.notified_at).date() if case.notified_at else None
                    ),
                ),
            ],
        )
    )
    subject_sign = (
        Signature(
            _("NGƯỜI ĐỨNG ĐẦU CƠ QUAN, ĐƠN VỊ"),
            _("(Ký, ghi rõ họ tên)"),
            actors.evaluator.person.full_name if actors.evaluator.person else "",
        )
        if case.is_agency_case
        else Signature(
            _("NGƯỜI TỰ ĐÁNH GIÁ"), _("(Ký, ghi rõ họ tên)"), case.civil_servant.full_name
        )
    )
    rater_sign = Signature(
        _("CẤP CÓ THẨM QUYỀN XẾP LOẠI"),
        _("(Ký, ghi rõ họ tên, đóng dấu)"),
        actors.rater.person.full_name if actors.rater.person else "",
    )
    _add_related_opinions(case, sections)
    return Form02(
        header=header,
        identity=_identity(case, actors),
        sections=sections,
        signatures=[subject_sign, rater_sign],
        periods=figure.periods,
        working=figure.working,
    )


def _add_related_opinions(case, sections: list[Section]) -> None:
    """Issue 45 item 4 (Gia Lai §IV.4.2.c): the opinions the appraiser asked of related bodies,
    answered or silent past the deadline, as a part of the appraisal (section IV)."""
    from ratings.services.related_opinions import printed_rows

    rows = printed_rows(case)
    if not rows:
        return
    section = Section(
        "IV.1",
        _("Ý kiến của cơ quan, tổ chức, đơn vị có liên quan"),
        [Row(body, said) for body, said in rows],
    )
    after = next((i for i, s in enumerate(sections) if s.number == "IV"), len(sections) - 1)
    sections.insert(after + 1, section)
