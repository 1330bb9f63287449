"""Form 01 (Phiếu theo dõi, đánh giá công chức) of one stored period score, as plain data.

Section I is the general-criteria table (sub-criteria, maximum, the civil servant's own mark,
the evaluator's mark) from the stored marks and the framework revision the score used; section
II the task results a, b, c (and d, đ, e for leaders) from the stored ``PeriodScore``; section
III the total (3 = 1 + 2).

The figures are the stored ones, i.e. exactly those the engine used: with the framework's
default rounding ``each_printed_figure`` (docs/scoring.md §8, review C23) each is rounded and the
next computed from it, so they add up by hand; a note under the total states the rounding.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from org.categories import category_label
from ratings.printing.common import Header, Row, Signature, header_for, number
from ratings.services.labels import level_label
from scoring.engine import DECREE_335_DEFAULT
from scoring.explain import role_label, rounding_note
from scoring.models import GeneralCriteriaMark
from scoring.services import contract_workers
from scoring.services.frameworks import revision_rules


@dataclass
class MarkRow:
    code: str
    label: str
    max_points: str
    self_mark: str
    evaluator_mark: str
    is_group: bool = False


@dataclass
class Form01:
    header: Header
    identity: list[Row]
    marks: list[MarkRow]
    general_total: str
    tasks: list[Row]
    total: str
    rating: str
    signatures: list[Signature] = field(default_factory=list)
    is_leader: bool = False
    rounding: str = ""
    #: A contract worker scored by the framework's own method (M7): section I holds their
    #: three marks, there is no section II and the total is their mean.
    contract: bool = False
    #: The section titles (they differ for ``contract``).
    marks_title: str = ""
    marks_total_label: str = ""
    total_title: str = ""


def _marks(score, rules) -> list[MarkRow]:
    stored = {
        (m.component, m.criterion): m
        for m in GeneralCriteriaMark.objects.filter(
            civil_servant_id=score.civil_servant_id, period_id=score.period_id
        )
    }
    rows = []
    for component in rules.marks_components:
        groups = {g.code: g for g in component.groups}
        seen_groups = set()
        for criterion in component.criteria:
            group = groups.get(criterion.group)
            if group is not None and group.code not in seen_groups:
                seen_groups.add(group.code)
                rows.append(
                    MarkRow(
                        group.code, group.label, number(group.max_points), "", "", is_group=True
                    )
                )
            mark = stored.get((component.code, criterion.code))
            rows.append(
                MarkRow(
                    criterion.code,
                    criterion.label,
                    number(criterion.max_points),
                    number(mark.self_mark) if mark else "—",
                    number(mark.evaluator_mark) if mark else "—",
                )
            )
    return rows


def _contract_marks(score) -> list[MarkRow]:
    """The three marks of a contract worker under the own method (M7)."""
    stored = {
        m.criterion: m
        for m in GeneralCriteriaMark.objects.filter(
            civil_servant_id=score.civil_servant_id,
            period_id=score.period_id,
            component=contract_workers.COMPONENT,
        )
    }
    rows = []
    for criterion in contract_workers.CRITERIA:
        mark = stored.get(criterion.code)
        rows.append(
            MarkRow(
                criterion.number,
                str(criterion.label),
                number(criterion.max_points),
                number(mark.self_mark) if mark else "—",
                number(mark.evaluator_mark) if mark else "—",
            )
        )
    return rows


def build_form01(score) -> Form01:
    rules = (
        revision_rules(score.framework_revision_id) if score.framework_revision_id else None
    ) or DECREE_335_DEFAULT
    is_leader = rules.is_leader_role(score.role)
    person = score.civil_servant
    posting = score.posting
    # The person's own category names the form (review 2026-11-23 C2): "… ĐÁNH GIÁ VIÊN CHỨC".
    category = category_label(posting.category if posting else "").upper()
    header = header_for(
        score.agency,
        _("PHIẾU THEO DÕI, ĐÁNH GIÁ %(category)s") % {"category": category},
        _("Kỳ theo dõi, đánh giá: %(period)s") % {"period": score.period.label},
    )
    header.about = person.full_name
    identity = [
        Row(_("Họ và tên"), person.full_name),
        Row(
            _("Chức vụ, chức danh"),
            (posting.title if posting and posting.title else role_label(score.role)),
        ),
        Row(_("Vị trí việc làm"), posting.job_position.name if posting else "—"),
        Row(_("Cơ quan, đơn vị công tác"), score.agency.breadcrumb()),
    ]
    tasks = [
        Row(_("a) Số lượng sản phẩm/công việc hoàn thành, %"), number(score.quantity)),
        Row(_("b) Chất lượng sản phẩm/công việc, %"), number(score.quality)),
        Row(_("c) Tiến độ thực hiện, %"), number(score.timeliness)),
    ]
    if is_leader:
        tasks += [
            Row(_("d) Kết quả hoạt động của cơ quan, đơn vị, %"), number(score.unit_results)),
            Row(
                _("đ) Khả năng tổ chức triển khai thực hiện nhiệm vụ, %"), number(score.organising)
            ),
            Row(_("e) Năng lực tập hợp, đoàn kết công chức, %"), number(score.cohesion)),
        ]
    tasks += [
        Row(_("Tỷ lệ kết quả thực hiện nhiệm vụ, %"), number(score.task_percent)),
        Row(_("Điểm tiêu chí về kết quả thực hiện nhiệm vụ"), number(score.task_points)),
    ]
    contract = contract_workers.COMPONENT in (score.component_points or {})
    return Form01(
        header=header,
        identity=identity,
        marks=_contract_marks(score) if contract else _marks(score, rules),
        general_total=number(score.total if contract else score.points_outside_tasks),
        tasks=[] if contract else tasks,
        contract=contract,
        marks_title=(
            _("I. ĐÁNH GIÁ NGƯỜI LAO ĐỘNG HỢP ĐỒNG (CÁCH CHẤM RIÊNG)")
            if contract
            else _("I. KẾT QUẢ ĐÁNH GIÁ TIÊU CHÍ CHUNG")
        ),
        marks_total_label=(
            _("Điểm = (chất lượng + chấp hành + hiệu quả) / 3")
            if contract
            else _("Điểm tiêu chí chung (1)")
        ),
        total_title=(
            _("II. TỔNG ĐIỂM THEO DÕI, ĐÁNH GIÁ")
            if contract
            else _("III. TỔNG ĐIỂM THEO DÕI, ĐÁNH GIÁ (3 = 1 + 2)")
        ),
        total=number(score.total) if score.scored else _("Kỳ này không được chấm điểm"),
        rating=level_label(score.rating) if score.scored else "—",
        signatures=[
            Signature(
                _("%(category)s TỰ ĐÁNH GIÁ") % {"category": category},
                _("(Ký, ghi rõ họ tên)"),
                person.full_name,
            ),
            Signature(_("NGƯỜI THEO DÕI, ĐÁNH GIÁ"), _("(Ký, ghi rõ họ tên)"), ""),
        ],
        is_leader=is_leader,
        rounding=rounding_note(rules.rounding),
    )
