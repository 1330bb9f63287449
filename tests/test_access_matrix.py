"""The generated access matrix: every URL of the project × every demo role, on the demo province.

Every URL pattern the project serves is enumerated from the resolver. Each must have a rule in
``RULES`` (our own views, by name) or be covered by a generated rule (every snippet viewset and
its chooser, from the registered viewsets) or a namespace rule (Wagtail's own admin sections):
a new URL without one fails :func:`test_every_url_has_a_rule`.

For each role of the demo — civil servant ``congchuc``, unit leader ``lanhdao.phong``, agency
admin ``quantri.stp`` (all of Sở Tư pháp), the appraisers of the Party and Front blocs' lead
bodies (``thamdinh.btc``, ``thamdinh.mttq``), Sở Nội vụ ``sonoivu`` and an anonymous visitor — each
URL is requested for rows *outside* that role's reach (another agency: Sở Nông nghiệp và Môi
trường, "the outside agency"):

* a URL naming a row: refused (401/403/404/405, or a redirect to the sign-in or the admin home),
  and for writing URLs a POST changes nothing;
* a URL naming no row (listings, exports, choosers, reports, dashboards, API lists): the names
  and official IDs of the outside agency's people never appear in the answer.

Sở Nội vụ opens the same rows (a refusal there would mean the URL was filled wrongly and the
check above proved nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode

import pytest

from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wagtail.snippets.models import get_snippet_models

from org import access
from org.models import Agency, CivilServant

OUTSIDE_AGENCY = "SNNMT"
ROLES = {
    "civil_servant": "congchuc",
    "unit_leader": "lanhdao.phong",
    "agency_admin": "quantri.stp",
    "home_affairs": "sonoivu",
    "anonymous": None,
    # Added after the review of 2026-11-23: a head of an agency, another agency's admin (an
    # appraiser of its units), the province office, a viên chức and a contract worker.
    "agency_head": "giamdoc.stp",
    "other_agency_admin": "quantri.skhcn",
    "province_office": "vanphong.ubnd",
    "public_employee": "vienchuc.bvdk-noi.1",
    "contract_worker": "hopdong.skhcn.1",
    # Added for issue 27's action matrix (sign-ins made by the world below): the deputy head of
    # a unit of Sở Tư pháp; the head of a unit of the outside agency transferred out of it to
    # Sở Tư pháp on TRANSFER_DAY (as staff); a member of the outside agency's staff transferred
    # in to Sở Tư pháp as a unit's deputy head the same day. Their own records, from before the
    # transfer, are of the outside agency: those two names are theirs to see.
    "unit_deputy": "test.photruongphong",
    "transferred_out": "test.chuyendi",
    "transferred_in": "test.chuyenden",
    # Issue 32: the appraisers of the blocs' lead bodies (Ban Tổ chức Tỉnh ủy, the Front's
    # standing committee) reach their bloc, never the state bloc's outside agency.
    "party_bloc_appraiser": "thamdinh.btc",
    "front_bloc_appraiser": "thamdinh.mttq",
}
OUTSIDERS = [role for role in ROLES if role != "home_affairs"]


# --- enumerating the URLs --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or the bare name; "" for unnamed catch-alls
    route: str  # the full route, for filling in arguments

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", self.route) and [
            a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", self.route)
        ]


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                full = f"{namespace}:{name}" if namespace and name else name
                routes.append(Route(full, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", None)
    return routes


def fill(route: Route, values: dict) -> str:
    """The path of ``route`` with its parameters replaced by ``values``."""
    path = route.route
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


# --- the rules ------------------------------------------------------------------------------


@dataclass
class Rule:
    """How a URL is checked.

    ``kind``:
      * ``"row"``: names a row; ``row(world, role)`` gives the parameters for a row outside the
        role's reach (``None``: the role has no such row to be refused, e.g. Sở Nội vụ).
      * ``"list"``: names no row; its answer must not show the outside agency's people.
      * ``"public"``: meant for everyone (sign-in page, public site, API schema); its answer
        must still not show the outside agency's people.
      * ``"skip"``: not requested, with the reason (``why``).
    ``write``: POSTing to it changes data; the POST is refused and changes nothing.
    """

    kind: str
    row: Callable | None = None
    write: bool = False
    why: str = ""
    query: str = ""
    extra: dict = field(default_factory=dict)
    #: Roles whose reach on this page is the whole province by design (the province office on
    #: the quarterly board of every department): the outside agency is not outside for them.
    reached_by: tuple[str, ...] = ()


def outside(model, role_user, queryset=None, visible=None):
    """A row of ``model`` the user may not see (of the outside agency when the model has one)."""
    rows = queryset if queryset is not None else model._default_manager.all()
    if visible is not None:
        rows = rows.exclude(pk__in=visible.values("pk"))
    elif role_user is not None:
        rows = rows.exclude(pk__in=access.visible(role_user, model).values("pk"))
    row = rows.order_by("pk").first()
    assert row is not None, f"the world has no {model.__name__} outside the role's reach"
    return row


def _pk(model, queryset=None, visible=None):
    def build(world, user):
        return {"pk": outside(model, user, queryset, visible and visible(user)).pk}

    return build


def _snippet_rules() -> dict[str, Rule]:
    """Generated: every snippet viewset's URLs and its chooser's, from the registry."""
    rules: dict[str, Rule] = {}
    write_views = {"edit", "delete", "copy", "unpublish", "lock", "unlock"}
    object_views = {
        *write_views,
        "inspect",
        "history",
        "history_results",
        "usage",
        "preview_on_edit",
        "workflow_history",
        "confirm_workflow_cancellation",
    }
    # The row each model's dozen object URLs name, looked up once per model and user for the
    # rules made here (one role's pass over every URL: the rows do not change during it).
    found: dict[tuple, int] = {}

    def first_pk(model, user, look_up: Callable[[], int]) -> int:
        key = (model, getattr(user, "pk", None))
        if key not in found:
            found[key] = look_up()
        return found[key]

    for model in get_snippet_models():
        viewset = model.snippet_viewset
        prefix = viewset.get_url_name("x").rsplit(":", 1)[0]
        chooser = viewset.chooser_viewset.get_url_name("x").rsplit(":", 1)[0]
        kind = access.scope_of(model).kind

        def row_for(refused_by_permission, model=model, kind=kind):
            def row(world, user):
                if kind == "tree":
                    return {"pk": first_pk(model, user, lambda: outside(model, user).pk)}
                if user is None or refused_by_permission or kind == "home_affairs":
                    # Shared or Sở Nội vụ rows: any row, refused by model permission.
                    return {
                        "pk": first_pk(
                            model, None, lambda: model._default_manager.order_by("pk").first().pk
                        )
                    }
                return None  # shared reference data every signed-in user may read

            return row

        for name in ("list", "list_results", "add", "preview_on_add"):
            rules[f"{prefix}:{name}"] = Rule("list", write=name == "add")
        for name in object_views:
            rules[f"{prefix}:{name}"] = Rule(
                "row", row=row_for(name in write_views), write=name in write_views
            )
        for name in (
            "revisions_view",
            "revisions_revert",
            "revisions_compare",
            "revisions_unschedule",
            "workflow_action",
            "collect_workflow_action_data",
            "workflow_history_detail",
            "workflow_preview",
        ):
            rules[f"{prefix}:{name}"] = Rule(
                "skip",
                why="revisions and workflow of a Sở Nội vụ-only model (criteria frameworks): "
                "Wagtail checks the model's change/publish permission, which only Sở Nội vụ has "
                "(tests/scoring/test_frameworks.py)",
            )
        rules[f"{chooser}:choose"] = Rule("list")
        rules[f"{chooser}:choose_results"] = Rule("list")
        rules[f"{chooser}:chosen_multiple"] = Rule("list", extra={"chosen_multiple": model})
        rules[f"{chooser}:chosen"] = Rule("row", row=row_for(False))
        rules[f"{chooser}:create"] = Rule("list", write=True)
    return rules


def _cases(user):
    from ratings.access import visible_cases

    return visible_cases(user)


def _period_complaints(user):
    from ratings.services.period_complaints import visible_period_complaints

    return visible_period_complaints(user)


def _support_requests(user):
    from support.services import visible

    return visible(user)


def _support_attachment(world, user):
    from support.models import SupportAttachment

    hidden = SupportAttachment.objects.exclude(request__in=_support_requests(user))
    return {"pk": hidden.order_by("pk").first().pk}


def _period_complaint_attachment(world, user):
    from ratings.models import PeriodComplaintAttachment

    hidden = PeriodComplaintAttachment.objects.exclude(complaint__in=_period_complaints(user))
    return {"pk": hidden.order_by("pk").first().pk}


def _bloc_lead(code: str):
    from org.models import BlocLead

    return BlocLead.objects.select_related("root").get(root__code=code)


def _foreign_bloc(world, user) -> dict:
    """The period and a bloc ``user`` does not lead: the Front's for the Party's appraiser,
    the Party's for everyone else."""
    mine = getattr(user, "username", None) == ROLES["party_bloc_appraiser"]
    return {"pk": world.period.pk, "lead": _bloc_lead("MTTQ" if mine else "TU").pk}


def _jobs(user):
    from importers.access import visible_jobs

    return visible_jobs(user)


def _lines(user):
    import datetime

    from worklog.access import visible_lines

    return visible_lines(user, datetime.date(2026, 11, 22))


def _evidence(user):
    from scoring.models import Evidence

    return Evidence.objects.filter(line__in=_lines(user))


def _catalog_versions(user):
    from catalog_pages.access import viewable_agencies
    from catalog_pages.models import CatalogVersion

    return CatalogVersion.objects.filter(agency__in=viewable_agencies(user))


def _province_tasks(user):
    from org_scoring.access import editable_province_tasks

    return editable_province_tasks(user)


def _inspections(user):
    from oversight.access import visible_inspections

    return visible_inspections(user)


def _inspection_files(user):
    from oversight.models import InspectionAttachment

    return InspectionAttachment.objects.filter(inspection__in=_inspections(user))


def _models(label):
    return apps.get_model(label)


def _agency_year(world, user):
    agency = outside(Agency, user, Agency.objects.filter(code=OUTSIDE_AGENCY))
    return {"agency": agency.pk, "year": 2026}


def _form01_entry(world, user):
    person = outside(CivilServant, user, world.outside_people)
    return {"person": person.pk, "period": world.period.pk}


def _open_description(world, user):
    from org.models import JobDescription

    return {"pk": JobDescription.objects.filter(status="draft").order_by("pk").first().pk}


def _description_step(world, user):
    """A submitted common version, to be appraised (Sở Nội vụ only: agencies draft their own
    descriptions, the lead body of their bloc appraises and approves them)."""
    from org.models import JobDescription

    version = (
        JobDescription.objects.filter(status="submitted", agency__isnull=True)
        .order_by("pk")
        .first()
    )
    return {"pk": version.pk, "action": "appraise"}


def _outside_opinion(world, user):
    """An opinion asked of the outside agency (issue 45): only it answers."""
    from ratings.models import RelatedOpinion

    return {"pk": RelatedOpinion.objects.get(body__code=OUTSIDE_AGENCY).pk}


def _outside_plan(world, user):
    """The outside agency's work plan (issue 45)."""
    from workplans.models import WorkPlan

    return {"pk": WorkPlan.objects.get(agency__code=OUTSIDE_AGENCY).pk}


def _outside_plan_step(world, user):
    """Submitting the outside agency's plan: only its own drafters (and Sở Nội vụ)."""
    return {**_outside_plan(world, user), "action": "submit"}


def _outside_catalog(world, user):
    """The outside agency's catalog page: only its catalog editors (and Sở Nội vụ) draft its
    next version from last year's work (issue 45 item 5)."""
    from catalog_pages.models import AgencyCatalogPage

    return {"pk": AgencyCatalogPage.objects.get(agency__code=OUTSIDE_AGENCY).pk}


def _province_framework(world, user):
    """The province's default framework: only Sở Nội vụ edits it."""
    framework = _models("scoring.CriteriaFramework").objects.get(code="nghi-dinh-335-mac-dinh")
    return {"pk": framework.pk}


HOME_AFFAIRS_ROW = "only Sở Nội vụ has the model permission"

RULES: dict[str, Rule] = {
    # Health check, sign-in and language: public.
    "healthz": Rule("public"),
    "healthz_work": Rule("public"),
    "set_language": Rule("skip", why="POST-only language switch, no data"),
    "wagtailadmin_login": Rule("public"),
    "wagtailadmin_logout": Rule("skip", why="signing out would end the role's session"),
    "wagtailadmin_password_reset": Rule("public"),
    "wagtailadmin_password_reset_done": Rule("public"),
    "wagtailadmin_password_reset_confirm": Rule(
        "public", extra={"paths": ["/admin/password_reset/confirm/MQ/x/"]}
    ),
    "wagtailadmin_password_reset_complete": Rule("public"),
    "wagtailadmin_javascript_catalog": Rule("public"),
    "wagtailadmin_sprite": Rule("public"),
    "wagtailcore_login": Rule("public"),
    "wagtailcore_authenticate_with_password": Rule(
        "skip", why="page view restrictions are not used (no private pages)"
    ),
    "wagtail_serve": Rule("public", extra={"paths": ["/", "/cong-khai/", "/danh-muc/"]}),
    "": Rule("skip", why="catch-all 404 patterns"),
    # Admin home and account.
    "wagtailadmin_home": Rule("list"),
    "wagtailadmin_account": Rule("list"),
    "wagtailadmin_error_test": Rule("skip", why="Wagtail's deliberate 500 test page"),
    "wagtailadmin_dismissibles": Rule("skip", why="per-user UI state, no data of others"),
    "wagtailadmin_block_preview": Rule("skip", why="StreamField block preview, no data"),
    "wagtail_bulk_action": Rule(
        "skip", why="pages/images/users: Wagtail's own per-object checks; ours: kpi_bulk_action"
    ),
    "kpi_bulk_action": Rule(
        "skip", why="every snippet model, ?id=all and outside ids: test_bulk_actions_…"
    ),
    "kpi_admin_logout": Rule("skip", why="signing out would end the role's session"),
    "wagtailadmin_tag_autocomplete": Rule("list"),
    "wagtailadmin_tag_model_autocomplete": Rule("skip", why="no tagged models of ours"),
    # Wagtail's site history, replaced by a Sở Nội vụ-only view at the same paths.
    "kpi_site_history": Rule("row", row=lambda world, user: {}),
    "kpi_site_history_results": Rule("row", row=lambda world, user: {}),
    # Catalog versions and consolidation.
    "catalog_agency_task": Rule("list"),
    "catalog_versions": Rule("list"),
    "catalog_version_detail": Rule(
        "row",
        row=lambda world, user: {
            "pk": outside(
                _models("catalog_pages.CatalogVersion"), user, visible=_catalog_versions(user)
            ).pk
        },
    ),
    "importers_catalog_version": Rule(
        "row",
        row=lambda world, user: {
            "pk": outside(
                _models("catalog_pages.CatalogVersion"), user, visible=_catalog_versions(user)
            ).pk
        },
    ),
    "catalog_consolidation_review": Rule("list", write=True),
    "catalog_common_products": Rule("list"),
    "catalog_common_products_export": Rule("list"),
    "catalog_common_adoptions": Rule("list", write=True),
    # A decision is a public act of the province, but only Sở Nội vụ records and adopts it:
    # everyone else is refused the demo's decision.
    "catalog_common_adoption": Rule(
        "row",
        row=lambda world, user: {
            "pk": _models("catalog_pages.CommonCatalogAdoption").objects.order_by("pk").first().pk
        },
        write=True,
    ),
    # Asking for the outside agency shows one's own instead (items, no people, in any case).
    "catalog_common_changes": Rule("list", query="?agency={outside_agency}"),
    # Excel.
    "importers_index": Rule("list"),
    "importers_template": Rule("list", query="?kind=results&agency={outside_agency}"),
    "importers_upload": Rule("list", write=True),
    "importers_job": Rule("row", row=_pk(_models("importers.ImportJob"), visible=_jobs)),
    "importers_job_status": Rule("row", row=_pk(_models("importers.ImportJob"), visible=_jobs)),
    "importers_job_confirm": Rule(
        "row", row=_pk(_models("importers.ImportJob"), visible=_jobs), write=True
    ),
    "importers_job_cancel": Rule(
        "row", row=_pk(_models("importers.ImportJob"), visible=_jobs), write=True
    ),
    "importers_job_file": Rule("row", row=_pk(_models("importers.ImportJob"), visible=_jobs)),
    "importers_form01": Rule("list", query="?exp-agency={outside_agency}&exp-period={period}"),
    # Issue 47: a long download built in the background (cms.exports): only who asked opens
    # its page, its file and its "Thử lại" — here Sở Nội vụ's Form 01 of the outside agency.
    "cms_export_job": Rule("row", row=lambda world, user: {"pk": _export_job().pk}),
    "cms_export_job_file": Rule("row", row=lambda world, user: {"pk": _export_job().pk}),
    "cms_export_job_retry": Rule(
        "row", row=lambda world, user: {"pk": _export_job().pk}, write=True
    ),
    "importers_province": Rule("list"),
    # API admin (Sở Nội vụ only).
    "api_system_tokens": Rule("row", row=lambda world, user: {"pk": world.system.pk}, write=True),
    "api_revoke_token": Rule("row", row=lambda world, user: {"pk": world.token.pk}, write=True),
    # Dashboards and organisation scoring.
    "dashboards_index": Rule("list"),
    "dashboards_node": Rule(
        "row",
        row=lambda world, user: {
            "pk": outside(Agency, user, Agency.objects.filter(code=OUTSIDE_AGENCY)).pk
        },
    ),
    # The guided close of a period: Sở Nội vụ only (dashboards.close_views).
    "dashboards_period_close": Rule(
        "row", row=lambda world, user: {"pk": world.period.pk}, write=True
    ),
    "dashboards_period_reopen": Rule(
        "row", row=lambda world, user: {"pk": world.period.pk}, write=True
    ),
    # A bloc's own close of a period (issue 44 item 1): the lead body's appraisers for their
    # bloc, Sở Nội vụ for every bloc; the row refused is a bloc the role does not lead
    # (test_who_closes_and_reopens_which_blocs_period below walks every role).
    "dashboards_period_bloc_close": Rule(
        "row", row=lambda world, user: _foreign_bloc(world, user), write=True
    ),
    "dashboards_period_bloc_reopen": Rule(
        "row", row=lambda world, user: _foreign_bloc(world, user), write=True
    ),
    # The reports owed upward: Sở Nội vụ only, whatever the year (dashboards.upward_views).
    "dashboards_upward_reports": Rule("row", row=lambda world, user: {}),
    "dashboards_stuck_work": Rule("list"),
    "dashboards_background_jobs": Rule("list"),
    # "Thử lại ngay" on a failed job (session 40): Sở Nội vụ only; the run is the world's first.
    "dashboards_background_job_retry": Rule(
        "row", row=lambda world, user: {"kind": "scoring_runs", "pk": _scoring_run().pk}, write=True
    ),
    # Issue 32: a bloc's report to Ban Thường vụ; agencies, never people (refusals by bloc in
    # test_bloc_lead_bodies_reach_their_bloc_and_home_affairs_still_sees_all).
    "dashboards_bloc_report": Rule("list"),
    "dashboards_upward_report": Rule(
        "row", row=lambda world, user: {"kind": "province", "year": 2026}
    ),
    "org_scoring_index": Rule("list"),
    "audit_change_history": Rule("list", query="?model=scoring.assignmentline"),
    "org_scoring_agency_year": Rule("row", row=_agency_year, write=True),
    # The quarterly assessment: the Office of the People's Committee, Sở Nội vụ, the chairman.
    "org_scoring_quarter_board": Rule(
        "list", write=True, query="?year=2026&quarter=3", reached_by=("province_office",)
    ),
    "org_scoring_quarter_entry": Rule(
        "list", query="?year=2026&quarter=3", reached_by=("province_office",)
    ),
    "org_scoring_quarter_task_add": Rule("list", write=True),
    # The province office enters every province task: it has no row to be refused.
    "org_scoring_quarter_task_edit": Rule(
        "row",
        row=lambda world, user: (
            None
            if user is not None and user.groups.filter(name=access.PROVINCE_OFFICE_GROUP).exists()
            else _pk(_models("org_scoring.ProvinceTask"), visible=_province_tasks)(world, user)
        ),
        write=True,
    ),
    # Ratings.
    "ratings_cases": Rule("list"),
    "ratings_cases_results": Rule("list"),
    "ratings_open": Rule("list", write=True),
    "ratings_case": Rule("row", row=_pk(_models("ratings.RatingCase"), visible=_cases)),
    "ratings_case_action": Rule(
        "row",
        row=lambda world, user: {
            "pk": outside(_models("ratings.RatingCase"), user, visible=_cases(user)).pk,
            "action": "self_assess",
        },
        write=True,
    ),
    "ratings_form02": Rule("row", row=_pk(_models("ratings.RatingCase"), visible=_cases)),
    "ratings_form02_xlsx": Rule("row", row=_pk(_models("ratings.RatingCase"), visible=_cases)),
    # Issue 45: the opinions of related bodies on a case (its readers; the appraiser asks) and
    # the answer page of a body (its head and admins only).
    "ratings_case_opinions": Rule(
        "row", row=_pk(_models("ratings.RatingCase"), visible=_cases), write=True
    ),
    "ratings_opinions_asked": Rule("list"),
    "ratings_opinion_answer": Rule("row", row=_outside_opinion, write=True),
    "ratings_minutes": Rule(
        "row", row=lambda world, user: {"pk": world.attachment.complaint.case_id}
    ),
    "ratings_attachment": Rule(
        "row",
        row=lambda world, user: {"pk": world.attachment.pk},
    ),
    "ratings_form01": Rule("row", row=_pk(_models("scoring.PeriodScore"))),
    "ratings_form01_xlsx": Rule("row", row=_pk(_models("scoring.PeriodScore"))),
    "ratings_form01_entry": Rule("row", row=_form01_entry, write=True),
    "ratings_my": Rule("list"),
    # The signed-in person's own six-month results (xlsx): only their own rows (issue 33).
    "ratings_my_half_year": Rule("list"),
    # An agency's own quarters and annual rating: its admins and heads, their agency only
    # (asking for the outside agency is a 404; tests/ratings/test_agency_results.py).
    "ratings_agency_results": Rule("list", query="?co_quan={outside_agency}"),
    # Complaints about a monthly/quarterly result (ratings.services.period_complaints).
    "ratings_period_complaints": Rule("list"),
    "ratings_period_complaint": Rule(
        "row",
        row=_pk(_models("ratings.PeriodComplaint"), visible=_period_complaints),
        write=True,
    ),
    # Only the person whose result it is files (Sở Nội vụ too is refused).
    "ratings_period_complaint_file": Rule(
        "row", row=_pk(_models("scoring.PeriodScore")), write=True
    ),
    "ratings_period_complaint_attachment": Rule("row", row=_period_complaint_attachment),
    "ratings_deadlines": Rule("list"),
    # Difficulties and proposals raised to Sở Nội vụ (support.services), the help page and the
    # usage statistics (Sở Nội vụ only; counts per agency, no names).
    "support_help": Rule("list"),
    "support_requests": Rule("list"),
    "support_requests_xlsx": Rule("list"),
    "support_raise": Rule("list"),
    "support_request": Rule(
        "row", row=_pk(_models("support.SupportRequest"), visible=_support_requests), write=True
    ),
    "support_attachment": Rule("row", row=_support_attachment),
    "support_usage": Rule("list"),
    # Issue 32: the demo's personnel file (fictional people), Sở Nội vụ only, only where the
    # demo is allowed and loaded (tests/demo/test_personnel_file_demo.py); no row to name.
    "demo_personnel_file": Rule("list"),
    # The user guide (docs/huong-dan/): every signed-in admin user; no personal data.
    "guide_index": Rule("list"),
    "guide_page": Rule("list", extra={"paths": ["/admin/huong-dan/cong-chuc.md"]}),
    "guide_image": Rule(
        "list", extra={"paths": ["/admin/huong-dan/anh/cong-chuc-01-viec-cua-toi.png"]}
    ),
    "ratings_bonus_export": Rule("list"),
    # Issue 33: the year's ratings for the Party-member and emulation reviews.
    "ratings_party_review_export": Rule("list"),
    # Results for HR decisions (multi-year view, list, export): ratings.access.
    "ratings_hr_history": Rule("list", query="?agency={outside_agency}&year=2026"),
    "ratings_hr_history_xlsx": Rule("list", query="?agency={outside_agency}&year=2026"),
    # Issue 44 (coverage M4/E2): the six-month list and its export, by agency and half.
    "ratings_half_years": Rule("list", query="?agency={outside_agency}&year=2026&half=1"),
    "ratings_half_years_xlsx": Rule("list", query="?agency={outside_agency}&year=2026"),
    "ratings_hr_person": Rule(
        "row",
        row=lambda world, user: {"pk": outside(CivilServant, user, world.outside_people).pk},
    ),
    # Issue 45 item 2: gaps against the position's required competencies (HR's listing).
    "ratings_competency_gaps": Rule("list", query="?agency={outside_agency}"),
    "ratings_competency_gaps_xlsx": Rule("list", query="?agency={outside_agency}"),
    # Worklog.
    "oversight_milestones": Rule("list"),
    "oversight_milestones_xlsx": Rule("list"),
    "oversight_inspection": Rule(
        "row", row=_pk(_models("oversight.Inspection"), visible=_inspections)
    ),
    "oversight_inspection_file": Rule(
        "row", row=_pk(_models("oversight.InspectionAttachment"), visible=_inspection_files)
    ),
    "worklog_mine": Rule("list"),
    "worklog_assign": Rule("list", write=True),
    "worklog_board": Rule("list"),
    "worklog_line": Rule("row", row=_pk(_models("scoring.AssignmentLine"), visible=_lines)),
    "worklog_line_action": Rule(
        "row",
        row=lambda world, user: {
            "pk": outside(_models("scoring.AssignmentLine"), user, visible=_lines(user)).pk,
            "action": "progress",
        },
        write=True,
    ),
    "worklog_history": Rule(
        "row",
        row=lambda world, user: {"pk": outside(CivilServant, user, world.outside_people).pk},
    ),
    "worklog_evidence_file": Rule("row", row=_pk(_models("scoring.Evidence"), visible=_evidence)),
    # Shared tasks' coordination ratings (issue 33 item 3): the list names only the tasks
    # shared with the units the user leads; a task's rating page opens to whoever reads the
    # line and to the leaders of its related units, and only they rate (POST).
    "worklog_coordination": Rule("list"),
    "worklog_coordination_rate": Rule(
        "row", row=_pk(_models("scoring.AssignmentLine"), visible=_lines), write=True
    ),
    # Scoring.
    "scoring_explain": Rule("row", row=_pk(_models("scoring.PeriodScore"))),
    "scoring_proposal_steps": Rule(
        "row", row=_pk(_models("scoring.FrameworkProposal")), write=True
    ),
    # The structured framework editor (issue 30 item 2): the province's frameworks are edited,
    # published and exported by Sở Nội vụ only; an agency edits only its own proposal.
    "scoring_framework_editor": Rule("row", row=_province_framework, write=True),
    "scoring_framework_json": Rule("row", row=_province_framework),
    "scoring_proposal_editor": Rule(
        "row", row=_pk(_models("scoring.FrameworkProposal")), write=True
    ),
    # An agency's organisation criteria (coverage D8): its key tasks and their weights, read by
    # whoever reads the proposal (the agency, its appraiser), saved only by the agency.
    "scoring_proposal_key_tasks": Rule(
        "row", row=_pk(_models("scoring.FrameworkProposal")), write=True
    ),
    # The public API (session sign-in here; tokens are tested in tests/api).
    "api:index": Rule("public"),
    "api:root": Rule("public"),
    "api:schema": Rule("public"),
    "api:docs": Rule("public"),
    "api:redoc": Rule("public"),
    "api:not-found": Rule("skip", why="catch-all 404"),
    "api:score-preview": Rule("skip", why="POST-only calculator over the posted lines, no rows"),
    "api:framework-version": Rule(
        "skip", why="published framework versions are public rules, not personal data"
    ),
    "api:aggregates-agencies": Rule("list"),
    "api:aggregates-province": Rule("list"),
    "api:hr-history": Rule("list", query="?year=2026"),
    "api:half-year-scores": Rule("list", query="?year=2026"),
    "api:integration-lines": Rule("list", write=True),
    "api:integration-lines-bulk": Rule("list", write=True),
    "api:integration-leader-marks": Rule("list", write=True),
    "api:integration-me": Rule("list"),
    "api:national-export": Rule("list", query="?date=2026-12-31"),
    "api:national-export-acknowledge": Rule("list", write=True),
    # Connectors (docs/connectors.md): the webhook has no session; a POST without the source's
    # HMAC signature is refused with 401 and stores nothing (tests/connectors/test_webhook.py).
    "connectors:webhook": Rule("list", write=True, extra={"paths": ["/ket-noi/webhook/1/"]}),
    # The beneficiaries' satisfaction page: public by design (a one-time code, no sign-in); it
    # names the agency and the service, never the civil servant (issue 33 item 3).
    "feedback:start": Rule("public"),
    "feedback:answer": Rule("public", extra={"paths": ["/phan-hoi/KHONGCO1/"]}),
    # Issuing a code: only for people the user changes through a grant (never their own).
    "feedback_issue": Rule("list", write=True),
    "connectors_reconciliation": Rule("list"),
    "api:agency-list": Rule("list"),
    "api:agency-detail": Rule(
        "skip", why="agencies are public (the org tree is published on the public pages)"
    ),
    "api:job-position-list": Rule("list"),
    "api:job-position-detail": Rule("skip", why="job positions are public reference data"),
    "api:job-description-list": Rule("list"),
    "api:job-description-detail": Rule(
        "skip", why="approved job descriptions are province-wide reference data"
    ),
    "api:competency-list": Rule("list"),
    "api:competency-detail": Rule("skip", why="the competency dictionary is reference data"),
    # Job descriptions: edit/delete name a version still being written (an approved one is
    # refused to everyone, Sở Nội vụ included: tests/org/test_job_description_admin.py); the
    # steps are Sở Nội vụ's (change, approve permissions).
    "wagtailsnippets_org_jobdescription:edit": Rule("row", row=_open_description, write=True),
    "wagtailsnippets_org_jobdescription:delete": Rule("row", row=_open_description, write=True),
    "wagtailsnippets_org_jobdescription:action": Rule("row", row=_description_step, write=True),
    "api:catalog-list": Rule("list"),
    "api:work-plan-list": Rule("list"),
    "api:work-plan-detail": Rule("row", row=_outside_plan),
    "wagtailsnippets_workplans_workplan:action": Rule("row", row=_outside_plan_step, write=True),
    # A received task matched to a work-plan item (issue 45): the package's agency's clerks
    # (and Sở Nội vụ) read the suggestions and confirm; nobody else opens the package.
    "connectors_plan_match": Rule("row", row=_pk(_models("connectors.Package")), write=True),
    # The next catalog drafted from last year's work (issue 45 item 5): the agency's catalog
    # editors and Sở Nội vụ only.
    "catalog_from_last_year": Rule("row", row=_outside_catalog, write=True),
    "api:catalog-detail": Rule("skip", why="published catalogs are public"),
    "api:catalog-version-list": Rule("list"),
    "api:catalog-version-detail": Rule("skip", why="published catalogs are public"),
    "api:catalog-item-list": Rule("list"),
    "api:catalog-item-detail": Rule("skip", why="published catalogs are public"),
    "api:framework-list": Rule("list"),
    "api:framework-detail": Rule("skip", why="published frameworks are public rules"),
    "api:period-list": Rule("list"),
    "api:period-detail": Rule("skip", why="periods are public reference data"),
    "api:civil-servant-list": Rule("list"),
    "api:civil-servant-detail": Rule(
        "row",
        row=lambda world, user: {
            "official_id": outside(CivilServant, user, world.outside_people).official_id
        },
    ),
    "api:assignment-line-list": Rule("list"),
    "api:assignment-line-detail": Rule("row", row=_pk(_models("scoring.AssignmentLine"))),
    "api:period-score-list": Rule("list"),
    "api:period-score-detail": Rule("row", row=_pk(_models("scoring.PeriodScore"))),
    "api:annual-score-list": Rule("list"),
    "api:annual-score-detail": Rule("row", row=_pk(_models("scoring.AnnualScore"))),
    "api:annual-rating-list": Rule("list"),
    # A decided case (the API lists no other): the demo also has undecided cases outside the
    # role's reach (the Party, Front and public-service bodies, docs/scope.md §7).
    "api:annual-rating-detail": Rule(
        "row",
        row=_pk(
            _models("ratings.RatingCase"),
            _models("ratings.RatingCase").objects.filter(state__in=("decided", "notified")),
            visible=_cases,
        ),
    ),
    "api:quarterly-assessment-list": Rule("list"),
    "api:quarterly-assessment-detail": Rule(
        "row", row=_pk(_models("org_scoring.QuarterlyAssessment"))
    ),
}

# Wagtail's own admin sections: access is Wagtail's model/page/collection permissions, which only
# Sở Nội vụ and the catalog editors hold. Their listings are still requested for leaks.
NAMESPACE_RULES: dict[str, Rule] = {
    # Account events (accounts.viewsets): Sở Nội vụ all, an agency admin the people whose
    # sign-ins they administer; who may list and export: test_account_events_listing_and_export.
    "account_events": Rule("list"),
    "wagtailadmin_pages": Rule("skip", why="page permissions: tests/catalog_pages"),
    "wagtailadmin_explore": Rule("list"),
    "wagtailadmin_choose_page": Rule("list"),
    "wagtailadmin_workflows": Rule("skip", why="workflow admin: Sở Nội vụ only (model perms)"),
    "wagtailadmin_reports": Rule("list"),
    "wagtailadmin_collections": Rule("skip", why="collections: superusers only"),
    "wagtailadmin_editing_sessions": Rule("skip", why="editing-session pings of one's own edits"),
    "wagtailadmin_api": Rule("list"),
    "wagtailimages": Rule("list"),
    "wagtaildocs": Rule("list"),
    "wagtailusers": Rule("list"),
    "wagtailsites": Rule("list"),
    "wagtailsettings": Rule(
        "skip",
        why="two generic settings, no personal data: the support contact and FAQ (changed only "
        "with Sở Nội vụ's permission support.change_supportsettings) and the period transfer "
        "rule (scoring.change_scoringsettings; an agency admin refused in "
        "tests/scoring/test_transfer_rule.py)",
    ),
    "wagtailembeds": Rule("skip", why="oEmbed chooser, no data"),
    "wagtailsnippets:index": Rule("list"),
    "integration_systems": Rule("list"),
    "api_access_log": Rule("list"),
    "national_outbox": Rule("list"),
    "national_deliveries": Rule("list"),
    # Issue 46: the outgoing e-mails and their attempts (dashboards.mail_views), Sở Nội vụ's.
    "outgoing_mail": Rule("list"),
    "personal_data_reads": Rule("list"),
    "connector_sources": Rule("list"),
    "connector_task_types": Rule("list"),
    "connector_people": Rule("list"),
    "connector_queue": Rule("list"),
    "connector_packages": Rule("list"),
    # Issue 43: the dead-letter list (refused packages with their reasons), row-scoped like
    # every connector listing: an agency's admin reads its own sources' rows only.
    "connector_dead_letters": Rule("list"),
    "connector_runs": Rule("list"),
    # Sign-ins (accounts): Sở Nội vụ everyone's, an agency admin their own people's.
    "accounts_index": Rule("list", write=True, query="?agency={outside_agency}"),
    "accounts_batch": Rule("row", row=lambda world, user: {"pk": _account_batch().pk}),
    "accounts_slips": Rule("row", row=lambda world, user: {"pk": _account_batch().pk}),
    # New codes for a batch's slips: only who ran the batch (Sở Nội vụ here); GET is 405.
    "accounts_batch_reissue": Rule(
        "row", row=lambda world, user: {"pk": _account_batch().pk}, write=True
    ),
    "accounts_user_action": Rule(
        "row",
        row=lambda world, user: {"pk": _outside_sign_in().pk, "action": "deactivate"},
        write=True,
    ),
    # The account events (accounts.viewsets): the listing and its exports narrowed to the
    # people whose sign-ins the role administers; who may open them at all:
    # test_who_may_list_and_export_account_events.
    "account_events:index": Rule(
        "list",
        extra={
            "paths": [
                "/admin/tai-khoan/nhat-ky/",
                "/admin/tai-khoan/nhat-ky/?export=csv",
                "/admin/tai-khoan/nhat-ky/?export=xlsx",
            ]
        },
    ),
    "accounts_activate": Rule("public", write=True),
    "accounts_change_password": Rule("list"),
    "accounts_sso_refused": Rule("public"),
    # Without a provider identity waiting for proof in the session it only sends to the refusal
    # page; with one it reaches that one sign-in: tests/accounts/test_sso_binding.py.
    "accounts_sso_link": Rule("public"),
    # The person's own links and events only (tests/accounts/test_sso_binding.py).
    "accounts_sso_account": Rule("list"),
    "accounts_otp_verify": Rule("list"),
    "accounts_otp_setup": Rule("list"),
    "oidc_authentication_init": Rule(
        "skip", why="sends the browser to the identity provider: tests/accounts/test_sso.py"
    ),
    "oidc_authentication_callback": Rule(
        "skip", why="the provider's answer: tests/accounts/test_sso.py"
    ),
    "oidc_logout": Rule("skip", why="signing out would end the role's session"),
}


def _account_batch():
    """The batch in which Sở Nội vụ gave sign-ins to two people of the outside agency."""
    from accounts.models import AccountBatch

    return AccountBatch.objects.get(agency__code=OUTSIDE_AGENCY)


def _scoring_run():
    """A scoring run of the world, failed as a run gives up (the listing offers it again)."""
    from scoring.models import RunStatus, ScoringRun

    run = ScoringRun.objects.order_by("pk").first()
    if run is None:
        from scoring.models import Period

        run = ScoringRun.objects.create(period=Period.objects.order_by("pk").first())
    if run.status != RunStatus.FAILED:
        ScoringRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, attempts=3)
    return run


def _export_job():
    """Sở Nội vụ's Form 01 of the outside agency, built in the background (``cms.exports``)."""
    from cms.models import ExportJob

    return ExportJob.objects.get(requested_by__username=ROLES["home_affairs"])


def _outside_sign_in():
    from accounts.models import User

    return User.objects.filter(pk__in=_account_batch().codes.values("user")).order_by("pk").first()


def rule_for(route: Route, snippet_rules: dict[str, Rule]) -> Rule | None:
    if route.name in RULES:
        return RULES[route.name]
    if route.name in snippet_rules:
        return snippet_rules[route.name]
    for prefix, rule in NAMESPACE_RULES.items():
        if route.name == prefix or route.name.startswith(prefix):
            if rule.kind == "list" and route.params:
                return Rule("skip", why=f"{prefix}: Wagtail's own object permissions")
            return rule
    return None


# --- the world: the demo province ----------------------------------------------------------


@dataclass
class World:
    period: object
    outside_people: object
    markers: list[str]
    system: object
    token: object
    attachment: object
    #: What Sở Nội vụ's browser posts back from an edit form, by URL (:func:`_browser_body`):
    #: the same for every role of the module, as no check may change the data it shows.
    form_bodies: dict[str, dict] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo province, loaded once for the module inside a transaction rolled back at the
    end, plus the rows the demo has none of (an import job, an integration token, a complaint
    attachment, organisation disqualification and recognition) in the outside agency."""
    from demo.loader import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield _complete_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _complete_world() -> World:
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from api.models import IntegrationSystem, IntegrationToken
    from importers.models import ImportJob, ImportKind
    from org_scoring.models import OrganisationDisqualification
    from ratings.models import (
        BonusRegulation,
        CaseState,
        Complaint,
        ComplaintAttachment,
        PeriodComplaintAttachment,
        RatingCase,
    )
    from ratings.services.cases import open_agency_case, open_civil_servant_case
    from scoring.models import (
        AnnualScore,
        AssignmentLine,
        Evidence,
        OutstandingRecognition,
        Period,
        PeriodScore,
    )
    from tests.factories import period_complaint

    outside_agency = Agency.objects.get(code=OUTSIDE_AGENCY)
    people = CivilServant.objects.filter(
        postings__agency__path__startswith=outside_agency.path
    ).distinct()
    others = CivilServant.objects.exclude(pk__in=people.values("pk"))
    other_names = set(others.values_list("full_name", flat=True))
    markers = [p.official_id for p in people] + [
        p.full_name for p in people if p.full_name not in other_names
    ]
    sonoivu = User.objects.get(username="sonoivu")
    from scoring.models import ScoringRun

    ScoringRun.objects.create(
        period=Period.objects.filter(kind="month").order_by("year", "number").first(),
        agency=outside_agency,
        reason="Nhập Excel, lần nhập số 1",
    )
    ImportJob.objects.create(
        kind=ImportKind.RESULTS,
        agency=outside_agency,
        uploaded_by=sonoivu,
        original_name="ket-qua.xlsx",
        file=SimpleUploadedFile("ket-qua.xlsx", b"PK\x03\x04"),
        size=4,
        sha256="0" * 64,
    )
    from cms import exports
    from importers.exports.background import FORM01

    form01_period = Period.objects.filter(kind="month").order_by("year", "number").first()
    exports.start(
        sonoivu, FORM01, {"agency": outside_agency.pk, "period": form01_period.pk}, rows=999
    )
    system = IntegrationSystem.objects.create(name="QLVB SNNMT")
    token, _secret = IntegrationToken.issue(system)
    OrganisationDisqualification.objects.create(
        agency=outside_agency,
        year=2026,
        kind="x",
        reference="KL-01",
        decided_on=datetime.date(2026, 6, 1),
        reason="Thử nghiệm",
    )
    OutstandingRecognition.objects.create(
        agency=outside_agency, year=2026, decision_ref="QĐ-99", decided_on=datetime.date(2026, 6, 1)
    )
    outside_line = (
        AssignmentLine.objects.filter(civil_servant__in=people, period__status="open")
        .order_by("pk")
        .first()
    )
    evidence = Evidence(line=outside_line, description="Tờ trình")
    upload = SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 evidence")
    if any(f.name == "file" for f in Evidence._meta.get_fields()):
        evidence.file = upload
    else:  # evidence stored as a Wagtail document (before private files)
        from wagtail.documents import get_document_model

        evidence.document = get_document_model().objects.create(title="Tờ trình", file=upload)
    evidence.save()
    BonusRegulation.objects.create(
        agency=outside_agency,
        name="Quy chế chi thu nhập tăng thêm",
        effective_from=datetime.date(2026, 1, 1),
        **{
            f"{span}_{level}": "1"
            for span in ("annual", "period")
            for level in ("excellent", "good", "completed", "not_completed")
        },
    )
    for annual in AnnualScore.objects.filter(civil_servant__in=people, scored=True)[:3]:
        open_civil_servant_case(annual)
    open_agency_case(outside_agency, 2026)
    case = RatingCase.objects.filter(civil_servant__in=people).first()
    # A decided case of the outside agency, with its minutes (the API lists decided cases only).
    case.minutes.save("bien-ban-hop.pdf", ContentFile(b"%PDF-1.4 minutes"), save=False)
    RatingCase.objects.filter(pk=case.pk).update(
        state=CaseState.DECIDED,
        decision_level="good",
        minutes=case.minutes.name,
        minutes_name="bien-ban-hop.pdf",
    )
    # A complaint about a monthly result of the outside agency, with its attachment.
    # (The last one: the first people of the outside units are transferred below, and a
    # complaint about one's own month is one's own to read.)
    outside_score = PeriodScore.objects.filter(civil_servant__in=people).order_by("-pk").first()
    period_complaint_row = period_complaint(outside_score, filed_by=sonoivu)
    PeriodComplaintAttachment.objects.create(
        complaint=period_complaint_row,
        file=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4"),
        original_name="minh-chung.pdf",
    )
    complaint = Complaint.objects.create(case=case, filed_by=sonoivu, text="Khiếu nại")
    attachment = ComplaintAttachment.objects.create(
        complaint=complaint,
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"),
        original_name="bien-ban.pdf",
    )
    from accounts.services import provision
    from tests.factories import InspectionAttachmentFactory, InspectionFactory

    provision(
        sonoivu,
        people.filter(user=None).order_by("pk")[:2],
        agency=outside_agency,
    )

    InspectionAttachmentFactory(inspection=InspectionFactory(agency=outside_agency))
    # The two transferred people now work at Sở Tư pháp, where its roles see them: not markers.
    moved = {m for p in _transferred_roles(outside_agency) for m in (p.full_name, p.official_id)}
    markers = [m for m in markers if m not in moved]
    from support.models import SupportAttachment, SupportRequest

    support_request = SupportRequest.objects.create(
        agency=outside_agency,
        raised_by=sonoivu,
        kind="difficulty",
        category="software",
        title="Vướng mắc",
        body="Nội dung",
        deadline=datetime.date(2026, 6, 1),
    )
    SupportAttachment.objects.create(
        request=support_request,
        file=SimpleUploadedFile("vuong-mac.pdf", b"%PDF-1.4"),
        original_name="vuong-mac.pdf",
    )
    period = Period.objects.get(kind="month", year=2026, number=3)
    # An opinion asked of the outside agency on one of its cases (issue 45).
    from ratings.models import RelatedOpinion

    RelatedOpinion.objects.create(
        case=RatingCase.objects.filter(agency__path__startswith=outside_agency.path)
        .order_by("pk")
        .first(),
        body=outside_agency,
        question="Đề nghị cho ý kiến về kết quả phối hợp.",
        deadline=datetime.date(2099, 1, 1),
        requested_by=sonoivu,
    )
    # A work plan of the outside agency (issue 45), with an item naming one of its people.
    from workplans.models import WorkPlan, WorkPlanItem

    plan = WorkPlan.objects.create(
        agency=outside_agency, kind="quarter", year=2026, number=1, title="Kế hoạch quý I"
    )
    WorkPlanItem.objects.create(
        plan=plan,
        name="Báo cáo quý",
        owner=people.first(),
        deadline=datetime.date(2026, 3, 31),
    )
    # A task the outside agency's document system sent, waiting for its officer (issue 45:
    # matched to a work-plan item by the agency's clerk only).
    from connectors.models import Package, Source

    outside_source = Source.objects.create(name="QLVB ngoài", agency=outside_agency)
    Package.objects.create(
        source=outside_source,
        key="document:NGOAI-1",
        kind="document",
        document_id="NGOAI-1",
        sha256="0" * 64,
        month=datetime.date(2026, 3, 1),
        data={"subject": "Báo cáo quý", "code": "1/NGOAI"},
        state="waiting",
        missing="person",
        missing_key="ai@ngoai.vn",
    )
    return World(period, people, markers, system, token, attachment)


def _sign_in_as(username: str, person) -> None:
    """``username`` becomes ``person``'s sign-in (replacing the demo's, if they had one)."""
    from accounts.models import User

    CivilServant.objects.filter(pk=person.pk).update(user=None)
    User.objects.filter(civil_servant=person).update(is_active=False)
    user = User.objects.create_user(username, password="x")
    CivilServant.objects.filter(pk=person.pk).update(user=user)


def _transferred_roles(outside_agency) -> list:
    """The deputy, the person transferred out of the outside agency and the one transferred in
    (``ROLES``): ordinary postings, the old one ending the day before the transfer."""
    import datetime

    from org.models import LeadershipRole, Posting

    day = datetime.date(2026, 10, 1)
    stp = Agency.objects.get(code="STP")
    open_postings = Posting.objects.filter(end_date__isnull=True, is_concurrent=False)
    deputy = (
        open_postings.filter(agency__path__startswith=stp.path, role=LeadershipRole.DEPUTY)
        .exclude(agency=stp)
        .order_by("pk")
        .first()
    )
    _sign_in_as(ROLES["unit_deputy"], deputy.civil_servant)
    stp_unit = deputy.agency
    in_outside = open_postings.filter(agency__path__startswith=outside_agency.path).exclude(
        agency=outside_agency
    )
    head = in_outside.filter(role=LeadershipRole.HEAD).order_by("pk").first()
    staff = (
        in_outside.filter(role=LeadershipRole.STAFF, category="civil_servant")
        .order_by("pk")
        .first()
        or in_outside.filter(role=LeadershipRole.STAFF).order_by("pk").first()
    )
    for username, posting, role in (
        (ROLES["transferred_out"], head, LeadershipRole.STAFF),
        (ROLES["transferred_in"], staff, LeadershipRole.DEPUTY),
    ):
        posting.end_date = day - datetime.timedelta(days=1)
        posting.save()
        Posting.objects.create(
            civil_servant=posting.civil_servant,
            agency=stp_unit,
            job_position=posting.job_position,
            role=role,
            category=posting.category,
            start_date=day,
        )
        _sign_in_as(username, posting.civil_servant)
    return [head.civil_servant, staff.civil_servant]


# --- the checks -------------------------------------------------------------------------------


def crashed(response, path: str) -> bool:
    """A server error. A health endpoint's 503 is its answer, not a crash: it says work has
    waited past its threshold (docs/operations.md §11), which the world's queued work does once
    the module has run long enough (over an hour on a loaded machine)."""
    if response.status_code == 503 and path.startswith("/healthz"):
        return response.json().get("status") not in ("stuck", "error")
    return response.status_code >= 500


def refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        return "/login" in location or location.split("?")[0] in ("/admin/", "/admin")
    return False


def _xlsx_text(body: bytes) -> str:
    """Every XML part of a workbook as text (shared strings and inline strings alike)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    except zipfile.BadZipFile:
        return body.decode("utf-8", errors="replace")


def through_export_job(client, response):
    """An export long enough to be built in the background answers with its job's page
    (``cms.exports``); the file the job built is what the person gets, so that is what is
    checked."""
    from django.urls import Resolver404, resolve

    if response.status_code != 302:
        return response
    try:
        match = resolve(response["Location"].split("?")[0])
    except Resolver404:
        return response
    if match.url_name != "cms_export_job":
        return response
    file = client.get(reverse("cms_export_job_file", args=[match.kwargs["pk"]]))
    assert file.status_code == 200, f"{response['Location']}: the job's file: {file.status_code}"
    return file


def left_messages(client) -> str:
    """The text of the messages a request left for the next page (a refusal's "no permission",
    a form's "saved …"), taken off the client: checked with the answer that left them, instead
    of piling up unread in the cookie over hundreds of redirects (each answer re-signing and
    trimming the whole pile) and being shown by whichever page happens to come next. Messages
    too many for the cookie stay in the session and are shown, and checked, on the next page."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    morsel = client.cookies.pop(CookieStorage.cookie_name, None)
    if morsel is None or not morsel.value:
        return ""
    messages = CookieStorage(HttpRequest())._decode(morsel.value) or []
    return "\n".join(str(message.message) for message in messages)


def leaked(response, markers, echoed: str = "", messages: str = "") -> list[str]:
    """The markers found in the answer: HTML, JSON and CSV as text, workbooks unpacked; a PDF's
    compressed streams cannot be searched as text and are left out. ``messages``: the messages
    the answer left for the next page (:func:`left_messages`), searched with it. ``echoed`` (a
    search term the page repeats in its search box and "no results for …") is removed first: a
    row found by it still shows its person's other marker (the name for an ID, the ID for a
    name)."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        text = ""
    elif content_type.startswith(("application/vnd.openxmlformats", "application/octet-stream")):
        text = _xlsx_text(_body(response))
    else:
        text = _body(response).decode("utf-8", errors="replace")
    text += "\n" + messages
    if echoed:
        text = text.replace(echoed, "")
    return [marker for marker in markers if marker in text]


def _body(response) -> bytes:
    """The answer's body, read once (a streamed answer can be read again after)."""
    if not response.streaming:
        return response.content
    body = b"".join(response)
    response.streaming_content = [body]
    return body


def _fingerprinted_tables() -> list[tuple[str, str]]:
    """``(model label, table)`` of every model of ours (see :func:`data_fingerprint`)."""
    ours = {
        "org",
        "scoring",
        "ratings",
        "worklog",
        "importers",
        "api",
        "org_scoring",
        "oversight",
        "accounts",
    }
    # The account events are the audit log of attempts: a refused activation or sign-in is
    # recorded there on purpose (issue 41), which is not a change of data.
    return sorted(
        {
            (m._meta.label, m._meta.db_table)
            for m in apps.get_models()
            if m._meta.app_label in ours
            and not m._meta.proxy
            and m._meta.label != "accounts.AccountEvent"
        }
    )


def data_fingerprint() -> dict[str, int]:
    """Row counts of every table of ours: a refused POST must not change any. One ``UNION ALL``
    of counts (``tests.exact_restore.row_counts``): a write route is checked before and after
    each POST, and one query per model made this the access matrix's largest cost."""
    from django.db import connection

    from tests.exact_restore import row_counts

    tables = _fingerprinted_tables()
    counts = row_counts(connection, [table for _label, table in tables])
    return {label: counts[table] for label, table in tables}


def client_for(role) -> tuple[Client, object]:
    from accounts.models import User

    client = Client()
    username = ROLES[role]
    if username is None:
        return client, None
    user = User.objects.get(username=username)
    client.force_login(user)
    return client, User.objects.get(pk=user.pk)


def checked_routes():
    snippet_rules = _snippet_rules()
    for route in all_routes():
        rule = rule_for(route, snippet_rules)
        if rule is not None and rule.kind != "skip":
            yield route, rule


def test_every_url_has_a_rule():
    snippet_rules = _snippet_rules()
    missing = [r.name or r.route for r in all_routes() if rule_for(r, snippet_rules) is None]
    assert not missing, "URLs without a row in the access matrix: " + ", ".join(missing)


def _query(rule: Rule, world, user) -> str:
    query = rule.query.format(
        outside_agency=Agency.objects.get(code=OUTSIDE_AGENCY).pk, period=world.period.pk
    )
    model = rule.extra.get("chosen_multiple")
    if model is not None:
        rows = model._default_manager.all()
        if user is not None and access.scope_of(model).is_tree:
            rows = rows.exclude(pk__in=access.pickable(user, model).values("pk"))
        query = "?" + "&".join(
            f"id={pk}" for pk in rows.order_by("pk").values_list("pk", flat=True)[:20]
        )
    return query


def _paths(route: Route, rule: Rule, world, user) -> list[str]:
    if rule.kind == "row":
        params = rule.row(world, user)
        return [] if params is None else [fill(route, params)]
    if "paths" in rule.extra:
        return rule.extra["paths"]
    path = fill(route, {}) + _query(rule, world, user)
    paths = [path]
    if route.name.endswith(":list") and route.name.startswith("wagtailsnippets_"):
        paths += [fill(route, {}) + "?export=csv"]
    return paths


def check_outsiders(world, role):
    """Every URL × every role but Sở Nội vụ, for rows of another agency."""
    client, user = client_for(role)
    markers = world.markers
    problems = []
    # Some routes fill to the same path (a route and its alias): the request is made once and
    # what its answer showed is checked against each route's rule. Nothing between the two could
    # change it: every POST is checked to change no data, and each answer's messages are taken
    # with it. Only the findings are kept: the answers themselves hold the test client's copies
    # of every rendering context, hundreds of pages kept alive for the whole pass.
    answers: dict[tuple[str, str], Answer] = {}

    def answer(method: str, path: str) -> Answer:
        if (method, path) not in answers:
            if method == "GET":
                response = through_export_job(client, client.get(path))
                found = leaked(response, markers, "", left_messages(client))
                answers[method, path] = Answer(response, path, found, changed=False)
            else:
                before = data_fingerprint()
                response = client.post(path, {})
                messages = left_messages(client)
                found = [marker for marker in markers if marker in messages]
                answers[method, path] = Answer(response, path, found, data_fingerprint() != before)
        return answers[method, path]

    for route, rule in checked_routes():
        for path in _paths(route, rule, world, user):
            got = answer("GET", path)
            if got.crashed:
                problems.append(f"{route.name} GET {path}: {got.status}")
                continue
            if rule.kind == "row" and not got.refused:
                problems.append(f"{route.name} GET {path}: {got.status}, not refused")
            if role not in rule.reached_by and got.found:
                problems.append(f"{route.name} GET {path}: shows {got.found[:3]}")
            if rule.write:
                got = answer("POST", path)
                if got.status >= 500:
                    problems.append(f"{route.name} POST {path}: {got.status}")
                if role not in rule.reached_by and got.found:
                    problems.append(f"{route.name} POST {path}: its message shows {got.found[:3]}")
                if rule.kind == "row" and not got.refused:
                    problems.append(f"{route.name} POST {path}: {got.status}, not refused")
                if got.changed:
                    problems.append(f"{route.name} POST {path}: changed data")
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)


class Answer:
    """What one request's answer showed, for :func:`check_outsiders`."""

    def __init__(self, response, path: str, found: list[str], changed: bool):
        self.status = response.status_code
        self.crashed = crashed(response, path)
        self.refused = refused(response)
        self.found = found  # the outside markers in its body or in the messages it left
        self.changed = changed  # a POST that changed the row counts


#: Issue 44 (coverage M4/E2): the six-month results' doors, checked on their own (``-k six_month``).
SIX_MONTH_ROUTES = ("ratings_half_years", "ratings_half_years_xlsx", "api:half-year-scores")


@pytest.mark.parametrize("role", [*OUTSIDERS, "home_affairs"])
def test_six_month_doors_show_nobody_outside(world, role, db):
    """The checks of :func:`test_outsiders_are_refused_and_see_nothing` on the six-month doors
    alone; Sở Nội vụ, filtering by the outside agency, does see its people there (the URLs were
    filled right)."""
    client, user = client_for(role)
    problems, seen = [], []
    for route, rule in checked_routes():
        if route.name not in SIX_MONTH_ROUTES:
            continue
        for path in _paths(route, rule, world, user):
            response = through_export_job(client, client.get(path))
            if crashed(response, path) or response.status_code >= 400:
                if role == "home_affairs" or crashed(response, path):
                    problems.append(f"{route.name} GET {path}: {response.status_code}")
                continue
            found = leaked(response, world.markers)
            if role == "home_affairs":
                seen.append(bool(found))
            elif role not in rule.reached_by and found:
                problems.append(f"{route.name} GET {path}: shows {found[:3]}")
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)
    if role == "home_affairs":
        assert seen and all(seen[:2]), seen  # the list and its export filtered on the agency


# Refused to Sở Nội vụ too, by design: stored scores are written by the scoring services only
# (read-only in the admin); Form 01 marks are entered by the person and their evaluator.
REFUSED_TO_EVERYONE = re.compile(
    r"^wagtailsnippets_scoring_(periodscore|annualscore|scoringrun):(edit|delete|usage|history.*)$"
    r"|^ratings_form01_entry$"
    r"|^ratings_period_complaint_file$"
    # Activation codes are printed only in the session that created them.
    r"|^accounts_slips$"
)


def test_home_affairs_opens_the_same_rows(world, db):
    """The rows the other roles are refused exist and open for Sở Nội vụ: the URLs were filled
    right, so the refusals above prove something."""
    from accounts.models import User

    client, _user = client_for("home_affairs")
    problems = []
    for route, rule in checked_routes():
        if rule.kind != "row" or REFUSED_TO_EVERYONE.match(route.name):
            continue
        # Build the path as for an outsider (the agency admin of Sở Tư pháp).
        outsider = User.objects.get(username=ROLES["agency_admin"])
        for path in _paths(route, rule, world, outsider):
            response = client.get(path)
            if response.status_code >= 500 or (refused(response) and response.status_code != 405):
                problems.append(f"{route.name} GET {path}: {response.status_code}")
    assert not problems, "\n".join(problems)


def check_bulk_actions(world, role):
    """Every snippet model's bulk delete (``/admin/bulk/<app>/<model>/delete/``): with
    ``?id=all`` the page shows nobody outside the role's reach, and a POST naming outside rows
    changes nothing (security review 2026-11-23 C1, H1)."""
    client, user = client_for(role)
    problems = []
    for model in get_snippet_models():
        opts = model._meta
        url = f"/admin/bulk/{opts.app_label}/{opts.model_name}/delete/"
        response = client.get(f"{url}?id=all")
        if response.status_code >= 500:
            problems.append(f"{opts.label} GET ?id=all: {response.status_code}")
        if found := leaked(response, world.markers):
            problems.append(f"{opts.label} GET ?id=all: shows {found[:3]}")
        rows = model._default_manager.all()
        if user is not None and access.scope_of(model).is_tree:
            rows = rows.exclude(pk__in=access.editable(user, model).values("pk"))
        ids = "&".join(f"id={pk}" for pk in rows.order_by("pk").values_list("pk", flat=True)[:5])
        if not ids:
            continue
        before = data_fingerprint()
        response = client.post(f"{url}?{ids}", {})
        if response.status_code >= 500:
            problems.append(f"{opts.label} POST: {response.status_code}")
        if data_fingerprint() != before:
            problems.append(f"{opts.label} POST {ids}: changed data")
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)


ACCOUNT_EVENTS = "/admin/tai-khoan/nhat-ky/"
#: Who opens the account events' listing and exports (Sở Nội vụ all rows, an agency admin the
#: people whose sign-ins they administer); every other role is refused.
MAY_LIST_ACCOUNT_EVENTS = ("home_affairs", "agency_admin", "other_agency_admin")


@pytest.mark.parametrize("role", list(ROLES))
def test_who_may_list_and_export_account_events(world, role, db):
    client, _user = client_for(role)
    for query in ("", "?export=csv", "?export=xlsx"):
        response = through_export_job(client, client.get(ACCOUNT_EVENTS + query))
        if role in MAY_LIST_ACCOUNT_EVENTS:
            assert response.status_code == 200, (role, query, response.status_code)
            if role != "home_affairs":
                assert not leaked(response, world.markers), (role, query)
        else:
            assert refused(response), (role, query, response.status_code)
    if role == "home_affairs":
        # Sở Nội vụ sees the outside agency's events (the check above would prove nothing
        # without them).
        events = through_export_job(client, client.get(ACCOUNT_EVENTS + "?export=csv"))
        assert leaked(events, world.markers)


def test_agency_admin_cannot_touch_another_agencys_accounts_or_raise_to_home_affairs(world, db):
    """The account pages (accounts.views): the agency admin of Sở Tư pháp resets, deactivates
    and grants nothing outside their agency, creates no sign-in there, and raises nobody —
    their own people included — to Sở Nội vụ."""
    from accounts.models import AccountEvent, User

    client, admin = client_for("agency_admin")
    outside_user = _outside_sign_in()
    for action in ("reset", "unlock", "deactivate", "grant"):
        response = client.post(
            f"/admin/tai-khoan/{outside_user.pk}/{action}/",
            {
                "role": "agency_admin",
                "grant_agency": outside_user.civil_servant.postings.first().agency_id,
            },
        )
        assert refused(response), (action, response.status_code)
    outside_user.refresh_from_db()
    assert outside_user.is_active and outside_user.has_usable_password() is False
    assert not AccountEvent.objects.filter(user=outside_user, actor=admin).exists()

    outside_agency = Agency.objects.get(code=OUTSIDE_AGENCY)
    before = User.objects.count()
    client.post(f"/admin/tai-khoan/?agency={outside_agency.pk}", {"agency": outside_agency.pk})
    assert User.objects.count() == before

    # One of their own people (the demo gave everyone a sign-in): no Sở Nội vụ rights.
    stp = Agency.objects.get(code="STP")
    own = (
        CivilServant.objects.filter(
            postings__agency__path__startswith=stp.path,
            postings__end_date__isnull=True,
            user__isnull=False,
            user__is_superuser=False,
        )
        .exclude(user=admin)
        .exclude(user__groups__name=access.HOME_AFFAIRS_GROUP)
        .distinct()
        .order_by("pk")
        .first()
    )
    response = client.post(f"/admin/tai-khoan/{own.user_id}/grant/", {"role": "home_affairs"})
    assert response.status_code in (302, 403)
    assert not own.user.groups.filter(name=access.HOME_AFFAIRS_GROUP).exists()
    # …and the page offers them only the agency-admin right.
    page = client.get(f"/admin/tai-khoan/?agency={stp.pk}")
    assert 'value="home_affairs"' not in page.content.decode()
    assert own.official_id in page.content.decode()


# --- the action matrix: admin forms posted with what a browser posts (issue 27) --------------

#: Fields a probe changes in the body it posts, so that a save that went through would show.
PROBED_FIELDS = ("note", "reason", "description", "full_name", "phone", "text", "title", "name")
#: Stored scores and runs: read-only in the admin for everyone (REFUSED_TO_EVERYONE).
READ_ONLY_MODELS = {"scoring.periodscore", "scoring.annualscore", "scoring.scoringrun"}


def _tree_snippet_models():
    return [
        m
        for m in get_snippet_models()
        if access.scope_of(m).is_tree and m._meta.label_lower not in READ_ONLY_MODELS
    ]


def _row_state(model, pk) -> list[dict]:
    return list(model._default_manager.filter(pk=pk).values())


def _browser_body(world, client, url) -> dict:
    """What Sở Nội vụ's browser posts back from ``url``'s form, with the probed fields
    changed: a real body for another role to replay. Read once per module (``world``): every
    check asserts that no row changed, so the form Sở Nội vụ is shown cannot differ."""
    if url not in world.form_bodies:
        world.form_bodies[url] = _read_browser_body(client, url)
    return dict(world.form_bodies[url])


def _read_browser_body(client, url) -> dict:
    from tests.browsing import form_data

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    data = form_data(response.content.decode())
    for name in PROBED_FIELDS:
        if data.get(name):
            data[name] = f"{data[name]} (thử)"[:20] if name == "phone" else f"{data[name]} thử"
    return data


def check_admin_forms(world, role):
    """Every scoped snippet's edit, add and delete, posted by each role with the body Sở Nội
    vụ's browser posts for a row of the outside agency (its person, unit, period, inline
    postings and the signed snapshot of what was shown): refused, the row and every row count
    unchanged, and the answer names nobody of the outside agency."""
    home, _ = client_for("home_affairs")
    client, user = client_for(role)
    problems = []
    for model in _tree_snippet_models():
        viewset = model.snippet_viewset
        row = outside(model, user)
        edit = reverse_snippet(viewset, "edit", row.pk)
        add = reverse_snippet(viewset, "add")
        delete = reverse_snippet(viewset, "delete", row.pk)
        body = _browser_body(world, home, edit)
        before_row, before = _row_state(model, row.pk), data_fingerprint()
        for label, url, data in (
            ("edit", edit, body),
            ("add", add, {k: v for k, v in body.items() if k != "kpi_seen"}),
            ("delete", delete, {}),
        ):
            response = client.post(url, data)
            where = f"{model._meta.label} {label} {url}"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            if label != "add" and not refused(response):
                problems.append(f"{where}: {response.status_code}, not refused")
            if found := leaked(response, world.markers):
                problems.append(f"{where}: shows {found[:3]}")
            if _row_state(model, row.pk) != before_row or data_fingerprint() != before:
                problems.append(f"{where}: changed data")
                before_row, before = _row_state(model, row.pk), data_fingerprint()
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)


def reverse_snippet(viewset, name, *args) -> str:
    return reverse(viewset.get_url_name(name), args=args)


def check_searches(world, role):
    """Every snippet listing and chooser searched (``?q=``) for an outside person's name and
    official ID: no error, and nobody of the outside agency in the answer (the list, its
    results fragment, the CSV and XLSX exports)."""
    client, _user = client_for(role)
    person = world.outside_people.filter(official_id__in=world.markers).order_by("pk").first()
    terms = [person.official_id, person.full_name.split()[-1], person.full_name]
    problems = []
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        chooser = viewset.chooser_viewset
        urls = [
            reverse_snippet(viewset, "list"),
            reverse_snippet(viewset, "list_results"),
            reverse(chooser.get_url_name("choose_results")),
        ]
        for url in urls:
            for term in terms:
                for suffix in ("", "&export=csv", "&export=xlsx") if url == urls[0] else ("",):
                    path = f"{url}?{urlencode({'q': term})}{suffix}"
                    response = through_export_job(client, client.get(path))
                    messages = left_messages(client)
                    if response.status_code >= 500:
                        problems.append(f"GET {path}: {response.status_code}")
                    elif found := leaked(response, world.markers, term, messages):
                        problems.append(f"GET {path}: shows {found[:3]}")
    assert not problems, f"{len(problems)} problems for {role}:\n" + "\n".join(problems)


def test_bloc_lead_bodies_reach_their_bloc_and_home_affairs_still_sees_all(world, db):
    """Issue 32 item 4 (Nghệ An §V.1–V.4): the appraiser of Ban Tổ chức Tỉnh ủy opens the Party
    bloc's progress board, statistics and framework proposal with its appraisal steps, and the
    Front's appraiser their bloc's; neither sees the other bloc; Sở Nội vụ still reads both."""
    from oversight.plans import load_plan
    from scoring.models import FrameworkProposal

    load_plan("NA", 2027)  # the plan that binds the whole political system
    party = Agency.objects.get(code="TU")
    front = Agency.objects.get(code="MTTQ")
    party_proposal = FrameworkProposal.objects.get(agency=party, status="submitted")
    front_proposal = FrameworkProposal.objects.get(agency__code="MTTQ-HLHPN", status="submitted")

    client, _user = client_for("party_bloc_appraiser")
    assert client.get("/admin/thong-ke/")["Location"] == f"/admin/thong-ke/{party.pk}/"
    board = client.get("/admin/tien-do/?nam=2027").content.decode()
    assert "Ban Tổ chức Tỉnh ủy" in board and "Sở Tư pháp" not in board
    assert "Hội Liên hiệp Phụ nữ" not in board
    steps = client.get(f"/admin/scoring/proposals/{party_proposal.pk}/")
    assert steps.status_code == 200, steps.status_code
    body = steps.content.decode()
    assert "Thẩm định đạt, đề nghị phê duyệt" in body and "Ban Tổ chức Tỉnh ủy" in body
    assert refused(client.get(f"/admin/scoring/proposals/{front_proposal.pk}/"))
    # Their bloc's report to Ban Thường vụ Tỉnh ủy: their bloc's agencies only.
    from org.models import BlocLead

    report = client.get("/admin/bao-cao-khoi/").content.decode()
    assert "Ban Tuyên giáo" in report or "Ban Tổ chức Tỉnh ủy" in report
    assert "Hội Liên hiệp Phụ nữ" not in report and "Sở Tư pháp" not in report
    front_lead = BlocLead.objects.get(root=front)
    assert client.get(f"/admin/bao-cao-khoi/?khoi={front_lead.pk}").status_code == 404

    client, _user = client_for("front_bloc_appraiser")
    report = client.get("/admin/bao-cao-khoi/").content.decode()
    assert "Hội Liên hiệp Phụ nữ" in report and "Ban Tổ chức Tỉnh ủy báo cáo" not in report
    assert client.get("/admin/thong-ke/")["Location"] == f"/admin/thong-ke/{front.pk}/"
    body = client.get(f"/admin/scoring/proposals/{front_proposal.pk}/").content.decode()
    assert "Thẩm định đạt, đề nghị phê duyệt" in body
    assert refused(client.get(f"/admin/scoring/proposals/{party_proposal.pk}/"))

    client, _user = client_for("home_affairs")
    body = client.get(f"/admin/scoring/proposals/{party_proposal.pk}/").content.decode()
    assert "Ban Tổ chức Tỉnh ủy" in body and "Thẩm định đạt, đề nghị phê duyệt" not in body
    board = client.get("/admin/tien-do/?nam=2027").content.decode()
    assert "Sở Tư pháp" in board and "Ban Tổ chức Tỉnh ủy" in board


# --- integration tokens of each scope (issue 27: "tokens of each scope") ---------------------

#: name → (granted agency codes, or a unit of Sở Tư pháp for "unit"; can_write; national_export)
TOKEN_SCOPES = {
    "agency_write": (["STP"], True, False),
    "unit_write": (None, True, False),
    "agency_read_only": (["STP"], False, False),
    "national_export_stp": (["STP"], False, True),
    "party_root": (["TU"], False, False),  # a tree root that is not the province (review L1)
}


def _token_client(scope: str):
    from rest_framework.test import APIClient

    from api.models import IntegrationSystem, IntegrationToken
    from api.principal import SystemPrincipal
    from org.models import AgencyKind

    codes, can_write, national = TOKEN_SCOPES[scope]
    stp = Agency.objects.get(code="STP")
    if codes is None:
        agencies = [Agency.objects.filter(parent=stp, kind=AgencyKind.UNIT).order_by("pk").first()]
    else:
        agencies = list(Agency.objects.filter(code__in=codes))
    system = IntegrationSystem.objects.create(
        name=f"Thử phạm vi {scope}", can_write=can_write, national_export=national
    )
    system.agencies.set(agencies)
    row, secret = IntegrationToken.issue(system)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    # The rows outside the token's reach are picked as for a signed-in role.
    return client, SystemPrincipal(system, row)


def _outside_line_bodies(world) -> list[dict]:
    """A realistic line for a person of the outside agency — as the outside agency's own
    system would send it (its code, a product of its approved catalogue) — and the same line
    naming Sở Tư pháp as the agency."""
    from catalog_pages.models import CatalogVersionItem
    from org.models import Posting

    outside = Agency.objects.get(code=OUTSIDE_AGENCY)
    posting = (
        Posting.objects.filter(agency__path__startswith=outside.path, end_date__isnull=True)
        .select_related("civil_servant")
        .order_by("pk")
        .first()
    )
    product = (
        CatalogVersionItem.objects.filter(version__agency=outside)
        .order_by("-version__number", "pk")
        .values_list("code", flat=True)
        .first()
    )
    line = {
        "external_id": "thu-pham-vi-1",
        "agency": OUTSIDE_AGENCY,
        "period": world.period.code,
        "official_id": posting.civil_servant.official_id,
        "product_code": product or "X",
        "assigned": 2,
        "completed": 1,
        "deadline": f"{world.period.code}-20",
        "failed_reviews": 3,
        "delays": 0,
        "note": "thử phạm vi",
    }
    return [line, {**line, "external_id": "thu-pham-vi-2", "agency": "STP"}]


@pytest.mark.parametrize("scope", sorted(TOKEN_SCOPES))
def test_tokens_of_each_scope_see_and_write_nobody_outside(world, scope, db):
    """Every API URL with a token of each scope (an agency, one of its units, read-only, the
    national export scoped to an agency, another tree root): no 5xx, no outside name or
    official ID in any answer; a URL naming an outside row refused; the write doors, posted
    with a real line for an outside person (as the outside agency, and as the token's own
    agency), refused with every row count unchanged."""
    import json

    client, principal = _token_client(scope)
    problems = []
    for route, rule in checked_routes():
        if not (route.name or "").startswith("api:"):
            continue
        for path in _paths(route, rule, world, principal):
            response = client.get(path)
            if response.status_code >= 500:
                problems.append(f"{route.name} GET {path}: {response.status_code}")
                continue
            if rule.kind == "row" and not refused(response):
                problems.append(f"{route.name} GET {path}: {response.status_code}, not refused")
            if found := leaked(response, world.markers):
                problems.append(f"{route.name} GET {path}: shows {found[:3]}")
    bodies = _outside_line_bodies(world)
    posts = [
        (reverse("api:integration-lines-bulk"), {"items": bodies}),
        (reverse("api:integration-lines-bulk"), {"items": bodies[1:]}),
        (reverse("api:integration-lines"), bodies[0]),
    ]
    for path, body in posts:
        before = data_fingerprint()
        response = client.post(path, json.dumps(body), content_type="application/json")
        if response.status_code >= 500 or response.status_code < 400:
            problems.append(f"POST {path}: {response.status_code}, not refused")
        if data_fingerprint() != before:
            problems.append(f"POST {path}: changed data")
        # The official ID the system itself sent may be repeated in the refusal ("… không công
        # tác tại Sở Tư pháp trong kỳ"), as an Excel file's own IDs are: nothing else may show.
        sent = bodies[0]["official_id"]
        if found := leaked(response, world.markers, echoed=sent):
            problems.append(f"POST {path}: shows {found[:3]}")
    assert not problems, f"{len(problems)} problems for the {scope} token:\n" + "\n".join(problems)


# --- the second factor on every surface (issue 41; security review of 2026-11-25 H1) ---------

#: The demo roles the registry asks a second factor of by default (``accounts.auth_policy.ROLES``):
#: whoever administers, appraises, decides or evaluates. The others are not asked.
SECOND_FACTOR_ROLES = {
    "home_affairs",
    "agency_admin",
    "other_agency_admin",
    "province_office",
    "unit_leader",
    "agency_head",
    "unit_deputy",
    "transferred_in",
    "party_bloc_appraiser",
    "front_bloc_appraiser",
}
SECOND_FACTOR_PAGES = ("/tai-khoan/xac-thuc/", "/tai-khoan/xac-thuc/thiet-lap/")


def _present_code(client, device) -> None:
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    token = f"{totp.token():0{device.digits}d}"
    response = client.post(reverse("accounts_otp_verify"), {"token": token, "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/", response.content[:300]


def _refused_for_the_second_factor(response, path: str) -> str | None:
    """Why the answer to a password-only session is not the second factor's refusal, or None."""
    if path.startswith("/api/"):
        if response.status_code != 403:
            return f"{response.status_code}, not 403"
        if "json" not in response.get("Content-Type", ""):
            return None  # the schema and its HTML viewers: refused in their own format
        error = response.json()["error"]
        if error["code"] not in ("second_factor_required", "second_factor_setup"):
            return f"403 {error['code']}"
        if "xác thực hai lớp" not in error["message"]:
            return f"403 without the Vietnamese step: {error['message']}"
        return None
    if response.status_code != 302:
        return f"{response.status_code}, not sent to the second factor"
    if not response["Location"].startswith(SECOND_FACTOR_PAGES):
        return f"302 to {response['Location']}"
    return None


#: The surfaces of the one authentication policy, each URL of the project in one of them.
PASSWORD_ONLY_FAMILIES = ("admin", "api", "download", "account", "public")
#: URLs of each family requested per role (Sở Nội vụ, the widest role, requests every URL).
PASSWORD_ONLY_SAMPLE = 12
DOWNLOAD = re.compile(
    r"file|download|export|xlsx|csv|print|pdf|slip|phieu|attachment|tai-ve|xuat", re.IGNORECASE
)


def _family(name: str, path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith(("/tai-khoan/", "/admin/tai-khoan/", "/admin/account/")):
        return "account"
    if DOWNLOAD.search(f"{name} {path}"):
        return "download"
    return "admin" if path.startswith("/admin/") else "public"


@pytest.fixture(scope="module")
def password_only_paths(world, django_db_blocker) -> dict[str, list[tuple[str, bool, str]]]:
    """``family → [(route name, writes, path)]``: every URL of the project but those open before
    the second factor (signing in and out, the code's pages, the API's redirect to v1), filled
    with rows outside an agency admin's reach as the other tests do."""
    from accounts import auth_policy as policy
    from accounts.models import User

    families: dict[str, list[tuple[str, bool, str]]] = {f: [] for f in PASSWORD_ONLY_FAMILIES}
    with django_db_blocker.unblock():
        outsider = User.objects.get(username=ROLES["agency_admin"])
        for route, rule in checked_routes():
            for path in _paths(route, rule, world, outsider):
                if path.startswith(policy.OPEN_PATHS) or path == "/api/":
                    continue
                families[_family(route.name or route.route, path)].append(
                    (route.name or route.route, rule.write, path)
                )
    return families


def _spread(items: list, count: int) -> list:
    """``count`` items spread evenly over ``items`` (all of them when there are fewer)."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _password_only(role: str, settings):
    """A session of ``role`` signed in with the password alone, its person having set up an
    authenticator (so the step is the code, not the set-up): (client, device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import auth_policy as policy
    from accounts.models import User

    settings.KPI_2FA_REQUIRED = True
    settings.KPI_2FA_ROLES = policy.DEFAULT_ROLES
    user = User.objects.get(username=ROLES[role])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user)
    return client, device


def _rows_but_events() -> dict[str, int]:
    # Signing in may leave an account event (who signed in, from where): not a write.
    return {k: v for k, v in data_fingerprint().items() if k != "accounts.AccountEvent"}


def test_the_registry_asks_a_second_factor_of_every_deciding_role(world, db, settings):
    """With the defaults of ``KPI_2FA_ROLES``: Sở Nội vụ, the province office, agency and bloc
    admins, the blocs' appraisers, heads, deputies and unit leaders are asked; a civil servant,
    a viên chức, a contract worker and a clerk transferred out of a unit head's posting are not."""
    from accounts import auth_policy as policy
    from accounts.models import User

    settings.KPI_2FA_REQUIRED = True
    settings.KPI_2FA_ROLES = policy.DEFAULT_ROLES
    users = {role: User.objects.get(username=name) for role, name in ROLES.items() if name}
    asked = {role for role, user in users.items() if policy.roles_asking(user)}
    assert asked == SECOND_FACTOR_ROLES, sorted(asked ^ SECOND_FACTOR_ROLES)


def check_password_only(world, password_only_paths, role, family, settings):
    """Every role the role registry asks a second factor of × every surface (the admin, the
    API, downloads and exports, the account pages, the public site), with a session signed in
    by password alone: pages are sent to the second factor's page, which asks for the code in
    Vietnamese; a script's fetch gets a short Vietnamese refusal; the API answers 403 with the
    Vietnamese step (reads, details and writes: the national records' acknowledgement too); a
    POST changes nothing. Sở Nội vụ requests every URL of the project, the other roles an even
    spread of each family (the gate asks the role, then the path's surface)."""
    from api.models import OutboxRecord, OutboxStatus

    client, _device = _password_only(role, settings)
    paths = password_only_paths[family]
    assert paths, family
    if role != "home_affairs":
        paths = _spread(paths, PASSWORD_ONLY_SAMPLE)
    before = _rows_but_events()
    problems = []
    for name, write, path in paths:
        response = client.get(path)
        if why := _refused_for_the_second_factor(response, path):
            problems.append(f"{role} {name} GET {path}: {why}")
        if write:
            response = client.post(path, {})
            if why := _refused_for_the_second_factor(response, path):
                problems.append(f"{role} {name} POST {path}: {why}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])

    if family == "api":
        unsent = list(
            OutboxRecord.objects.exclude(status=OutboxStatus.ACKNOWLEDGED)
            .order_by("pk")
            .values_list("pk", flat=True)[:1]
        )
        acknowledged = client.post(
            reverse("api:national-export-acknowledge"),
            {"ids": unsent},
            content_type="application/json",
        )
        assert not _refused_for_the_second_factor(acknowledged, "/api/")
        assert acknowledged.json()["error"]["message"].startswith(
            "Phiên đăng nhập này chưa qua xác thực hai lớp"
        )
        assert not OutboxRecord.objects.filter(pk__in=unsent, status=OutboxStatus.ACKNOWLEDGED)
    else:
        # What the person reads: the step's page, in Vietnamese, once (not inside the page).
        _name, _write, path = paths[0]
        step = client.get(client.get(path)["Location"])
        html = step.content.decode()
        assert step.status_code == 200 and html.count('id="id_token"') == 1, path
        assert "Xác thực hai lớp" in html and "6 chữ số trong ứng dụng" in html, path
        fetched = client.get(path, HTTP_SEC_FETCH_MODE="cors")
        assert fetched.status_code == 403, path
        text = fetched.content.decode()
        assert text.startswith("Phiên đăng nhập này chưa qua xác thực hai lớp"), text[:200]
    assert _rows_but_events() == before


@pytest.mark.parametrize("role", sorted(SECOND_FACTOR_ROLES))
def test_the_code_opens_every_surface_of_the_same_session(world, role, db, settings):
    """The same password-only session, once the code is presented: the admin, the API and the
    account pages answer. Sở Nội vụ's national records and a download open; its acknowledgement
    is taken (rolled back here: the other tests of the module read the outbox)."""
    from api.models import OutboxRecord, OutboxStatus

    client, device = _password_only(role, settings)
    _present_code(client, device)
    for path in ("/admin/", "/api/v1/civil-servants/", reverse("accounts_change_password")):
        assert client.get(path).status_code == 200, path
    if role != "home_affairs":
        return
    assert client.get("/api/v1/national-export/?date=2026-12-31").json()["count"] > 0
    outsider = client_for("agency_admin")[1]
    evidence = next(r for r, _rule in checked_routes() if r.name == "worklog_evidence_file")
    path = _paths(evidence, RULES["worklog_evidence_file"], world, outsider)[0]
    assert client.get(path).status_code == 200
    unsent = list(
        OutboxRecord.objects.exclude(status=OutboxStatus.ACKNOWLEDGED)
        .order_by("pk")
        .values_list("pk", flat=True)[:1]
    )
    with transaction.atomic():
        response = client.post(
            reverse("api:national-export-acknowledge"),
            {"ids": unsent},
            content_type="application/json",
        )
        assert response.json() == {"acknowledged": len(unsent)}
        transaction.set_rollback(True)


# --- job descriptions: who drafts, appraises, approves, reads (issue 45) ----------------------

#: role → (reads, drafts a Sở Tư pháp description, drafts the outside agency's, drafts the
#: province's common one, appraises and approves the outside agency's, those of the Party bloc)
JOB_DESCRIPTION_MATRIX = {
    "home_affairs": (True, True, True, True, True, False),
    "agency_admin": (True, True, False, False, False, False),
    "other_agency_admin": (True, False, False, False, False, False),
    "party_bloc_appraiser": (True, False, False, False, False, True),
    "front_bloc_appraiser": (True, False, False, False, False, False),
    "unit_leader": (False, False, False, False, False, False),
    "civil_servant": (False, False, False, False, False, False),
    "agency_head": (False, False, False, False, False, False),
    "anonymous": (False, False, False, False, False, False),
}


@pytest.mark.parametrize("role", list(JOB_DESCRIPTION_MATRIX))
def test_job_description_steps_by_role(world, role, db):
    """Agencies draft their own positions' descriptions; the lead body of the drafting agency's
    bloc (Sở Nội vụ for the state bloc) appraises and approves; the common ones are Sở Nội
    vụ's; every admin role reads them. Asked of the services and through the pages."""
    from org import job_descriptions
    from org.models import BlocLead, JobDescription
    from tests.factories import job_description

    reads, own, other, common, appraises, party = JOB_DESCRIPTION_MATRIX[role]
    client, user = client_for(role)
    snv = client_for("home_affairs")[1]
    position = JobDescription.objects.order_by("pk").first().job_position
    rows = {
        "own": job_description(position, agency=Agency.objects.get(code="STP")),
        "other": job_description(position, agency=Agency.objects.get(code=OUTSIDE_AGENCY)),
        "common": JobDescription.objects.filter(agency__isnull=True, status="draft").first(),
    }
    submitted = job_descriptions.submit(
        job_description(position, agency=Agency.objects.get(code=OUTSIDE_AGENCY)), snv
    )
    party_root = (
        BlocLead.objects.filter(lead_agency__accesses__user__username=ROLES["party_bloc_appraiser"])
        .first()
        .root
    )
    party_submitted = job_descriptions.submit(job_description(position, agency=party_root), snv)
    found = {
        "reads": client.get(
            reverse("wagtailsnippets_org_jobdescription:inspect", args=[rows["other"].pk])
        ).status_code
        == 200,
        "own": user is not None and access.may(user, access.CHANGE, rows["own"]),
        "other": user is not None and access.may(user, access.CHANGE, rows["other"]),
        "common": user is not None and access.may(user, access.CHANGE, rows["common"]),
        "appraises": job_descriptions.may_take(user, "appraise", submitted)
        and job_descriptions.holds_role(user, "approve", submitted),
        "party": job_descriptions.may_take(user, "appraise", party_submitted)
        and job_descriptions.holds_role(user, "approve", party_submitted),
    }
    expected = dict(zip(found, (reads, own, other, common, appraises, party), strict=True))
    assert found == expected
    # The appraisal page of the outside agency's description: open to its appraiser only, and
    # a POST by anyone else moves nothing.
    url = reverse("wagtailsnippets_org_jobdescription:action", args=[submitted.pk, "appraise"])
    if appraises:
        assert client.get(url).status_code == 200
    else:
        assert refused(client.get(url))
        client.post(url, {"comment": "thử"})
        submitted.refresh_from_db()
        assert submitted.status == "submitted"


# --- issue 45's other items: who drafts, appraises, approves and reads ---------------------------
# The rows the world lacks are made in each test (rolled back with it). "The unit" is the unit
# ``lanhdao.phong`` leads (Văn phòng Sở Tư pháp), "the agency" Sở Tư pháp.

#: The roles of issue 45's matrices.
ISSUE_45_ROLES = (
    "home_affairs",
    "agency_admin",
    "other_agency_admin",
    "agency_head",
    "unit_leader",
    "civil_servant",
    "party_bloc_appraiser",
    "front_bloc_appraiser",
    "province_office",
    "anonymous",
)


def _the_unit() -> Agency:
    from org.models import AgencyAccess

    return AgencyAccess.objects.get(user__username=ROLES["unit_leader"]).agency


def _month_plan(agency, month: int, status: str = "draft"):
    import datetime

    from workplans.models import WorkPlan, WorkPlanItem

    plan = WorkPlan.objects.create(
        agency=agency, kind="month", year=2026, number=month, title=f"Kế hoạch tháng {month}"
    )
    WorkPlanItem.objects.create(
        plan=plan, name="Báo cáo tháng", deadline=datetime.date(2026, month, 20)
    )
    WorkPlan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan


#: role → (reads the unit's plan, drafts the unit's, drafts the agency's, drafts the outside
#: agency's, approves the unit's, approves the agency's, approves the outside agency's)
WORK_PLAN_MATRIX = {
    # Sở Nội vụ reads and may help draft any plan; a plan is the agency's own decision: it
    # approves none of another agency's (it did before this matrix).
    "home_affairs": (True, True, True, True, False, False, False),
    "agency_admin": (True, True, True, False, False, False, False),
    "other_agency_admin": (False, False, False, False, False, False, False),
    # The head of the agency approves its plans and its units'.
    "agency_head": (True, True, True, False, True, True, False),
    # The unit's head drafts and submits the unit's plan, never approves it.
    "unit_leader": (True, True, False, False, False, False, False),
    "civil_servant": (False, False, False, False, False, False, False),
    "party_bloc_appraiser": (False, False, False, False, False, False, False),
    "front_bloc_appraiser": (False, False, False, False, False, False, False),
    "province_office": (False, False, False, False, False, False, False),
    "anonymous": (False, False, False, False, False, False, False),
}


@pytest.mark.parametrize("role", list(WORK_PLAN_MATRIX))
def test_work_plan_steps_by_role(world, role, db):
    """Units and the agency's office draft the agency's plans; the head of the agency approves
    them; nobody outside the agency drafts or approves them. Asked of the flow and through
    the plan's page and its approval page (a refused POST approves nothing)."""
    from workplans.models import WorkPlan
    from workplans.services import flow

    client, user = client_for(role)
    unit, stp = _the_unit(), Agency.objects.get(code="STP")
    outside_agency = Agency.objects.get(code=OUTSIDE_AGENCY)
    drafts = [_month_plan(agency, 11) for agency in (unit, stp)]
    drafts.append(WorkPlan.objects.get(agency=outside_agency))
    submitted = [_month_plan(agency, 12, "submitted") for agency in (unit, stp, outside_agency)]
    inspect = reverse("wagtailsnippets_workplans_workplan:inspect", args=[drafts[0].pk])
    found = (
        client.get(inspect).status_code == 200,
        *(user is not None and access.may(user, access.CHANGE, plan) for plan in drafts),
        *(flow.may_take(user, "approve", plan) for plan in submitted),
    )
    assert found == WORK_PLAN_MATRIX[role]
    approves = WORK_PLAN_MATRIX[role][4]
    url = reverse("wagtailsnippets_workplans_workplan:action", args=[submitted[0].pk, "approve"])
    if approves:
        assert "Phê duyệt kế hoạch" in client.get(url).content.decode()
    else:
        assert refused(client.get(url))
        client.post(url, {})
        submitted[0].refresh_from_db()
        assert submitted[0].status == "submitted"


#: role → (asks a body's opinion on a Sở Tư pháp staff member's case, answers the request to
#: another agency (Sở Khoa học và Công nghệ), answers the request to the person's unit (asked by
#: the agency's admin), answers the request to the unit on the unit head's own case, reads the
#: case's opinions)
RELATED_OPINION_MATRIX = {
    "home_affairs": (False, False, False, False, True),
    # The case's appraiser asks; it administers the unit too, but never answers its own request.
    "agency_admin": (True, False, False, True, True),
    # Another agency answers for itself only, and does not read the case.
    "other_agency_admin": (False, True, False, False, False),
    "agency_head": (False, False, False, False, True),
    # The unit's head answers for the unit, except on his own case.
    "unit_leader": (False, False, True, False, True),
    # The person rated reads the opinions on their own case.
    "civil_servant": (False, False, False, False, True),
    "party_bloc_appraiser": (False, False, False, False, False),
    "front_bloc_appraiser": (False, False, False, False, False),
    "province_office": (False, False, False, False, False),
    "anonymous": (False, False, False, False, False),
}


@pytest.mark.parametrize("role", list(RELATED_OPINION_MATRIX))
def test_related_opinion_steps_by_role(world, role, db):
    """The case's appraiser asks related bodies; a body's head or admin answers — never the one
    who asked, nor the person rated; the case's readers read the answers. Asked of the service
    and through the answer page (what the refused speaker is told, what is stored)."""
    import datetime

    from accounts.models import User
    from ratings.models import CaseState, RatingCase, RelatedOpinion
    from ratings.services import related_opinions as opinions

    client, user = client_for(role)
    unit = _the_unit()
    cases = {}
    for username in ("congchuc", ROLES["unit_leader"]):
        case = RatingCase.objects.get(civil_servant__user__username=username, year=2026)
        RatingCase.objects.filter(pk=case.pk).update(state=CaseState.SELF_ASSESSED)
        cases[username] = RatingCase.objects.get(pk=case.pk)
    asked = {
        "other": (cases["congchuc"], Agency.objects.get(code="SKHCN"), ROLES["agency_admin"]),
        "unit": (cases["congchuc"], unit, ROLES["agency_admin"]),
        "own": (cases[ROLES["unit_leader"]], unit, ROLES["home_affairs"]),
    }
    rows = {
        key: RelatedOpinion.objects.create(
            case=case,
            body=body,
            question="Đề nghị cho ý kiến về việc phối hợp.",
            deadline=datetime.date(2099, 1, 1),
            requested_by=User.objects.get(username=by),
        )
        for key, (case, body, by) in asked.items()
    }
    page = reverse("ratings_case_opinions", args=[cases["congchuc"].pk])
    found = (
        user is not None and opinions.may_request(user, cases["congchuc"]),
        *(user is not None and opinions.may_answer(user, rows[key]) for key in rows),
        client.get(page).status_code == 200,
    )
    assert found == RELATED_OPINION_MATRIX[role]
    # The request to the unit, answered through its page.
    answer = reverse("ratings_opinion_answer", args=[rows["unit"].pk])
    response = client.post(answer, {"answer": "Đơn vị thống nhất."})
    rows["unit"].refresh_from_db()
    answers = RELATED_OPINION_MATRIX[role][2]
    assert (rows["unit"].answer == "Đơn vị thống nhất.") == answers
    if role == "agency_admin":
        assert (
            "Bạn là người đề nghị cho ý kiến: người đứng đầu hoặc quản trị khác của "
            f"{unit.name} trả lời đề nghị này."
        ) in unescape(response.content.decode())
    if role == "unit_leader":
        shown = unescape(
            client.get(reverse("ratings_opinion_answer", args=[rows["own"].pk])).content.decode()
        )
        assert "Bạn là người được đánh giá trong hồ sơ này" in shown and "Gửi ý kiến" not in shown


#: role → (enters the competency levels of a Sở Tư pháp staff member, opens the gaps page, sees
#: that person's gap on it)
COMPETENCY_MATRIX = {
    "home_affairs": (True, True, True),
    # The evaluator (the unit's head) on Form 01; the agency's admin through the Excel file of
    # Form 01's marks, as for the marks themselves. The agency's head holds the service's rule
    # (reach and the leaders' input permission, as for the marks) but has no door to it for a
    # person he does not evaluate: Form 01's levels are the evaluator's, the import the admin's.
    "agency_admin": (True, True, True),
    "agency_head": (True, True, True),
    "unit_leader": (True, True, True),
    "other_agency_admin": (False, True, False),
    "party_bloc_appraiser": (False, True, False),
    "front_bloc_appraiser": (False, True, False),
    # Nobody assesses their own competencies, and a civil servant lists no one's gaps.
    "civil_servant": (False, False, False),
    "province_office": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize("role", list(COMPETENCY_MATRIX))
def test_competency_steps_by_role(world, role, db):
    """Who enters a person's competency levels (``scoring.services.competencies.refusal``, the
    one write service's rule) and who reads the HR gaps page, with whose rows."""
    from org.models import Competency
    from scoring.models import CompetencyAssessment
    from scoring.services import competencies

    client, user = client_for(role)
    person = CivilServant.objects.get(user__username="congchuc")
    competency = Competency.objects.order_by("code").first()
    CompetencyAssessment.objects.bulk_create(
        [
            CompetencyAssessment(
                civil_servant=person,
                period=world.period,
                competency=competency,
                required_level=3,
                assessed_level=1,
            )
        ]
    )
    reason = competencies.refusal(user, person, world.period)
    page = client.get(reverse("ratings_competency_gaps"))
    opens = page.status_code == 200
    found = (reason is None, opens, opens and person.full_name in unescape(page.content.decode()))
    assert found == COMPETENCY_MATRIX[role]
    if role == "civil_servant":
        assert reason == competencies.own_assessment_message()


#: role → (opens "Soạn bản mới từ kết quả năm trước" of Sở Tư pháp's catalog, confirms it (a new
#: draft revision), opens it for the outside agency's catalog)
LAST_YEAR_MATRIX = {
    # Sở Nội vụ and the agency's catalog editors (the demo's admin of Sở Tư pháp is one).
    "home_affairs": (True, True, True),
    "agency_admin": (True, True, False),
    "other_agency_admin": (False, False, False),
    "agency_head": (False, False, False),
    "unit_leader": (False, False, False),
    "civil_servant": (False, False, False),
    "party_bloc_appraiser": (False, False, False),
    "front_bloc_appraiser": (False, False, False),
    "province_office": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize("role", list(LAST_YEAR_MATRIX))
def test_catalog_from_last_year_by_role(world, role, db):
    """Only the agency's catalog editors (and Sở Nội vụ) build the next catalog's draft from
    last year's work and confirm it; a refused confirmation writes no revision."""
    from catalog_pages.models import AgencyCatalogPage

    client, _user = client_for(role)
    page = AgencyCatalogPage.objects.get(agency__code="STP")
    outside_page = AgencyCatalogPage.objects.get(agency__code=OUTSIDE_AGENCY)
    url = reverse("catalog_from_last_year", args=[page.pk])
    before = page.revisions.count()
    response = client.post(
        url,
        {
            "rows": "1",
            "row-0-key": "",
            "row-0-keep": "on",
            "row-0-code": "STP-M99",
            "row-0-name": "Báo cáo rà soát văn bản quy phạm pháp luật",
            "row-0-unit": "báo cáo",
            "row-0-coefficient": "1",
        },
        follow=True,
    )
    confirmed = page.revisions.count() == before + 1
    found = (
        client.get(url).status_code == 200,
        confirmed,
        client.get(reverse("catalog_from_last_year", args=[outside_page.pk])).status_code == 200,
    )
    assert found == LAST_YEAR_MATRIX[role]
    if confirmed:
        assert "Đã soạn bản nháp danh mục từ kết quả năm" in unescape(response.content.decode())
    else:
        assert page.revisions.count() == before


#: role → (drafts and sends Sở Tư pháp's organisation criteria, sends the outside agency's,
#: recommends and approves Sở Tư pháp's (sent by its admin), recommends the Party bloc's)
ORGANISATION_CRITERIA_MATRIX = {
    # Sở Nội vụ may write an agency's proposal, but never appraises one it sent itself.
    "home_affairs": (True, True, True, False),
    "agency_admin": (True, False, False, False),
    "other_agency_admin": (False, False, False, False),
    "agency_head": (False, False, False, False),
    "unit_leader": (False, False, False, False),
    "civil_servant": (False, False, False, False),
    "party_bloc_appraiser": (False, False, False, True),
    "front_bloc_appraiser": (False, False, False, False),
    "province_office": (False, False, False, False),
    "anonymous": (False, False, False, False),
}


@pytest.mark.parametrize("role", list(ORGANISATION_CRITERIA_MATRIX))
def test_organisation_criteria_steps_by_role(world, role, db):
    """An agency proposes its key tasks and their weights; the lead body of its bloc (Sở Nội vụ
    for the state bloc) recommends and approves; nobody appraises what they sent themselves."""
    from accounts.models import User
    from org.models import BlocLead
    from scoring.models import CriteriaFramework, FrameworkProposal
    from scoring.services import proposals

    client, user = client_for(role)
    snv = User.objects.get(username=ROLES["home_affairs"])
    admin = User.objects.get(username=ROLES["agency_admin"])
    base = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    party_root = (
        BlocLead.objects.filter(lead_agency__accesses__user__username=ROLES["party_bloc_appraiser"])
        .first()
        .root
    )

    def proposal(agency, name, sender=None):
        row = proposals.start(
            FrameworkProposal(agency=agency, base=base, scope="organisation", name=name),
            sender or snv,
        )
        row = proposals.update_key_tasks(
            row, [{"code": "NV.1", "label": "Chuyển đổi số", "weight": "2"}], sender or snv
        )
        if sender is not None:
            row = proposals.apply(row, proposals.SUBMIT, sender)
        return row

    stp, outside_agency = Agency.objects.get(code="STP"), Agency.objects.get(code=OUTSIDE_AGENCY)
    draft = proposal(stp, "Nhiệm vụ trọng tâm Sở Tư pháp (nháp)")
    outside_draft = proposal(outside_agency, "Nhiệm vụ trọng tâm ngoài (nháp)")
    sent = proposal(stp, "Nhiệm vụ trọng tâm Sở Tư pháp (đã gửi)", admin)
    party = proposal(party_root, "Nhiệm vụ trọng tâm khối Đảng", snv)
    appraises = user is not None and proposals.may_take(user, proposals.RECOMMEND, sent)
    if appraises:
        sent = proposals.apply(sent, proposals.RECOMMEND, user, "Đạt")
    found = (
        user is not None and proposals.may_take(user, proposals.SUBMIT, draft),
        user is not None and proposals.may_take(user, proposals.SUBMIT, outside_draft),
        appraises and proposals.may_take(user, proposals.APPROVE, sent),
        user is not None and proposals.may_take(user, proposals.RECOMMEND, party),
    )
    assert found == ORGANISATION_CRITERIA_MATRIX[role]
    if role == "home_affairs":
        # A proposal Sở Nội vụ sent itself: its appraisal by the sender is refused, and why.
        own = proposal(stp, "Nhiệm vụ trọng tâm Sở Tư pháp (Sở Nội vụ gửi)", snv)
        with pytest.raises(proposals.ProposalError) as refusal:
            proposals.apply(own, proposals.RECOMMEND, user, "Đạt")
        assert refusal.value.problems == [str(proposals.SENT_BY_YOU)]
    steps = reverse("scoring_proposal_steps", args=[sent.pk])
    shown = client.get(steps)
    if ORGANISATION_CRITERIA_MATRIX[role][0]:
        assert "Chuyển đổi số" in unescape(shown.content.decode())
    elif not ORGANISATION_CRITERIA_MATRIX[role][3]:
        assert refused(shown)


# --- a bloc's own close of a period (issue 44 item 1; coverage A8) ----------------------------

#: role → the blocs whose period the role closes and reopens ("TU": the Party's, "MTTQ": the
#: Front's), and whether it closes the whole province (the state bodies with it).
BLOC_CLOSE_MATRIX = {
    "home_affairs": ({"TU", "MTTQ"}, True),
    "party_bloc_appraiser": ({"TU"}, False),
    "front_bloc_appraiser": ({"MTTQ"}, False),
    "agency_admin": (set(), False),
    "other_agency_admin": (set(), False),
    "agency_head": (set(), False),
    "unit_leader": (set(), False),
    "province_office": (set(), False),
    "civil_servant": (set(), False),
    "anonymous": (set(), False),
}


@pytest.mark.parametrize("role", list(BLOC_CLOSE_MATRIX))
def test_who_closes_and_reopens_which_blocs_period(world, role, db, settings):
    """With the second factor on: a role of the registry opens nothing with the password
    alone; once the code is presented, Ban Tổ chức Tỉnh ủy's appraiser closes and reopens the
    Party bloc's month and neither the Front's nor the province's; the Front's appraiser its own
    bloc's; agency admins, heads and the others none; Sở Nội vụ every bloc and the province.
    Each allowed close is undone by the reopening page (and the whole rolled back)."""
    from scoring.models import Period

    blocs, province = BLOC_CLOSE_MATRIX[role]
    if role in SECOND_FACTOR_ROLES:
        client, device = _password_only(role, settings)
        before = _rows_but_events()
        for code in ("TU", "MTTQ"):
            url = reverse(
                "dashboards_period_bloc_close", args=[world.period.pk, _bloc_lead(code).pk]
            )
            assert client.post(url, {"confirm": "on"}).status_code == 302
        assert _rows_but_events() == before
        assert Period.objects.get(pk=world.period.pk).closed_blocs == {}
        _present_code(client, device)
    else:
        client, _user = client_for(role)
    found_blocs = set()
    with transaction.atomic():
        for code in ("TU", "MTTQ"):
            lead = _bloc_lead(code)
            close = reverse("dashboards_period_bloc_close", args=[world.period.pk, lead.pk])
            reopen = reverse("dashboards_period_bloc_reopen", args=[world.period.pk, lead.pk])
            page = client.get(close)
            client.post(close, {"confirm": "on"})
            closed = Period.objects.get(pk=world.period.pk).closed_for(lead.root)
            assert closed == (page.status_code == 200), (code, page.status_code)
            if closed:
                found_blocs.add(code)
                client.post(reopen, {"confirm": "1", "reason": "Thử quyền"})
                assert not Period.objects.get(pk=world.period.pk).closed_for(lead.root)
            else:
                assert refused(page) and refused(client.get(reopen))
        client.post(reverse("dashboards_period_close", args=[world.period.pk]), {"confirm": "on"})
        found_province = Period.objects.get(pk=world.period.pk).status != "open"
        transaction.set_rollback(True)
    assert (found_blocs, found_province) == (blocs, province)


# --- the roles' checks, in shards ---------------------------------------------------------------
# The checks per outside role are the matrix's cost (each walks every URL). xdist sends a whole
# file to one process, so they are spread over this module and the ``test_access_matrix_*``
# modules beside it, one shard of the roles each: the two processes share the matrix, and each
# module builds its own world (the demo is replayed, not loaded again). Every role is in exactly
# one shard (``test_every_role_is_in_one_shard``).

ROLE_SHARDS: tuple[tuple[str, ...], ...] = tuple(tuple(OUTSIDERS[i::4]) for i in range(4))


def _second_factor_shard(number: int) -> list[str]:
    return [role for role in sorted(SECOND_FACTOR_ROLES) if _shard_of(role) == number]


def _shard_of(role: str) -> int:
    if role == "home_affairs":
        return 0
    return next(i for i, shard in enumerate(ROLE_SHARDS) if role in shard)


def role_tests(number: int) -> dict[str, Callable]:
    """The per-role tests for the roles of shard ``number``, to be put in a test module's
    namespace (``globals().update(role_tests(n))``)."""
    roles = list(ROLE_SHARDS[number])

    @pytest.mark.parametrize("role", roles)
    def test_outsiders_are_refused_and_see_nothing(world, role, db):
        check_outsiders(world, role)

    @pytest.mark.parametrize("role", roles)
    def test_bulk_actions_reach_only_the_roles_rows(world, role, db):
        check_bulk_actions(world, role)

    @pytest.mark.parametrize("role", roles)
    def test_admin_forms_posted_with_real_bodies_change_nothing(world, role, db):
        check_admin_forms(world, role)

    @pytest.mark.parametrize("role", roles)
    def test_searches_name_nobody_outside(world, role, db):
        check_searches(world, role)

    @pytest.mark.parametrize("family", PASSWORD_ONLY_FAMILIES)
    @pytest.mark.parametrize("role", _second_factor_shard(number))
    def test_password_only_sessions_are_refused_on_every_surface(
        world, password_only_paths, role, family, db, settings
    ):
        check_password_only(world, password_only_paths, role, family, settings)

    tests = {
        "test_outsiders_are_refused_and_see_nothing": test_outsiders_are_refused_and_see_nothing,
        "test_bulk_actions_reach_only_the_roles_rows": test_bulk_actions_reach_only_the_roles_rows,
        "test_admin_forms_posted_with_real_bodies_change_nothing": (
            test_admin_forms_posted_with_real_bodies_change_nothing
        ),
        "test_searches_name_nobody_outside": test_searches_name_nobody_outside,
        "test_password_only_sessions_are_refused_on_every_surface": (
            test_password_only_sessions_are_refused_on_every_surface
        ),
    }
    for test in tests.values():
        test.__doc__ = _DOCS[test.__name__]
    return tests


_DOCS = {
    "test_outsiders_are_refused_and_see_nothing": check_outsiders.__doc__,
    "test_bulk_actions_reach_only_the_roles_rows": check_bulk_actions.__doc__,
    "test_admin_forms_posted_with_real_bodies_change_nothing": check_admin_forms.__doc__,
    "test_searches_name_nobody_outside": check_searches.__doc__,
    "test_password_only_sessions_are_refused_on_every_surface": check_password_only.__doc__,
}


def test_every_role_is_in_one_shard():
    import pathlib

    shards = [role for shard in ROLE_SHARDS for role in shard]
    assert sorted(shards) == sorted(OUTSIDERS)
    modules = sorted(pathlib.Path(__file__).parent.glob("test_access_matrix_*.py"))
    numbers = sorted(
        int(re.search(r"role_tests\((\d+)\)", m.read_text()).group(1)) for m in modules
    )
    assert numbers == list(range(1, len(ROLE_SHARDS))), numbers


globals().update(role_tests(0))
