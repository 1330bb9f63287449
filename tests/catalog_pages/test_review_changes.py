"""Review 2026-11-22 (ux #6, issue 16 item 5): catalog approval happened on Wagtail's raw
comparison (every product, True/None/1.0000, the change buried at the bottom), next to a direct
"Xuất bản" that bypasses the workflow, with the previous version's decision number pre-filled.
The reviewer now sees, on the page's edit view, the item-level changes against the version in
force before approving; publishing around the workflow is not offered while it runs; the
decision number starts empty."""

import datetime
import re

import pytest

from django.urls import reverse

from catalog_pages.models import AgencyCatalogPage
from tests.factories import basic_items, make_item, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(catalogs):
    """Sở Tư pháp's v1 in force (decision 105/QĐ-UBND); the editor submits v2: STP-001 renamed,
    STP-002's coefficient 8 → 9,5, STP-003 removed, STP-004 added."""
    page = publish(
        catalogs["justice"],
        catalogs["approver"],
        items=basic_items(catalogs["position"]),
        ref="105/QĐ-UBND",
    )
    draft = page.get_latest_revision_as_object()
    items = list(draft.items.all())
    items[0].name = "Văn bản hành chính"
    items[1].coefficient = "9.5"
    draft.items = [items[0], items[1], make_item("STP-004", "Báo cáo chuyên đề", "3")]
    draft.effective_from = datetime.date(2026, 7, 1)
    draft.save_revision(user=catalogs["justice_editor"])
    draft.get_workflow().start(draft, catalogs["justice_editor"])
    return AgencyCatalogPage.objects.get(pk=page.pk)


def edit_page(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    start = html.index('id="catalog-changes"')
    return html[start : start + 6000]


def test_the_reviewer_sees_the_item_changes_before_approving(client, catalogs, in_review):
    html = edit_page(client, catalogs["approver"], in_review)
    changes = section(html)
    assert "Thay đổi so với phiên bản đang áp dụng" in html  # the section's heading
    assert "phiên bản 1" in changes
    assert "STP-004" in changes and "Báo cáo chuyên đề" in changes  # added
    assert "STP-003" in changes  # removed
    assert "Văn bản hành chính thông thường" in changes and "Văn bản hành chính" in changes
    assert re.search(r"8\s*→\s*9,5", changes)  # coefficient, with the decimal comma
    assert "01/01/2026" in changes and "01/07/2026" in changes  # effective date change
    # The changes come before the form's fields, not at the bottom of a 10,000 px page.
    assert html.index('id="catalog-changes"') < html.index('name="items-TOTAL_FORMS"')


def test_publishing_around_the_workflow_is_not_offered(client, catalogs, in_review):
    html = edit_page(client, catalogs["approver"], in_review)
    assert 'name="action-publish"' not in html
    assert 'name="action-unpublish"' not in html
    assert 'data-workflow-action-name="approve"' in html
    editor = edit_page(client, catalogs["justice_editor"], in_review)
    assert 'name="action-publish"' not in editor


def test_the_decision_number_is_not_prefilled_with_the_previous_versions(
    client, catalogs, in_review
):
    html = edit_page(client, catalogs["approver"], in_review)
    field = re.search(r'<input[^>]*name="approval_ref"[^>]*>', html).group(0)
    assert "105/QĐ-UBND" not in field
    assert "105/QĐ-UBND" in html  # still said, as the decision of the version in force


def test_a_first_catalog_says_it_has_no_version_yet(client, catalogs):
    page = catalogs["health"].get_latest_revision_as_object()
    page.items = basic_items()
    page.save_revision(user=catalogs["health_editor"])
    html = edit_page(client, catalogs["approver"], page)
    assert "Chưa có phiên bản nào được phê duyệt" in section(html)


def approve_through_the_form(client, page, ref):
    """The edit form posted with the workflow's approve action, as the footer button does."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    draft = page.get_latest_revision_as_object()
    items = [
        {
            "id": item.pk or "",
            "code": item.code,
            "name": item.name,
            "output_unit": item.output_unit,
            "complexity_group": item.complexity_group,
            "coefficient": str(item.coefficient).replace(".", ","),
            "standard_minutes": "",
            "evidence_required": "",
            "is_standard": "on" if item.is_standard else "",
            "job_positions": [p.pk for p in item.job_positions.all()],
        }
        for item in sorted(draft.items.all(), key=lambda item: item.pk is None)
    ]
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "agency": draft.agency_id,
            "effective_from": draft.effective_from.strftime("%d/%m/%Y"),
            "approval_ref": ref,
            "intro": rich_text(""),
            "items": inline_formset(items, initial=sum(1 for item in items if item["id"])),
        }
    )
    data.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": "{}",
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_approving_needs_a_decision_number_of_its_own(client, catalogs, in_review):
    from catalog_pages.models import CatalogVersion

    client.force_login(catalogs["approver"])
    for ref in ("", "105/QĐ-UBND"):
        response = approve_through_the_form(client, in_review, ref)
        assert response.status_code == 200, ref  # the form again, with the error
        assert "số quyết định" in response.content.decode().lower()
        assert CatalogVersion.objects.filter(agency=in_review.agency).count() == 1
    response = approve_through_the_form(client, in_review, "231/QĐ-UBND")
    assert response.status_code == 302
    version = CatalogVersion.objects.get(agency=in_review.agency, number=2)
    assert version.approval_ref == "231/QĐ-UBND"
    assert version.effective_from == datetime.date(2026, 7, 1)


def item_block(html: str, code: str) -> str:
    """The editor's block of the catalog item whose code field holds ``code``."""
    at = html.index(f'value="{code}"')
    start = html.rindex('id="inline_child_items-', 0, at)
    end = html.find('id="inline_child_items-', at)
    return html[start : end if end != -1 else len(html)]


def test_the_editor_shows_the_coefficient_the_score_uses(client, catalogs):
    """Review 2026-11-23 C3 (issue 30 item 4): STP-006 was shown at 12 in the catalog editor
    but scored at 10 under the common catalog. The agency's editor sees, under the item's own
    coefficient, the coefficient this month's score uses and where it comes from — the very
    number the scorer (``effective_items``) uses; an item not in the common catalog whose
    coefficient is being changed in the draft shows the one still in force."""
    from django.utils import timezone

    from catalog_pages.common_catalog import effective_items
    from catalog_pages.models import CatalogVersion
    from tests.factories import common_adoption, common_product

    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    version = CatalogVersion.objects.get(agency=page.agency, number=1)
    item = version.items.get(code="STP-002")  # 8 in the agency's catalog
    common_product("DMC-006", "10", "báo cáo", items=[item])
    first = timezone.localdate().replace(day=1)
    common_adoption(first - datetime.timedelta(days=31), user=catalogs["approver"])
    used = effective_items([item.pk], first)[item.pk].coefficient
    assert used == 10
    draft = page.get_latest_revision_as_object()
    items = list(draft.items.all())
    for row in items:
        if row.code == "STP-001":
            row.coefficient = "1.5"  # the draft changes it; the score still uses 1
    draft.items = items
    draft.save_revision(user=catalogs["justice_editor"])

    html = edit_page(client, catalogs["justice_editor"], page)
    block = item_block(html, "STP-002")
    assert "Hệ số tính điểm hiện nay: 10 (theo danh mục dùng chung DMC-006)" in block
    assert "hệ số nhập ở đây không được dùng để tính điểm" in block
    own = item_block(html, "STP-001")
    assert "Hệ số tính điểm hiện nay: 1 (theo phiên bản 1 đang áp dụng)" in own
    third = item_block(html, "STP-003")
    assert "Hệ số tính điểm hiện nay" not in third


# --- every door that approves asks for the decision number (review 2026-11-25, coverage M7) ----


def quick_approve(client, page, *, modal=False, comment=""):
    """The home page's "Đang chờ bạn xem xét" → "Phê duyệt" (or "Phê duyệt kèm ý kiến", whose
    modal posts by XHR): Wagtail's workflow-action view, which never runs the page form."""
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if modal else {}
    return client.post(url, {"comment": comment}, **headers)


def set_draft_ref(page, user, ref):
    draft = page.get_latest_revision_as_object()
    draft.approval_ref = ref
    draft.save_revision(user=user)


@pytest.mark.parametrize("modal", [False, True], ids=["button", "with-comment"])
def test_the_quick_approve_never_freezes_a_version_under_the_previous_number(
    client, catalogs, in_review, modal
):
    """As coverage M7: v2 submitted with v1's number still in the draft, approved from the
    home page: "118/QĐ-UBND" twice in Phiên bản danh mục. Now nothing is approved and the
    approver is taken to the editor, which says what to enter."""
    from catalog_pages.models import CatalogVersion

    set_draft_ref(in_review, catalogs["justice_editor"], "105/QĐ-UBND")
    client.force_login(catalogs["approver"])
    response = quick_approve(client, in_review, modal=modal)
    target = response.json()["redirect"] if modal else response["Location"]
    assert target.endswith(f"/admin/pages/{in_review.pk}/edit/?can-so-quyet-dinh=1")
    assert CatalogVersion.objects.filter(agency=in_review.agency).count() == 1
    assert AgencyCatalogPage.objects.get(pk=in_review.pk).workflow_in_progress
    html = client.get(target).content.decode()
    assert "Chưa phê duyệt: Số quyết định 105/QĐ-UBND là của phiên bản 1 đang áp dụng" in html


def test_the_quick_approve_of_a_draft_with_its_own_number_says_what_it_approved(
    client, catalogs, in_review
):
    from catalog_pages.models import CatalogVersion

    set_draft_ref(in_review, catalogs["justice_editor"], "231/QĐ-UBND")
    client.force_login(catalogs["approver"])
    response = quick_approve(client, in_review)
    version = CatalogVersion.objects.get(agency=in_review.agency, number=2)
    assert version.approval_ref == "231/QĐ-UBND"
    assert response["Location"].endswith(f"/catalog-versions/{version.pk}/?da-phe-duyet=1")
    html = client.get(response["Location"]).content.decode()
    assert (
        f"Đã phê duyệt danh mục của {in_review.agency.name}: phiên bản 2, quyết định số "
        "231/QĐ-UBND, áp dụng từ 01/07/2026." in html
    )


def test_approving_in_the_editor_ends_on_the_version_not_the_page_explorer(
    client, catalogs, in_review
):
    """ux H4, L4: the approver landed on the page explorer with "Đã cập nhật trang" (and, for a
    bloc appraiser, "Bạn không có quyền truy cập")."""
    client.force_login(catalogs["approver"])
    response = approve_through_the_form(client, in_review, "231/QĐ-UBND")
    version = in_review.versions.get(number=2)
    assert response["Location"].endswith(f"/catalog-versions/{version.pk}/?da-phe-duyet=1")
    html = client.get(response["Location"]).content.decode()
    assert "Đã phê duyệt danh mục" in html and "quyết định số 231/QĐ-UBND" in html
    assert "Đã cập nhật trang" not in html
    assert "không có quyền" not in html
