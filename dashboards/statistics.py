"""How far a band distribution departs from a reference one (pure functions).

* Total variation distance: half the sum of absolute differences of the shares — 0 when the
  distributions match, 1 when they share nothing; "30 % of people would have to change band".
* Pearson's chi-square goodness of fit of the observed counts against the reference shares,
  with its p-value (degrees of freedom = bands with a non-zero expected count minus 1): small p
  means the difference is unlikely to be chance, which matters for small agencies where a large
  distance can come from a handful of people.
"""

import math
from collections.abc import Mapping, Sequence


def shares(counts: Mapping[str, int], bands: Sequence[str]) -> list[float]:
    total = sum(counts.get(b, 0) for b in bands)
    return [counts.get(b, 0) / total if total else 0.0 for b in bands]


def total_variation(
    counts: Mapping[str, int], reference: Mapping[str, int], bands: Sequence[str]
) -> float:
    p, q = shares(counts, bands), shares(reference, bands)
    return 0.5 * sum(abs(a - b) for a, b in zip(p, q, strict=True))


def chi_square(
    counts: Mapping[str, int], reference: Mapping[str, int], bands: Sequence[str]
) -> tuple[float, int]:
    """(statistic, degrees of freedom) of ``counts`` against ``reference``'s shares."""
    n = sum(counts.get(b, 0) for b in bands)
    statistic, used = 0.0, 0
    for band, share in zip(bands, shares(reference, bands), strict=True):
        expected = n * share
        if expected <= 0:
            continue
        used += 1
        statistic += (counts.get(band, 0) - expected) ** 2 / expected
    return statistic, max(0, used - 1)


def chi_square_p(statistic: float, df: int) -> float:
    """Upper-tail probability of the chi-square distribution (integer ``df``), in closed form."""
    if df <= 0:
        return 1.0
    half = statistic / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    total = math.erfc(math.sqrt(half))
    term = math.sqrt(half) / math.gamma(1.5)
    for i in range(1, (df - 1) // 2 + 1):
        total += math.exp(-half) * term
        term *= half / (i + 0.5)
    return min(1.0, total)
