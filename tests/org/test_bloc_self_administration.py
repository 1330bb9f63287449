"""Blocs that run themselves (review 2026-11-25: coverage A8, H2, M6; ux H4)."""

import pytest

from ratings.services.cases import open_agency_case
from ratings.workflow.actors import EVALUATOR, SUBJECT, resolve_actors, resolve_actors_many
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
    from ratings.workflow.actors import APPRAISER, RATER
    from tests.factories import AgencyAccessFactory

    admin = world["admins"]["TU-BTG"]
    AgencyAccessFactory(user=admin, agency=world["party"], role=AccessRole.AGENCY_ADMIN)
    case = open_agency_case(world["propaganda"], 2026)[0]
    roles = resolve_actors(case).roles_of(admin)
    assert SUBJECT in roles
    assert not roles & {APPRAISER, RATER}
