"""The shape of a person's reach in SQL (issue 48, the admin at 100,000 people): the rows of
their agencies by the row's own agency column (the ids of their subtree, read once per
request) and their own rows by their person's id — never a join of every row to its agency's
path or to the people's sign-ins, which made PostgreSQL test the whole table (a unit head's
count of lines 900 → 40 ms). What the rows are is checked by the access matrix."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from org import access
from org.models import LeadershipRole
from scoring.models import AssignmentLine, Period, PeriodScore
from tests.factories import period_score, post, two_agencies, with_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model, column", [(PeriodScore, "agency_id"), (AssignmentLine, "unit_id")])
def test_a_unit_heads_rows_are_read_by_their_own_columns(model, column):
    world = two_agencies()
    head = post(world.own_unit, role=LeadershipRole.HEAD)
    user = with_user(head, "truongphong")
    sql = str(access.visible(user, model).query)
    table = model._meta.db_table
    assert f'"{table}"."{column}" IN ({world.own_unit.pk})' in sql
    assert "LIKE" not in sql.split(" WHERE ", 1)[1].split("EXISTS", 1)[0]
    assert '"user_id"' not in sql


def _month(number):
    return Period.for_date(datetime.date(2026, number, 1), create=True)


def test_own_rows_inside_the_reach_are_not_asked_for_twice():
    """A unit head's own scores are their unit's: the listing reads the unit's rows alone (no
    ``OR civil_servant_id = …``, which kept PostgreSQL off the (period, agency) index), and
    still shows the head's own score; whether they all lie inside is asked once a request."""
    world = two_agencies()
    head = post(world.own_unit, role=LeadershipRole.HEAD)
    colleague = post(world.own_unit)
    user = with_user(head, "truongphong")
    mine = period_score(head, _month(3), 90, world.own_unit)
    theirs = period_score(colleague, _month(3), 80, world.own_unit)
    period_score(post(world.other_unit), _month(3), 70, world.other_unit)
    with CaptureQueriesContext(connection) as asked:
        rows = access.visible(user, PeriodScore)
        sql = str(rows.query)
        assert set(rows) == {mine, theirs}
        assert set(access.visible(user, PeriodScore).filter(total__gte=85)) == {mine}
    assert f'"civil_servant_id" = {head.pk}' not in sql
    checks = [
        q["sql"]
        for q in asked.captured_queries
        if '"scoring_periodscore"' in q["sql"] and "NOT EXISTS" in q["sql"]
    ]
    assert len(checks) == 1


def test_own_rows_left_in_a_former_agency_are_still_read():
    """A head moved from Sở Y tế keeps reading the score Sở Y tế gave them before: some own row
    lies outside the reach, so the condition keeps its second half."""
    world = two_agencies()
    head = post(world.own_unit, role=LeadershipRole.HEAD)
    user = with_user(head, "truongphong")
    former = period_score(head, _month(1), 88, world.other_unit)
    now = period_score(head, _month(3), 90, world.own_unit)
    period_score(post(world.other_unit), _month(1), 70, world.other_unit)
    rows = access.visible(user, PeriodScore)
    assert f'"civil_servant_id" = {head.pk}' in str(rows.query)
    assert set(rows) == {former, now}
