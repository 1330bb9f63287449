"""The pure duplicate finder: normalisation, similarity, planted duplicates, lookalikes,
determinism, and blocking that loses nothing compared with scoring every pair."""

import itertools
import random
import re
import unicodedata

import pytest

from catalog_pages.consolidation import matching
from catalog_pages.consolidation.matching import (
    MatchItem,
    find_duplicate_groups,
    match,
    name_key,
    normalize_name,
    similarity,
)
from catalog_pages.consolidation.vocabulary import ABBREVIATIONS
from demo.data.products import (
    NFD_ITEM,
    PLANTED_DUPLICATES,
    PRODUCTS_BY_AGENCY,
    UNRELATED_LOOKALIKES,
)


def demo_items():
    return [
        MatchItem((agency, p["code"]), agency, p["code"], p["name"], p["unit"])
        for agency, products in PRODUCTS_BY_AGENCY.items()
        for p in products
    ]


def group_of(groups):
    """item id → index of its group."""
    return {member.id: n for n, group in enumerate(groups) for member in group.members}


# --- Normalisation -------------------------------------------------------------------------------


def test_nfd_and_nfc_normalise_alike():
    nfc = "Tổ chức hội nghị, cuộc họp chuyên đề"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert normalize_name(nfd) == normalize_name(nfc) == "to chuc hoi nghi cuoc hop chuyen de"
    assert similarity(nfd, nfc) == 1.0


def test_the_demo_nfd_item_matches_its_nfc_twins():
    agency, code = NFD_ITEM
    name = next(p["name"] for p in PRODUCTS_BY_AGENCY[agency] if p["code"] == code)
    assert name != unicodedata.normalize("NFC", name)
    assert similarity(name, "Tổ chức hội nghị, cuộc họp chuyên đề", "cuộc", "cuộc") == 1.0


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("VB đến được tiếp nhận", "Văn bản đến được tiếp nhận"),
        ("vb đến được tiếp nhận", "văn bản đến được tiếp nhận"),
        ("Dự thảo QĐ trình UBND tỉnh", "Dự thảo quyết định trình Ủy ban nhân dân tỉnh"),
        ("Dự thảo QD trình UBND tỉnh", "Dự thảo quyết định trình Ủy ban nhân dân tỉnh"),
        ("KH triển khai nhiệm vụ", "Kế hoạch triển khai nhiệm vụ"),
        ("BC kết quả CCHC", "Báo cáo kết quả cải cách hành chính"),
        ("Hồ sơ TTHC", "Hồ sơ thủ tục hành chính"),
        ("Dự toán NSNN năm", "Dự toán ngân sách nhà nước năm"),
        ("Báo cáo KH&CN", "Báo cáo khoa học và công nghệ"),
        ("Báo cáo KT-XH", "Báo cáo kinh tế - xã hội"),
    ],
)
def test_abbreviations_are_expanded(short, long):
    assert normalize_name(short) == normalize_name(long)
    assert similarity(short, long) == 1.0


def test_compound_abbreviations_win_over_their_parts():
    # "KH" alone is "kế hoạch", inside "KH&CN" it is "khoa học".
    assert normalize_name("KH&CN") == "khoa hoc cong nghe"
    assert normalize_name("KH") == "ke hoach"


SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$"
)


def test_no_abbreviation_is_also_a_vietnamese_syllable():
    """Keys are matched ignoring case and diacritics, which is safe only because no key (nor
    part of "KH&CN", "KT-XH") spells a Vietnamese syllable."""
    assert SYLLABLE.match("nghieng") and SYLLABLE.match("uy") and SYLLABLE.match("an")
    for key in ABBREVIATIONS:
        parts = [key] if key == "QP-AN" else re.split(r"[&-]", key)  # "an" only inside "QP-AN"
        for part in parts:
            letters = unicodedata.normalize("NFD", part.lower().replace("đ", "d"))
            letters = "".join(c for c in letters if not unicodedata.combining(c))
            assert not SYLLABLE.match(letters), key


def test_missing_diacritics_and_case_are_ignored():
    assert name_key("Bao cao dinh ky") == name_key("Báo cáo định kỳ") == name_key("BÁO CÁO ĐỊNH KỲ")
    assert similarity("Bao cao dinh ky", "Báo cáo định kỳ") == 1.0
    assert similarity("Bao cao – dinh ky “thang”", "Báo cáo định kỳ tháng") == 1.0
    assert similarity("BÁO CÁO ĐỊNH KỲ", "Báo cáo định kỳ") == 1.0


def test_word_order_is_ignored():
    a = "Báo cáo tháng định kỳ về tình hình thực hiện nhiệm vụ"
    b = "Báo cáo tình hình thực hiện nhiệm vụ định kỳ tháng"
    assert name_key(a) == name_key(b)
    assert similarity(a, b) == 1.0


def test_punctuation_spaces_stop_words_and_tone_placement_are_ignored():
    assert (
        similarity(
            "Kế hoạch  triển khai nhiệm vụ trọng tâm  năm.",
            "Kế hoạch triển khai các nhiệm vụ trọng tâm hằng năm",
        )
        == 1.0
    )
    assert similarity("Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh") == 1.0
    assert similarity("Báo cáo định kì", "Báo cáo định kỳ") == 1.0
    assert (
        similarity(
            "Buổi tiếp công dân (định kỳ, đột xuất)", "Buổi tiếp công dân định kỳ , đột xuất"
        )
        == 1.0
    )


def test_accents_keep_apart_words_that_only_fold_alike():
    # "sơ kết" (preliminary) vs "tổng kết" (final): only "sơ"/"sở" fold alike.
    assert similarity("Hồ sơ sơ kết công tác văn thư", "Hồ sơ tổng kết công tác văn thư") < 0.8


def test_the_unit_is_a_weak_signal():
    same = similarity("Báo cáo công tác văn thư", "Báo cáo công tác văn thư", "báo cáo", "báo cáo")
    other = similarity("Báo cáo công tác văn thư", "Báo cáo công tác văn thư", "báo cáo", "bộ")
    assert same == 1.0
    assert 0.8 <= other < same


def test_a_substituted_subject_scores_below_an_added_qualifier():
    substituted = similarity(
        "Báo cáo kết quả xác minh nội dung khiếu nại", "Báo cáo kết quả xác minh nội dung tố cáo"
    )
    qualified = similarity(
        "Dự toán ngân sách năm của cơ quan", "Dự toán ngân sách nhà nước năm của cơ quan"
    )
    assert substituted < 0.8 <= qualified


def test_a_different_period_is_a_different_product():
    assert (
        similarity("Báo cáo công tác văn thư năm", "Báo cáo công tác văn thư 6 tháng đầu năm") < 0.8
    )


# --- Groups on the demo data ---------------------------------------------------------------------


def test_every_planted_duplicate_group_is_found_whole():
    groups = find_duplicate_groups(demo_items())
    where = group_of(groups)
    for planted in PLANTED_DUPLICATES:
        found = {where.get(key) for key in planted}
        assert None not in found, f"not grouped: {planted}"
        assert len(found) == 1, f"split: {planted}"
        assert {m.id for m in groups[found.pop()].members} == set(planted)


def test_no_unrelated_lookalikes_are_grouped():
    where = group_of(find_duplicate_groups(demo_items()))
    for a, b in UNRELATED_LOOKALIKES:
        assert where.get(a) is None or where.get(a) != where.get(b), (a, b)


def test_demo_groups_are_exactly_the_planted_ones():
    groups = find_duplicate_groups(demo_items())
    assert sorted(sorted(m.id for m in g.members) for g in groups) == sorted(
        sorted(group) for group in PLANTED_DUPLICATES
    )
    assert all(g.min_score == g.avg_score == 1.0 for g in groups)


def test_lookalikes_stay_clear_of_the_threshold():
    by_id = {item.id: item for item in demo_items()}
    for a, b in UNRELATED_LOOKALIKES:
        x, y = by_id[a], by_id[b]
        assert similarity(x.name, y.name, x.unit, y.unit) < 0.7, (a, b)


# --- Determinism, scores and blocking ------------------------------------------------------------


def test_output_does_not_depend_on_input_order():
    items = demo_items()
    expected = find_duplicate_groups(items)
    shuffled = items[:]
    for seed in range(3):
        random.Random(seed).shuffle(shuffled)
        assert find_duplicate_groups(shuffled) == expected


def test_groups_are_sorted_by_score_and_members_by_agency_and_code():
    items = [
        MatchItem(1, "B", "B-1", "Văn bản hướng dẫn nghiệp vụ văn thư", "văn bản"),
        MatchItem(2, "A", "A-1", "VB hướng dẫn nghiệp vụ văn thư", "văn bản"),
        MatchItem(3, "C", "C-1", "Kế hoạch kiểm tra công tác lưu trữ năm", "kế hoạch"),
        MatchItem(4, "A", "A-2", "Kế hoạch kiểm tra công tác lưu trữ năm", "văn bản"),
    ]
    groups = find_duplicate_groups(items)
    assert [[m.id for m in g.members] for g in groups] == [[2, 1], [4, 3]]
    assert groups[0].min_score == 1.0
    assert groups[1].min_score == pytest.approx(0.9)
    assert groups[0].agencies == ("A", "B")


def test_group_scores_cover_every_pair():
    items = [
        MatchItem(1, "A", "1", "Báo cáo kết quả thực hiện chương trình hành động", "báo cáo"),
        MatchItem(2, "B", "2", "BC kết quả thực hiện chương trình hành động", "báo cáo"),
        MatchItem(3, "C", "3", "Báo cáo kết quả thực hiện chương trình hành động tỉnh", "báo cáo"),
    ]
    [group] = find_duplicate_groups(items, threshold=0.75)
    pair = similarity(items[0].name, items[2].name, "báo cáo", "báo cáo")
    assert group.min_score == pair
    assert group.avg_score == pytest.approx((1.0 + 2 * pair) / 3, abs=1e-4)


def test_empty_names_and_single_items_make_no_groups():
    assert find_duplicate_groups([]) == []
    assert (
        find_duplicate_groups([MatchItem(1, "A", "1", "", ""), MatchItem(2, "B", "2", "và")]) == []
    )
    assert find_duplicate_groups([MatchItem(1, "A", "1", "Hồ sơ")]) == []


def _brute_force_groups(items, threshold):
    names = matching._distinct_names(items)
    sets = matching._UnionFind(len(names))
    for i, j in itertools.combinations(range(len(names)), 2):
        # Without a common syllable the score is at most 0.9 × 0.25 + 0.1 < 0.5: skip.
        if names[i].folded.isdisjoint(names[j].folded):
            continue
        if matching._score(names[i], names[j]) >= threshold - 1e-9:
            sets.union(i, j)
    components = {}
    for i in range(len(names)):
        components.setdefault(sets.find(i), []).extend(m.id for m in names[i].items)
    return sorted(sorted(map(str, ids)) for ids in components.values() if len(ids) > 1)


def _variants(seed, count):
    """Names sharing many syllables, with and without diacritics, nested and substituted."""
    rng = random.Random(seed)
    heads = ["Báo cáo", "Kế hoạch", "Hồ sơ", "Tờ trình", "Bao cao", "KH", "BC"]
    verbs = ["kiểm tra", "tổng kết", "sơ kết", "triển khai", "tong ket", "đánh giá"]
    fields = ["văn thư", "lưu trữ", "thú y", "thủy lợi", "thủy sản", "an toàn thực phẩm"]
    tails = ["", "năm", "quý", "6 tháng đầu năm", "tại cơ quan", "cấp xã", "nam"]
    items = []
    for n in range(count):
        name = " ".join(
            part
            for part in (
                rng.choice(heads),
                rng.choice(verbs),
                "công tác",
                rng.choice(fields),
                rng.choice(tails),
            )
            if part
        )
        if rng.random() < 0.3:
            words = name.split()
            rng.shuffle(words)
            name = " ".join(words)
        items.append(MatchItem(n, f"A{n % 7}", f"{n:03d}", name, rng.choice(["", "báo cáo"])))
    return items


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
def test_blocking_finds_the_same_groups_as_scoring_every_pair(threshold):
    agencies = {"SNV", "STC", "TTT", "SKHCN", "X-ANPHU", "X-TANLAP", "P-THANHXUAN"}
    demo = [item for item in demo_items() if item.agency in agencies]
    items = demo + _variants(seed=int(threshold * 100), count=150)
    groups = match(items, threshold).groups
    found = sorted(sorted(str(m.id) for m in g.members) for g in groups)
    assert found == _brute_force_groups(items, threshold)


def test_stats_count_the_work():
    stats = match(demo_items()).stats
    assert stats.items == 285
    assert stats.distinct_names < stats.items
    assert stats.matched_pairs <= stats.compared_pairs <= stats.candidate_pairs
    assert stats.block_threshold == pytest.approx(0.7037, abs=1e-4)
