"""factory_boy factories for catalog pages and frozen catalog versions (used by scoring tests).

Versions are written directly (as ``freeze_version`` would on publish), so tests do not depend
on the page publishing workflow.
"""

import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone
from wagtail.models import Page

from catalog_pages.models import (
    AgencyCatalogPage,
    CatalogIndexPage,
    CatalogVersion,
    CatalogVersionItem,
)

START_2026 = datetime.date(2026, 1, 1)


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
