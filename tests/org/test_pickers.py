"""ux.md H3 (review 2026-11-25): unit pickers named units without their agency — nine
"Văn phòng Sở" in a row, and sign-ins created in a ward's unit. Every picker of agencies and
units names a unit with its agency ("Văn phòng Sở — Sở Tư pháp"): the account page's, the
listing filters', the forms' and the admin's agency chooser (``org.pickers``)."""

from html import unescape

import pytest

from django.test import Client

from org.access import HOME_AFFAIRS_GROUP
from org.models import Agency, AgencyKind
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

BARE = ">Văn phòng Sở<"


@pytest.fixture
def units(db):
    justice = AgencyFactory(code="STP", name="Sở Tư pháp")
    science = AgencyFactory(code="SKHCN", name="Sở Khoa học và Công nghệ")
    office = AgencyFactory(code="STP-VP", name="Văn phòng Sở", kind=AgencyKind.UNIT, parent=justice)
    other = AgencyFactory(
        code="SKHCN-VP", name="Văn phòng Sở", kind=AgencyKind.UNIT, parent=science
    )
    nested = AgencyFactory(
        code="SKHCN-VP-TV", name="Tổ văn thư", kind=AgencyKind.UNIT, parent=other
    )
    return office, other, nested


EXPECTED = {
    "Văn phòng Sở — Sở Tư pháp",
    "Văn phòng Sở — Sở Khoa học và Công nghệ",
    "Tổ văn thư — Sở Khoa học và Công nghệ",
}


def _labels(field) -> set[str]:
    return {str(label) for value, label in field.choices if value}


def test_form_and_filter_pickers_name_each_units_agency(units, django_assert_max_num_queries):
    from ratings.forms import OpenCasesForm
    from scoring.views.filters import AnnualScoreFilterSet, PeriodScoreFilterSet
    from worklog.forms import ShareForm

    fields = [
        PeriodScoreFilterSet().form.fields["agency"],
        AnnualScoreFilterSet().form.fields["agency"],
        OpenCasesForm(agencies=Agency.objects.order_by("path")).fields["agency"],
        ShareForm().fields["agency"],
    ]
    for field in fields:
        with django_assert_max_num_queries(2):  # the choices, the agencies' names: once
            labels = _labels(field)
        assert labels >= EXPECTED, (field, labels)
        assert "Văn phòng Sở" not in labels
        assert "Sở Tư pháp" in labels  # an agency by its own name


def test_the_admins_agency_chooser_names_each_units_agency(units):
    office, _other, _nested = units
    home = UserFactory(username="snv-picker", groups=[HOME_AFFAIRS_GROUP])
    client = Client()
    client.force_login(home)
    listing = unescape(client.get("/admin/snippets/choose/org/agency/").json()["html"])
    for label in EXPECTED:
        assert label in listing
    chosen = client.get(f"/admin/snippets/choose/org/agency/chosen/{office.pk}/").json()
    assert chosen["result"]["string"] == "Văn phòng Sở — Sở Tư pháp"


def test_the_account_pages_picker_names_each_units_agency(units):
    home = UserFactory(username="snv-picker", groups=[HOME_AFFAIRS_GROUP])
    client = Client()
    client.force_login(home)
    html = unescape(client.get("/admin/tai-khoan/").content.decode())
    for label in EXPECTED:
        assert label in html
    assert BARE not in html
