"""Two "excellent" decisions in one quota group lock each other's cases (each holds its own
case, the quota guard locks the rest of the group); PostgreSQL ends one with a deadlock. The
transition runs again instead of showing a server error (found by scripts/ci-production.sh,
fault "quota")."""

import pytest

from django.db import OperationalError

from cms import retry
from ratings.workflow import machine


class Deadlock(Exception):
    sqlstate = "40P01"


class Case:
    refreshed = 0

    def refresh_from_db(self):
        self.refreshed += 1


def deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = Deadlock()
    return error


def test_a_transition_ended_by_a_deadlock_runs_again(monkeypatch):
    attempts = []

    def perform_once(case, action, user, data, comment, today):
        attempts.append(dict(data))
        if len(attempts) == 1:
            raise deadlock()
        return "entry"

    monkeypatch.setattr(machine, "_perform", perform_once)
    monkeypatch.setattr(retry.time, "sleep", lambda seconds: None)
    case = Case()
    assert machine.perform(case, "decide", None, data={"decision_level": "excellent"}) == "entry"
    assert len(attempts) == 2 and attempts[0] == attempts[1] == {"decision_level": "excellent"}
    assert case.refreshed == 1


def test_other_database_errors_and_repeated_deadlocks_are_not_hidden(monkeypatch):
    monkeypatch.setattr(retry.time, "sleep", lambda seconds: None)

    def always(*args):
        raise deadlock()

    monkeypatch.setattr(machine, "_perform", always)
    with pytest.raises(OperationalError):
        machine.perform(Case(), "decide", None)

    def broken(*args):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(machine, "_perform", broken)
    with pytest.raises(OperationalError):
        machine.perform(Case(), "decide", None)
