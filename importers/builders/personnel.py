"""Template of an agency's org structure and personnel, pre-filled with what is stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.builders import base
from importers.meta import TemplateMeta
from org.models import AgencyKind, JobPosition, Posting

UNIT_LIST = gettext_lazy("DS đơn vị")
POSITION_LIST = gettext_lazy("DS vị trí việc làm")


def build(kind, context) -> bytes:
    """The template a clerk downloads: the agency's stored units and the postings in force."""
    agency, day = context.agency, context.day
    postings = (
        Posting.objects.filter(agency__path__startswith=agency.path, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("civil_servant", "agency", "job_position")
        .order_by("agency__path", "civil_servant__full_name", "start_date")
    )
    people_rows = [
        [
            p.civil_servant.official_id,
            p.civil_servant.full_name,
            p.civil_servant.gender or None,
            p.civil_servant.date_of_birth,
            p.civil_servant.email,
            p.civil_servant.phone,
            p.agency.code,
            p.job_position.code,
            p.role,
            p.title,
            p.start_date,
            p.end_date,
            p.is_concurrent,
            p.category,
        ]
        for p in postings
    ]
    return workbook(kind, context, people_rows)


def workbook(kind, context, people_rows: list[list]) -> bytes:
    """The personnel template of ``context.agency`` with its stored units and ``people_rows``
    (one list per posting, in the order of the people sheet's columns). The download above
    passes the stored postings; the demo passes the rows of an agency whose clerk filled the
    template in (``demo.personnel_file_demo``): one builder for both files. The two sheets are
    the kind's own (``kind.sheets``: units, people), so this module imports no kind and the
    kind may import it."""
    agency, day = context.agency, context.day
    unit_sheet, people_sheet = kind.sheets
    units = list(agency.descendants().filter(kind=AgencyKind.UNIT).select_related("parent"))
    book = base.new_workbook()
    base.add_instructions(
        book,
        kind,
        context,
        [
            _("Trang “%(units)s”: các phòng, ban, chi cục thuộc cơ quan (có thể để trống).")
            % {"units": unit_sheet.name},
            _(
                "Trang “%(people)s”: mỗi dòng là một quá trình công tác; người kiêm nhiệm có thêm "
                "một dòng đánh dấu Kiêm nhiệm."
            )
            % {"people": people_sheet.name},
            _(
                "Tệp chỉ thêm mới và cập nhật, không xoá: muốn kết thúc một quá trình công tác, "
                "hãy ghi “Đến ngày”."
            ),
            _(
                "Ô để trống ở các cột Giới tính, Ngày sinh, Thư điện tử, Số điện thoại, Chức danh, "
                "Đến ngày: giữ nguyên giá trị đang lưu. Muốn xoá một giá trị đang lưu, ghi “(xoá)” "
                "vào ô đó."
            ),
            _("Đang điền sẵn các quá trình công tác còn hiệu lực ngày %(day)s.")
            % {"day": day.strftime("%d/%m/%Y")},
        ],
    )
    lists = {
        "units": base.add_list_sheet(
            book,
            str(UNIT_LIST),
            [_("Mã đơn vị"), _("Tên đơn vị")],
            [[agency.code, agency.name], *[[u.code, u.name] for u in units]],
        ),
        "positions": base.add_list_sheet(
            book,
            str(POSITION_LIST),
            [_("Mã vị trí việc làm"), _("Tên vị trí việc làm")],
            [[p.code, p.name] for p in JobPosition.objects.filter(is_active=True)],
        ),
    }
    unit_rows = [[u.code, u.name, u.parent.code if u.parent else "", u.is_active] for u in units]
    said = context.progress
    base.add_data_sheet(
        book, unit_sheet, unit_rows, lists, subtitle=agency.name, index=1, progress=said
    )
    base.add_data_sheet(
        book,
        people_sheet,
        people_rows,
        lists,
        subtitle=agency.name,
        freeze_columns=2,
        index=2,
        progress=None if said is None else lambda done: said(len(unit_rows) + done),
    )
    base.add_meta(
        book, TemplateMeta.create(kind.code, kind.version, agency.code, context.period_code)
    )
    return base.finish(book, people_sheet.name)
