"""Template of period results: the agency's people and the products of its catalog version."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.common_catalog import effective_items
from catalog_pages.models import CatalogVersionItem
from importers.builders import base
from importers.kinds.people import members_of
from importers.kinds.results.spec import SHEET_SPEC, version_for
from importers.meta import TemplateMeta

PEOPLE_LIST = gettext_lazy("DS công chức")
PRODUCT_LIST = gettext_lazy("DS sản phẩm")


def prefilled_rows(kind, context, members, items_by_id) -> list[list]:
    """Current Excel lines of the submission, then one starter row per person without lines."""
    by_person_id = {m.person_id: m for m in members.values()}
    rows, seen = [], set()
    lines = (
        kind.scope(context)
        .order_by("civil_servant__full_name", "civil_servant_id", "id")
        .values_list(
            "civil_servant_id",
            "item_id",
            "assigned_quantity",
            "completed_quantity",
            "deadline",
            "completed_on",
            "failed_reviews",
            "delays",
            "external_id",
            "note",
            "failed_by_product",
        )
    )
    for (
        person_id,
        item_id,
        assigned,
        completed,
        deadline,
        completed_on,
        failed,
        delays,
        external_id,
        note,
        failed_by_product,
    ) in lines:
        member = by_person_id.get(person_id)
        item = items_by_id.get(item_id)
        if member is None or item is None:
            continue
        line_code = external_id.split(":#", 1)[1] if ":#" in external_id else ""
        rows.append(
            [
                member.official_id,
                member.full_name,
                item.code,
                item.name,
                assigned,
                completed,
                deadline,
                completed_on,
                failed,
                delays,
                line_code,
                note,
                "; ".join(str(n) for n in failed_by_product or ()) or None,
            ]
        )
        seen.add(person_id)
    for member in members.values():
        if member.person_id not in seen:
            rows.append([member.official_id, member.full_name])
    return rows


def build(kind, context) -> bytes:
    agency, period = context.agency, context.period
    version = version_for(agency, period)
    members = members_of(agency, period.start_date, period.end_date)
    items = list(
        CatalogVersionItem.objects.filter(version=version).order_by("sort_order") if version else []
    )
    workbook = base.new_workbook()
    base.add_instructions(
        workbook,
        kind,
        context,
        [
            _("Mỗi dòng là một sản phẩm/công việc được giao cho một công chức trong kỳ %(period)s.")
            % {"period": period.label},
            _("Danh mục áp dụng: phiên bản %(number)s (từ %(start)s).")
            % {
                "number": version.number if version else "—",
                "start": version.effective_from.strftime("%d/%m/%Y") if version else "—",
            },
            _(
                "Mã số công chức và mã sản phẩm chọn trong danh sách (trang “%(people)s”, "
                "“%(products)s”); cột họ tên và tên sản phẩm chỉ để đối chiếu."
            )
            % {"people": PEOPLE_LIST, "products": PRODUCT_LIST},
            _(
                "Hai dòng cùng công chức, sản phẩm và hạn hoàn thành là trùng; ghi “Mã dòng” nếu "
                "thật sự cần tách."
            ),
        ],
    )
    rows = prefilled_rows(kind, context, members, {item.pk: item for item in items})
    lists = {}
    lists["people"] = base.add_list_sheet(
        workbook,
        str(PEOPLE_LIST),
        [_("Mã số công chức"), _("Họ và tên"), _("Đơn vị")],
        [[m.official_id, m.full_name, m.unit_code] for m in members.values()],
    )
    # The coefficient and unit the period is scored with (the common catalog's once adopted).
    shown = effective_items([item.pk for item in items], period.start_date)
    lists["products"] = base.add_list_sheet(
        workbook,
        str(PRODUCT_LIST),
        [_("Mã sản phẩm"), _("Tên sản phẩm/công việc"), _("Đơn vị tính"), _("Nhóm"), _("Hệ số")],
        [
            [i.code, i.name, shown[i.pk].output_unit, i.complexity_group,
             float(shown[i.pk].coefficient)]
            for i in items
        ],
    )  # fmt: skip
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
    base.add_meta(
        workbook,
        TemplateMeta.create(
            kind.code, kind.version, agency.code, period.code, version.number if version else ""
        ),
    )
    return base.finish(workbook, SHEET_SPEC.name)
