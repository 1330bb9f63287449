""" "Danh mục của cơ quan" (issue 30 item 9): the task page says where each catalog stands, only
to its editors; the editor offers the agency's own job positions; submitting returns there."""

import datetime

import pytest

from django.contrib.auth.models import Permission
from django.urls import reverse

from catalog_pages.models import AgencyCatalogPage
from tests.cms.test_listing_values import menu_urls
from tests.factories import JobPositionFactory, PostingFactory, UserFactory, basic_items, publish

pytestmark = pytest.mark.django_db
TASK = "/admin/danh-muc-co-quan/"


def test_the_task_page_follows_the_catalog_step_by_step(client, catalogs):
    page, editor, approver = catalogs["justice"], catalogs["justice_editor"], catalogs["approver"]
    assert reverse("catalog_agency_task") == TASK
    client.force_login(editor)

    html = client.get(TASK).content.decode()
    assert "Danh mục sản phẩm/công việc — Sở Tư pháp" in html
    assert "Sở Y tế" not in html  # another agency's catalog
    assert "Chưa có phiên bản nào được phê duyệt." in html
    assert f'href="/admin/pages/{page.pk}/edit/"' in html and "Sửa danh mục" in html

    publish(page, approver, basic_items(catalogs["position"]), ref="7/QĐ-UBND")
    later = AgencyCatalogPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    later.effective_from = datetime.date(2099, 1, 1)
    later.save_revision(user=editor)
    html = client.get(TASK).content.decode()
    assert "Đang áp dụng: phiên bản 1, từ ngày 01/01/2026 (quyết định 7/QĐ-UBND)" in html
    assert "Có bản nháp chưa gửi thẩm định" in html

    page = AgencyCatalogPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, editor)
    assert "Đang chờ Sở Nội vụ thẩm định" in client.get(TASK).content.decode()

    page = AgencyCatalogPage.objects.get(pk=page.pk)
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, approver, "reject", comment="Rà soát lại hệ số STP-002.")
    html = client.get(TASK).content.decode()
    assert "Sở Nội vụ yêu cầu sửa lại" in html and "Rà soát lại hệ số STP-002." in html


def test_the_menu_entry_is_for_catalog_editors_and_home_affairs(client, catalogs):
    someone = UserFactory(username="someone")
    someone.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for user, shown in (
        (catalogs["justice_editor"], True),
        (catalogs["approver"], True),
        (someone, False),
    ):
        client.force_login(user)
        urls = menu_urls(client.get("/admin/").content.decode())
        assert (TASK in urls) is shown, user.username
        # The page explorer ("Trang", with a catalog's empty "0 trang" list) is Sở Nội vụ's.
        assert ("/admin/pages/" in urls) is (user == catalogs["approver"]), user.username
        if not shown:
            assert "Bạn chưa được giao biên tập" in client.get(TASK).content.decode()


def test_the_editor_offers_the_agency_positions_only(client, catalogs):
    page, editor = catalogs["justice"], catalogs["justice_editor"]
    held = JobPositionFactory(code="CV-HT", name="Chuyên viên hộ tịch")
    PostingFactory(agency=page.agency, job_position=held)
    elsewhere = JobPositionFactory(code="BS", name="Bác sĩ")
    PostingFactory(agency=catalogs["health"].agency, job_position=elsewhere)
    publish(page, catalogs["approver"], basic_items(catalogs["position"]))
    client.force_login(editor)

    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Chuyên viên hộ tịch" in html  # held in Sở Tư pháp
    assert "Chuyên viên pháp chế" in html  # already named by the catalog
    assert "Bác sĩ" not in html
    assert 'type="checkbox" name="items-0-job_positions"' in html
    assert ">Quảng bá<" not in html
