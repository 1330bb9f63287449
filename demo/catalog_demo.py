"""Demo catalogs for Thanh An: most agencies approved (version 1 from 1/1/2026), Sở Nội vụ with
a mid-year amendment (version 2 from 1/7/2026), Sở Y tế with an amendment waiting in the Sở Nội
vụ appraisal workflow, and one commune still drafting. The items carry the planted near-duplicates
of ``demo.data.products`` for the consolidation tool."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from catalog_pages.models import AgencyCatalogPage, CatalogItem
from catalog_pages.setup import editor_group_name, setup_catalogs
from demo.data.bodies import BODY_PRODUCTS
from demo.data.products import PRODUCTS_BY_AGENCY
from org.models import Agency, JobPosition

VERSION_1_FROM = datetime.date(2026, 1, 1)
AMENDMENT_FROM = datetime.date(2026, 7, 1)
AMENDED_AGENCY = "SNV"
PENDING_AGENCY = "SYT"
DRAFT_AGENCY = "X-YENSON"
EDITOR_AGENCY = "STP"  # the demo agency admin also edits this agency's catalog


def _item(spec, positions) -> CatalogItem:
    item = CatalogItem(
        code=spec["code"],
        name=spec["name"],
        output_unit=spec["unit"],
        complexity_group=spec["group"],
        coefficient=Decimal(spec["coefficient"]),
        standard_minutes=spec.get("standard_minutes"),
        evidence_required=spec.get("evidence") or "",
        is_standard=spec["is_standard"],
    )
    item.job_positions = [positions[code] for code in spec["positions"] if code in positions]
    return item


def _publish(page, approver, ref, effective):
    page.effective_from = effective
    page.approval_ref = ref
    page.save_revision(user=approver).publish(user=approver)


def _amend_sở_nội_vụ(page, approver):
    """Version 2: one new product, one coefficient raised, one product renamed, one removed."""
    page = page.get_latest_revision_as_object()
    items = list(page.items.all())
    items[1].coefficient = items[1].coefficient + Decimal("0.5")
    items[2].name = f"{items[2].name} (sửa đổi)"
    removed = items.pop()
    new = CatalogItem(
        code="SNV-900",
        name="Hồ sơ đánh giá, xếp loại chất lượng công chức trên phần mềm KPI",
        output_unit="hồ sơ",
        complexity_group=removed.complexity_group,
        coefficient=Decimal("1.50"),
        evidence_required="Phiếu đánh giá trên phần mềm KPI Công vụ",
    )
    new.job_positions = list(items[0].job_positions.all())
    page.items = [*items, new]
    _publish(page, approver, "215/QĐ-UBND", AMENDMENT_FROM)


def _submit_amendment(page, editor):
    page = page.get_latest_revision_as_object()
    new = CatalogItem(
        code=f"{page.agency.code}-900",
        name="Báo cáo giám sát dịch bệnh truyền nhiễm hằng tuần",
        output_unit="báo cáo",
        complexity_group=2,
        coefficient=Decimal("2.00"),
    )
    page.items = [*page.items.all(), new]
    page.effective_from = AMENDMENT_FROM
    revision = page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return revision


def load_catalog_demo() -> dict:
    index = setup_catalogs()
    users = get_user_model().objects
    approver = users.get(username="sonoivu")
    editor = users.get(username=f"quantri.{EDITOR_AGENCY.lower()}")
    editor.groups.add(
        Group.objects.get(name=editor_group_name(Agency.objects.get(code=EDITOR_AGENCY)))
    )
    positions = {p.code: p for p in JobPosition.objects.all()}
    # The bodies of the political system after the state administration (docs/scope.md §3).
    catalogs = {**PRODUCTS_BY_AGENCY, **BODY_PRODUCTS}
    for number, (code, products) in enumerate(catalogs.items(), start=1):
        page = AgencyCatalogPage.objects.get(agency__code=code)
        if page.versions.exists() or page.has_unpublished_changes:
            continue  # already loaded
        page.items = [_item(spec, positions) for spec in products]
        if code == DRAFT_AGENCY:
            page.save_revision(user=editor)
            continue
        _publish(page, approver, f"{100 + number}/QĐ-UBND", VERSION_1_FROM)
        page = AgencyCatalogPage.objects.get(pk=page.pk)
        if code == AMENDED_AGENCY:
            _amend_sở_nội_vụ(page, approver)
        elif code == PENDING_AGENCY:
            _submit_amendment(page, editor)
    return {"index": index, "catalogs": AgencyCatalogPage.objects.live().count()}
