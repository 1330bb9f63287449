"""Benchmark of the duplicate finder at province scale: 60 agencies × 300 items = 18,000 items.

    .venv/bin/python benchmarks/catalog_consolidation.py [--agencies 60] [--items 300]
                                                        [--threshold 0.8] [--seed 335]

Each agency's catalog mixes
- about 30% variants of the demo products (demo/data/products.py) as agencies really write them:
  abbreviations ("VB", "QĐ", "UBND", ...), ALL CAPS or lower case, no diacritics, NFD encoding,
  clauses in another order, stray punctuation and spaces, "các"/"hằng" added;
- about 70% distinct products generated from document type × action × field × scope, which
  share many words with each other (the hard case for blocking) but are different products.

Everything is seeded, so the figures are comparable between runs. Besides speed and memory it
reports quality against the known truth: how many pairs of variants of one product ended up in
one group (recall) and how many groups mix different products.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
import tracemalloc
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog_pages.consolidation.matching import MatchItem, match
from catalog_pages.consolidation.vocabulary import ABBREVIATIONS
from demo.data.products import PLANTED_DUPLICATES, PRODUCTS_BY_AGENCY

DOC_TYPES = [
    ("Báo cáo", "báo cáo"),
    ("Kế hoạch", "kế hoạch"),
    ("Tờ trình", "tờ trình"),
    ("Văn bản hướng dẫn", "văn bản"),
    ("Quyết định", "quyết định"),
    ("Đề án", "đề án"),
    ("Biên bản", "biên bản"),
    ("Thông báo", "thông báo"),
    ("Dự thảo quy chế", "dự thảo"),
    ("Phương án", "phương án"),
    ("Hồ sơ", "hồ sơ"),
    ("Chương trình", "chương trình"),
]
ACTIONS = [
    "kết quả kiểm tra",
    "triển khai",
    "tổng kết",
    "sơ kết",
    "đánh giá",
    "thẩm định",
    "rà soát",
    "theo dõi",
    "tuyên truyền",
    "tập huấn",
    "giám sát",
    "thống kê số liệu",
    "chấn chỉnh",
    "phối hợp thực hiện",
]
FIELDS = [
    "văn thư",
    "lưu trữ",
    "tổ chức bộ máy",
    "biên chế",
    "thi đua, khen thưởng",
    "tôn giáo",
    "thanh niên",
    "đất đai",
    "khoáng sản",
    "tài nguyên nước",
    "bảo vệ môi trường",
    "giao thông vận tải",
    "trật tự xây dựng",
    "quy hoạch đô thị",
    "phát triển nhà ở",
    "y tế dự phòng",
    "dân số",
    "giáo dục mầm non",
    "giáo dục thường xuyên",
    "văn hóa cơ sở",
    "thể dục, thể thao",
    "du lịch",
    "việc làm",
    "người có công",
    "trẻ em",
    "bình đẳng giới",
    "phòng, chống tệ nạn xã hội",
    "trồng trọt",
    "thủy lợi",
    "lâm nghiệp",
    "chăn nuôi",
    "thú y",
    "thủy sản",
    "khuyến công",
    "xúc tiến thương mại",
    "tiết kiệm năng lượng",
    "bưu chính",
    "viễn thông",
    "an toàn thông tin",
    "sở hữu trí tuệ",
    "đo lường, chất lượng",
    "quản lý giá",
    "tài sản công",
    "phát triển doanh nghiệp",
    "kinh tế tập thể",
    "trợ giúp pháp lý",
    "bồi thường nhà nước",
    "hòa giải ở cơ sở",
    "quốc phòng toàn dân",
    "an ninh trật tự",
    "công tác dân tộc",
    "đối ngoại",
    "phòng chống thiên tai",
    "cứu hộ, cứu nạn",
    "hội, quỹ",
    "đào tạo, bồi dưỡng",
    "chính quyền điện tử",
    "dữ liệu dân cư",
    "kiểm soát ô nhiễm",
    "an toàn lao động",
]
SCOPES = [
    "tại cơ quan",
    "trên địa bàn tỉnh",
    "cấp xã",
    "năm",
    "6 tháng đầu năm",
    "quý",
    "giai đoạn 2026-2030",
    "đối với doanh nghiệp",
    "tại các đơn vị trực thuộc",
    "ở khu dân cư",
    "trong trường học",
    "cho người dân",
]
STOP_INSERTS = [("năm", "hằng năm"), ("tháng", "hằng tháng"), ("nhiệm vụ", "các nhiệm vụ")]

# Expansion → abbreviation, longest first, for agencies that abbreviate.
_ABBREVIATE = sorted(
    ((expansion, key) for key, expansion in ABBREVIATIONS.items() if "&" not in key),
    key=lambda pair: -len(pair[0]),
)


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def abbreviate(text: str, rng: random.Random) -> str:
    for expansion, key in _ABBREVIATE:
        pattern = re.compile(rf"\b{re.escape(expansion)}\b", re.IGNORECASE)
        if pattern.search(text) and rng.random() < 0.7:
            text = pattern.sub(key, text, count=1)
    return text


def reorder(text: str, rng: random.Random) -> str:
    """Swap comma-separated clauses, or move the trailing phrase to after the first two words."""
    clauses = [c.strip() for c in text.split(",")]
    if len(clauses) > 1:
        rng.shuffle(clauses)
        return ", ".join(clauses)
    words = text.split()
    if len(words) < 5:
        return text
    cut = rng.randint(3, len(words) - 1)
    return " ".join(words[:2] + words[cut:] + words[2:cut])


def punctuate(text: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return text.replace(" ", "  ", 2) + "."
    if choice == 1:
        return text.replace(", ", " , ")
    if choice == 2:
        return text.replace(", ", ",")
    return f"{text} ;"


def variant(name: str, rng: random.Random) -> str:
    """One agency's way of writing a known product."""
    if rng.random() < 0.5:
        name = abbreviate(name, rng)
    if rng.random() < 0.25:
        name = reorder(name, rng)
    if rng.random() < 0.2:
        for word, replacement in STOP_INSERTS:
            name = name.replace(word, replacement, 1) if word in name else name
    if rng.random() < 0.3:
        name = punctuate(name, rng)
    case = rng.random()
    if case < 0.1:
        name = name.upper()
    elif case < 0.2:
        name = name.lower()
    if rng.random() < 0.15:
        name = strip_diacritics(name)
    if rng.random() < 0.15:
        name = unicodedata.normalize("NFD", name)
    return name


def generate(agencies: int, per_agency: int, seed: int):
    """Items plus the truth: item id → product id (same id = same product)."""
    rng = random.Random(seed)
    planted = {key: f"planted-{n}" for n, group in enumerate(PLANTED_DUPLICATES) for key in group}
    known = [
        (planted.get((agency, p["code"]), f"{agency}:{p['code']}"), p["name"], p["unit"])
        for agency, products in sorted(PRODUCTS_BY_AGENCY.items())
        for p in products
    ]
    combos = [
        (d, a, f, s)
        for d in range(len(DOC_TYPES))
        for a in range(len(ACTIONS))
        for f in range(len(FIELDS))
        for s in range(len(SCOPES))
    ]
    rng.shuffle(combos)
    known_per_agency = per_agency * 3 // 10
    distinct = iter(combos)
    items, truth = [], {}
    for a in range(agencies):
        agency = f"CQ{a + 1:02d}"
        rows = []
        for product_id, name, unit in rng.sample(known, known_per_agency):
            rows.append((product_id, variant(name, rng), unit))
        for _ in range(per_agency - known_per_agency):
            d, act, f, s = next(distinct)
            doc, unit = DOC_TYPES[d]
            name = f"{doc} {ACTIONS[act]} công tác {FIELDS[f]} {SCOPES[s]}"
            rows.append((f"gen-{d}-{act}-{f}-{s}", name, unit))
        rng.shuffle(rows)
        for n, (product_id, name, unit) in enumerate(rows, start=1):
            item_id = f"{agency}-{n:03d}"
            items.append(MatchItem(item_id, agency, item_id, name, unit))
            truth[item_id] = product_id
    return items, truth


def quality(groups, truth):
    """(pairs of one product found together, all such pairs, groups mixing products)."""
    by_product = Counter(truth.values())
    expected = sum(n * (n - 1) // 2 for n in by_product.values())
    found = 0
    mixed = 0
    for group in groups:
        products = Counter(truth[m.id] for m in group.members)
        found += sum(n * (n - 1) // 2 for n in products.values())
        if len(products) > 1:
            mixed += 1
    return found, expected, mixed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--items", type=int, default=300, help="items per agency")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=335)
    args = parser.parse_args(argv)

    items, truth = generate(args.agencies, args.items, args.seed)
    # Timed untraced (tracemalloc slows allocation-heavy code several times over), then run
    # again under tracemalloc for the peak memory of the matcher alone.
    started, cpu_started = time.perf_counter(), time.process_time()
    result = match(items, threshold=args.threshold)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    tracemalloc.start()
    match(items, threshold=args.threshold)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    stats = result.stats
    sizes = Counter(len(g.members) for g in result.groups)
    found, expected, mixed = quality(result.groups, truth)
    by_group = defaultdict(int)
    for size, count in sizes.items():
        by_group["2" if size == 2 else "3-9" if size < 10 else "10+"] += count
    print(f"items                 {stats.items:>10,}")
    print(f"distinct names        {stats.distinct_names:>10,}")
    print(f"candidate pairs       {stats.candidate_pairs:>10,}  (blocking: rare-syllable prefixes)")
    print(
        f"pairs scored          {stats.compared_pairs:>10,}  (syllable Jaccard ≥ "
        f"{stats.block_threshold}, the bound for the threshold)"
    )
    print(f"pairs matched         {stats.matched_pairs:>10,}  (score ≥ {args.threshold})")
    print(
        f"groups found          {len(result.groups):>10,}  "
        f"(sizes 2: {by_group['2']}, 3-9: {by_group['3-9']}, 10+: {by_group['10+']})"
    )
    print(
        f"recall (same-product pairs grouped) {found:,}/{expected:,} = "
        f"{found / expected if expected else 1:.4f}"
    )
    print(f"groups mixing different products   {mixed}")
    print(f"elapsed               {elapsed:>10.2f} s  (CPU {cpu:.2f} s; one core, pure Python)")
    print(f"peak memory (traced)  {peak / 2**20:>10.1f} MiB  (matcher only)")
    print(f"max RSS of process    {max_rss:>10.1f} MiB  (Python, data and matcher)")


if __name__ == "__main__":
    main()
