"""Form 02 (Phiếu đánh giá, xếp loại chất lượng) of a rating case, as plain data.

**The layout and where it comes from.** The annex of Decree 335/2025/NĐ-CP with its Mẫu 02 is
not published on any page we could read (research notes, "Forms"; nothing found in the search
corpora for "Mẫu số 02" with Decree 335 — one implementer says only that the decree has a
Mẫu 01 and a Mẫu 02). The best-evidenced official layout is that of the annual rating forms of
Decree 90/2020/NĐ-CP (amended by Decree 48/2023/NĐ-CP), which Decree 335 replaces: Mẫu 02
(công chức), Mẫu 03 (viên chức), as reproduced by agencies and schools that print them
(public code index: a Trà Vinh University form, "IV. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG VIÊN
CHỨC (Phần dành cho cấp có thẩm quyền đánh giá)"; a Cần Thơ form, "II. TỰ NHẬN XÉT, XẾP LOẠI
CHẤT LƯỢNG … NGƯỜI TỰ NHẬN XÉT"; a study note "Mẫu số 03 ban hành kèm theo Nghị định
90/2020/NĐ-CP" — docs/ratings.md §5 lists them). That layout is reproduced here:

* the national emblem header (agency left, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do
  - Hạnh phúc" right), the form's number, its title with the category and the year, the person
  (họ và tên, chức vụ/chức danh, đơn vị công tác);
* I. Kết quả tự đánh giá — under Decree 335 the year's score from the periods (Art. 21);
* II. Tự nhận xét, xếp loại chất lượng — 1. self-comment, 2. self-rating among the four levels;
  signed and dated by the person ("NGƯỜI TỰ NHẬN XÉT");
* III. Ý kiến nhận xét, đánh giá của người quản lý trực tiếp — the evaluator's comments at the
  meeting (Gia Lai §IV.4.2.b), the minutes; signed and dated by the evaluator;
* IV. Kết quả đánh giá, xếp loại chất lượng (phần dành cho cấp có thẩm quyền đánh giá) — the
  opinions of related bodies and the appraisal (Gia Lai §IV.4.2.c), the opinion some posts
  need, then the comment and the level decided among the four; signed and dated by the
  competent authority ("NGƯỜI CÓ THẨM QUYỀN ĐÁNH GIÁ").

**Not verified:** the exact wording of Decree 335's own Mẫu 02 (its headings may differ from
Decree 90's), whether it keeps Decree 90's six self-assessment items (political ideology,
ethics, style, discipline, results, service attitude) — replaced here by the score, which
Decree 335 rates on — and whether the form carries "Mẫu số 02" in its top corner.

**The basis printed under the title** (:func:`legal_basis`) says just that: the decree the
rating follows where the sources say it applies (Decree 335/2025/NĐ-CP of 21/12/2025, for a
công chức and an agency), and which annex's form the layout reproduces ("Bố cục phiếu: Mẫu số
02 (công chức) ban hành kèm theo Nghị định số 90/2020/NĐ-CP ngày 13/8/2020 của Chính phủ",
Mẫu số 03 for a viên chức, with that number in the corner), not compared with Decree 335's.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import PersonCategory
from ratings.actors import resolve_actors
from ratings.printing.common import (
    Header,
    Row,
    Section,
    Signature,
    date_text,
    header_for,
    number,
    signed_on,
    text,
)
from ratings.services.case_figure import case_figure
from ratings.services.labels import level_label, position_group_label
from ratings.services.related_opinions import printed_rows
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


#: The four levels in the order the official form lists them (Art. 20).
LEVELS = ("excellent", "good", "completed", "not_completed")


def _choice(chosen: str | None) -> str:
    """The four levels with the chosen one ticked, as the form prints them."""
    return "   ".join(f"{'☒' if code == chosen else '☐'} {level_label(code)}" for code in LEVELS)


def _results(case, figure) -> Section:
    annual = figure.annual
    results = Section(
        "I",
        _("Kết quả tự đánh giá"),
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
    return results


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def legal_basis(case) -> tuple[str, list[str]]:
    """The form's number in the top corner and the basis lines printed under its title, as far
    as the sources support them (docs/ratings.md §5, "Sources of the layout"):

    * the rating of a civil servant and of an agency follows Decree 335/2025/NĐ-CP of
      21/12/2025 (research notes §0: it covers both); a viên chức, a cán bộ or a contract worker
      is not rated under it here (docs/scope.md §1), so no decree is named for them;
    * the layout is the annual rating form of Decree 90/2020/NĐ-CP of 13/8/2020 — its annex's
      Mẫu số 02 for công chức, Mẫu số 03 for viên chức (cán bộ, contract workers and agencies
      get the công chức layout, whose parts the printed form has) — because Decree 335's own
      annex could not be read; the line says that it was not compared with it.
    """
    if case.subject_category == PersonCategory.PUBLIC_EMPLOYEE:
        return _("Mẫu số 03"), [
            _(
                "Bố cục phiếu: Mẫu số 03 (viên chức) ban hành kèm theo Nghị định số "
                "90/2020/NĐ-CP ngày 13/8/2020 của Chính phủ."
            )
        ]
    if case.is_agency_case or case.subject_category in ("", PersonCategory.CIVIL_SERVANT):
        return _("Mẫu số 02"), [
            _(
                "Căn cứ đánh giá, xếp loại: Nghị định số 335/2025/NĐ-CP ngày 21/12/2025 của "
                "Chính phủ."
            ),
            _(
                "Bố cục phiếu: Mẫu số 02 (công chức) ban hành kèm theo Nghị định số "
                "90/2020/NĐ-CP ngày 13/8/2020 của Chính phủ; chưa đối chiếu với mẫu phiếu của "
                "Nghị định số 335/2025/NĐ-CP."
            ),
        ]
    return _("Mẫu số 02"), [
        _(
            "Bố cục phiếu: Mẫu số 02 (công chức) ban hành kèm theo Nghị định số 90/2020/NĐ-CP "
            "ngày 13/8/2020 của Chính phủ."
        )
    ]


def build_form02(case) -> Form02:
    actors = resolve_actors(case)
    category = case.subject_kind_label
    title = (
        _("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CƠ QUAN, TỔ CHỨC, ĐƠN VỊ")
        if case.is_agency_case
        else _("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG %(category)s") % {"category": category.upper()}
    )
    header = header_for(case.agency, title, _("Năm %(year)d") % {"year": case.year})
    header.form_number, header.basis = legal_basis(case)
    header.about = case.subject_name
    # One reading of the current inputs gives the printed figure, its band and its working
    # line (issue 42, legal review F2): the form never prints two different annual scores.
    figure = case_figure(case)
    evaluator = actors.evaluator.person
    rater = actors.rater.person
    self_assessment = Section(
        "II",
        _("Tự nhận xét, xếp loại chất lượng"),
        [
            Row(_("1. Tự nhận xét ưu, khuyết điểm"), text(case.self_assessment)),
            Row(_("2. Tự xếp loại chất lượng"), level_label(case.self_level)),
            Row(_("Các mức xếp loại"), _choice(case.self_level)),
        ],
        signature=(
            Signature(
                _("NGƯỜI ĐỨNG ĐẦU CƠ QUAN, ĐƠN VỊ"),
                _("(Ký, ghi rõ họ tên)"),
                evaluator.full_name if evaluator else "",
                signed_on(_day(case.self_assessed_at)),
            )
            if case.is_agency_case
            else Signature(
                _("NGƯỜI TỰ NHẬN XÉT"),
                _("(Ký, ghi rõ họ tên)"),
                case.civil_servant.full_name,
                signed_on(_day(case.self_assessed_at)),
            )
        ),
    )
    meeting_rows = [
        Row(_("Ngày họp"), date_text(case.meeting_date)),
        Row(_("Ý kiến nhận xét, đánh giá tại cuộc họp"), text(case.meeting_comments)),
        Row(_("Biên bản cuộc họp"), case.minutes_filename or "—"),
    ]
    manager = (
        Section("III", _("Ý kiến nhận xét, đánh giá của tập thể cơ quan, đơn vị"), meeting_rows)
        if case.is_agency_case
        else Section(
            "III",
            _("Ý kiến nhận xét, đánh giá của người quản lý trực tiếp"),
            [
                Row(
                    _("Người quản lý trực tiếp"),
                    actors.evaluator.describe() if evaluator else "—",
                ),
                *meeting_rows,
            ],
            signature=Signature(
                _("NGƯỜI QUẢN LÝ TRỰC TIẾP"),
                _("(Ký, ghi rõ họ tên)"),
                evaluator.full_name if evaluator else "",
                signed_on(case.meeting_date),
            ),
        )
    )
    competent = Section(
        "IV",
        _("Kết quả đánh giá, xếp loại chất lượng %(category)s") % {"category": category.lower()},
        note=_("(Phần dành cho cấp có thẩm quyền đánh giá)"),
    )
    parts = [
        (
            _("Thẩm định, đề xuất của cơ quan tham mưu về tổ chức, cán bộ"),
            [
                Row(_("Mức xếp loại đề xuất"), level_label(case.proposal_level)),
                Row(_("Ý kiến thẩm định"), text(case.proposal_comment)),
            ],
        )
    ]
    if actors.opinion_required or case.opinion_text:
        parts.append(
            (
                _("Ý kiến của %(holder)s")
                % {"holder": actors.opinion.describe() if actors.opinion else "—"},
                [Row(_("Ý kiến"), text(case.opinion_text))],
            )
        )
    parts.append(
        (
            _("Kết quả đánh giá, xếp loại chất lượng"),
            [
                Row(_("Mức xếp loại chất lượng"), level_label(case.decision_level)),
                Row(_("Các mức xếp loại"), _choice(case.decision_level)),
                *_lift_rows(case),
                Row(_("Số quyết định"), text(case.decision_ref)),
                Row(_("Ngày quyết định"), date_text(case.decision_date)),
                Row(_("Ngày thông báo kết quả"), date_text(_day(case.notified_at))),
            ],
        )
    )
    sections = [_results(case, figure), self_assessment, manager, competent]
    sections += [Section(f"IV.{i}", title, rows) for i, (title, rows) in enumerate(parts, start=1)]
    # The competent authority signs under its decision, the last part of section IV.
    sections[-1].signature = Signature(
        _("NGƯỜI CÓ THẨM QUYỀN ĐÁNH GIÁ"),
        _("(Ký, ghi rõ họ tên, đóng dấu)"),
        rater.full_name if rater else "",
        signed_on(case.decision_date),
    )
    _add_related_opinions(case, sections)
    return Form02(
        header=header,
        identity=_identity(case, actors),
        sections=sections,
        signatures=[],
        periods=figure.periods,
        working=figure.working,
    )


def _add_related_opinions(case, sections: list[Section]) -> None:
    """Issue 45 item 4 (Gia Lai §IV.4.2.c): the opinions the appraiser asked of related bodies,
    answered or silent past the deadline, collected before the appraisal: the first part of
    section IV (the parts after it are numbered on)."""
    rows = printed_rows(case)
    if not rows:
        return
    section = Section(
        "IV.1",
        _("Ý kiến của cơ quan, tổ chức, đơn vị có liên quan"),
        [Row(body, said) for body, said in rows],
    )
    after = next((i for i, s in enumerate(sections) if s.number == "IV"), len(sections) - 1)
    for later in sections[after + 1 :]:
        if later.number.startswith("IV."):
            later.number = f"IV.{int(later.number[3:]) + 1}"
    sections.insert(after + 1, section)
