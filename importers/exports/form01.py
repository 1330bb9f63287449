"""Period results and scores of one agency, in the Form 01 layout (Phiếu theo dõi, đánh giá).

Sheet "Mẫu 01": one row per civil servant with the stored ``PeriodScore`` of the period —
general sub-criteria marks (the mark that counts), general points, quantity/quality/timeliness
(a, b, c), leader criteria (d, đ, e), task percent and points, total and rating; people without
a stored score are listed as not yet scored. Sheet "Kết quả nhiệm vụ": every assignment line of
the period (all sources), i.e. what the scores were computed from.
"""

from django.utils.translation import gettext as _

from catalog_pages.common_catalog import effective_items
from importers.exports.workbook import ExportBook, number
from importers.kinds.people import members_of
from org.models import LeadershipRole
from scoring.models import AssignmentLine, GeneralCriteriaMark, PeriodScore, Rating


def form01_rows(agency, period) -> int:
    """How many rows the workbook has (people and lines): the export kit's threshold reads it."""
    members = members_of(agency, period.start_date, period.end_date)
    lines = AssignmentLine.objects.filter(period=period, unit__path__startswith=agency.path)
    return len(members) + lines.count()


#: A score's figures in the sheet's order (general points, a, b, c, d, đ, e, task percent and
#: points, total).
FIGURES = (
    "points_outside_tasks", "quantity", "quality", "timeliness", "unit_results", "organising",
    "cohesion", "task_percent", "task_points", "total",
)  # fmt: skip
#: Those stored as columns (``points_outside_tasks`` is worked out from the general points, or
#: the components, the total and the task points).
STORED = tuple(figure for figure in FIGURES if figure != "points_outside_tasks")


def build_form01(agency, period, people: list | None = None, progress=None) -> bytes:
    """The workbook; the ids of the civil servants it lists are added to ``people`` when given
    (for the read log). ``progress(rows)``, when given, hears how many rows are written
    (``cms.exports``: the background path)."""
    progress = progress or (lambda _rows: None)

    members = members_of(agency, period.start_date, period.end_date)
    by_person = {m.person_id: m for m in members.values()}
    if people is not None:
        people.extend(by_person)
    # The figures the sheet shows, not each score's explanation and inputs.
    scores = {
        s.civil_servant_id: s
        for s in PeriodScore.objects.filter(period=period, civil_servant_id__in=by_person).only(
            "civil_servant", "rating", "scored", "general_points", "component_points", *STORED
        )
    }
    marks: dict[int, dict[str, object]] = {}
    criteria: list[str] = []
    for person, criterion, self_mark, evaluator_mark in (
        GeneralCriteriaMark.objects.filter(period=period, civil_servant_id__in=by_person)
        .order_by("component", "criterion")
        .values_list("civil_servant_id", "criterion", "self_mark", "evaluator_mark")
    ):
        marks.setdefault(person, {})[criterion] = (
            evaluator_mark if evaluator_mark is not None else self_mark
        )
        if criterion not in criteria:
            criteria.append(criterion)
    criteria.sort(key=_criterion_order)
    # Labels translated once, not once a row.
    ratings = {value: str(label) for value, label in Rating.choices}
    roles = {value: str(label) for value, label in LeadershipRole.choices}

    not_scored, no_score = _("Không chấm điểm trong kỳ"), _("Chưa có kết quả chấm điểm")
    book = ExportBook()
    heading = _("PHIẾU THEO DÕI, ĐÁNH GIÁ (MẪU 01) — %(agency)s — %(period)s") % {
        "agency": agency.name,
        "period": period.label,
    }
    headers = [
        _("STT"), _("Mã số công chức"), _("Họ và tên"), _("Đơn vị"), _("Chức vụ"),
        *[_("Tiêu chí %(code)s") % {"code": code} for code in criteria],
        _("Điểm tiêu chí chung"), _("Số lượng (a), %"), _("Chất lượng (b), %"),
        _("Tiến độ (c), %"), _("Kết quả của cơ quan, đơn vị (d), %"),
        _("Tổ chức triển khai (đ), %"), _("Tập hợp, đoàn kết (e), %"),
        _("Tỷ lệ kết quả nhiệm vụ, %"), _("Điểm kết quả nhiệm vụ"), _("Tổng điểm"),
        _("Xếp loại"), _("Ghi chú"),
    ]  # fmt: skip
    sheet = book.sheet(_("Mẫu 01"), heading, headers, [6, 14, 26, 16, 14])
    for index, member in enumerate(members.values(), start=1):
        score = scores.get(member.person_id)
        person_marks = marks.get(member.person_id, {})
        row = [index, member.official_id, member.full_name, member.unit_code,
               roles.get(member.role, member.role),
               *[number(person_marks.get(code)) for code in criteria]]  # fmt: skip
        if score is None:
            row += [None] * (len(FIGURES) + 1) + [no_score]
        else:
            row += [
                *[number(getattr(score, figure)) for figure in FIGURES],
                ratings.get(score.rating, ""),
                "" if score.scored else not_scored,
            ]
        sheet.append(row)
        progress(index)

    lines = book.sheet(
        _("Kết quả nhiệm vụ"),
        _("KẾT QUẢ THỰC HIỆN NHIỆM VỤ — %(agency)s — %(period)s")
        % {"agency": agency.name, "period": period.label},
        [_("Mã số công chức"), _("Họ và tên"), _("Mã sản phẩm/công việc"),
         _("Tên sản phẩm/công việc"), _("Hệ số quy đổi"), _("Số lượng được giao"),
         _("Số lượng hoàn thành"), _("Hạn hoàn thành"), _("Ngày hoàn thành"),
         _("Số lần đánh giá chưa đạt"), _("Số lần chậm tiến độ"), _("Nguồn dữ liệu")],
        [14, 26, 14, 40],
    )  # fmt: skip
    sources = {
        value: str(label) for value, label in AssignmentLine._meta.get_field("source").choices
    }
    chosen = AssignmentLine.objects.filter(period=period, unit__path__startswith=agency.path)
    # The coefficient the lines are scored with (the common catalog's once adopted).
    effective = effective_items(chosen.values("item_id"), period.start_date)
    for written, values in enumerate(
        chosen.order_by("civil_servant__full_name", "civil_servant_id", "id")
        .values_list("civil_servant__official_id", "civil_servant__full_name", "item__code",
                     "item__name", "item_id", "assigned_quantity",
                     "completed_quantity", "deadline", "completed_on", "failed_reviews",
                     "delays", "source")
        .iterator(chunk_size=5000),
        start=len(members) + 1,
    ):  # fmt: skip
        official, name, code, item, coefficient, assigned, completed, deadline, done, failed, \
            delays, source = values  # fmt: skip
        coefficient = effective[coefficient].coefficient
        lines.append([official, name, code, item, number(coefficient), number(assigned),
                      number(completed), deadline, done, failed, delays,
                      sources.get(source, source)])  # fmt: skip
        progress(written)
    return book.bytes()


def _criterion_order(code: str):
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
    head, _sep, tail = code.partition(".")
    return (roman.get(head, 99), int(tail) if tail.isdigit() else 0, code)
