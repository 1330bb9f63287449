"""Consistency checks for the static demo data (pure Python, no database, no Django)."""

import ast
import itertools
import random
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from catalog_pages.consolidation.vocabulary import ABBREVIATIONS
from demo.data import job_positions, names, products, province
from demo.data.job_positions import JOB_POSITIONS, POSITION_FOR_UNIT_HINTS
from demo.data.names import full_name
from demo.data.products import (
    NFD_ITEM,
    PLANTED_DUPLICATES,
    PRODUCTS_BY_AGENCY,
    UNRELATED_LOOKALIKES,
)
from demo.data.province import COMMUNES, DEPARTMENTS, PROVINCE

DATA_DIR = Path(province.__file__).parent
AGENCIES = DEPARTMENTS + COMMUNES
AGENCY_KIND = {a["code"]: a["kind"] for a in AGENCIES}
POSITIONS = {p["code"]: p for p in JOB_POSITIONS}
ITEMS = {(agency, p["code"]): p for agency, items in PRODUCTS_BY_AGENCY.items() for p in items}
CODE_RE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
PRODUCT_KEYS = {
    "code",
    "name",
    "unit",
    "positions",
    "group",
    "coefficient",
    "is_standard",
    "standard_minutes",
    "evidence",
}


def level_of(agency_code: str) -> str:
    return "commune" if AGENCY_KIND[agency_code] == "commune" else "province"


def all_org_codes() -> list[str]:
    codes = [PROVINCE["code"]]
    for agency in AGENCIES:
        codes.append(agency["code"])
        codes.extend(unit["code"] for unit in agency["units"])
    return codes


# --- A reference normaliser, only to check the planted ground truth ------------------------

_ABBR = {key.casefold(): value for key, value in ABBREVIATIONS.items()}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def tokens(name: str) -> frozenset[str]:
    words = []
    for token in re.findall(r"[\w&]+(?:-[\w&]+)*", unicodedata.normalize("NFC", name)):
        expansion = _ABBR.get(token.casefold())
        words.extend(re.findall(r"\w+", expansion if expansion else token))
    return frozenset(_fold(word) for word in words)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


# --- Province ------------------------------------------------------------------------------


def test_province_identity():
    assert PROVINCE == {
        "code": "TNA",
        "name": "Ủy ban nhân dân tỉnh Thanh An",
        "short_name": "UBND tỉnh Thanh An",
    }


def test_departments_and_communes_shape():
    assert len(DEPARTMENTS) >= 8
    assert len(COMMUNES) >= 5
    assert any(d["code"] == "SNV" and d["name"] == "Sở Nội vụ" for d in DEPARTMENTS)
    for agency in AGENCIES:
        assert set(agency) == {"code", "name", "kind", "units"}
        for unit in agency["units"]:
            assert set(unit) == {"code", "name"}
            assert unit["code"].startswith(agency["code"] + "-")
    for department in DEPARTMENTS:
        assert department["kind"] == "department"
        assert 3 <= len(department["units"]) <= 5, department["code"]
    for commune in COMMUNES:
        assert commune["kind"] == "commune"
        assert commune["name"].startswith("Ủy ban nhân dân ")
        assert 3 <= len(commune["units"]) <= 4, commune["code"]


def test_org_codes_are_unique_and_well_formed():
    codes = all_org_codes()
    assert len(codes) == len(set(codes))
    for code in codes:
        assert CODE_RE.match(code), code


# --- Job positions -------------------------------------------------------------------------


def test_job_positions():
    assert 30 <= len(JOB_POSITIONS) <= 50
    assert len(POSITIONS) == len(JOB_POSITIONS), "duplicate position codes"
    for position in JOB_POSITIONS:
        assert set(position) == {"code", "name", "group", "level"}
        assert CODE_RE.match(position["code"]), position
        assert position["group"] in {"leadership", "professional", "support"}
        assert position["level"] in {"province", "commune"}
    by_group_level = Counter((p["group"], p["level"]) for p in JOB_POSITIONS)
    for group in ("leadership", "professional", "support"):
        for level in ("province", "commune"):
            assert by_group_level[group, level] >= 2, (group, level)
    assert POSITIONS["LD-GD"]["name"] == "Giám đốc sở"
    assert "LD-CTT" not in POSITIONS, "LD-CTT is reserved by the loader for the chairman"


def test_position_hints_fit_their_units():
    org_codes = set(all_org_codes())
    for key, codes in POSITION_FOR_UNIT_HINTS.items():
        assert key in org_codes, key
        assert codes, key
        agency = key if key in AGENCY_KIND else next(a for a in AGENCY_KIND if key.startswith(a))
        for code in codes:
            assert POSITIONS[code]["group"] == "professional", (key, code)
            assert POSITIONS[code]["level"] == level_of(agency), (key, code)
    for agency in AGENCIES:
        assert agency["code"] in POSITION_FOR_UNIT_HINTS
        for unit in agency["units"]:
            assert unit["code"] in POSITION_FOR_UNIT_HINTS, unit["code"]


# --- Products ------------------------------------------------------------------------------


def test_every_agency_has_a_catalog_of_15_to_30_items():
    assert set(PRODUCTS_BY_AGENCY) == set(AGENCY_KIND)
    for agency, items in PRODUCTS_BY_AGENCY.items():
        assert 15 <= len(items) <= 30, agency


def test_product_shape():
    for (agency, code), item in ITEMS.items():
        assert set(item) == PRODUCT_KEYS, code
        assert re.fullmatch(re.escape(agency) + r"-\d{3}", code), code
        assert isinstance(item["name"], str) and item["name"].strip()
        assert isinstance(item["unit"], str) and item["unit"].strip()
        assert isinstance(item["evidence"], str) and item["evidence"].strip()
        assert isinstance(item["positions"], list)
        assert item["group"] in {1, 2, 3, 4, 5}
        assert re.fullmatch(r"\d+\.\d{2}", item["coefficient"]), code
        assert Decimal("0.5") <= Decimal(item["coefficient"]) <= Decimal(80), code
        assert isinstance(item["is_standard"], bool)
        minutes = item["standard_minutes"]
        assert minutes is None or (isinstance(minutes, int) and minutes > 0), code


def test_product_codes_are_unique():
    codes = [code for _, code in ITEMS]
    assert len(codes) == len(set(codes))
    assert not set(codes) & set(all_org_codes())


def test_products_reference_existing_positions_of_the_right_level():
    for (agency, code), item in ITEMS.items():
        hinted = set(POSITION_FOR_UNIT_HINTS[agency])
        for position_code in item["positions"]:
            assert position_code in POSITIONS, (code, position_code)
            position = POSITIONS[position_code]
            assert position["level"] == level_of(agency), (code, position_code)
            if position["group"] == "professional":
                assert position_code in hinted, (code, position_code)
        assert len(item["positions"]) == len(set(item["positions"])), code


def test_exactly_one_standard_product_per_agency_with_coefficient_one():
    for agency, items in PRODUCTS_BY_AGENCY.items():
        standard = [item for item in items if item["is_standard"]]
        assert len(standard) == 1, agency
        assert standard[0]["coefficient"] == "1.00", agency
        assert standard[0]["standard_minutes"], agency


def test_at_most_five_complexity_groups_per_position_per_agency():
    for agency, items in PRODUCTS_BY_AGENCY.items():
        groups: dict[str, set[int]] = {}
        for item in items:
            for position_code in item["positions"]:
                groups.setdefault(position_code, set()).add(item["group"])
        for position_code, used in groups.items():
            assert len(used) <= 5, (agency, position_code)


def test_coefficients_grow_with_complexity_group():
    """Loose sanity check of notes §8.2: N1 items are small, N4-N5 items are large."""
    for (_, code), item in ITEMS.items():
        coefficient = Decimal(item["coefficient"])
        if item["group"] == 1:
            assert coefficient <= 2, code
        if item["group"] >= 4:
            assert coefficient >= 20, code


# --- Unicode -------------------------------------------------------------------------------


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(key)
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def test_all_strings_are_nfc_except_the_deliberate_nfd_item():
    catalogs_without_names = [
        {key: value for key, value in item.items() if key != "name"} for item in ITEMS.values()
    ]
    everything = [
        PROVINCE,
        AGENCIES,
        JOB_POSITIONS,
        POSITION_FOR_UNIT_HINTS,
        names.FAMILY_NAMES,
        names.MIDDLE_NAMES_MALE,
        names.MIDDLE_NAMES_FEMALE,
        names.GIVEN_NAMES_MALE,
        names.GIVEN_NAMES_FEMALE,
        ABBREVIATIONS,
        catalogs_without_names,
    ]
    for text in _strings(everything):
        assert unicodedata.is_normalized("NFC", text), text

    not_nfc = [
        key for key, item in ITEMS.items() if not unicodedata.is_normalized("NFC", item["name"])
    ]
    assert not_nfc == [NFD_ITEM]
    nfd_name = ITEMS[NFD_ITEM]["name"]
    assert unicodedata.is_normalized("NFD", nfd_name)
    assert unicodedata.normalize("NFC", nfd_name) == ITEMS["SNV", "SNV-005"]["name"]


def test_names_have_no_stray_whitespace_except_planted_ones():
    planted = {member for group in PLANTED_DUPLICATES for member in group}
    for key, item in ITEMS.items():
        if key in planted:
            continue
        name = item["name"]
        assert name == name.strip() and "  " not in name, key


# --- Planted duplicates and look-alikes ----------------------------------------------------


def test_planted_duplicates_reference_existing_items_in_different_agencies():
    assert len(PLANTED_DUPLICATES) >= 6
    seen = set()
    for group in PLANTED_DUPLICATES:
        assert 2 <= len(group) <= 5, group
        agencies = [agency for agency, _ in group]
        assert len(set(agencies)) == len(agencies), group
        for member in group:
            assert member in ITEMS, member
            assert member[1].startswith(member[0] + "-"), member
            assert member not in seen, member
            seen.add(member)
        raw_names = [ITEMS[member]["name"] for member in group]
        assert len(set(raw_names)) == len(raw_names), "planted items must differ as written"


def test_planted_duplicates_exercise_every_kind_of_variation():
    planted_names = [ITEMS[m]["name"] for group in PLANTED_DUPLICATES for m in group]
    assert any(name.isupper() for name in planted_names), "case"
    assert any(name.isascii() and name != _fold(name) for name in planted_names), "diacritics"
    assert any("  " in name or " ," in name for name in planted_names), "spacing"
    assert any(not unicodedata.is_normalized("NFC", name) for name in planted_names), "NFD"
    for abbreviation in ("VB", "QĐ", "KH", "BC", "TTHC", "UBND"):
        assert any(abbreviation in name.split() for name in planted_names), abbreviation


def test_planted_duplicates_collapse_under_normalisation():
    for group in PLANTED_DUPLICATES:
        for a, b in itertools.combinations(group, 2):
            score = jaccard(tokens(ITEMS[a]["name"]), tokens(ITEMS[b]["name"]))
            assert score >= 0.8, (a, b, score)


def test_no_accidental_duplicates_outside_the_planted_groups():
    group_of = {member: i for i, group in enumerate(PLANTED_DUPLICATES) for member in group}
    keys: dict[frozenset[str], tuple[str, str]] = {}
    for key, item in ITEMS.items():
        bag = tokens(item["name"])
        if bag in keys:
            other = keys[bag]
            assert group_of.get(key, -1) == group_of.get(other, -2), (key, other)
        keys.setdefault(bag, key)


def test_unrelated_lookalikes_share_words_but_are_not_planted_together():
    assert len(UNRELATED_LOOKALIKES) >= 3
    group_of = {member: i for i, group in enumerate(PLANTED_DUPLICATES) for member in group}
    for a, b in UNRELATED_LOOKALIKES:
        assert a in ITEMS and b in ITEMS, (a, b)
        assert a != b
        assert group_of.get(a, -1) != group_of.get(b, -2), (a, b)
        shared = tokens(ITEMS[a]["name"]) & tokens(ITEMS[b]["name"])
        assert len(shared) >= 2, (a, b, shared)


def test_abbreviations():
    required = {"VB", "QĐ", "KH", "BC", "TTr", "CV", "TB", "TTHC", "UBND", "HĐND", "NQ", "QPPL"}
    assert required | {"CBCCVC"} <= set(ABBREVIATIONS)
    for key, value in ABBREVIATIONS.items():
        assert key.strip() == key and " " not in key, key
        assert value and value == value.strip(), key
    assert len({key.casefold() for key in ABBREVIATIONS}) == len(ABBREVIATIONS)


# --- Names ---------------------------------------------------------------------------------


def test_family_names_are_weighted():
    families = [family for family, _ in names.FAMILY_NAMES]
    assert len(families) == len(set(families)) >= 16
    assert all(isinstance(weight, int) and weight > 0 for _, weight in names.FAMILY_NAMES)
    heaviest = max(names.FAMILY_NAMES, key=lambda pair: pair[1])
    assert heaviest[0] == "Nguyễn"


def test_name_pools():
    for pool in (
        names.MIDDLE_NAMES_MALE,
        names.MIDDLE_NAMES_FEMALE,
        names.GIVEN_NAMES_MALE,
        names.GIVEN_NAMES_FEMALE,
    ):
        assert len(pool) >= 40
        assert len(pool) == len(set(pool))
        for name in pool:
            assert name == name.strip() and " " not in name, name


@pytest.mark.parametrize("seed", [0, 335, 2026])
def test_full_name_is_deterministic_for_a_seed(seed):
    first = [full_name(random.Random(seed)) for _ in range(3)]
    rng_a, rng_b = random.Random(seed), random.Random(seed)
    assert [full_name(rng_a) for _ in range(200)] == [full_name(rng_b) for _ in range(200)]
    assert first[0] == first[1] == first[2]


def test_full_name_values():
    rng = random.Random(335)
    people = [full_name(rng) for _ in range(3000)]
    families = {family for family, _ in names.FAMILY_NAMES}
    for name, gender in people:
        assert gender in {"male", "female"}
        assert unicodedata.is_normalized("NFC", name)
        parts = name.split(" ")
        assert 3 <= len(parts) <= 4, name
        assert parts[0] in families
        assert len(set(parts[1:])) == len(parts) - 1, name
        if gender == "male":
            assert parts[-1] in names.GIVEN_NAMES_MALE
        else:
            assert parts[-1] in names.GIVEN_NAMES_FEMALE
    genders = Counter(gender for _, gender in people)
    assert 0.4 < genders["female"] / len(people) < 0.6
    top_family, _ = Counter(name.split(" ")[0] for name, _ in people).most_common(1)[0]
    assert top_family == "Nguyễn"
    # Namesakes happen in real agencies too, but they must stay rare at demo size (~300).
    assert len({name for name, _ in people[:300]}) >= 285


# --- Purity --------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [province, job_positions, names, products])
def test_data_modules_are_plain_python(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"random", "unicodedata", "decimal"}, imported
    if module is not names:
        assert "random" not in imported, "data must not depend on randomness"


def test_data_package_has_an_init():
    assert (DATA_DIR / "__init__.py").is_file()
