"""Review 2026-11-25 (ux M9): an agency's framework opens a read-only page that showed its code
("mã decree-335-default") and never said it changes through "Khung tiêu chí đề xuất"."""

import pytest

from django.urls import reverse

from scoring.models import FrameworkProposal
from tests.factories import framework_proposal
from tests.scoring.test_explain_view import setup  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_an_agency_framework_says_where_it_changes(client, setup):  # noqa: F811
    framework = setup["score"].framework
    agency = setup["score"].agency
    proposal = framework_proposal(agency, setup["home_affairs"])
    FrameworkProposal.objects.filter(pk=proposal.pk).update(framework=framework)
    client.force_login(setup["home_affairs"])
    url = reverse("wagtailsnippets_scoring_criteriaframework:inspect", args=[framework.pk])
    html = client.get(url).content.decode()
    assert "Chấm điểm → Khung tiêu chí đề xuất" in html and agency.name in html
    assert "decree-335-default" not in html and "mã <code>" not in html
