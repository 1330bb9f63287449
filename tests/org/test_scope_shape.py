"""The shape of a person's reach in SQL (issue 48, the admin at 100,000 people): the rows of
their agencies by the row's own agency column (the ids of their subtree, read once per
request) and their own rows by their person's id — never a join of every row to its agency's
path or to the people's sign-ins, which made PostgreSQL test the whole table (a unit head's
count of lines 900 → 40 ms). What the rows are is checked by the access matrix."""

import pytest

from org import access
from org.models import LeadershipRole
from scoring.models import AssignmentLine, PeriodScore
from tests.factories import post, two_agencies, with_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model, column", [(PeriodScore, "agency_id"), (AssignmentLine, "unit_id")])
def test_a_unit_heads_rows_are_read_by_their_own_columns(model, column):
    world = two_agencies()
    head = post(world.own_unit, role=LeadershipRole.HEAD)
    user = with_user(head, "truongphong")
    sql = str(access.visible(user, model).query)
    table = model._meta.db_table
    assert f'"{table}"."{column}" IN ({world.own_unit.pk})' in sql
    assert f'"{table}"."civil_servant_id" = {head.pk}' in sql
    assert "LIKE" not in sql.split(" WHERE ", 1)[1].split("EXISTS", 1)[0]
    assert '"user_id"' not in sql
