"""The admin menu every admin page renders (issue 34: the admin shell at 100,000 people), per demo
role: each entry's test gives the same answer it gave before it was made cheap, the sidebar lists
the same entries, and each test and the whole sidebar cost a pinned number of queries — a test
that reads the province again, agency by agency, shows here before it shows in the benchmark.

Each test is asked on a fresh user object (a new request) after what every request reads anyway:
the sign-in's postings (the authentication backend), group names, agency grants, civil servant
and permissions (``org.access``, ``accounts``), so that the count is the test's own. Django's
content types are read before counting, as a serving process keeps them for its life (an earlier
test in the same process may have emptied that cache: the count must not depend on the order).
``KPI_MENU_DUMP=1`` prints the tables instead of checking them."""

import inspect
import json
import os

import pytest

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from wagtail.admin.menu import SubmenuMenuItem, admin_menu, settings_menu
from wagtail.admin.templatetags.wagtailadmin_tags import sidebar_props

from accounts.models import User
from org import access

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _admin_urls_built():
    """The menu as a serving process has it. Wagtail adds the viewsets' entries (most of ours:
    ``cms.admin_views.AdminPage``) to the menu hooks while it builds the admin's URLs
    (``register_admin_urls`` → ``viewsets.populate``), and a menu keeps the entries it found on
    its first reading for the process's life. A request has resolved its URL before anything
    renders the sidebar; a test process may not have: a demo province replayed from another
    process's recording loads no URL, and the menu came out without 33 entries (under ``-n 2``,
    in whichever worker replayed). So the URLs are built first and the menus read afresh."""
    get_resolver().url_patterns  # noqa: B018 (builds the admin's URLs, once per process)
    for menu in (admin_menu, settings_menu):
        menu.__dict__.pop("registered_menu_items", None)


ROLES = [
    "sonoivu",
    "quantri.stp",
    "lanhdao.phong",
    "congchuc",
    "giamdoc.stp",
    "chutich.tinh",
    "thamdinh.btc",
    "vanphong.ubnd",
    "quantri.tu",
]
DUMP = bool(os.environ.get("KPI_MENU_DUMP"))


def _menu_tests() -> dict[str, object]:
    """Every ``AdminPage`` entry's test in the admin menu, by its dotted name."""
    found = {}

    def walk(items):
        for item in items:
            if isinstance(item, SubmenuMenuItem):
                walk(item.menu.registered_menu_items)
            shown_to = inspect.getclosurevars(type(item).is_shown).nonlocals.get("shown_to")
            if shown_to is not None:
                found[f"{shown_to.__module__}.{shown_to.__qualname__}"] = shown_to

    walk(admin_menu.registered_menu_items)
    return found


def _fresh(username: str) -> User:
    user = User.objects.get(username=username)
    access.postings_of(user)
    access.is_home_affairs(user)
    access.civil_servant_of(user)
    user.get_all_permissions()
    access.grants(user)
    return user


def _entries(props: str) -> list[str]:
    """The names of the sidebar's entries, submenus' included, in order."""
    data = json.loads(props.split(">", 1)[1].rsplit("<", 1)[0])
    names: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type") in ("wagtail.sidebar.LinkMenuItem", "wagtail.sidebar.SubMenuItem"):
                names.append(node["_args"][0]["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return names


def _sidebar(username: str) -> tuple[list[str], int]:
    request = RequestFactory().get("/admin/account/")
    request.user = User.objects.get(username=username)
    with CaptureQueriesContext(connection) as queries:
        props = str(sidebar_props({"request": request}))
    return _entries(props), len(queries)


# The sidebars below are those main listed before the menu tests were made cheap (the same run of
# this module, KPI_MENU_DUMP=1, on both): every role's entries are unchanged.

#: Who sees each entry (the answer of its test), per test.
SHOWN = {
    "accounts.roles.is_account_admin": ["sonoivu", "quantri.stp", "quantri.tu"],
    "catalog_pages.access.can_record_adoption": ["sonoivu"],
    "catalog_pages.access.can_view_common_changes": [
        "sonoivu",
        "quantri.stp",
        "lanhdao.phong",
        "giamdoc.stp",
        "chutich.tinh",
        "thamdinh.btc",
        "quantri.tu",
    ],
    "catalog_pages.status.has_catalog_task": ["sonoivu", "quantri.stp"],
    "connectors.viewsets.can_reconcile": ["sonoivu", "quantri.stp", "quantri.tu"],
    "dashboards.admin_views.can_use_dashboards": [
        "sonoivu",
        "quantri.stp",
        "lanhdao.phong",
        "giamdoc.stp",
        "chutich.tinh",
        "thamdinh.btc",
        "quantri.tu",
    ],
    "dashboards.bloc_report.can_read_bloc_reports": ["sonoivu", "thamdinh.btc"],
    "dashboards.stuck_views.can_see_stuck_work": ["sonoivu"],
    "dashboards.upward_views.can_use_upward_reports": ["sonoivu"],
    "importers.access.can_use_importer": ["sonoivu", "quantri.stp", "thamdinh.btc", "quantri.tu"],
    "org.access.user_reach.is_home_affairs": ["sonoivu"],
    "org_scoring.access.can_view": ["sonoivu", "quantri.stp", "quantri.tu"],
    "org_scoring.access.may_enter_province_tasks": ["sonoivu", "vanphong.ubnd"],
    "org_scoring.access.may_view_quarterly_board": ["sonoivu", "chutich.tinh", "vanphong.ubnd"],
    "oversight.access.can_see_milestones": [
        "sonoivu",
        "quantri.stp",
        "lanhdao.phong",
        "giamdoc.stp",
        "chutich.tinh",
        "thamdinh.btc",
        "quantri.tu",
    ],
    "ratings.access.can_list_hr_history": [
        "sonoivu",
        "quantri.stp",
        "lanhdao.phong",
        "giamdoc.stp",
        "chutich.tinh",
        "thamdinh.btc",
        "quantri.tu",
    ],
    "ratings.access.can_manage_cases": ["sonoivu", "quantri.stp", "quantri.tu"],
    "ratings.access.may_view_agency_results": ["quantri.stp", "giamdoc.stp", "quantri.tu"],
    "ratings.viewsets.has_civil_servant": [
        "lanhdao.phong",
        "congchuc",
        "giamdoc.stp",
        "chutich.tinh",
    ],
    "worklog.viewsets.has_person": ["lanhdao.phong", "congchuc", "giamdoc.stp", "chutich.tinh"],
    "worklog.viewsets.leads_a_unit": ["lanhdao.phong", "giamdoc.stp", "chutich.tinh"],
    "worklog.viewsets.leads_today": ["lanhdao.phong", "giamdoc.stp", "chutich.tinh"],
    "ratings.services.related_opinions.may_be_asked": [
        "quantri.stp",
        "lanhdao.phong",
        "giamdoc.stp",
        "chutich.tinh",
        "quantri.tu",
    ],
}
#: The queries each test costs on its own beyond what every request reads (absent: none).
QUERIES = {
    ("catalog_pages.access.can_view_common_changes", "chutich.tinh"): 1,
    ("catalog_pages.access.can_view_common_changes", "giamdoc.stp"): 1,
    ("catalog_pages.access.can_view_common_changes", "lanhdao.phong"): 1,
    ("catalog_pages.access.can_view_common_changes", "sonoivu"): 1,
    ("catalog_pages.access.can_view_common_changes", "thamdinh.btc"): 1,
    ("catalog_pages.status.has_catalog_task", "quantri.stp"): 1,
    ("catalog_pages.status.has_catalog_task", "sonoivu"): 1,
    ("dashboards.admin_views.can_use_dashboards", "chutich.tinh"): 1,
    ("dashboards.admin_views.can_use_dashboards", "giamdoc.stp"): 1,
    ("dashboards.bloc_report.can_read_bloc_reports", "chutich.tinh"): 1,
    ("dashboards.bloc_report.can_read_bloc_reports", "giamdoc.stp"): 1,
    ("dashboards.bloc_report.can_read_bloc_reports", "lanhdao.phong"): 1,
    ("dashboards.bloc_report.can_read_bloc_reports", "sonoivu"): 1,
    ("dashboards.bloc_report.can_read_bloc_reports", "thamdinh.btc"): 2,
    # Session 56: the candidate agencies read once, by id (one query); a person reading none
    # is answered by it, the others' kinds asked about those ids.
    ("importers.access.can_use_importer", "chutich.tinh"): 10,
    ("importers.access.can_use_importer", "giamdoc.stp"): 6,
    ("importers.access.can_use_importer", "lanhdao.phong"): 3,
    ("importers.access.can_use_importer", "quantri.stp"): 3,
    ("importers.access.can_use_importer", "quantri.tu"): 3,
    ("importers.access.can_use_importer", "thamdinh.btc"): 12,
    ("org_scoring.access.may_view_quarterly_board", "chutich.tinh"): 1,
    ("org_scoring.access.may_view_quarterly_board", "giamdoc.stp"): 1,
    ("org_scoring.access.may_view_quarterly_board", "lanhdao.phong"): 1,
    ("ratings.access.can_list_hr_history", "chutich.tinh"): 1,
    ("ratings.access.can_list_hr_history", "giamdoc.stp"): 1,
    ("ratings.access.can_list_hr_history", "lanhdao.phong"): 1,
    ("ratings.access.can_list_hr_history", "thamdinh.btc"): 1,
    ("ratings.access.may_view_agency_results", "chutich.tinh"): 1,
    ("ratings.access.may_view_agency_results", "giamdoc.stp"): 1,
    ("ratings.access.may_view_agency_results", "lanhdao.phong"): 1,
    ("ratings.access.may_view_agency_results", "quantri.stp"): 1,
    ("ratings.access.may_view_agency_results", "quantri.tu"): 1,
    ("worklog.viewsets.leads_today", "chutich.tinh"): 7,
    ("worklog.viewsets.leads_today", "giamdoc.stp"): 7,
    ("worklog.viewsets.leads_today", "lanhdao.phong"): 7,
    ("ratings.services.related_opinions.may_be_asked", "chutich.tinh"): 1,
    ("ratings.services.related_opinions.may_be_asked", "giamdoc.stp"): 1,
    ("ratings.services.related_opinions.may_be_asked", "lanhdao.phong"): 1,
}
#: The queries of the whole sidebar on a fresh request (every test and Wagtail's own entries).
#: Session 38 (issue 48): one more for a person with a reach — their subtree's agency ids, read
#: once per request, by which the rows of their agencies are asked (``org.access.scopes``).
#: Session 56: the importer's entry reads the candidate agencies once by id — four fewer for a
#: person reading none (a unit head, the chairman's kinds asked about his few), one more for a
#: clerk who reads some.
SIDEBAR_QUERIES = {
    "chutich.tinh": 23,
    "congchuc": 9,
    "giamdoc.stp": 19,
    "lanhdao.phong": 17,
    "quantri.stp": 15,
    "quantri.tu": 13,
    "sonoivu": 14,
    "thamdinh.btc": 21,
    "vanphong.ubnd": 9,
}
#: The entries each role's sidebar lists.
ENTRIES = {
    "chutich.tinh": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "cong-chuc",
        "ke-hoach-cong-tac",
        "thong-ke-giam-sat",
        "phien-ban-danh-muc",
        "worklog",
        "worklog-mine",
        "worklog-assign",
        "worklog-board",
        "worklog-coordination",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "danh-muc-dung-chung",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "org-scoring",
        "org-scoring-quarter-board",
        "ratings",
        "ratings-mine",
        "ratings-cases",
        "ratings-related-opinions",
        "ratings-period-complaints",
        "ratings-hr-history",
        "ratings-half-years",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-inspections",
        "snippets",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "congchuc": [
        "phien-ban-danh-muc",
        "worklog",
        "worklog-mine",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "ratings",
        "ratings-mine",
        "ratings-cases",
        "ratings-period-complaints",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "giamdoc.stp": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "cong-chuc",
        "ke-hoach-cong-tac",
        "thong-ke-giam-sat",
        "phien-ban-danh-muc",
        "worklog",
        "worklog-mine",
        "worklog-assign",
        "worklog-board",
        "worklog-coordination",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "danh-muc-dung-chung",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "ratings",
        "ratings-mine",
        "ratings-agency-results",
        "ratings-cases",
        "ratings-related-opinions",
        "ratings-period-complaints",
        "ratings-hr-history",
        "ratings-half-years",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-inspections",
        "snippets",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "lanhdao.phong": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "cong-chuc",
        "ke-hoach-cong-tac",
        "thong-ke-giam-sat",
        "phien-ban-danh-muc",
        "worklog",
        "worklog-mine",
        "worklog-assign",
        "worklog-board",
        "worklog-coordination",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "danh-muc-dung-chung",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "ratings",
        "ratings-mine",
        "ratings-cases",
        "ratings-related-opinions",
        "ratings-period-complaints",
        "ratings-hr-history",
        "ratings-half-years",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-inspections",
        "snippets",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "quantri.stp": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "vi-tri-viec-lam",
        "ban-mo-ta-cong-viec",
        "khung-nang-luc",
        "cong-chuc",
        "phan-cong-phu-trach",
        "ke-hoach-cong-tac",
        "thong-ke-giam-sat",
        "danh-muc-cua-co-quan",
        "phien-ban-danh-muc",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "truong-hop-khong-hoan-thanh",
        "khung-tieu-chi-u0111e-xuat",
        "pham-vi-u0111uoc-u0111ieu-chinh-khung",
        "danh-muc-dung-chung",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "org-scoring",
        "org-scoring-results",
        "org-scoring-tasks",
        "org-scoring-marks",
        "org-scoring-shortcomings",
        "org-scoring-disqualifications",
        "org-scoring-recognitions",
        "ratings",
        "ratings-agency-results",
        "ratings-cases",
        "ratings-related-opinions",
        "ratings-period-complaints",
        "ratings-deadlines",
        "ratings-payroll",
        "ratings-party-review",
        "ratings-hr-history",
        "ratings-half-years",
        "ratings-calendar",
        "ratings-schedules",
        "ratings-bonus",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-milestone-records",
        "oversight-inspections",
        "nhap-xuat-excel",
        "snippets",
        "accounts",
        "ket-noi-van-ban",
        "nguon-van-ban",
        "anh-xa-loai-viec",
        "anh-xa-nguoi-xu-ly",
        "cho-anh-xa",
        "goi-tin-bi-tu-choi",
        "goi-tin-u0111a-nhan",
        "nhat-ky-nhan-goi-tin",
        "connectors-reconciliation",
        "cap-ma-phan-hoi-hai-long",
        "reports",
        "workflows",
        "workflow-tasks",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "quantri.tu": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "vi-tri-viec-lam",
        "ban-mo-ta-cong-viec",
        "khung-nang-luc",
        "cong-chuc",
        "phan-cong-phu-trach",
        "ke-hoach-cong-tac",
        "thong-ke-giam-sat",
        "phien-ban-danh-muc",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "truong-hop-khong-hoan-thanh",
        "khung-tieu-chi-u0111e-xuat",
        "pham-vi-u0111uoc-u0111ieu-chinh-khung",
        "danh-muc-dung-chung",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "org-scoring",
        "org-scoring-results",
        "org-scoring-tasks",
        "org-scoring-marks",
        "org-scoring-shortcomings",
        "org-scoring-disqualifications",
        "org-scoring-recognitions",
        "ratings",
        "ratings-agency-results",
        "ratings-cases",
        "ratings-related-opinions",
        "ratings-period-complaints",
        "ratings-deadlines",
        "ratings-payroll",
        "ratings-party-review",
        "ratings-hr-history",
        "ratings-half-years",
        "ratings-calendar",
        "ratings-schedules",
        "ratings-bonus",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-milestone-records",
        "oversight-inspections",
        "nhap-xuat-excel",
        "snippets",
        "accounts",
        "ket-noi-van-ban",
        "nguon-van-ban",
        "anh-xa-loai-viec",
        "anh-xa-nguoi-xu-ly",
        "cho-anh-xa",
        "goi-tin-bi-tu-choi",
        "goi-tin-u0111a-nhan",
        "nhat-ky-nhan-goi-tin",
        "connectors-reconciliation",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "sonoivu": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "vi-tri-viec-lam",
        "ban-mo-ta-cong-viec",
        "khung-nang-luc",
        "cong-chuc",
        "phan-cong-phu-trach",
        "tham-quyen-u0111anh-gia",
        "phan-quyen-theo-co-quan",
        "co-quan-chu-tri-khoi",
        "ke-hoach-cong-tac",
        "thong-ke-giam-sat",
        "upward-reports",
        "bloc-report",
        "stuck-work",
        "background-jobs",
        "thu-cho-gui-lai",
        "danh-muc-cua-co-quan",
        "phien-ban-danh-muc",
        "worklog",
        "worklog-holidays",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "giao-viec",
        "ky-u0111anh-gia",
        "truong-hop-khong-hoan-thanh",
        "khung-tieu-chi",
        "pham-vi-ap-dung-khung",
        "khung-tieu-chi-u0111e-xuat",
        "pham-vi-u0111uoc-u0111ieu-chinh-khung",
        "danh-muc-dung-chung",
        "ra-soat-trung-lap",
        "san-pham-dung-chung",
        "quyet-u0111inh-ban-hanh",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "org-scoring",
        "org-scoring-results",
        "org-scoring-quarter-board",
        "org-scoring-quarter-entry",
        "org-scoring-tasks",
        "org-scoring-marks",
        "org-scoring-shortcomings",
        "org-scoring-disqualifications",
        "org-scoring-recognitions",
        "org-scoring-quarter-windows",
        "org-scoring-quarterly-rules",
        "ratings",
        "ratings-cases",
        "ratings-period-complaints",
        "ratings-deadlines",
        "ratings-payroll",
        "ratings-party-review",
        "ratings-hr-history",
        "ratings-half-years",
        "ratings-calendar",
        "ratings-schedules",
        "ratings-bonus",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-milestone-records",
        "oversight-inspections",
        "nhap-xuat-excel",
        "snippets",
        "accounts",
        "ket-noi-van-ban",
        "nguon-van-ban",
        "anh-xa-loai-viec",
        "anh-xa-nguoi-xu-ly",
        "cho-anh-xa",
        "goi-tin-bi-tu-choi",
        "goi-tin-u0111a-nhan",
        "nhat-ky-nhan-goi-tin",
        "connectors-reconciliation",
        "cap-ma-phan-hoi-hai-long",
        "api-va-tich-hop",
        "he-thong-tich-hop",
        "nhat-ky-truy-cap-api",
        "gui-csdl-quoc-gia",
        "qua-han-gui-csdl-quoc-gia",
        "bien-nhan-gui-csdl-quoc-gia",
        "audit",
        "audit-read-log",
        "audit-change-history",
        "reports",
        "locked-pages",
        "workflows",
        "workflow-tasks",
        "site-history",
        "settings",
        "quy-tac-cham-u0111iem-ky",
        "lien-he-ho-tro-va-cau-hoi-thuong-gap",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "support-usage",
        "demo-personnel-file",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "thamdinh.btc": [
        "co-cau-to-chuc",
        "co-quan-u0111on-vi",
        "vi-tri-viec-lam",
        "ban-mo-ta-cong-viec",
        "khung-nang-luc",
        "cong-chuc",
        "thong-ke-giam-sat",
        "bloc-report",
        "phien-ban-danh-muc",
        "cham-u0111iem",
        "ket-qua-theo-ky",
        "ket-qua-xep-loai-nam",
        "tinh-u0111iem-tu-u0111ong",
        "ky-u0111anh-gia",
        "khung-tieu-chi",
        "khung-tieu-chi-u0111e-xuat",
        "pham-vi-u0111uoc-u0111ieu-chinh-khung",
        "danh-muc-dung-chung",
        "thay-u0111oi-do-danh-muc-dung-chung",
        "ratings",
        "ratings-cases",
        "ratings-period-complaints",
        "ratings-hr-history",
        "ratings-half-years",
        "oversight",
        "oversight-board",
        "oversight-milestones-config",
        "oversight-milestone-records",
        "oversight-inspections",
        "nhap-xuat-excel",
        "snippets",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
    "vanphong.ubnd": [
        "phien-ban-danh-muc",
        "org-scoring",
        "org-scoring-quarter-board",
        "org-scoring-quarter-entry",
        "ratings",
        "ratings-cases",
        "ratings-period-complaints",
        "cap-ma-phan-hoi-hai-long",
        "help",
        "guide",
        "support-help",
        "support-requests",
        "keyboard-shortcuts-trigger",
        "account",
    ],
}


def test_each_menu_test_answers_as_before_and_costs_its_pinned_queries(demo):
    tests = _menu_tests()
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())
    answers, costs = {}, {}
    for name, shown_to in sorted(tests.items()):
        for role in ROLES:
            user = _fresh(role)
            with CaptureQueriesContext(connection) as queries:
                answer = bool(shown_to(user))
            if answer:
                answers.setdefault(name, []).append(role)
            if len(queries):
                costs[name, role] = len(queries)
    if DUMP:
        print("SHOWN =", json.dumps(answers, indent=1))
        print("QUERIES =", dict(sorted(costs.items())))
        return
    assert set(SHOWN) <= set(tests), "a menu test pinned here is no longer in the menu"
    for name in tests:
        assert answers.get(name, []) == SHOWN.get(name, []), name
    over = {key: n for key, n in costs.items() if n > QUERIES.get(key, 0)}
    assert not over, f"menu tests reading more than pinned: {over}"


def test_each_role_sees_the_same_sidebar_for_a_pinned_number_of_queries(demo):
    seen = {role: _sidebar(role) for role in ROLES}
    seen = {role: _sidebar(role) for role in ROLES}  # the second request of a session
    if DUMP:
        print("ENTRIES =", json.dumps({role: names for role, (names, _n) in seen.items()}))
        print("SIDEBAR_QUERIES =", {role: n for role, (_names, n) in seen.items()})
        return
    for role, (names, queries) in seen.items():
        assert names == ENTRIES[role], role
        assert queries <= SIDEBAR_QUERIES[role], (role, queries)
