"""Finding the same product written differently in different agencies' catalogs.

Pure Python (no Django), so the benchmark and the tests run it directly. Entry points:
``find_duplicate_groups(items, threshold)`` / ``match(items, threshold)`` over ``MatchItem``s,
``similarity(name_a, name_b, unit_a, unit_b)``, ``normalize_name`` and ``name_key``.

1. **Normalisation.** NFC, lower case, punctuation and extra spaces dropped, abbreviations
   expanded ("VB" → "văn bản", "KH&CN" → "khoa học và công nghệ"; tables in
   ``vocabulary.py``), light stop-words dropped ("và", "về", "hằng", ...), "kì"/"kỳ"
   spellings unified. Each syllable is kept in two forms:

   - *accented*, with its tone moved to the end (Telex-style: "ủy" and "uỷ" → "uyr",
     "định" → "ddinhj"), so the old and new tone placements compare equal but "sơ kết" and
     "sở", "thú y" and "văn thư", "quy chế" and "quý" stay apart;
   - *folded*, without any diacritics ("đ" → "d"): ``name_key("Báo cáo định kỳ") ==
     name_key("BAO CAO DINH KY")``.

   Names are compared as *sets* of syllables (a repeated syllable counted as a second
   element), so word order does not matter. Two names that both carry diacritics are compared
   accented; as soon as one is typed without any (all ASCII), the pair is compared folded.
2. **Similarity** (``similarity``), in [0, 1]::

       text  = 0.75 × Jaccard(syllable sets) + 0.25 × Dice(character trigrams of the syllables)
       text ×= 0.75…0.95 if each name has syllables the other lacks (a substituted word; the
               more alike the differing syllables look, the milder), or 0.75 if one name only
               adds syllables but the period words differ ("năm" / "6 tháng đầu năm")
       score = 0.9 × text + 0.1 × Jaccard(output unit syllables)

   The unit is a weak signal: the same name with another unit still scores 0.9. The
   substitution factor separates "... khiếu nại" / "... tố cáo" (different products) from
   "dự toán ngân sách [nhà nước] năm" (a qualifier added or dropped).
3. **Blocking.** Items with the same normalised name and unit are collapsed first. Because the
   trigram and unit terms are at most 1, a pair can only reach ``threshold`` if its syllable
   Jaccard reaches ``block_threshold(threshold)`` (0.70 for 0.8; 0.76 if a word is
   substituted); prefix filtering over an inverted index of combinations of rare syllables
   (see ``_similar_pairs``) finds *every* such pair, so blocking loses nothing, it only skips
   pairs that could not have matched (the tests check this against brute force).
4. **Grouping.** Pairs scoring at least ``threshold`` are joined by union-find; each group
   reports the minimum and the average pairwise score over all its members.

Output is deterministic and does not depend on the order of the input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

from catalog_pages.consolidation.vocabulary import (
    ABBREVIATIONS,
    PERIOD_WORDS,
    STOP_WORDS,
    UNACCENTED_STOP_WORDS,
)

DEFAULT_THRESHOLD = 0.8
TOKEN_WEIGHT = 0.75
"""Share of the syllable-set Jaccard in the text score (the rest is character trigrams)."""
SUBSTITUTION_FLOOR = 0.75
SUBSTITUTION_CEILING = 0.95
"""Text score factor, between floor and ceiling, when *both* names have syllables the other
lacks: the floor when the differing syllables look nothing alike ("sơ kết" / "tổng kết"),
towards the ceiling when they differ by a letter or two (a typo, "chánh" / "chính")."""
UNIT_WEIGHT = 0.1
"""Share of the output unit in the final score."""
BLOCK_KEY_SIZE = 4
"""Syllables per blocking key (see ``_similar_pairs``)."""
NESTED_KEY_SIZE = 5
"""Syllables per blocking key when looking for names inside other names."""
EXACT_GROUP_LIMIT = 200
"""Groups with more distinct names than this report min/avg over their matched pairs only."""

_WORD = re.compile(r"[^\W_]+(?:[&\-][^\W_]+)*")
_JOINERS = re.compile(r"[&\-]")
_SPLIT = re.compile(r"([&\-])").split
_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_CIRCUMFLEX = "\u0302"
_BREVE_OR_HORN = ("\u0306", "\u031b")
_SPELLING_VARIANTS = {"ki": "ky", "li": "ly", "mi": "my", "ti": "ty", "qui": "quy"}
"""Two official spellings of one syllable ("định kì"/"định kỳ", "lí"/"lý"), letters only."""
_EPSILON = 1e-9


# --- Normalisation -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _syllable(word: str) -> tuple[str, str]:
    """(accented, folded) forms of one lower-case word: ("định", ...) → ("ddinhj", "dinh")."""
    letters, folded, tone = [], [], ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch == _CIRCUMFLEX:
            letters.append(letters[-1] if letters else "")
        elif ch in _BREVE_OR_HORN:
            letters.append("w")
        elif ch == "đ":
            letters.append("dd")
            folded.append("d")
        elif not unicodedata.combining(ch):
            letters.append(ch)
            folded.append(ch)
    plain = "".join(folded)
    plain = _SPELLING_VARIANTS.get(plain, plain)
    base = "".join(letters)
    base = _SPELLING_VARIANTS.get(base, base)
    return base + tone, plain


def _plain_tokens(text: str) -> tuple[tuple[str, str], ...]:
    """Syllables of ``text`` without abbreviation expansion (used for the expansions)."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    return tuple(
        _syllable(part)
        for word in words
        for part in _JOINERS.split(word)
        if part and part not in STOP_WORDS
    )


def _fold_compound(word: str) -> str:
    """Each part of a compound folded, the joiners kept: "gd&đt" → "gd&dt"."""
    return "".join(part if part in ("&", "-") else _syllable(part)[1] for part in _SPLIT(word))


def _build_expansions(table: dict[str, str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Folded abbreviation → its syllables; "KT-XH" is also reachable as "ktxh"."""
    expansions = {}
    # Sorted so that if two keys fold alike the choice does not depend on dict order.
    for key in sorted(table):
        folded = _fold_compound(unicodedata.normalize("NFC", key).lower())
        expansion = _plain_tokens(table[key])
        expansions.setdefault(folded, expansion)
        expansions.setdefault(_JOINERS.sub("", folded), expansion)
    return expansions


_EXPANSIONS = _build_expansions(ABBREVIATIONS)


@lru_cache(maxsize=200_000)
def _word_tokens(word: str, unaccented: bool) -> tuple[tuple[str, str], ...]:
    """Syllables of one lower-case NFC word, which may be a compound like "kh&cn" or "kt-xh".

    ``unaccented``: the whole name was typed without diacritics, so the stop-words are also
    looked up in their folded form (only those that fold to no other common word).
    """
    if "&" in word or "-" in word:
        expansion = _EXPANSIONS.get(_fold_compound(word))
        if expansion is not None:
            return expansion
        return tuple(
            t for part in _JOINERS.split(word) if part for t in _word_tokens(part, unaccented)
        )
    syllable = _syllable(word)
    expansion = _EXPANSIONS.get(syllable[1])
    if expansion is not None:
        return expansion
    if word in STOP_WORDS or (unaccented and word in UNACCENTED_STOP_WORDS):
        return ()
    return (syllable,)


@lru_cache(maxsize=65536)
def _analyse(text: str | None) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The (accented, folded) syllables of a name in order, and whether it has no diacritics."""
    if not text:
        return (), False
    text = unicodedata.normalize("NFC", text).lower()
    words = _WORD.findall(text)
    # Typed without diacritics: no letter carries a mark (punctuation such as "–" may be
    # anything), so "Bao cao – dinh ky" is compared folded with "Báo cáo định kỳ".
    unaccented = all(word.isascii() for word in words)
    return tuple(t for word in words for t in _word_tokens(word, unaccented)), unaccented


def normalize_name(text: str | None) -> str:
    """The folded form of a name in its own word order.

    >>> normalize_name("Dự thảo QĐ trình UBND tỉnh.")
    'du thao quyet dinh trinh uy ban nhan dan tinh'
    """
    return " ".join(folded for _, folded in _analyse(text)[0])


def name_tokens(text: str | None) -> tuple[str, ...]:
    """Sorted set of folded syllables: equal for names differing in case, accents, order, ..."""
    return tuple(sorted({folded for _, folded in _analyse(text)[0]}))


def name_key(text: str | None) -> str:
    """``name_tokens`` as one string: a case-, diacritics- and word-order-insensitive key."""
    return " ".join(name_tokens(text))


def accented_tokens(text: str | None) -> tuple[str, ...]:
    """Sorted set of accented syllables (tone last): what two accented names are compared on."""
    return tuple(sorted({accented for accented, _ in _analyse(text)[0]}))


@lru_cache(maxsize=65536)
def _token_trigrams(token: str) -> frozenset[str]:
    padded = f" {token} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _trigrams(tokens: Iterable[str]) -> frozenset[str]:
    grams: set[str] = set()
    for token in tokens:
        grams |= _token_trigrams(token)
    return frozenset(grams)


# --- Similarity ----------------------------------------------------------------------------------

_PERIODS = frozenset(_syllable(word)[0] for word in PERIOD_WORDS)


def _occurrences(tokens: Iterable[str]) -> frozenset[str]:
    """A multiset as a set: the second "sơ" of "hồ sơ sơ kết" becomes "sơ#2".

    Without it "hồ sơ sơ kết" would contain "hồ sơ tổng kết" minus one word, and "đối với
    doanh nghiệp" would vanish into "phát triển doanh nghiệp".
    """
    tokens = list(tokens)
    unique = frozenset(tokens)
    if len(unique) == len(tokens):
        return unique
    seen: dict[str, int] = defaultdict(int)
    result = []
    for token in tokens:
        seen[token] += 1
        result.append(token if seen[token] == 1 else f"{token}#{seen[token]}")
    return frozenset(result)


@dataclass(slots=True)
class _Name:
    """A distinct normalised (name, unit): what is actually compared."""

    accented: frozenset[str]
    folded: frozenset[str]
    unaccented: bool
    periods: frozenset[str]
    unit: frozenset[str]
    key: tuple
    items: list
    _grams: dict

    @classmethod
    def parse(cls, name: str, unit: str = "") -> _Name:
        syllables, unaccented = _analyse(name)
        accented = _occurrences(a for a, _ in syllables)
        folded = _occurrences(f for _, f in syllables)
        periods = frozenset(t for t in accented if t.partition("#")[0] in _PERIODS)
        unit_tokens = frozenset(f for _, f in _analyse(unit)[0])
        key = (tuple(sorted(accented)), tuple(sorted(unit_tokens)))
        return cls(accented, folded, unaccented, periods, unit_tokens, key, [], {})

    def trigrams(self, folded: bool) -> frozenset[str]:
        grams = self._grams.get(folded)
        if grams is None:
            tokens = self.folded if folded else self.accented
            grams = self._grams[folded] = _trigrams(t.partition("#")[0] for t in tokens)
        return grams


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _dice(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _unit_similarity(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.5
    return _jaccard(a, b)


def _substitution_factor(only_a: frozenset, only_b: frozenset) -> float:
    words_a = " ".join(sorted(t.partition("#")[0] for t in only_a))
    words_b = " ".join(sorted(t.partition("#")[0] for t in only_b))
    alike = SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()
    return SUBSTITUTION_FLOOR + (SUBSTITUTION_CEILING - SUBSTITUTION_FLOOR) * alike


def _score(a: _Name, b: _Name, jaccard: float | None = None) -> float:
    folded = a.unaccented or b.unaccented
    x, y = (a.folded, b.folded) if folded else (a.accented, b.accented)
    if jaccard is None:
        jaccard = _jaccard(x, y)
    grams = _dice(a.trigrams(folded), b.trigrams(folded))
    text = TOKEN_WEIGHT * jaccard + (1 - TOKEN_WEIGHT) * grams
    if not (x <= y or y <= x):
        text *= _substitution_factor(x - y, y - x)
    elif not folded and a.periods != b.periods:
        text *= SUBSTITUTION_FLOOR
    return (1 - UNIT_WEIGHT) * text + UNIT_WEIGHT * _unit_similarity(a.unit, b.unit)


def similarity(name_a: str, name_b: str, unit_a: str = "", unit_b: str = "") -> float:
    """Similarity of two products in [0, 1]; 1.0 for the same normalised name and unit."""
    a, b = _Name.parse(name_a, unit_a), _Name.parse(name_b, unit_b)
    if not a.accented or not b.accented:
        return 0.0
    return round(_score(a, b), 4)


def block_threshold(threshold: float, substituted: bool = False) -> float:
    """The syllable Jaccard below which a pair cannot reach ``threshold``.

    The trigram and unit terms are at most 1, so only the Jaccard term can make up the rest;
    a pair with a substituted word must reach a higher Jaccard (``substituted=True``).
    """
    text_needed = (threshold - UNIT_WEIGHT) / (1 - UNIT_WEIGHT)
    if substituted:
        text_needed /= SUBSTITUTION_CEILING
    return min(1.0, max(0.0, (text_needed - (1 - TOKEN_WEIGHT)) / TOKEN_WEIGHT))


# --- Blocking ------------------------------------------------------------------------------------


def _similar_pairs(  # noqa: C901
    sets: list[frozenset], members: list[int], bound: float, nested: bool, key_size: int
):
    """``(candidates, [(i, j, jaccard), ...])``: pairs of ``members`` with Jaccard ≥ ``bound``
    where one set contains the other (``nested``), or where neither does (``not nested``).

    Candidates come from prefix filtering and are then verified exactly. Put every set's
    syllables in one global order, rarest first. If two sets share at least ``a`` syllables,
    the ``m``-th shared one (m ≤ a) lies within the first ``size - a + m`` syllables of each,
    so the two share an ``m``-combination of those prefixes. Syllables are few (a few hundred
    cover a province's catalogs), so one shared syllable (m = 1, classic prefix filtering)
    still pairs most names: the keys here are combinations of up to ``BLOCK_KEY_SIZE``
    syllables. When the smaller set is inside the larger one, its own first ``m`` syllables
    are that combination, so nested pairs need only that one key per set. Sets are visited
    smallest first, so an indexed set is never larger than the one probing and
    ``a`` = ⌈bound × the larger size⌉ holds for the pair.
    """
    frequency: dict[str, int] = defaultdict(int)
    for i in members:
        for token in sets[i]:
            frequency[token] += 1
    ranked: list[list[str]] = [[] for _ in sets]
    sizes = [0] * len(sets)
    for i in members:
        ranked[i] = sorted(sets[i], key=lambda t: (frequency[t], t))
        sizes[i] = len(ranked[i])
    indexes: dict[int, dict[tuple[str, ...], list[int]]] = defaultdict(lambda: defaultdict(list))
    ratio = bound / (1 + bound)  # Jaccard ≥ bound ⇔ overlap ≥ ratio × (|x| + |y|)
    candidates = 0
    similar = []
    for x in sorted(members, key=lambda i: (sizes[i], i)):
        tokens, size = ranked[x], sizes[x]
        overlap = max(1, math.ceil(bound * size - _EPSILON))
        own_size = min(key_size, size if nested else overlap)
        found: set[int] = set()
        # Smaller keys are held only by sets too small for own_size (few): probe them.
        for m in range(min(key_size, overlap) if nested else 1, own_size):
            index = indexes.get(m)
            if index:
                for key in combinations(tokens[: size - overlap + m], m):
                    posting = index.get(key)
                    if posting:
                        found.update(posting)
        own = indexes[own_size]
        keys = combinations(tokens[: size - overlap + own_size], own_size)
        if nested:
            for key in keys:
                posting = own.get(key)
                if posting:
                    found.update(posting)
            own[tuple(tokens[:own_size])].append(x)
        else:
            for key in keys:
                posting = own[key]
                if posting:
                    found.update(posting)
                posting.append(x)
        if not found:
            continue
        candidates += len(found)
        mine = sets[x]
        least = bound * size - _EPSILON
        for y in found:
            other = sizes[y]
            if other < least:
                continue
            if nested:
                if sets[y] <= mine:
                    similar.append((min(x, y), max(x, y), other / size))
                continue
            common = len(mine & sets[y])
            if common < other and common >= ratio * (size + other) - _EPSILON:
                similar.append((min(x, y), max(x, y), common / (size + other - common)))
    return candidates, similar


def _pairs_with_few(sets: list[frozenset], few: list[int], everyone: list[int], bound: float):
    """``(candidates, [(i, j, jaccard), ...])``: pairs with Jaccard ≥ ``bound`` between a set
    of ``few`` and any set of ``everyone``, nested or not.

    Used for the (rare) names typed without diacritics: only the few are indexed and everyone
    probes. Each side takes its prefix with its own ``a`` = ⌈bound × its size⌉, which the
    overlap of a qualifying pair reaches on both sides; a few-set is indexed under the
    combinations of ``m = min(BLOCK_KEY_SIZE, a)`` syllables of its prefix, and every set
    probes with combinations of each such ``m`` (the ``m``-th shared syllable lies within
    ``size - a + m`` of either side, see ``_similar_pairs``).
    """
    frequency: dict[str, int] = defaultdict(int)
    for i in everyone:
        for token in sets[i]:
            frequency[token] += 1

    def prefix(i):
        tokens = sorted(sets[i], key=lambda t: (frequency[t], t))
        overlap = max(1, math.ceil(bound * len(tokens) - _EPSILON))
        return tokens, overlap

    indexes: dict[int, dict[tuple[str, ...], list[int]]] = defaultdict(lambda: defaultdict(list))
    for y in few:
        tokens, overlap = prefix(y)
        m = min(BLOCK_KEY_SIZE, overlap)
        for key in combinations(tokens[: len(tokens) - overlap + m], m):
            indexes[m][key].append(y)
    ratio = bound / (1 + bound)
    seen: set[tuple[int, int]] = set()
    similar = []
    for x in everyone:
        tokens, overlap = prefix(x)
        found: set[int] = set()
        for m, index in indexes.items():
            if m > len(tokens):
                continue
            for key in combinations(tokens[: len(tokens) - overlap + m], m):
                posting = index.get(key)
                if posting:
                    found.update(posting)
        found.discard(x)
        for y in found:
            pair = (min(x, y), max(x, y))
            if pair in seen:
                continue
            seen.add(pair)
            a, b = sets[x], sets[y]
            if bound * max(len(a), len(b)) - _EPSILON > min(len(a), len(b)):
                continue
            common = len(a & b)
            if common >= ratio * (len(a) + len(b)) - _EPSILON:
                similar.append((*pair, common / (len(a) + len(b) - common)))
    return len(seen), similar


# --- Duplicate groups ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchItem:
    """One catalog item as the matcher sees it. ``id`` is whatever the caller needs back."""

    id: Hashable
    agency: str
    code: str
    name: str
    unit: str = ""

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.agency, self.code, self.name, str(self.id))


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Items that look like one product; scores are pairwise over all members."""

    members: tuple[MatchItem, ...]
    min_score: float
    avg_score: float
    exact: bool = True
    """False when the group was too large to score every pair (scores over matched pairs)."""

    @property
    def score(self) -> float:
        return self.min_score

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(sorted({m.agency for m in self.members}))

    def __len__(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class MatchStats:
    items: int
    distinct_names: int
    """Distinct normalised (name, unit) pairs: what is actually compared."""
    candidate_pairs: int
    """Pairs of distinct names produced by blocking (they share a rare-syllable key)."""
    compared_pairs: int
    """Candidate pairs whose syllable Jaccard reached the bound and were fully scored."""
    matched_pairs: int
    block_threshold: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    groups: list[DuplicateGroup]
    stats: MatchStats


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _distinct_names(items: Iterable[MatchItem]) -> list[_Name]:
    by_key: dict[tuple, _Name] = {}
    for item in sorted(items, key=lambda i: i.sort_key):
        parsed = _Name.parse(item.name, item.unit)
        if not parsed.accented:
            continue
        entry = by_key.setdefault(parsed.key, parsed)
        entry.items.append(item)
    return [by_key[key] for key in sorted(by_key)]


def _group_scores(names: list[_Name], members: list[int], edges: dict) -> tuple[float, float, bool]:
    """Min and average score over every pair of items of the group (identical names = 1.0)."""
    if len(members) == 1:
        return 1.0, 1.0, True
    counts = [len(names[i].items) for i in members]
    total = sum(counts)
    if len(members) <= EXACT_GROUP_LIMIT:
        low, weighted = 1.0, sum(n * (n - 1) / 2 for n in counts)
        for pos, i in enumerate(members):
            for offset in range(pos + 1, len(members)):
                j = members[offset]
                score = edges.get((i, j))
                if score is None:
                    score = _score(names[i], names[j])
                low = min(low, score)
                weighted += score * counts[pos] * counts[offset]
        return low, weighted / (total * (total - 1) / 2), True
    inside = set(members)
    scores = [s for (i, j), s in edges.items() if i in inside and j in inside]
    return min(scores), sum(scores) / len(scores), False


def match(items: Iterable[MatchItem], threshold: float = DEFAULT_THRESHOLD) -> MatchResult:
    """Groups of probable duplicates among ``items`` plus counters for the benchmark."""
    items = list(items)
    names = _distinct_names(items)
    bound = block_threshold(threshold)
    # Pairs of names with diacritics are compared on their accented syllables; nested and
    # crossing pairs have different Jaccard bounds.
    accented = [i for i, name in enumerate(names) if not name.unaccented]
    candidates, similar = 0, []
    for nested in (True, False):
        found, pairs = _similar_pairs(
            [name.accented for name in names],
            accented,
            block_threshold(threshold, substituted=not nested),
            nested,
            NESTED_KEY_SIZE if nested else BLOCK_KEY_SIZE,
        )
        candidates += found
        similar += pairs
    # Pairs involving a name typed without diacritics are compared on folded syllables.
    few = [i for i, name in enumerate(names) if name.unaccented]
    if few:
        found, pairs = _pairs_with_few(
            [name.folded for name in names], few, list(range(len(names))), bound
        )
        candidates += found
        similar += pairs
    edges: dict[tuple[int, int], float] = {}
    for i, j, jaccard in sorted(similar):
        score = _score(names[i], names[j], jaccard)
        if score >= threshold - _EPSILON:
            edges[(i, j)] = score

    sets = _UnionFind(len(names))
    for i, j in edges:
        sets.union(i, j)
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(names)):
        components[sets.find(i)].append(i)

    groups = []
    for members in components.values():
        if sum(len(names[i].items) for i in members) < 2:
            continue
        low, avg, exact = _group_scores(names, members, edges)
        group_items = sorted(
            (item for i in members for item in names[i].items), key=lambda m: m.sort_key
        )
        groups.append(DuplicateGroup(tuple(group_items), round(low, 4), round(avg, 4), exact))
    groups.sort(key=lambda g: (-g.min_score, -g.avg_score, -len(g.members), g.members[0].sort_key))
    stats = MatchStats(
        items=len(items),
        distinct_names=len(names),
        candidate_pairs=candidates,
        compared_pairs=len(similar),
        matched_pairs=len(edges),
        block_threshold=round(bound, 4),
    )
    return MatchResult(groups, stats)


def find_duplicate_groups(
    items: Iterable[MatchItem], threshold: float = DEFAULT_THRESHOLD
) -> list[DuplicateGroup]:
    """Candidate duplicate groups, best first (by minimum pairwise score, then average, size)."""
    return match(items, threshold).groups
