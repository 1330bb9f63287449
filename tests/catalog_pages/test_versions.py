"""Versions are immutable; N stays intact after N+1; the version in force follows the dates."""

import datetime
from decimal import Decimal

import pytest

from catalog_pages.models import CatalogVersion, CatalogVersionItem, ImmutableError
from catalog_pages.versioning import diff_versions, version_in_force
from tests.factories import basic_items, make_item, publish

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def two_versions(catalogs):
    page, approver = catalogs["justice"], catalogs["approver"]
    page = publish(page, approver, basic_items(catalogs["position"]))
    v1 = CatalogVersion.objects.get(agency=page.agency, number=1)
    draft = page.get_latest_revision_as_object()
    # By code: a revision's items come back in no guaranteed order (PostgreSQL, CI 24/11).
    items = sorted(draft.items.all(), key=lambda item: item.code)
    items[1].coefficient = Decimal("10")  # STP-002: 8 -> 10
    items[2].name = "Hồ sơ hộ tịch có yếu tố nước ngoài (đã sửa)"  # STP-003 renamed
    items.pop(0)  # the old standard product STP-001 goes …
    items.append(make_item("STP-010", "Văn bản hành chính", "1", 1, standard=True))  # … replaced
    publish(draft, approver, items, effective=D(2026, 7, 1), ref="99/QĐ-UBND")
    v2 = CatalogVersion.objects.get(agency=page.agency, number=2)
    return v1, v2


def snapshot(version):
    return sorted((i.code, i.name, str(i.coefficient), i.is_standard) for i in version.items.all())


def test_version_one_is_unchanged_after_version_two(two_versions):
    v1, v2 = two_versions
    assert snapshot(v1) == [
        ("STP-001", "Văn bản hành chính thông thường", "1.0000", True),
        ("STP-002", "Báo cáo thẩm định dự thảo nghị quyết", "8.0000", False),
        ("STP-003", "Hồ sơ hộ tịch có yếu tố nước ngoài", "2.5000", False),
    ]
    assert {code for code, *_ in snapshot(v2)} == {"STP-002", "STP-003", "STP-010"}


def test_versions_and_items_refuse_changes(two_versions):
    v1, _v2 = two_versions
    v1.approval_ref = "sửa"
    with pytest.raises(ImmutableError):
        v1.save()
    item = v1.items.first()
    item.coefficient = Decimal("99")
    with pytest.raises(ImmutableError):
        item.save()
    with pytest.raises(ImmutableError):
        item.delete()
    assert CatalogVersionItem.objects.get(pk=item.pk).coefficient != Decimal("99")


def test_version_in_force_by_date(two_versions):
    v1, v2 = two_versions
    agency = v1.agency
    assert version_in_force(agency, D(2025, 12, 31)) is None
    assert version_in_force(agency, D(2026, 3, 15)) == v1
    assert version_in_force(agency, D(2026, 6, 30)) == v1
    assert version_in_force(agency, D(2026, 7, 1)) == v2


def test_diff_lists_added_removed_renamed_and_coefficient_changes(two_versions):
    v1, v2 = two_versions
    diff = diff_versions(v1, v2)
    assert [i.code for i in diff.added] == ["STP-010"]
    assert [i.code for i in diff.removed] == ["STP-001"]
    assert [(o.name, n.name) for o, n in diff.renamed] == [
        ("Hồ sơ hộ tịch có yếu tố nước ngoài", "Hồ sơ hộ tịch có yếu tố nước ngoài (đã sửa)")
    ]
    assert [(str(o.coefficient), str(n.coefficient)) for o, n in diff.coefficient_changed] == [
        ("8.0000", "10.0000")
    ]
    assert diff.unchanged == 0


def test_republishing_the_same_revision_does_not_duplicate(catalogs):
    from catalog_pages.versioning import freeze_version

    page = publish(catalogs["justice"], catalogs["approver"], basic_items())
    version = CatalogVersion.objects.get()
    assert freeze_version(page, version.revision) == version
    assert CatalogVersion.objects.count() == 1


def test_an_effective_date_before_the_previous_version_is_moved_forward(catalogs):
    page = publish(
        catalogs["justice"], catalogs["approver"], basic_items(), effective=D(2026, 5, 1)
    )
    publish(page, catalogs["approver"], effective=D(2026, 1, 1))
    assert CatalogVersion.objects.get(number=2).effective_from == D(2026, 5, 1)


def test_diff_view_shows_changes(client, two_versions, catalogs):
    _v1, v2 = two_versions
    client.force_login(catalogs["approver"])
    html = client.get(f"/admin/catalog-versions/{v2.pk}/").content.decode()
    assert 'data-diff="added">STP-010' in html
    assert 'data-diff="removed">STP-001' in html
    assert "8 → 10" in html


def amendment_form(page, user):
    form_class = type(page).get_edit_handler().get_form_class()
    return form_class(instance=page, for_user=user)


def test_an_agency_amendment_must_take_effect_after_the_version_in_force(catalogs):
    page = publish(
        catalogs["justice"], catalogs["approver"], basic_items(), effective=D(2026, 1, 1)
    )
    form = amendment_form(page, catalogs["justice_editor"])
    form.cleaned_data = {}
    for day in (None, D(2026, 1, 1), D(2025, 12, 1)):
        form._errors = {}
        form._check_amendment_date(day)
        assert "phiên bản 1, từ 01/01/2026" in str(form.errors["effective_from"])
    form._errors = {}
    form._check_amendment_date(D(2026, 7, 1))
    assert not form.errors
    correction = amendment_form(page, catalogs["approver"])
    correction._errors, correction.cleaned_data = {}, {}
    correction._check_amendment_date(D(2026, 1, 1))
    assert not correction.errors
