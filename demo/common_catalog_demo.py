"""The demo province's common catalog in force: Sở Nội vụ merges one planted duplicate group
(the yearly key-task plan of Sở Tư pháp, Sở Khoa học và Công nghệ and phường Thanh Xuân) into
a common product with its own coefficient, and the province adopts the common catalog from
01/03/2026. Sở Tư pháp's item STP-006 (own coefficient 12) is scored with the common 10 from
March: January and February keep 12, March uses 10 (its explain page says so), and
"Thay đổi do danh mục dùng chung" lists it. Idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from catalog_pages.common_catalog import adopt
from catalog_pages.consolidation.services import merge_items
from catalog_pages.models import (
    CatalogItem,
    CommonCatalogAdoption,
    CommonProduct,
    CommonProductMapping,
)

COMMON_CODE = "DMC-001"
MERGED = [("STP", "STP-006"), ("SKHCN", "SKHCN-003"), ("P-THANHXUAN", "P-THANHXUAN-003")]
DECISION = "25/QĐ-UBND"
EFFECTIVE_FROM = datetime.date(2026, 3, 1)


def load_common_catalog_demo() -> CommonCatalogAdoption | None:
    if CommonCatalogAdoption.objects.filter(decision_number=DECISION).exists():
        return None
    user = get_user_model().objects.get(username="sonoivu")
    product = CommonProduct.objects.filter(code=COMMON_CODE).first()
    items = [
        item
        for agency, code in MERGED
        for item in CatalogItem.objects.filter(page__agency__code=agency, code=code)
        if not CommonProductMapping.objects.filter(agency__code=agency, item_uid=item.uid).exists()
    ]
    if items:
        merge_items(
            [item.pk for item in items],
            user=user,
            product=product,
            new_product=None
            if product
            else {
                "code": COMMON_CODE,
                "name": "Kế hoạch triển khai nhiệm vụ trọng tâm năm",
                "output_unit": "kế hoạch",
                "complexity_group": 3,
                "coefficient": Decimal("10.00"),
            },
        )
    adoption = CommonCatalogAdoption.objects.create(
        decision_number=DECISION,
        decision_date=datetime.date(2026, 2, 16),
        signer="Phó Chủ tịch UBND tỉnh",
        effective_from=EFFECTIVE_FROM,
        note="Ban hành danh mục sản phẩm/công việc dùng chung (demo).",
        recorded_by=user,
    )
    return adopt(adoption, user)
