"""Server-rendered SVG charts."""

from dashboards import charts


def test_stacked_bar_draws_hidden_counts_as_one_grey_part():
    svg = str(charts.stacked_bar([("excellent", 2), ("good", None), ("completed", 5)], 10))
    assert 'aria-hidden="true"' in svg
    assert 'class="band-excellent"' in svg and 'class="band-completed"' in svg
    assert 'width="30.00" height="10" class="band-hidden"' in svg
    assert "band-good" not in svg
    assert charts.stacked_bar([], 0) == ""


def test_line_chart_has_a_text_alternative_and_gaps_for_hidden_values():
    svg = str(
        charts.line_chart(
            ["T1", "T2", "T3"],
            [charts.Series("A", [80, None, 85]), charts.Series("B", [70, 75, 78])],
            "Điểm <trung bình>",
        )
    )
    assert 'role="img"' in svg and 'aria-label="Điểm &lt;trung bình&gt;"' in svg
    assert svg.count('class="line series-0"') == 2  # broken at the hidden value
    assert svg.count('class="line series-1"') == 1


def test_value_bar_scales_and_marks_the_reference():
    svg = str(charts.value_bar(45, 90, reference=60))
    assert 'width="50.00"' in svg and 'x1="66.67"' in svg


def test_stacked_columns_one_per_period():
    svg = str(
        charts.stacked_columns(
            ["T1", "T2"], [([("good", 8), ("completed", None)], 10), ((), 0)], "Cơ cấu"
        )
    )
    assert svg.count('class="band-good"') == 1 and svg.count('class="band-hidden"') == 1
