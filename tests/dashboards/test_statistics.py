"""Distance and chi-square helpers of the outlier panel."""

import pytest

from dashboards.statistics import chi_square, chi_square_p, total_variation

BANDS = ("excellent", "good", "completed", "not_completed")


def test_total_variation_distance():
    same = {"excellent": 1, "good": 6, "completed": 2, "not_completed": 1}
    assert total_variation(same, {k: v * 10 for k, v in same.items()}, BANDS) == 0
    apart = total_variation({"excellent": 10}, {"not_completed": 3}, BANDS)
    assert apart == pytest.approx(1.0)
    half = total_variation({"excellent": 5, "good": 5}, {"good": 10}, BANDS)
    assert half == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("statistic", "df", "expected"),
    [(3.841, 1, 0.05), (5.991, 2, 0.05), (7.815, 3, 0.05), (11.345, 3, 0.01), (9.488, 4, 0.05)],
)
def test_chi_square_p_values_match_tables(statistic, df, expected):
    assert chi_square_p(statistic, df) == pytest.approx(expected, abs=2e-4)


def test_chi_square_uses_bands_with_an_expected_count():
    statistic, df = chi_square({"good": 8, "completed": 2}, {"good": 50, "completed": 50}, BANDS)
    assert df == 1
    assert statistic == pytest.approx(3.6)
    assert chi_square_p(0.0, 0) == 1.0
