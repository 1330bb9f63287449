"""Admin views of the common catalog: Sở Nội vụ only, review page, merge form, listing, export.

The views are mounted here through this module's own URLconf (the same URL patterns that
``catalog_pages/wagtail_hooks.py`` hands to Wagtail, behind Wagtail's admin login
check), so the tests do not depend on how ``wagtail_hooks.py`` wires them.
"""

import pytest

from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import include, path, reverse

from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

import cms.urls
from catalog_pages.consolidation.urls import urlpatterns as admin_urls
from catalog_pages.models import CommonProduct, CommonProductMapping
from catalog_pages.setup import editor_group_name
from catalog_pages.viewsets import CommonCatalogViewSetGroup
from tests.catalog_pages.test_consolidation_services import STANDARD, build_province, item
from tests.factories import UserFactory

urlpatterns = [
    path("admin/", include(decorate_urlpatterns(admin_urls, require_admin_access))),
    *cms.urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

REVIEW = "catalog_consolidation_review"
PRODUCTS = "catalog_common_products"
EXPORT = "catalog_common_products_export"
ADOPTIONS = "catalog_common_adoptions"
CHANGES = "catalog_common_changes"


@pytest.fixture
def province(db):
    data = build_province()
    # An agency editor: may use the Wagtail admin, but is not Sở Nội vụ.
    editor = UserFactory(username="bientap.snv")
    editor.groups.add(Group.objects.get(name=editor_group_name(data["agencies"]["SNV"])))
    data["editor"] = editor
    return data


@pytest.fixture
def home_affairs_client(client, province):
    client.force_login(province["home_affairs"])
    return client


def merge_post(items, **fields):
    return {
        "group": "abc",
        "items": [i.pk for i in items],
        "target": "new",
        "code": "DC-0001",
        "name": "Văn bản hành chính thông thường",
        "output_unit": "văn bản",
        "complexity_group": "1",
        "coefficient": "1",
        "note": "",
        **fields,
    }


@pytest.mark.parametrize("name", [REVIEW, PRODUCTS, EXPORT])
def test_views_refuse_everyone_but_home_affairs(client, province, name):
    client.force_login(province["editor"])
    assert client.get(reverse(name)).status_code == 403
    if name == REVIEW:
        response = client.post(reverse(name), merge_post([item("SNV", "SNV-001")]))
        assert response.status_code == 403
        assert not CommonProduct.objects.exists()


@pytest.mark.parametrize("name", [REVIEW, PRODUCTS, EXPORT])
def test_anonymous_users_are_sent_to_the_login(client, province, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_review_page_lists_candidate_groups_with_forms(home_affairs_client):
    response = home_affairs_client.get(reverse(REVIEW))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rà soát trùng lặp" in html
    assert "VB hành chính thông thường (CV, TTr, TB)" in html
    assert "BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ" in html
    assert "Báo cáo kết quả xác minh nội dung tố cáo" not in html  # a lookalike, not grouped
    page = response.context["page"]
    assert page.paginator.count == response.context["group_count"] >= 2
    group = next(g for g in page if {(m.agency.code, m.item.code) for m in g.members} == STANDARD)
    assert f'id="group-{group.key}"' in html
    assert group.form["code"].value() == "DC-0001"
    assert group.form["name"].value() == (
        "Văn bản hành chính thông thường: công văn, tờ trình, thông báo"
    )
    assert group.checked == {str(m.item.pk) for m in group.members}


def test_review_page_threshold_is_clamped(home_affairs_client):
    response = home_affairs_client.get(reverse(REVIEW), {"threshold": "0.1"})
    assert response.context["threshold"] == 0.5
    response = home_affairs_client.get(reverse(REVIEW), {"threshold": "abc"})
    assert response.context["threshold"] == 0.8


def test_merge_from_the_review_page(home_affairs_client, province):
    items = [item(a, c) for a, c in sorted(STANDARD)]
    response = home_affairs_client.post(
        reverse(REVIEW) + "?threshold=0.8", merge_post(items, is_standard="on")
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?threshold=0.8")
    product = CommonProduct.objects.get()
    assert (product.code, product.is_standard, product.created_by) == (
        "DC-0001",
        True,
        province["home_affairs"],
    )
    assert product.mappings.count() == 3
    page = home_affairs_client.get(reverse(REVIEW)).context["page"]
    assert all({(m.agency.code, m.item.code) for m in g.members} != STANDARD for g in page)

    # Into the existing product, from the merged group shown again.
    response = home_affairs_client.get(reverse(REVIEW), {"resolved": "1"})
    assert response.status_code == 200
    assert "DC-0001" in response.content.decode()


def test_invalid_merge_shows_the_errors_and_saves_nothing(home_affairs_client):
    items = [item("STC", "STC-002"), item("TTT", "TTT-002")]
    response = home_affairs_client.post(reverse(REVIEW), merge_post(items, name="", code=""))
    assert response.status_code == 200
    assert response.context["stray_form"].errors.keys() >= {"name", "code"}
    response = home_affairs_client.post(
        reverse(REVIEW), merge_post(items, target="existing", product="")
    )
    assert "product" in response.context["stray_form"].errors
    assert not CommonProduct.objects.exists()


def test_merging_an_item_already_mapped_is_refused(home_affairs_client):
    snv = item("SNV", "SNV-001")
    home_affairs_client.post(reverse(REVIEW), merge_post([snv]))
    product = CommonProduct.objects.get()
    response = home_affairs_client.post(
        reverse(REVIEW),
        merge_post([item("STC", "STC-001"), snv], target="existing", product=product.pk),
    )
    assert response.status_code == 200
    errors = response.context["stray_form"].non_field_errors()
    assert any("SNV-001" in e for e in errors)
    assert CommonProductMapping.objects.count() == 1


def test_bound_form_errors_show_inside_their_group(home_affairs_client):
    page = home_affairs_client.get(reverse(REVIEW)).context["page"]
    group = page[0]
    data = merge_post([m.item for m in group.members], group=group.key, coefficient="0")
    response = home_affairs_client.post(reverse(REVIEW), data)
    shown = next(g for g in response.context["page"] if g.key == group.key)
    assert "coefficient" in shown.form.errors
    assert response.context["stray_form"] is None


def test_common_product_listing_and_export(home_affairs_client):
    items = [item(a, c) for a, c in sorted(STANDARD)]
    home_affairs_client.post(reverse(REVIEW), merge_post(items))
    response = home_affairs_client.get(reverse(PRODUCTS))
    assert response.status_code == 200
    html = response.content.decode()
    assert "DC-0001" in html and "STC-001" in html and "SKHCN-001" in html
    assert (
        home_affairs_client.get(reverse(PRODUCTS), {"q": "không có"})
        .context["page"]
        .paginator.count
        == 0
    )

    xlsx = home_affairs_client.get(reverse(EXPORT))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="danh-muc-dung-chung-' in xlsx["Content-Disposition"]
    exported = home_affairs_client.get(reverse(EXPORT), {"format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    assert text.count("DC-0001") == 3


def test_menu_shows_the_consolidation_to_home_affairs_only(province):
    """An agency's catalog editor sees only what the common catalog changes for them."""
    menu = CommonCatalogViewSetGroup().get_menu_item()
    request = RequestFactory().get("/admin/")
    request.user = province["editor"]
    assert [item.url for item in menu.menu.menu_items_for_request(request)] == [reverse(CHANGES)]
    request.user = province["home_affairs"]
    assert menu.is_shown(request)
    assert len(menu.menu.menu_items_for_request(request)) == 4
    assert {pattern.name for pattern in admin_urls} == {
        REVIEW,
        PRODUCTS,
        EXPORT,
        ADOPTIONS,
        "catalog_common_adoption",
        CHANGES,
    }


def test_menu_lists_the_four_pages():
    menu = CommonCatalogViewSetGroup().get_menu_item()
    assert [item.url for item in menu.menu.initial_menu_items] == [
        reverse(REVIEW),
        reverse(PRODUCTS),
        reverse(ADOPTIONS),
        reverse(CHANGES),
    ]


def test_a_long_export_is_built_in_the_background_with_the_same_cells(
    home_affairs_client, province
):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the common catalog's export lands on the export
    job's page; the file has the inline download's cells; the CSV too is built in the
    background, with the inline bytes; no one else opens the job."""
    from django.test import override_settings

    from tests.export_jobs import in_background, refused_everywhere

    items = [item(a, c) for a, c in sorted(STANDARD)]
    home_affairs_client.post(reverse(REVIEW), merge_post(items))
    job, _inline, page = in_background(home_affairs_client, reverse(EXPORT), {}, rows=3)
    assert "Danh mục dùng chung" in page
    inline = home_affairs_client.get(reverse(EXPORT), {"format": "csv"})
    with override_settings(KPI_EXPORT_INLINE_ROWS=2):
        response = home_affairs_client.get(reverse(EXPORT), {"format": "csv"})
    assert response.status_code == 302
    csv_job = job.__class__.objects.exclude(pk=job.pk).get()
    download = home_affairs_client.get(reverse("cms_export_job_file", args=[csv_job.pk]))
    assert download["Content-Type"].startswith("text/csv")
    assert download.content == inline.content
    assert download["Content-Disposition"] == inline["Content-Disposition"]
    home_affairs_client.force_login(province["editor"])
    refused_everywhere(home_affairs_client, job, "DC-0001")
