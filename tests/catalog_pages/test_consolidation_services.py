"""Consolidation services on real published catalogs: candidate groups over live items,
prefilled defaults, merging (atomic, refusing items already mapped), stability across
versions, and the export."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from catalog_pages.consolidation import services
from catalog_pages.consolidation.services import MergeError, merge_items
from catalog_pages.models import (
    AgencyCatalogPage,
    CatalogItem,
    CatalogVersion,
    CommonProduct,
    CommonProductMapping,
)
from catalog_pages.setup import setup_catalogs
from demo.data.products import PRODUCTS_BY_AGENCY
from org.access import HOME_AFFAIRS_GROUP
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory, publish

pytestmark = pytest.mark.django_db

AGENCIES = {
    "SNV": "Sở Nội vụ",
    "STC": "Sở Tài chính",
    "SKHCN": "Sở Khoa học và Công nghệ",
    "TTT": "Thanh tra tỉnh",
}
# The demo's planted duplicates among these four agencies.
STANDARD = {("SNV", "SNV-001"), ("STC", "STC-001"), ("SKHCN", "SKHCN-001")}
REFORM_REPORT = {("STC", "STC-002"), ("TTT", "TTT-002"), ("SKHCN", "SKHCN-002")}


def demo_items(agency_code):
    return [
        CatalogItem(
            code=p["code"],
            name=p["name"],
            output_unit=p["unit"],
            complexity_group=p["group"],
            coefficient=Decimal(p["coefficient"]),
            standard_minutes=p["standard_minutes"],
            is_standard=p["is_standard"],
        )
        for p in PRODUCTS_BY_AGENCY[agency_code]
    ]


def build_province():
    """Four agencies with the demo catalogs published, plus Sở Xây dựng whose catalog was
    published and then unpublished (its items stay in the database but are not live)."""
    province = ProvinceFactory()
    agencies = {
        code: AgencyFactory(parent=province, code=code, name=name)
        for code, name in AGENCIES.items()
    }
    construction = AgencyFactory(parent=province, code="SXD", name="Sở Xây dựng")
    setup_catalogs()
    home_affairs = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    for agency in agencies.values():
        publish(AgencyCatalogPage.objects.get(agency=agency), home_affairs, demo_items(agency.code))
    withdrawn = publish(
        AgencyCatalogPage.objects.get(agency=construction),
        home_affairs,
        [
            CatalogItem(
                code="SXD-001",
                name="VB hành chính thông thường (CV, TTr, TB)",
                output_unit="văn bản",
                complexity_group=1,
                coefficient=Decimal(1),
                is_standard=True,
            ),
        ],
    )
    withdrawn.unpublish()
    return {"agencies": agencies, "home_affairs": home_affairs, "construction": construction}


@pytest.fixture
def province(db):
    return build_province()


def item(agency, code):
    return CatalogItem.objects.get(page__agency__code=agency, code=code)


def keys(group):
    return {(m.agency.code, m.item.code) for m in group.members}


def new_product(**overrides):
    return {
        "code": "DC-0001",
        "name": "Văn bản hành chính thông thường (công văn, tờ trình, thông báo)",
        "output_unit": "văn bản",
        "complexity_group": 1,
        "coefficient": Decimal("1.0000"),
        "is_standard": True,
        "note": "",
        **overrides,
    }


# --- Candidate groups ----------------------------------------------------------------------------


def test_candidate_groups_cover_live_items_only(province):
    groups = services.candidate_groups()
    found = [keys(g) for g in groups]
    assert STANDARD in found  # SXD-001 would join it, but that catalog is no longer live
    assert REFORM_REPORT in found
    assert all(("SXD", "SXD-001") not in k for k in found)
    assert all(g.min_score >= 0.8 for g in groups)
    assert [g.min_score for g in groups] == sorted((g.min_score for g in groups), reverse=True)


def test_candidate_groups_prefill_the_most_common_values(province):
    group = next(g for g in services.candidate_groups() if keys(g) == STANDARD)
    assert group.defaults == {
        # All three names differ: prefer the spelled-out one with the fewest brackets.
        "name": "Văn bản hành chính thông thường: công văn, tờ trình, thông báo",
        "output_unit": "văn bản",
        "complexity_group": 1,
        "coefficient": Decimal("1"),
    }
    assert len(group.key) == 12
    assert group.key == services.group_key([m.item for m in group.members])


def test_suggest_defaults_prefers_frequent_values_then_the_median():
    rows = [
        ("BÁO CÁO NĂM", "báo cáo", 2, "3"),
        ("Báo cáo năm", "báo cáo", 3, "4"),
        ("Báo cáo năm", "BC", 3, "6"),
        ("Bao cao nam", "báo cáo", 2, "5"),
    ]
    items = [
        CatalogItem(
            code=str(n),
            name=name,
            output_unit=unit,
            complexity_group=group,
            coefficient=Decimal(coefficient),
        )
        for n, (name, unit, group, coefficient) in enumerate(rows)
    ]
    assert services.suggest_defaults(items) == {
        "name": "Báo cáo năm",
        "output_unit": "báo cáo",
        "complexity_group": 2,  # 2 and 3 tie; median 2.5, the first of the tied wins
        "coefficient": Decimal("4"),  # all differ; nearest the median 4.5: 4 (first) and 5
    }


# --- Merging -------------------------------------------------------------------------------------


def test_merge_into_a_new_product_maps_every_item(province):
    user = province["home_affairs"]
    items = [item(a, c) for a, c in sorted(STANDARD)]
    product, mappings = merge_items([i.pk for i in items], user=user, new_product=new_product())
    assert product.pk and product.created_by == user and product.is_standard
    stored = CommonProductMapping.objects.filter(common_product=product).order_by("item_code")
    assert [(m.agency.code, m.item_code, m.item_uid) for m in stored] == sorted(
        (i.page.agency.code, i.code, i.uid) for i in items
    )
    by_code = {m.item_code: m for m in stored}
    assert by_code["STC-001"].item_name == "VB hành chính thông thường (CV, TTr, TB)"
    assert by_code["SNV-001"].similarity == Decimal("1.0000")
    assert all(m.mapped_by == user and m.item_output_unit == "văn bản" for m in stored)
    assert len(mappings) == 3


def test_merge_into_an_existing_product(province):
    user = province["home_affairs"]
    product, _ = merge_items([item("SNV", "SNV-001").pk], user=user, new_product=new_product())
    same, _ = merge_items(
        [item("STC", "STC-001").pk, item("SKHCN", "SKHCN-001").pk], user=user, product=product
    )
    assert same == product
    assert product.mappings.count() == 3
    assert CommonProduct.objects.count() == 1


def test_merge_refuses_items_already_mapped_and_changes_nothing(province):
    user = province["home_affairs"]
    product, _ = merge_items([item("SNV", "SNV-001").pk], user=user, new_product=new_product())
    before = CommonProductMapping.objects.count()
    for target in (
        {"product": product},
        {"new_product": new_product(code="DC-0002", is_standard=False)},
    ):
        with pytest.raises(MergeError) as refused:
            merge_items([item("STC", "STC-001").pk, item("SNV", "SNV-001").pk], user=user, **target)
        assert "SNV · SNV-001" in refused.value.messages[0]
    assert CommonProductMapping.objects.count() == before
    assert list(CommonProduct.objects.values_list("code", flat=True)) == ["DC-0001"]


def test_merge_is_all_or_nothing_when_the_new_product_is_invalid(province):
    user = province["home_affairs"]
    merge_items([item("SNV", "SNV-001").pk], user=user, new_product=new_product())
    with pytest.raises(MergeError):  # a second province standard product, and a code taken
        merge_items([item("STC", "STC-002").pk], user=user, new_product=new_product())
    with pytest.raises(MergeError):
        merge_items(
            [item("STC", "STC-002").pk],
            user=user,
            new_product=new_product(code="DC-0002", is_standard=False, coefficient=Decimal(0)),
        )
    assert CommonProduct.objects.count() == 1
    assert not CommonProductMapping.objects.filter(item_code="STC-002").exists()


def test_merge_refuses_items_that_are_not_live(province):
    withdrawn = CatalogItem.objects.get(code="SXD-001")
    with pytest.raises(MergeError):
        merge_items([withdrawn.pk], user=province["home_affairs"], new_product=new_product())
    with pytest.raises(MergeError):
        merge_items([], user=province["home_affairs"], new_product=new_product())
    assert not CommonProduct.objects.exists()


@pytest.mark.parametrize("in_list", [500, 0])  # 0: read every mapping instead of IN (...)
def test_merged_groups_drop_out_of_the_review(province, monkeypatch, in_list):
    monkeypatch.setattr(services, "MAX_IN_LIST", in_list)
    user = province["home_affairs"]
    items = [item(a, c).pk for a, c in STANDARD]
    product, _ = merge_items(items, user=user, new_product=new_product())
    assert STANDARD not in [keys(g) for g in services.candidate_groups()]
    [group] = [g for g in services.candidate_groups(include_resolved=True) if keys(g) == STANDARD]
    assert group.resolved and group.mapped_products == [product]
    assert all(m.mapping.common_product == product for m in group.members)


def test_mapping_survives_a_new_catalog_version(province):
    user = province["home_affairs"]
    snv = item("SNV", "SNV-001")
    product, [mapping] = merge_items([snv.pk], user=user, new_product=new_product())
    page = AgencyCatalogPage.objects.get(agency__code="SNV").get_latest_revision_as_object()
    renamed = list(page.items.all())
    renamed[0].name = "Văn bản hành chính thông thường"
    publish(page, user, renamed, ref="2/QĐ-UBND")
    assert CatalogVersion.objects.filter(agency__code="SNV").count() == 2
    mapping.refresh_from_db()
    assert mapping.live_item.pk == item("SNV", "SNV-001").pk
    assert mapping.live_item.name == "Văn bản hành chính thông thường"
    assert [v.version.number for v in mapping.version_items().order_by("version__number")] == [1, 2]
    with pytest.raises(MergeError):  # still mapped: the uid did not change
        merge_items([item("SNV", "SNV-001").pk], user=user, product=product)


def test_next_common_code():
    assert services.next_common_code() == "DC-0001"
    CommonProduct.objects.create(
        code="DC-0041", name="A", output_unit="b", complexity_group=1, coefficient=Decimal(1)
    )
    CommonProduct.objects.create(
        code="KHAC-9", name="A", output_unit="b", complexity_group=1, coefficient=Decimal(1)
    )
    assert services.next_common_code() == "DC-0042"


# --- Export --------------------------------------------------------------------------------------


def test_export_lists_every_mapping(province):
    user = province["home_affairs"]
    merge_items([item(a, c).pk for a, c in STANDARD], user=user, new_product=new_product())
    CommonProduct.objects.create(
        code="DC-0002",
        name="Chưa gộp",
        output_unit="hồ sơ",
        complexity_group=2,
        coefficient=Decimal("2.5"),
    )
    rows = list(csv.reader(io.StringIO(services.export_csv().decode("utf-8-sig"))))
    assert rows[0][0] == "Mã dùng chung"
    assert [(r[0], r[6], r[8]) for r in rows[1:]] == [
        ("DC-0001", "SNV", "SNV-001"),
        ("DC-0001", "STC", "STC-001"),
        ("DC-0001", "SKHCN", "SKHCN-001"),
        ("DC-0002", "", ""),
    ]  # agencies in tree order (created SNV, STC, SKHCN)
    sheet = load_workbook(io.BytesIO(services.export_xlsx())).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 5
    assert values[1][:5] == ("DC-0001", new_product()["name"], "văn bản", 1, 1)
