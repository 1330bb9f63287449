"""Converting a support request opens the draft change, prefilled from the request, with a link
both ways, for the agency that raised it to complete (issue 32 item 5): a framework proposal
based on the province framework in force for the agency, or a draft revision of the agency's
catalog (docs/support.md "Converting a request")."""

import json

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from catalog_pages.models import AgencyCatalogPage
from catalog_pages.setup import editor_group_name, setup_catalogs
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from scoring.models import FrameworkProposal
from scoring.services import proposals
from support import services
from tests.factories import AgencyAccessFactory, AgencyFactory, UserFactory, post, with_user
from tests.factories.catalog import basic_items, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = AgencyFactory(name="UBND tỉnh", code="TINH", parent=None)
    justice = AgencyFactory(name="Sở Tư pháp", code="STP", parent=province)
    farming = AgencyFactory(name="Sở Nông nghiệp", code="SNN", parent=province)
    admin = UserFactory(username="qt.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=justice)
    outsider = UserFactory(username="qt.snn", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=outsider, agency=farming)
    setup_catalogs()
    for user, agency in ((admin, justice), (outsider, farming)):
        user.groups.add(Group.objects.get(name=editor_group_name(agency)))
    home = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    return {
        "justice": justice,
        "admin": admin,
        "outsider": outsider,
        "person": with_user(post(justice, full_name="Nguyễn Văn An"), "an"),
        "home": home,
    }


def _raised(world, category):
    return services.raise_request(
        world["admin"],
        agency=world["justice"],
        kind="proposal",
        category=category,
        title="Thêm tiêu chí tiếp công dân",
        body="Đề nghị bổ sung tiêu chí số buổi tiếp công dân cho Phòng Hành chính tư pháp.",
    )


def _convert(client, world, row, change_kind):
    client.force_login(world["home"])
    response = client.post(
        reverse("support_request", args=[row.pk]),
        {"action": "convert", "text": "Cơ quan lập đề xuất, trình.", "change_kind": change_kind},
        follow=True,
    )
    return response.content.decode()


def test_a_framework_change_opens_the_agencys_proposal_prefilled_with_links_both_ways(
    client, world
):
    row = _raised(world, "framework")
    page = _convert(client, world, row, "framework")
    assert "Đã chuyển thành đề nghị sửa đổi và mở bản dự thảo" in page
    proposal = FrameworkProposal.objects.get()
    assert proposal.agency == world["justice"] and proposal.status == "draft"
    assert proposal.base.live and proposal.rules  # the province framework in force, copied
    edit = reverse("wagtailsnippets_scoring_frameworkproposal:edit", args=[proposal.pk])
    assert f'href="{edit}"' in page
    assert proposal.name == f"Sửa khung theo kiến nghị #{row.pk}: Thêm tiêu chí tiếp công dân"

    # The agency that raised it opens the draft: the request's text, a link back; it may edit.
    client.force_login(world["admin"])
    form = client.get(edit).content.decode()
    assert f"Theo vướng mắc, kiến nghị #{row.pk} “Thêm tiêu chí tiếp công dân”" in form
    assert "Đề nghị bổ sung tiêu chí số buổi tiếp công dân" in form
    assert "Ý kiến khi chuyển: Cơ quan lập đề xuất, trình." in form
    back = reverse("support_request", args=[row.pk])
    assert f'<a href="{back}">Vướng mắc, kiến nghị #{row.pk}: Thêm tiêu chí tiếp công dân</a>' in (
        form
    )
    assert proposals.may_edit(world["admin"], proposal)
    assert not proposals.may_edit(world["outsider"], proposal)
    # The request's page shows the link to the person who raised it too.
    assert f'href="{edit}"' in client.get(back).content.decode()


def test_a_catalog_change_opens_a_draft_of_the_agencys_catalog(client, world):
    catalog = publish(
        AgencyCatalogPage.objects.get(agency=world["justice"]), world["home"], basic_items()
    )
    live_revision = catalog.live_revision_id
    row = _raised(world, "catalog")
    page = _convert(client, world, row, "catalog")
    edit = reverse("wagtailadmin_pages:edit", args=[catalog.pk])
    assert f'href="{edit}"' in page and "Bản sửa đổi danh mục của Sở Tư pháp" in page
    catalog.refresh_from_db()
    assert catalog.has_unpublished_changes and catalog.live_revision_id == live_revision
    draft = catalog.get_latest_revision_as_object()
    assert f"Theo vướng mắc, kiến nghị #{row.pk}" in draft.intro
    assert [i.code for i in draft.items.all()] == [i.code for i in catalog.items.all()]

    client.force_login(world["admin"])
    form = client.get(edit)
    assert form.status_code == 200
    html = form.content.decode()
    # The catalog's notes, in the rich-text editor's data (escaped as JSON in the page).
    assert json.dumps("Đề nghị bổ sung tiêu chí số buổi tiếp công dân")[1:-1] in html
    assert f'href="{reverse("support_request", args=[row.pk])}"' in html
    client.force_login(world["outsider"])
    assert client.get(edit).status_code in (302, 403)


def test_a_catalog_waiting_for_appraisal_is_not_changed_under_it(client, world):
    catalog = AgencyCatalogPage.objects.get(agency=world["justice"])
    catalog = publish(catalog, world["home"], basic_items())
    catalog.get_latest_revision_as_object().save_revision(user=world["admin"])
    catalog.get_workflow().start(catalog, world["admin"])
    row = _raised(world, "catalog")
    page = _convert(client, world, row, "catalog")
    assert "Danh mục của Sở Tư pháp đang có một bản sửa đổi chờ thẩm định" in page
    row.refresh_from_db()
    assert row.status == "open" and row.change_kind == "" and row.catalog_page is None
