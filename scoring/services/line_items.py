"""Which catalog products an assignment line may name (issue 44, ux M10): the items of the
approved catalog version in force for the line's agency — the agency owning the line's unit
(``Agency.owning_agency``) — on the last day of the line's period, as the agency's Excel
template lists them (``importers.kinds.results.spec.version_for``). The admin's "Thêm dòng giao
việc" offers those of the writer's agencies and refuses any other (another agency's item, an
old or a later version) with the reason, on the field."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from catalog_pages.models import CatalogVersion, CatalogVersionItem
from cms.formats.values import shown
from org import access


def catalog_agency_ids(user) -> set[int]:
    """The agencies whose catalogs ``user`` assigns from: every agency with a catalog for Sở
    Nội vụ; else those owning the agencies and units the user reaches."""
    with_catalog = CatalogVersion.objects.values_list("agency_id", flat=True)
    if access.is_home_affairs(user):
        return set(with_catalog)
    visible = access.visible_agencies(user)
    ids = set(with_catalog.filter(agency__in=visible))
    # A unit's admin or head reaches the unit, not the agency owning its catalog.
    for agency in [*access.granted_agencies(user), *access.headed_agencies(user)]:
        owner = agency.owning_agency
        if owner is not None:
            ids.add(owner.pk)
    return ids & set(with_catalog)


def versions_in_force(agency_ids, day: datetime.date) -> dict[int, CatalogVersion]:
    """agency id → its catalog version in force on ``day`` (``CatalogVersion.in_force``'s rule:
    the latest effective one, the highest number on a tie), in one query."""
    found: dict[int, CatalogVersion] = {}
    for version in (
        CatalogVersion.objects.filter(agency_id__in=list(agency_ids), effective_from__lte=day)
        .select_related("agency")
        .order_by("agency_id", "-effective_from", "-number")
    ):
        found.setdefault(version.agency_id, version)
    return found


def offered_items(user, day: datetime.date, keep=()) -> QuerySet:
    """The products the line form offers ``user``: the items of the versions in force on
    ``day`` for the user's agencies, plus ``keep`` (the line's current item)."""
    versions = versions_in_force(catalog_agency_ids(user), day)
    return (
        CatalogVersionItem.objects.filter(version__in=[v.pk for v in versions.values()])
        | CatalogVersionItem.objects.filter(pk__in=[pk for pk in keep if pk])
    ).select_related("version__agency")


def item_label(item: CatalogVersionItem, with_agency: bool) -> str:
    text = f"{item.code} — {item.name}"
    if with_agency:
        agency = item.version.agency
        text = f"{agency.short_name or agency.name}: {text}"
    return text


def item_refusal(item: CatalogVersionItem, unit, period) -> str | None:
    """Why ``item`` cannot be named by a line of ``unit`` in ``period``, or None."""
    owner = unit.owning_agency or unit
    version = CatalogVersion.objects.in_force(owner, period.end_date)
    if version is None:
        return _(
            "%(agency)s chưa có danh mục sản phẩm/công việc được phê duyệt áp dụng cho kỳ "
            "%(period)s."
        ) % {"agency": owner.name, "period": period.label}
    if item.version_id == version.pk:
        return None
    product = f"{item.code} — {item.name}"
    if item.version.agency_id != owner.pk:
        return _(
            "Sản phẩm “%(product)s” thuộc danh mục của %(other)s, không phải của %(agency)s "
            "(cơ quan của đơn vị thực hiện). Hãy chọn sản phẩm trong danh mục của %(agency)s."
        ) % {"product": product, "other": item.version.agency.name, "agency": owner.name}
    return _(
        "Sản phẩm “%(product)s” thuộc danh mục phiên bản %(number)d, không phải phiên bản "
        "%(current)d (áp dụng từ %(start)s) dùng cho kỳ %(period)s của %(agency)s. Hãy chọn "
        "sản phẩm của phiên bản đang áp dụng."
    ) % {
        "product": product,
        "number": item.version.number,
        "current": version.number,
        "start": shown(version.effective_from),
        "period": period.label,
        "agency": owner.name,
    }
