"""Template of an agency's product catalog, pre-filled with its latest revision (draft or live)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.builders import base
from importers.kinds.catalog.spec import SHEET_SPEC, catalog_page
from importers.meta import TemplateMeta
from org.models import JobPosition

POSITION_LIST = gettext_lazy("DS vị trí việc làm")


def build(kind, context) -> bytes:
    agency = context.agency
    page = catalog_page(agency)
    items = list(page.get_latest_revision_as_object().items.all()) if page else []
    # The catalog's own order; items saved without one by code (the database returns ties in
    # any order, and the template must be the same file every time).
    items.sort(key=lambda item: (item.sort_order is None, item.sort_order or 0, item.code))
    workbook = base.new_workbook()
    base.add_instructions(
        workbook,
        kind,
        context,
        [
            _(
                "Mỗi dòng là một sản phẩm/công việc của danh mục; đúng một dòng là sản phẩm chuẩn "
                "(hệ số 1)."
            ),
            _("Mỗi vị trí việc làm có tối đa 5 nhóm mức độ phức tạp."),
            _(
                "Sau khi nhập, danh mục được lưu thành bản nháp; cơ quan gửi Sở Nội vụ thẩm định "
                "tại trang danh mục như thường lệ."
            ),
        ],
    )
    lists = {
        "positions": base.add_list_sheet(
            workbook,
            str(POSITION_LIST),
            [_("Mã vị trí việc làm"), _("Tên vị trí việc làm")],
            [[p.code, p.name] for p in JobPosition.objects.filter(is_active=True)],
        ),
        "groups": '"1,2,3,4,5"',
    }
    rows = [
        [
            i.code,
            i.name,
            i.output_unit,
            i.complexity_group,
            i.coefficient,
            i.standard_minutes,
            i.evidence_required,
            i.is_standard,
            tuple(p.code for p in i.job_positions.all()),
        ]
        for i in items
    ]
    base.add_data_sheet(
        workbook, SHEET_SPEC, rows, lists, subtitle=agency.name, index=1, progress=context.progress
    )
    base.add_meta(workbook, TemplateMeta.create(kind.code, kind.version, agency.code))
    return base.finish(workbook, SHEET_SPEC.name)
