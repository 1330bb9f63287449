"""Input fingerprint: canonical JSON, Decimal normalisation, engine version."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    ENGINE_VERSION,
    NGHE_AN_FOUR_GROUPS,
    Line,
    PeriodInput,
    canonical_json,
    inputs_fingerprint,
)


def test_engine_version():
    assert ENGINE_VERSION == "1.3.0"


def test_is_sha256_hex():
    value = inputs_fingerprint({"a": 1})
    assert len(value) == 64 and int(value, 16) >= 0


def test_key_order_and_number_forms_do_not_matter():
    one = {"role": "staff", "general": 27, "lines": [{"coefficient": "2", "assigned": 1.0}]}
    two = {
        "lines": [{"assigned": D("1.00"), "coefficient": D(2)}],
        "general": 27.0,
        "role": "staff",
    }
    assert inputs_fingerprint(one) == inputs_fingerprint(two)


def test_changes_are_detected():
    base = PeriodInput(lines=(Line(1, 2, 2),), marks={"general": 27})
    changed = PeriodInput(lines=(Line(1, 2, 2, delays=1),), marks={"general": 27})
    assert inputs_fingerprint(base) != inputs_fingerprint(changed)
    assert inputs_fingerprint(base) == inputs_fingerprint(
        PeriodInput(lines=(Line(D("1.0"), 2.0, D(2)),), marks={"general": D("27.0")})
    )


def test_strings_are_not_reinterpreted_as_numbers():
    assert inputs_fingerprint({"ref": "001"}) != inputs_fingerprint({"ref": "1"})


def test_rules_and_engine_version_are_part_of_the_hash():
    inputs = {"x": 1}
    assert inputs_fingerprint(inputs, DECREE_335_DEFAULT) != inputs_fingerprint(
        inputs, NGHE_AN_FOUR_GROUPS
    )
    assert inputs_fingerprint(inputs) != inputs_fingerprint(inputs, include_engine_version=False)


def test_canonical_json_shape():
    assert canonical_json({"b": D("1.50"), "a": [1, True, None], "c": {3, 1}}) == (
        '{"a":["1",true,null],"b":"1.5","c":["1","3"]}'
    )
    assert canonical_json({"z": D("-0.0"), "e": D("1E+2")}) == '{"e":"100","z":"0"}'


def test_unsupported_types_raise():
    with pytest.raises(TypeError):
        inputs_fingerprint({"f": object()})
