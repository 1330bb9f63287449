"""A few people's inputs are read in one round trip each; a province's in chunks (issue 48).

On PostgreSQL a chunked read goes through a server-side cursor: ``DECLARE``, ``FETCH`` until
one comes back empty, ``CLOSE`` — four round trips, which keep a month of 3 million lines out
of memory but cost one person's chain (its lines and its marks) twice. Either way the same rows
are read."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.services import loading
from tests.scoring.helpers import build_world


def _world():
    world = build_world()
    people = []
    for name, total in (("Chuyên viên một", 27), ("Chuyên viên hai", 25), ("Chuyên viên ba", 20)):
        person = world.person(name)
        world.full_month(person, total=total, completed=1)
        people.append(person.pk)
    return world, people


def _read(period, people):
    lines = loading.load_lines(period, people)
    marks = loading.load_general_marks(period, people)
    return (
        {pk: lines.raw(pk) for pk in people},
        {pk: {c: dict(v) for c, v in marks[pk].items()} for pk in people if pk in marks},
        {pk: marks.unappraised.get(pk) for pk in people},
    )


@pytest.mark.django_db
def test_a_few_people_are_read_at_once_and_the_same_as_in_chunks(monkeypatch):
    world, people = _world()
    with CaptureQueriesContext(connection) as few:
        at_once = _read(world.period, people)
    assert at_once[0] and at_once[1]  # every person has lines and marks
    assert not [q["sql"] for q in few if q["sql"].startswith("DECLARE")]

    monkeypatch.setattr(loading, "FEW_PEOPLE", 0)  # the province's way, for these people
    with CaptureQueriesContext(connection) as chunked:
        in_chunks = _read(world.period, people)
    assert in_chunks == at_once
    if connection.vendor == "postgresql":
        cursors = [q["sql"] for q in chunked if q["sql"].startswith("DECLARE")]
        assert len(cursors) == 2  # the lines and the marks


@pytest.mark.django_db
def test_read_ahead_gives_the_loaders_the_rows_they_read_themselves(monkeypatch):
    """``loading.read_ahead`` (one person's period inputs sent together: one round trip on
    PostgreSQL) hands each loader the rows it would read itself, each read once."""
    from cms import statements

    world, people = _world()
    expected = _read(world.period, people)
    leaders = loading.load_leader_marks(world.period, people)
    for _ in range(2):  # compiled and (PostgreSQL) prepared, then sent together
        sent: list[int] = []
        fetch = statements._fetch_together

        def spy(connection, items, fetch=fetch, sent=sent):
            rows = fetch(connection, items)
            sent.append(len(items) if rows is not None else 0)
            return rows

        monkeypatch.setattr(statements, "_fetch_together", spy)
        with CaptureQueriesContext(connection) as captured:
            ahead = loading.read_ahead(world.period, people, people)
            lines = loading.load_lines(world.period, people, ahead)
            marks = loading.load_general_marks(world.period, people, ahead)
            got = (
                {pk: lines.raw(pk) for pk in people},
                {pk: {c: dict(v) for c, v in marks[pk].items()} for pk in people if pk in marks},
                {pk: marks.unappraised.get(pk) for pk in people},
            )
            assert loading.load_leader_marks(world.period, people, ahead) == leaders
        assert got == expected
        assert ahead == {}  # each loader took its rows
        assert len(captured) == 4  # lines, exemptions, marks, leader's marks: once each
        monkeypatch.undo()
    if connection.vendor == "postgresql":
        assert sent == [4]  # the second time, the four in one pipeline
