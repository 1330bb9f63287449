"""An agency editor edits only their own agency's catalog — in lists and by URL."""

import pytest

from tests.factories import basic_items, publish

pytestmark = pytest.mark.django_db


def test_editor_can_open_own_catalog_but_not_another_by_url(client, catalogs):
    client.force_login(catalogs["justice_editor"])
    own = client.get(f"/admin/pages/{catalogs['justice'].pk}/edit/")
    other = client.get(f"/admin/pages/{catalogs['health'].pk}/edit/")
    assert own.status_code == 200
    assert other.status_code in (302, 403)
    response = client.post(f"/admin/pages/{catalogs['health'].pk}/edit/", {"title": "Chiếm"})
    assert response.status_code in (302, 403)
    catalogs["health"].refresh_from_db()
    assert catalogs["health"].title != "Chiếm"


def test_editor_cannot_publish_own_catalog(catalogs):
    perms = catalogs["justice"].permissions_for_user(catalogs["justice_editor"])
    assert perms.can_edit() and not perms.can_publish()


def test_explorer_lists_only_own_catalog(client, catalogs):
    client.force_login(catalogs["justice_editor"])
    index = catalogs["justice"].get_parent()
    response = client.get(f"/admin/pages/{index.pk}/")
    html = response.content.decode()
    assert "Sở Y tế" not in html


def test_version_pages_are_guarded_by_agency(client, catalogs):
    publish(catalogs["health"], catalogs["approver"], basic_items())
    version = catalogs["health"].versions.get()
    client.force_login(catalogs["justice_editor"])
    assert client.get(f"/admin/catalog-versions/{version.pk}/").status_code in (302, 403)
    assert "Sở Y tế" not in client.get("/admin/catalog-versions/").content.decode()
    client.force_login(catalogs["health_editor"])
    own = client.get(f"/admin/catalog-versions/{version.pk}/")
    # Their own agency's frozen version, with its products.
    assert own.status_code == 200
    page = own.content.decode()
    assert "Sở Y tế" in page
    assert all(item.code in page for item in version.items.all())


def test_sở_nội_vụ_edits_and_publishes_every_catalog(catalogs):
    for key in ("justice", "health"):
        perms = catalogs[key].permissions_for_user(catalogs["approver"])
        assert perms.can_edit() and perms.can_publish()
