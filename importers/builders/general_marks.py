"""Template of general-criteria marks: every person × every marked sub-criterion."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.builders import base
from importers.kinds.general_marks.owners import criteria_by_person, rated_here
from importers.kinds.general_marks.spec import (
    COMPETENCY_COMPONENT,
    LEADER_COMPONENT,
    LEADER_FIELDS,
    LEADER_SHOWN,
    SHEET_SPEC,
)
from importers.kinds.people import members_of
from importers.meta import TemplateMeta
from importers.reading.frame import vi_decimal
from scoring.models import CompetencyAssessment, LeaderMark
from scoring.services import contract_workers

PEOPLE_LIST = gettext_lazy("DS công chức")


def people_and_criteria(context) -> tuple[dict, dict]:
    """The people this agency rates in the period (someone who moved away mid-period is rated,
    and listed, by the new agency) and each one's criteria: the template's rows, read once a
    request (the door counts them before it builds the file: ``template_rows``)."""
    found = context.extra.get("people_and_criteria")
    if found is None:
        agency, period = context.agency, context.needed_period
        members, _elsewhere = rated_here(
            agency, members_of(agency, period.start_date, period.end_date), period
        )
        found = context.extra["people_and_criteria"] = (
            members,
            criteria_by_person(agency, period, members),
        )
    return found


def build(kind, context) -> bytes:
    agency, period = context.agency, context.period
    members, criteria = people_and_criteria(context)
    stored = {
        (person, component, criterion): (self_mark, evaluator_mark)
        for person, component, criterion, self_mark, evaluator_mark in kind.scope(
            context, [m.person_id for m in members.values()]
        ).values_list("civil_servant_id", "component", "criterion", "self_mark", "evaluator_mark")
    }
    leader_marks = {
        mark.civil_servant_id: mark
        for mark in LeaderMark.objects.filter(
            period=period, civil_servant_id__in=[m.person_id for m in members.values()]
        )
    }
    assessed = {
        (person, competency): level
        for person, competency, level in CompetencyAssessment.objects.filter(
            period=period, civil_servant_id__in=[m.person_id for m in members.values()]
        ).values_list("civil_servant_id", "competency_id", "assessed_level")
    }
    rows = []
    for official, member in members.items():
        for component, criterion in criteria.get(official) or []:
            if component == COMPETENCY_COMPONENT:
                required = criterion.required
                rows.append(
                    [
                        official,
                        member.full_name,
                        component,
                        criterion.code,
                        _("%(name)s (yêu cầu cấp độ %(level)s)")
                        % {"name": required.name, "level": required.level},
                        float(required.level_count),
                        None,
                        assessed.get((member.person_id, required.competency_id)),
                    ]
                )
                continue
            if component == LEADER_COMPONENT:
                mark = leader_marks.get(member.person_id)
                level = getattr(mark, LEADER_FIELDS[criterion.code], None) if mark else None
                rows.append(
                    [
                        official,
                        member.full_name,
                        component,
                        LEADER_SHOWN[criterion.code],
                        criterion.label,
                        " / ".join(f"{vi_decimal(float(p))}%" for p in criterion.allowed_percents),
                        None,
                        float(level) if level is not None else None,
                    ]
                )
                continue
            marks = stored.get((member.person_id, component, criterion.code), (None, None))
            rows.append(
                [
                    official,
                    member.full_name,
                    component,
                    criterion.code,
                    str(criterion.label),
                    float(criterion.max_points),
                    *marks,
                ]
            )
    workbook = base.new_workbook()
    base.add_instructions(
        workbook,
        kind,
        context,
        [
            _(
                "Mỗi dòng là một tiêu chí của một công chức trong kỳ %(period)s; điền điểm tự chấm "
                "và/hoặc điểm người đánh giá chấm (từ 0 đến điểm tối đa)."
            )
            % {"period": period.label},
            _(
                "Dòng không có điểm nào bị bỏ qua; điểm đã có trong hệ thống mà không còn trong "
                "tệp "
                "sẽ bị xoá khi nhập lại."
            ),
            _(
                "Người lãnh đạo, quản lý có thêm hai dòng thành phần “%(component)s”: tiêu chí đ "
                "(khả năng tổ chức triển khai) và e (năng lực tập hợp, đoàn kết). Người đánh giá "
                "ghi một mức trong cột “Điểm tối đa” (ví dụ 100 hoặc 50) vào cột điểm người đánh "
                "giá chấm, đ và e cùng lúc; cột điểm tự chấm để trống. Để trống cả hai: giữ "
                "nguyên mức đã có."
            )
            % {"component": LEADER_COMPONENT},
            _(
                "Người lao động hợp đồng mà khung đánh giá chấm theo cách riêng có ba dòng thành "
                "phần “%(component)s”: chất lượng, chấp hành, hiệu quả, mỗi tiêu chí từ 0 đến "
                "100 (phần trăm); điểm của kỳ là trung bình cộng của ba tiêu chí."
            )
            % {"component": contract_workers.COMPONENT},
            _(
                "Khi khung đánh giá dùng năng lực theo vị trí việc làm, mỗi năng lực mà bản mô tả "
                "công việc yêu cầu có một dòng thành phần “%(component)s”: người đánh giá ghi cấp "
                "độ đánh giá (số nguyên từ 1 đến số ở cột “Điểm tối đa”) vào cột điểm người đánh "
                "giá chấm; cột điểm tự chấm để trống. Để trống: giữ nguyên cấp độ đã có."
            )
            % {"component": COMPETENCY_COMPONENT},
        ],
    )
    lists = {
        "people": base.add_list_sheet(
            workbook,
            str(PEOPLE_LIST),
            [_("Mã số công chức"), _("Họ và tên"), _("Đơn vị")],
            [[m.official_id, m.full_name, m.unit_code] for m in members.values()],
        )
    }
    base.add_data_sheet(
        workbook,
        SHEET_SPEC,
        rows,
        lists,
        subtitle=f"{agency.name} — {period.label}",
        freeze_columns=2,
        index=1,
        progress=context.progress,
    )
    base.add_meta(workbook, TemplateMeta.create(kind.code, kind.version, agency.code, period.code))
    return base.finish(workbook, SHEET_SPEC.name)
