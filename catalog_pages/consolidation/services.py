"""Consolidating the agencies' catalogs into the province common catalog (Sở Nội vụ only).

- ``candidate_groups``: run the matcher over the live items of every agency's live catalog;
- ``suggest_defaults``: name, unit, complexity group and coefficient for a merged product;
- ``merge_items``: create (or reuse) a ``CommonProduct`` and map the chosen items to it, all or
  nothing, refusing items that are already mapped;
- ``export_rows`` / ``export_csv`` / ``export_xlsx``: the common catalog with its mappings.

Permission checks stay in the views (``org.access.is_home_affairs``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.consolidation.matching import (
    DEFAULT_THRESHOLD,
    MatchItem,
    find_duplicate_groups,
    similarity,
)
from catalog_pages.models import CatalogItem, CommonProduct, CommonProductMapping
from cms.spreadsheets import csv_safe
from cms.xlsx import column_widths, header_row, table_book, to_bytes
from org.text import normalize_text

CODE_PREFIX = "DC-"
"""Codes of common products: DC-0001, DC-0002, ... (dùng chung)."""
_CODE_NUMBER = re.compile(rf"^{re.escape(CODE_PREFIX)}(\d+)$")
_SCORE_PLACES = Decimal("0.0001")
MAX_IN_LIST = 500
"""Beyond this many items, read all mappings rather than send a long IN (...) list."""


class MergeError(Exception):
    """The merge was refused; ``messages`` says why, in the user's language."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


# --- Live items and candidate groups -------------------------------------------------------------


def live_items():
    """Items of the live catalog pages of all agencies (what is in force right now)."""
    return (
        CatalogItem.objects.filter(page__live=True)
        .select_related("page__agency")
        .order_by("page__agency__path", "sort_order", "pk")
    )


@dataclass
class Member:
    item: CatalogItem
    mapping: CommonProductMapping | None = None

    @property
    def agency(self):
        return self.item.page.agency


@dataclass
class CandidateGroup:
    key: str
    """Stable identifier of the group (from its items' uids): anchors and form ids."""
    members: list[Member]
    min_score: float
    avg_score: float
    defaults: dict = field(default_factory=dict)

    @property
    def unmapped(self) -> list[Member]:
        return [m for m in self.members if m.mapping is None]

    @property
    def mapped_products(self) -> list[CommonProduct]:
        products = {
            m.mapping.common_product_id: m.mapping.common_product
            for m in self.members
            if m.mapping is not None
        }
        return [products[pk] for pk in sorted(products)]

    @property
    def resolved(self) -> bool:
        """Every member is already mapped, all to the same common product."""
        return not self.unmapped and len(self.mapped_products) == 1


def _mappings_by_item(items) -> dict[int, CommonProductMapping]:
    """Existing mappings of ``items`` (CatalogItem), by item pk."""
    uids = {item.uid for item in items}
    mappings = CommonProductMapping.objects.select_related("common_product")
    if len(uids) <= MAX_IN_LIST:
        mappings = mappings.filter(item_uid__in=uids)
    by_key = {(mapping.agency_id, mapping.item_uid): mapping for mapping in mappings}
    return {
        item.pk: by_key[(item.page.agency_id, item.uid)]
        for item in items
        if (item.page.agency_id, item.uid) in by_key
    }


def group_key(items) -> str:
    digest = hashlib.sha1(  # noqa: S324 - an identifier, not a security measure
        ",".join(sorted(str(item.uid) for item in items)).encode()
    )
    return digest.hexdigest()[:12]


def candidate_groups(
    threshold: float = DEFAULT_THRESHOLD, include_resolved: bool = False
) -> list[CandidateGroup]:
    """Probable duplicates among all live catalog items, best first."""
    items = {item.pk: item for item in live_items()}
    match_items = [
        MatchItem(item.pk, item.page.agency.code, item.code, item.name, item.output_unit)
        for item in items.values()
    ]
    groups = find_duplicate_groups(match_items, threshold=threshold)
    grouped = [items[m.id] for group in groups for m in group.members]
    mappings = _mappings_by_item(grouped)
    result = []
    for group in groups:
        chosen = [items[m.id] for m in group.members]  # the matcher hands back our pks
        members = [Member(item, mappings.get(item.pk)) for item in chosen]
        candidate = CandidateGroup(
            key=group_key([m.item for m in members]),
            members=members,
            min_score=group.min_score,
            avg_score=group.avg_score,
        )
        if candidate.resolved and not include_resolved:
            continue
        candidate.defaults = suggest_defaults([m.item for m in members])
        result.append(candidate)
    return result


# --- Defaults for a merged product ---------------------------------------------------------------


def _most_common(values, preference=None):
    """The most frequent value; ties broken by ``preference`` (higher first), then first seen.

    Coefficients and groups prefer the value nearest the median of the group.
    """
    counts = Counter(values)
    order = {value: n for n, value in reversed(list(enumerate(values)))}
    return max(
        counts,
        key=lambda v: (counts[v], preference(v) if preference else 0, -order[v]),
    )


def _name_preference(name: str):
    """Among equally frequent names prefer one with diacritics, not in capitals, capitalised,
    with the fewest brackets and stops, spelled out (the longest)."""
    marks = sum(name.count(mark) for mark in "()[]:;.")
    return (not name.isascii(), not name.isupper(), name[:1].isupper(), -marks, len(name))


def suggest_defaults(items) -> dict:
    """Prefill for the merged product: the most common name, unit, group and coefficient."""
    items = list(items)
    if not items:
        return {}
    names = [normalize_text(item.name) for item in items]
    units = [normalize_text(item.output_unit) for item in items]
    groups = [item.complexity_group for item in items]
    coefficients = [Decimal(item.coefficient).normalize() for item in items]
    middle = median(coefficients)
    return {
        "name": _most_common(names, _name_preference),
        "output_unit": _most_common(units, lambda u: (not u.isascii(), len(u))),
        "complexity_group": _most_common(groups, lambda g: -abs(g - median(groups))),
        "coefficient": _most_common(coefficients, lambda c: -abs(c - middle)),
    }


def next_common_code() -> str:
    numbers = [
        int(match.group(1))
        for code in CommonProduct.objects.filter(code__startswith=CODE_PREFIX).values_list(
            "code", flat=True
        )
        if (match := _CODE_NUMBER.match(code))
    ]
    return f"{CODE_PREFIX}{max(numbers, default=0) + 1:04d}"


# --- Merging -------------------------------------------------------------------------------------


def _item_label(item) -> str:
    return f"{item.page.agency.code} · {item.code}"


@transaction.atomic
def merge_items(item_ids, *, user, product: CommonProduct | None = None, new_product=None):
    """Map the live items ``item_ids`` to ``product`` or to a new product built from
    ``new_product`` (a dict of ``CommonProduct`` fields). All or nothing.

    Refuses (``MergeError``) items that are no longer live or are already mapped, including to
    ``product`` itself. Returns ``(product, mappings)``.
    """
    if (product is None) == (new_product is None):
        raise ValueError("Give exactly one of product and new_product.")
    ids = sorted({int(pk) for pk in item_ids})
    if not ids:
        raise MergeError([_("Chưa chọn sản phẩm/công việc nào để gộp.")])
    items = list(
        CatalogItem.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, page__live=True)
        .select_related("page__agency")
        .order_by("page__agency__path", "code", "pk")
    )
    missing = len(ids) - len(items)
    if missing:
        message = _("%(n)d sản phẩm/công việc đã chọn không còn trong danh mục đang áp dụng.")
        raise MergeError([message % {"n": missing}])
    already = _mappings_by_item(items)
    if already:
        raise MergeError(
            _("%(item)s đã được gộp vào %(product)s.")
            % {"item": _item_label(item), "product": already[item.pk].common_product}
            for item in items
            if item.pk in already
        )
    if product is None:
        product = CommonProduct(created_by=user, **new_product)
        try:
            product.full_clean()
        except ValidationError as error:
            raise MergeError(error.messages) from error
        product.save()
    now = timezone.now()
    mappings = [
        CommonProductMapping(
            common_product=product,
            agency=item.page.agency,
            item_uid=item.uid,
            item_code=item.code,
            item_name=item.name,
            item_output_unit=item.output_unit,
            similarity=Decimal(
                str(similarity(item.name, product.name, item.output_unit, product.output_unit))
            ).quantize(_SCORE_PLACES),
            mapped_by=user,
            mapped_at=now,
        )
        for item in items
    ]
    try:
        with transaction.atomic():
            CommonProductMapping.objects.bulk_create(mappings)
    except IntegrityError as error:  # mapped meanwhile by someone else
        message = _("Một số sản phẩm/công việc vừa được gộp ở phiên làm việc khác.")
        raise MergeError([message]) from error
    return product, mappings


# --- The common catalog and its export -----------------------------------------------------------


def common_products(query: str = ""):
    """Common products with their mappings, optionally those whose code or name has ``query``."""
    products = CommonProduct.objects.prefetch_related(
        Prefetch(
            "mappings",
            queryset=CommonProductMapping.objects.select_related("agency", "mapped_by").order_by(
                "agency__path", "item_code"
            ),
        )
    ).order_by("code")
    if query:
        products = products.filter(Q(code__icontains=query) | Q(name__icontains=query))
    return products


EXPORT_COLUMNS = [
    gettext_lazy("Mã dùng chung"),
    gettext_lazy("Tên sản phẩm/công việc dùng chung"),
    gettext_lazy("Đơn vị tính"),
    gettext_lazy("Nhóm mức độ phức tạp"),
    gettext_lazy("Hệ số quy đổi"),
    gettext_lazy("Sản phẩm chuẩn"),
    gettext_lazy("Mã cơ quan"),
    gettext_lazy("Cơ quan"),
    gettext_lazy("Mã sản phẩm của cơ quan"),
    gettext_lazy("Tên sản phẩm của cơ quan"),
    gettext_lazy("Đơn vị tính của cơ quan"),
    gettext_lazy("Độ tương đồng"),
    gettext_lazy("Người gộp"),
    gettext_lazy("Thời điểm gộp"),
]


def export_row_count() -> int:
    """The rows of the export, counted by query: one per mapping, one per product without."""
    unmapped = CommonProduct.objects.filter(mappings__isnull=True).count()
    return CommonProductMapping.objects.count() + unmapped


def export_rows(progress=None):
    """One row per mapping (a product without mappings gets one row with empty agency cells);
    ``progress(done)`` is told the rows yielded so far (the background build, ``cms.exports``)."""
    done = 0
    for product in common_products():
        head = [
            product.code,
            product.name,
            product.output_unit,
            product.complexity_group,
            product.coefficient,
            _("Có") if product.is_standard else "",
        ]
        mappings = list(product.mappings.all())
        if not mappings:
            yield [*head, "", "", "", "", "", None, "", None]
        for mapping in mappings:
            yield [
                *head,
                mapping.agency.code,
                mapping.agency.name,
                mapping.item_code,
                mapping.item_name,
                mapping.item_output_unit,
                mapping.similarity,
                str(mapping.mapped_by or ""),
                timezone.localtime(mapping.mapped_at).replace(tzinfo=None),
            ]
        done += max(1, len(mappings))
        if progress is not None:
            progress(done)


def _csv_value(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M")
    return value


def export_csv(progress=None) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows the Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c) for c in EXPORT_COLUMNS])
    for row in export_rows(progress):
        writer.writerow([csv_safe(_csv_value(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(progress=None) -> bytes:
    workbook, sheet = table_book(_("Danh mục dùng chung"))
    header_row(sheet, EXPORT_COLUMNS, freeze=True)
    for row in export_rows(progress):
        sheet.append(row)
    column_widths(sheet, (12, 60, 14, 8, 10, 8, 12, 30, 14, 60, 14, 10, 20, 18))
    return to_bytes(workbook)
