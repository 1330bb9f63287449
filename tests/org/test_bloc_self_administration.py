"""Blocs that run themselves (review 2026-11-25: coverage A8, H2, M6; ux H4)."""

import pytest

from ratings.actors import EVALUATOR, SUBJECT, resolve_actors, resolve_actors_many
from ratings.services.cases import open_agency_case
from tests.org.test_blocs import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_bloc_appraiser_is_not_the_rated_body_nor_the_chair_of_his_own_agencys_case(
    world,  # noqa: F811
):
    """Coverage M6: the "Thẩm định khối" grant on Ban Tổ chức Tỉnh ủy made its specialist the
    rated body and meeting chair of Ban Tổ chức's own case (and able to self-assess it)."""
    case = open_agency_case(world["btc"], 2026)[0]
    appraiser = world["party_appraiser"]
    one = resolve_actors(case).roles_of(appraiser)
    assert SUBJECT not in one and EVALUATOR not in one
    many = resolve_actors_many([case])[case.pk].roles_of(appraiser)
    assert SUBJECT not in many and EVALUATOR not in many
    # The agency admin of a body still speaks for it.
    admin = world["admins"]["TU-BTG"]
    own = open_agency_case(world["propaganda"], 2026)[0]
    assert SUBJECT in resolve_actors(own).roles_of(admin)


def test_whoever_speaks_for_a_body_never_appraises_or_decides_its_case(world):  # noqa: F811
    """An administrator granted both on a body and on the body that rates it is the rated
    side of the first one's case only, never also its appraiser or rater."""
    from org.models import AccessRole
    from ratings.actors import APPRAISER, RATER
    from tests.factories import AgencyAccessFactory

    admin = world["admins"]["TU-BTG"]
    AgencyAccessFactory(user=admin, agency=world["party"], role=AccessRole.AGENCY_ADMIN)
    case = open_agency_case(world["propaganda"], 2026)[0]
    roles = resolve_actors(case).roles_of(admin)
    assert SUBJECT in roles
    assert not roles & {APPRAISER, RATER}


def _inspection(agency, ref):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "agency": agency.pk,
        "decision_ref": ref,
        "decision_date": "15/09/2026",
        "team": "Trưởng đoàn: Phó Trưởng Ban Tổ chức Tỉnh ủy",
        "covers_from": "01/01/2026",
        "covers_to": "30/06/2026",
        "started_on": "22/09/2026",
        "ended_on": "",
        "conclusion_ref": "",
        "conclusion": "",
        "attachments-0-title": "Quyết định kiểm tra",
        "attachments-0-file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 decision"),
        "attachments-0-ORDER": "1",
        "attachments-0-id": "",
    }
    for prefix, total in (("findings", "0"), ("attachments", "1")):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": total,
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_the_blocs_lead_body_records_inspections_of_its_bloc_only(world, client):  # noqa: F811
    """Coverage A8, H2: inspections of evaluation work (Nghệ An §IV.1.2 "kiểm tra, giám sát")
    were Sở Nội vụ's alone; the lead body inspects its own bloc, and only it."""
    from django.urls import reverse

    from org.roles import ensure_roles
    from oversight.models import Inspection

    ensure_roles()
    client.force_login(world["party_appraiser"])
    url = reverse("wagtailsnippets_oversight_inspection:add")
    form = client.get(url)
    assert form.status_code == 200
    done = client.post(url, _inspection(world["propaganda"], "05-QĐ/BTCTU"))
    assert done.status_code == 302, [
        (f.errors, f.non_field_errors()) for f in done.context["form"].formsets["attachments"].forms
    ] + [done.context["form"].errors]
    inspection = Inspection.objects.get(decision_ref="05-QĐ/BTCTU")
    assert inspection.agency == world["propaganda"]
    refused = client.post(url, _inspection(world["justice"], "06-QĐ/BTCTU"))
    assert refused.status_code == 200
    assert not Inspection.objects.filter(decision_ref="06-QĐ/BTCTU").exists()
    listing = client.get(reverse("wagtailsnippets_oversight_inspection:list")).content.decode()
    assert "05-QĐ/BTCTU" in listing


def test_a_party_catalog_waits_for_ban_to_chuc_on_the_agency_task_page(world, client):  # noqa: F811
    """ux H4 (related): "Danh mục của cơ quan" said a Party catalog was "Đang chờ Sở Nội vụ
    thẩm định", while Ban Tổ chức Tỉnh ủy appraises it."""
    import datetime

    from django.contrib.auth.models import Group
    from django.urls import reverse

    from catalog_pages.models import AgencyCatalogPage
    from catalog_pages.setup import editor_group_name, setup_catalogs
    from tests.factories import JobPositionFactory, UserFactory, basic_items

    setup_catalogs()
    page = AgencyCatalogPage.objects.get(agency=world["propaganda"])
    editor = UserFactory(username="bientap.btg")
    editor.groups.add(Group.objects.get(name=editor_group_name(world["propaganda"])))
    page.items = basic_items(JobPositionFactory(code="CV-DANG"))
    page.effective_from = datetime.date(2026, 2, 1)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    client.force_login(editor)
    html = client.get(reverse("catalog_agency_task")).content.decode()
    assert "Đang chờ Ban Tổ chức Tỉnh ủy thẩm định" in html
    assert "Đang chờ Sở Nội vụ thẩm định" not in html
