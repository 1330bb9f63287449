"""Views behind the public pages' routes: pick the period, fetch the (cached) aggregates,
render. Whole responses are cached under a key naming everything they depend on."""

from __future__ import annotations

from django.core.cache import cache as django_cache
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from catalog_pages.models import AgencyCatalogPage
from dashboards import cache, conf, presenters, public_data
from dashboards import method as method_facts
from dashboards.publication import (
    choose_period,
    products_by_group,
    public_tree,
    published_periods,
    trend_of,
)
from dashboards.snapshots import public_tables

BROWSER_MAX_AGE = 60


def _cached(request, page, parts: tuple, build):
    """Serve ``build()``'s response from the cache when possible (never for previews)."""
    if getattr(request, "is_preview", False):
        return build()
    key = cache.page_key(page.pk, page.live_revision_id, *parts)
    hit = django_cache.get(key)
    if hit is None:
        response = build()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            return response
        headers = {"Content-Type": response["Content-Type"]}
        if response.has_header("Content-Disposition"):
            headers["Content-Disposition"] = response["Content-Disposition"]
        hit = (response.content, headers)
        django_cache.set(key, hit, conf.cache_seconds())
    content, headers = hit
    response = HttpResponse(content, headers=headers)
    response["Cache-Control"] = f"public, max-age={BROWSER_MAX_AGE}"
    return response


def _period_or_404(request, periods):
    code = request.GET.get("ky", "").strip() or None
    period = choose_period(code, periods)
    if code and period is None:
        raise Http404
    return period


def _periods_by_year(periods) -> list[tuple[int, list]]:
    years: dict[int, list] = {}
    for period in periods:
        years.setdefault(period.year, []).append(period)
    return sorted(years.items(), reverse=True)


def _agency_url_maker(agency_page, period):
    if agency_page is None:
        return lambda code: ""
    query = f"?ky={period.code}" if period else ""
    return lambda code: agency_page.agency_url(code) + query


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------------------------
# Province overview.


def _overview_data(period, periods):
    trend = trend_of(period, periods)
    tables = public_tables(trend)
    return trend, tables


def overview(page, request):
    def build():
        periods = published_periods()
        period = _period_or_404(request, periods)
        agency_page = page.agency_page()
        context = page.get_context(request)
        context.update(
            {
                "period": period,
                "periods_by_year": _periods_by_year(periods),
                "legend": presenters.band_legend(),
                "threshold": conf.threshold(),
                "method_page": page.method_page(),
                "agency_page": agency_page,
                "categories_note": presenters.categories_note(),
            }
        )
        if period is not None:
            trend, tables = _overview_data(period, periods)
            agency_url = _agency_url_maker(agency_page, period)
            table = tables[period.pk]
            context.update(
                {
                    "mean_label": presenters.mean_label(period),
                    "organisation_label": presenters.organisation_label(period),
                    "table": presenters.table_view(table, agency_url),
                    "kinds": presenters.kind_comparisons(table, agency_url),
                    "trend": presenters.trend_view(
                        [(p, None, tables[p.pk].province) for p in trend], ""
                    ),
                }
            )
        return TemplateResponse(request, "dashboards/transparency_index_page.html", context)

    return _cached(request, page, ("overview", request.GET.get("ky", "")), build)


def overview_download(page, request, fmt: str):
    def build():
        periods = published_periods()
        period = _period_or_404(request, periods)
        if period is None:
            raise Http404
        trend, tables = _overview_data(period, periods)
        if fmt == "csv":
            rows = [
                public_data.csv_row(p, row, presenters.kind_label(row.kind))
                for p in trend
                for row in (*tables[p.pk].rows, tables[p.pk].province)
            ]
            return _download(
                public_data.to_csv(rows), "text/csv; charset=utf-8", f"kpi-{period.code}.csv"
            )
        data = public_data.envelope(
            "province_overview",
            conf.threshold(),
            period=public_data.period_data(period),
            periods=[
                {
                    **public_data.period_data(p),
                    "province": public_data.row_data(tables[p.pk].province, p),
                    "agencies": [public_data.row_data(row, p) for row in tables[p.pk].rows],
                }
                for p in trend
            ],
        )
        return _download(
            public_data.to_json(data), "application/json; charset=utf-8", f"kpi-{period.code}.json"
        )

    return _cached(request, page, ("overview", fmt, request.GET.get("ky", "")), build)


# --------------------------------------------------------------------------------------------
# Agencies.


def _public_agency(code: str):
    for node in public_tree().top_agencies():
        if node.code.lower() == code.lower():
            return node
    raise Http404


def agency_list(page, request):
    def build():
        agencies = [n for n in public_tree().top_agencies() if n.is_active]
        groups = [
            {"kind": label, "agencies": [(n, page.agency_url(n.code)) for n in members]}
            for label, members in presenters.public_groups(agencies)
        ]
        context = page.get_context(request)
        context.update(
            {
                "groups": groups,
                "overview_page": page.get_parent(),
                "categories_note": presenters.categories_note(),
            }
        )
        return TemplateResponse(request, "dashboards/agency_results_page.html", context)

    return _cached(request, page, ("list",), build)


def _agency_history(node, period, periods):
    """(trend items, this period's row, this agency's organisation result of the year)."""
    trend = trend_of(period, periods)
    tables = public_tables(trend)
    items = [(p, tables[p.pk].row_for(node.id), tables[p.pk].province) for p in trend]
    table = tables[period.pk]
    return items, table.row_for(node.id), presenters.organisation_view(table, node.id)


def _products(node, period):
    return cache.remember(
        cache.data_key("products", node.id, period.pk), lambda: products_by_group(node.id, period)
    )


def agency_detail(page, request, code):
    def build():
        node = _public_agency(code)
        periods = published_periods()
        period = _period_or_404(request, periods)
        catalog = AgencyCatalogPage.objects.live().filter(agency_id=node.id).first()
        context = page.get_context(request)
        context.update(
            {
                "agency": node,
                "agency_kind": presenters.kind_label(node.kind),
                "catalog_page": catalog,
                "period": period,
                "periods_by_year": _periods_by_year(periods),
                "legend": presenters.band_legend(),
                "threshold": conf.threshold(),
                "overview_page": page.get_parent(),
                "self_url": page.agency_url(node.code),
            }
        )
        if period is not None:
            items, current, organisation = _agency_history(node, period, periods)
            context.update(
                {
                    "current": presenters.row_view(current) if current else None,
                    "organisation": organisation,
                    "trend": presenters.trend_view(items, node.name),
                    "products": presenters.products_view(_products(node, period)),
                }
            )
        return TemplateResponse(request, "dashboards/agency_detail.html", context)

    return _cached(request, page, ("agency", code.lower(), request.GET.get("ky", "")), build)


def agency_download(page, request, code, fmt: str):
    def build():
        node = _public_agency(code)
        periods = published_periods()
        period = _period_or_404(request, periods)
        if period is None:
            raise Http404
        items, _current, organisation = _agency_history(node, period, periods)
        filename = f"kpi-{node.code.lower()}-{period.code}.{fmt}"
        if fmt == "csv":
            rows = [
                public_data.csv_row(p, row, presenters.kind_label(row.kind))
                for p, own, province in items
                for row in ((own, province) if own else (province,))
            ]
            return _download(public_data.to_csv(rows), "text/csv; charset=utf-8", filename)
        products = _products(node, period)
        data = public_data.envelope(
            "agency_results",
            conf.threshold(),
            agency={"code": node.code, "name": node.name, "kind": node.kind},
            period=public_data.period_data(period),
            periods=[
                {
                    **public_data.period_data(p),
                    "agency": public_data.row_data(own, p) if own else None,
                    "province": public_data.row_data(province, p),
                }
                for p, own, province in items
            ],
            products_completed_by_complexity_group={
                f"N{group}": value for group, value in products
            },
            organisation_result=(
                {
                    "year": period.year,
                    "score": organisation["score"],
                    "rating": organisation["code"],
                }
                if organisation
                else None
            ),
        )
        return _download(public_data.to_json(data), "application/json; charset=utf-8", filename)

    return _cached(request, page, ("agency", fmt, code.lower(), request.GET.get("ky", "")), build)


# --------------------------------------------------------------------------------------------
# Method.


def method(page, request):
    def build():
        today = timezone.localdate()
        periods = published_periods()
        context = page.get_context(request)
        context.update(
            {
                "today": today,
                "frameworks": method_facts.frameworks_in_force(today),
                "catalogs": method_facts.catalogs_in_force(today),
                "cut_off": method_facts.data_cut_off(periods),
                "lifted_ceilings": method_facts.lifted_ceilings(periods),
                "threshold": conf.threshold(),
                "legend": presenters.band_legend(),
                "overview_page": page.get_parent(),
            }
        )
        return TemplateResponse(request, "dashboards/method_page.html", context)

    return _cached(request, page, ("method", timezone.localdate().isoformat()), build)
