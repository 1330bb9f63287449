"""Catalogs: pages, frozen versions and their items, and catalog items published through the
page workflow.

``catalog_version`` writes a version directly (as ``freeze_version`` would on publish), so
scoring tests do not depend on the page publishing workflow; ``publish`` goes through it (for
the catalog and import tests).
"""

import datetime
import uuid
from decimal import Decimal

import factory

from django.utils import timezone

from wagtail.models import Page

from catalog_pages.common_catalog import adopt
from catalog_pages.models import (
    AgencyCatalogPage,
    CatalogIndexPage,
    CatalogItem,
    CatalogVersion,
    CatalogVersionItem,
    CommonCatalogAdoption,
    CommonProduct,
    CommonProductMapping,
)
from tests.factories.org import START_2026

__all__ = [
    "CatalogVersionFactory",
    "CatalogVersionItemFactory",
    "basic_items",
    "catalog_index",
    "catalog_page",
    "catalog_version",
    "common_adoption",
    "common_product",
    "make_item",
    "publish",
]


def catalog_index() -> CatalogIndexPage:
    existing = CatalogIndexPage.objects.first()
    if existing is not None:
        return existing
    home = Page.objects.get(depth=2)
    return home.add_child(
        instance=CatalogIndexPage(title="Danh mục sản phẩm/công việc", slug="danh-muc")
    )


def catalog_page(agency) -> AgencyCatalogPage:
    existing = AgencyCatalogPage.objects.filter(agency=agency).first()
    if existing is not None:
        return existing
    return catalog_index().add_child(
        instance=AgencyCatalogPage(
            title=f"Danh mục {agency.name}", slug=f"danh-muc-{agency.code.lower()}", agency=agency
        )
    )


class CatalogVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogVersion

    agency = None
    page = factory.LazyAttribute(lambda o: catalog_page(o.agency))
    number = factory.LazyAttribute(
        lambda o: CatalogVersion.objects.filter(agency=o.agency).count() + 1
    )
    effective_from = START_2026
    approval_ref = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    approved_at = factory.LazyFunction(timezone.now)


class CatalogVersionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogVersionItem

    version = factory.SubFactory(CatalogVersionFactory)
    uid = factory.LazyFunction(uuid.uuid4)
    code = factory.Sequence(lambda n: f"SP{n:03d}")
    name = factory.Sequence(lambda n: f"Sản phẩm thử nghiệm {n}")
    output_unit = "văn bản"
    complexity_group = 1
    coefficient = Decimal("1")
    sort_order = factory.Sequence(lambda n: n)


def catalog_version(agency, items=(("X", "1"), ("Y", "2")), effective_from=START_2026):
    """A frozen catalog version of ``agency`` with items ``(code, coefficient)``; returns
    ``(version, {code: item})``."""
    version = CatalogVersionFactory(agency=agency, effective_from=effective_from)
    created = {
        code: CatalogVersionItemFactory(
            version=version, code=code, name=f"Sản phẩm {code}", coefficient=Decimal(k)
        )
        for code, k in items
    }
    return version, created


def make_item(code, name=None, coefficient="1", group=1, standard=False, positions=()):
    """An unsaved catalog item for a page's ``items`` (published with :func:`publish`)."""
    item = CatalogItem(
        code=code,
        name=name or f"Sản phẩm {code}",
        output_unit="văn bản",
        complexity_group=group,
        coefficient=Decimal(coefficient),
        is_standard=standard,
    )
    item.job_positions = list(positions)
    return item


def basic_items(position=None):
    """Three items of Sở Tư pháp's catalog (one standard)."""
    positions = [position] if position else []
    return [
        make_item("STP-001", "Văn bản hành chính thông thường", "1", 1, True, positions),
        make_item("STP-002", "Báo cáo thẩm định dự thảo nghị quyết", "8", 3, False, positions),
        make_item("STP-003", "Hồ sơ hộ tịch có yếu tố nước ngoài", "2.5", 2, False, positions),
    ]


def publish(page, user, items=None, effective=datetime.date(2026, 1, 1), ref="1/QĐ-UBND"):
    """Save a revision of the catalog ``page`` (with ``items``, if given) and publish it."""
    page = page.get_latest_revision_as_object()
    if items is not None:
        page.items = items
    page.effective_from = effective
    page.approval_ref = ref
    page.save_revision(user=user).publish(user=user)
    return AgencyCatalogPage.objects.get(pk=page.pk)


def common_product(code="DMC-001", coefficient="3", output_unit="văn bản", items=()):
    """A common product with the frozen version ``items`` mapped to it (their agency is their
    version's)."""
    product = CommonProduct.objects.create(
        code=code,
        name=f"Sản phẩm dùng chung {code}",
        output_unit=output_unit,
        complexity_group=2,
        coefficient=Decimal(coefficient),
    )
    for item in items:
        CommonProductMapping.objects.create(
            common_product=product,
            agency_id=item.version.agency_id,
            item_uid=item.uid,
            item_code=item.code,
            item_name=item.name,
            item_output_unit=item.output_unit,
        )
    return product


def common_adoption(effective_from, *, number="25/QĐ-UBND", user=None, adopted=True):
    """A decision adopting the common catalog as it stands (a draft with ``adopted=False``)."""
    adoption = CommonCatalogAdoption.objects.create(
        decision_number=number,
        decision_date=effective_from - datetime.timedelta(days=14),
        signer="Phó Chủ tịch UBND tỉnh",
        effective_from=effective_from,
        recorded_by=user,
    )
    return adopt(adoption, user) if adopted else adoption
