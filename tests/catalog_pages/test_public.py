"""Published catalogs are public documents; drafts are not."""

import pytest

from tests.factories import basic_items, publish

pytestmark = pytest.mark.django_db


def test_published_catalog_renders_by_position_and_group(client, catalogs):
    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    html = client.get(page.url).content.decode()
    assert "Chuyên viên pháp chế" in html
    assert "Báo cáo thẩm định dự thảo nghị quyết" in html
    assert "N3" in html and "sản phẩm chuẩn" in html
    assert "Phiên bản 1" in html and "1/QĐ-UBND" in html
    index = client.get(page.get_parent().url).content.decode()
    assert "Sở Tư pháp" in index


def test_unpublished_catalog_and_draft_changes_stay_private(client, catalogs):
    page = catalogs["health"].get_latest_revision_as_object()
    page.items = basic_items()
    page.save_revision(user=catalogs["health_editor"])
    assert client.get("/danh-muc/syt/").status_code == 404
    assert "Sở Y tế" not in client.get("/danh-muc/").content.decode()


def test_a_version_approved_ahead_of_its_date_is_not_shown_as_the_catalog(client, catalogs):
    """Review 2026-11-23 C3: version 2, valid from 01/01/2027, was shown as *the* catalog."""
    import datetime

    from django.utils import timezone

    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    later = timezone.localdate() + datetime.timedelta(days=40)
    page = publish(page, catalogs["approver"], effective=later, ref="2/QĐ-UBND")
    html = client.get(page.url).content.decode()
    assert "Hiện đang áp dụng phiên bản 1 (từ ngày 01/01/2026)" in html
    assert f"chỉ áp dụng từ ngày {later:%d/%m/%Y}" in html


def test_the_coefficient_shown_is_the_one_the_score_uses(client, catalogs):
    """Review 2026-11-23 C3 (issue 30 item 4): STP-006 was shown at 12 on the public page but
    scored at 10 under the common catalog. The page shows the catalog's own coefficient and,
    beside it, the one used to score today — the very number ``effective_items`` gives."""
    import datetime

    from django.utils import timezone

    from catalog_pages.common_catalog import effective_items
    from catalog_pages.models import CatalogVersion
    from tests.factories import common_adoption, common_product

    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    version = CatalogVersion.objects.get(agency=page.agency, number=1)
    item = version.items.get(code="STP-002")  # 8 in the agency's catalog
    common_product("DMC-006", "10", "báo cáo", items=[item])
    today = timezone.localdate()
    common_adoption(today.replace(day=1) - datetime.timedelta(days=31), user=catalogs["approver"])
    used = effective_items([item.pk], today.replace(day=1))[item.pk].coefficient
    assert used == 10
    html = client.get(page.url).content.decode()
    row = html[html.index("STP-002") :]
    row = row[: row.index("</tr>")]
    assert ">8<" in row  # the agency's own coefficient
    assert "Hệ số tính điểm hiện nay: 10 (theo danh mục dùng chung DMC-006)" in row
    other = html[html.index("STP-003") :]
    assert "Hệ số tính điểm hiện nay" not in other[: other.index("</tr>")]
