"""The stored scores' fingerprints (``inputs_hash``) keep their values: one module
(``scoring/services/fingerprint.py``) and one hash (``scoring.engine.fingerprint.sha256_hex``)
for period, annual and organisation scores, and the hashes already stored in the database
still match — a change would rewrite every stored row once and hide real changes.

The expected values were computed by the code before the fingerprints were brought together
(the annual hash was ``annual._digest``, the period hash ``fingerprint.inputs_hash``)."""

import hashlib
from decimal import Decimal as D

import pytest

import scoring.engine.fingerprint
import scoring.services.fingerprint
from scoring.engine import inputs_fingerprint
from scoring.services.fingerprint import (
    ANNUAL_BASIS_VERSION,
    annual_inputs_hash,
    lines_digest,
    period_inputs_hash,
)

BASIS = {
    "weighting": "time_worked",
    "min_months": 0,
    "months_worked": 3,
    "not_scored_reason": "",
    "leader_role": "any_time_in_year",
    "is_leader": False,
    "leader_roles": [],
    "periods": [
        {
            "kind": "month",
            "number": 1,
            "end_date": "2026-01-31",
            "total": "90.00",
            "status": "counted",
            "months": [1],
            "weight": 1,
        },
        {
            "kind": "quarter",
            "number": 1,
            "end_date": "2026-03-31",
            "total": None,
            "status": "skipped",
            "months": [],
            "weight": 0,
        },
    ],
}

LINES = [(1, 5, "2.00", "3", "3", 0, 1, None), (2, 6, "1", "1", "0", 2, 0, "x")]


#: The engine version the expected values were computed with. A new engine version changes
#: every hash on purpose (each stored score is recomputed once); the hashed text must not.
PINNED_ENGINE_VERSION = "1.2.0"


@pytest.fixture(autouse=True)
def pinned_engine_version(monkeypatch):
    for module in (scoring.engine.fingerprint, scoring.services.fingerprint):
        monkeypatch.setattr(module, "ENGINE_VERSION", PINNED_ENGINE_VERSION)


def test_the_annual_basis_version_is_the_one_the_stored_rows_were_hashed_with():
    assert ANNUAL_BASIS_VERSION == "time-worked-1"


def test_annual_hashes_are_unchanged():
    staff = annual_inputs_hash(
        framework_revision_id=7,
        agency_id=12,
        role="staff",
        position_group="chuyen_vien",
        basis=BASIS,
        disqualifiers=["degradation_concluded"],
        rating="good",
        needs_decision=False,
        quota_figures=None,
    )
    assert staff == "21c2c7de477900a4b9663659cc14f40ebf2ba842b7546eb1cb071700cb88cca5"
    head = annual_inputs_hash(
        framework_revision_id=None,
        agency_id=3,
        role="head",
        position_group=None,
        basis=BASIS,
        disqualifiers=[],
        rating="excellent",
        needs_decision=True,
        quota_figures=("0.2", 3, 10, 2),
    )
    assert head == "6ef76944c4e39443aaef7faba328d69fd6b3e10a357b926deac0998dc6e66ba4"


def test_period_hashes_are_unchanged():
    staff = period_inputs_hash(
        framework_revision_id=7,
        agency_id=12,
        posting_id=40,
        role="staff",
        position_group="chuyen_vien",
        lines=LINES,
        exemptions={1: (1, 0)},
        marks={"general": {"I.1": "10", "I.2": "9.5"}},
        leader_marks=None,
        subordinates=None,
    )
    assert staff == "9b739cf5c38c9494bf917e33f2d2207bed951b35dfec039bc555afd828e947aa"
    head = period_inputs_hash(
        framework_revision_id=7,
        agency_id=12,
        posting_id=40,
        role="head",
        position_group="",
        lines=[],
        exemptions={},
        marks={},
        leader_marks=("100", "90", "80"),
        subordinates={5: "good", 6: None},
        unappraised=("general.I.1",),
        unit_lines=[(5, "ab" * 32)],
    )
    assert head == "d8d5f1ea2e98db8d756ddbd352861bb79023060bf91bad0ed893f4eaab65114f"


def test_only_a_contract_worker_under_the_own_method_changes_the_period_hash():
    """M7: the marker is added only for a contract worker scored by the own method, so every
    other stored hash (the default ``civil_servant_method`` included) keeps its value."""
    inputs = {
        "framework_revision_id": 7,
        "agency_id": 12,
        "posting_id": 40,
        "role": "staff",
        "position_group": "chuyen_vien",
        "lines": LINES,
        "exemptions": {1: (1, 0)},
        "marks": {"general": {"I.1": "10", "I.2": "9.5"}},
        "leader_marks": None,
        "subordinates": None,
    }
    pinned = "9b739cf5c38c9494bf917e33f2d2207bed951b35dfec039bc555afd828e947aa"
    assert period_inputs_hash(**inputs, contract=False) == pinned
    assert period_inputs_hash(**inputs, contract=True) != pinned


def test_a_leaders_charge_digest_is_unchanged():
    text = "".join(map(tuple.__repr__, LINES)) + repr({1: (1, 0)})
    assert lines_digest(LINES, {1: (1, 0)}) == hashlib.sha256(text.encode()).hexdigest()


def test_the_engine_fingerprint_of_organisation_scores_is_unchanged():
    value = inputs_fingerprint({"a": 1, "b": [D("2.50"), "x"]})
    assert value == "8e17f5f8732c5ad58c68bda94930e35823006cd988038692f79382eff132d13a"


def test_loaded_lines_text_is_the_rows_repr():
    """``LoadedLines.text`` (what the period hash covers) writes each raw row as its ``repr``,
    whatever its values (quotes, non-ASCII text, None, per-product lists), and rows that are
    not the loader's nine values too."""
    from scoring.services.loading import LoadedLines

    rows = {
        1: [
            (1, 10, 7, "3", "2.5", 0, 1, "[]", "[]"),
            (1, 11, 7, "1", "0", 2, 0, "[1, 1]", '["it\'s", "x\\\\y"]'),
            (1, 12, 8, "Việt", None, True, -1, "", "\n"),
        ],
        2: [(2, 13, 7, "1", "1")],
    }
    loaded = LoadedLines(rows, {})
    for person, raw in rows.items():
        assert loaded.text(person) == "".join(map(repr, raw))
        assert loaded.digest(person) == scoring.services.fingerprint.lines_digest(raw, [])


def test_a_persons_own_digest_is_the_same_from_the_prefix_hashed_once():
    """The annual step hashes the year's prefix once and continues each person's digest from a
    copy of it (``HashedPrefix``): the same digest as hashing the whole text, accented text
    included."""
    from scoring.engine.fingerprint import HashedPrefix
    from scoring.services.fingerprint import annual_person_digest, annual_year_prefix

    prefix = annual_year_prefix(2026, [(1, "month", 1, "2026-01-01", "2026-01-31")])
    hashed = HashedPrefix(prefix)
    for periods, postings in (
        ("1|1|7|91.00|3|2\n2|0|8|||", [(5, 9, 3, "staff", False, "Phòng Công chức")]),
        ("", []),
    ):
        values = {
            "framework_revision_id": 3,
            "framework_id": 2,
            "governing_id": 5,
            "postings": postings,
            "periods": periods,
            "disqualifiers": ["kỷ luật"],
        }
        text = f"{prefix}{periods}\n" + repr((3, 2, 5, postings, ["kỷ luật"]))
        expected = hashlib.sha256(text.encode()).hexdigest()
        assert annual_person_digest(prefix, **values) == expected
        assert annual_person_digest(hashed, **values) == expected
        assert hashed.digest(text[len(prefix) :]) == expected  # and again, from a fresh copy
