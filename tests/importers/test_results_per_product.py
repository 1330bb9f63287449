"""The results template and failed reviews / delays per product — Decree 335 Art. 14 b, c
[confirmed]: each failed review and each delay removes 25 % of *that product's* points
(review 2026-11-22, W3 and W8; cases C07, C25, C26)."""

import datetime

import pytest

from importers import pipeline
from tests.importers.conftest import fill_results, load, results_file, save, template_bytes

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2026, 3, 31)


def line(assigned=2, completed=2, failed=0, delays=0, breakdown=None, product="STP-001"):
    return ["CT0001", None, product, None, assigned, completed, MARCH_31, None, failed, delays,
            None, None, breakdown]  # fmt: skip


def stored():
    from scoring.models import AssignmentLine

    return list(
        AssignmentLine.objects.order_by("id").values_list(
            "failed_reviews", "failed_by_product", "delays", "delays_by_product"
        )
    )


def commit(path):
    analysis, job = pipeline.commit(path, None)
    return analysis, job


def test_c07_per_product_failed_reviews_are_stored_art14b(world, tmp_path):
    """C07, Art. 14 b [confirmed]: "5" on a line of 2 → product 1 failed 5 times."""
    path = results_file(world, tmp_path, [line(failed=5, breakdown="5; 0")])
    analysis, job = commit(path)
    assert job is not None, [i.line() for i in analysis.errors]
    assert stored() == [(5, [5], 0, [])]


def test_c25_failures_of_the_unfinished_product_art14b(world, tmp_path):
    """C25, Art. 14 b [confirmed]: completed 1 of 2; product 2 returned twice → "0; 2"."""
    path = results_file(world, tmp_path, [line(completed=1, failed=2, breakdown="0;2")])
    analysis, job = commit(path)
    assert job is not None, [i.line() for i in analysis.errors]
    assert stored() == [(2, [0, 2], 0, [])]


def test_c26_late_products_column_each_product_one_delay_art14c(world, tmp_path):
    """C26, Art. 14 c [confirmed]: "Số sản phẩm trễ hạn" 10 → 10 delays (one per product)."""
    path = results_file(world, tmp_path, [line(assigned=10, completed=10, delays=10)])
    analysis, job = commit(path)
    assert job is not None, [i.line() for i in analysis.errors]
    assert stored() == [(0, [], 10, [])]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (line(failed=4, breakdown="5; 0"), "phải bằng"),
        (line(failed=1, breakdown="0; 0; 1"), "chỉ có 2 sản phẩm"),
        (line(failed=1, breakdown="một"), "số nguyên không âm"),
    ],
)
def test_a_breakdown_that_does_not_fit_its_row_is_refused(world, tmp_path, row, fragment):
    path = results_file(world, tmp_path, [row])
    analysis, job = commit(path)
    assert job is None
    [issue] = analysis.errors
    assert (issue.row, issue.column) == (3, "M")
    assert fragment in issue.message


def test_more_late_products_than_completed_is_a_warning(world, tmp_path):
    path = results_file(world, tmp_path, [line(completed=1, delays=2)])
    analysis, job = commit(path)
    assert job is not None
    assert any(w.column == "J" and "trễ hạn" in w.message for w in analysis.warnings)


def test_an_older_template_without_the_new_column_and_with_the_old_header_is_read(world, tmp_path):
    """Files from the template before per-product events: "Số lần chậm tiến độ" header and
    no last column. Their counts stay line-level (spread over the completed products)."""
    workbook = fill_results(
        load(template_bytes("results", world["justice"], world["march"])),
        [line(failed=1, delays=1)[:12]],
    )
    sheet = workbook["Kết quả"]
    sheet.cell(2, 10).value = "Số lần chậm tiến độ"
    sheet.cell(2, 13).value = None
    analysis, job = commit(save(workbook, tmp_path / "cu.xlsx"))
    assert job is not None, [i.line() for i in analysis.errors]
    assert stored() == [(1, [], 1, [])]


def test_reimport_with_a_changed_breakdown_updates_the_line(world, tmp_path):
    first = results_file(world, tmp_path, [line(failed=2, breakdown="1; 1")], name="a.xlsx")
    assert commit(first)[1] is not None
    second = results_file(world, tmp_path, [line(failed=2, breakdown="0; 2")], name="b.xlsx")
    analysis, job = commit(second)
    assert job is not None
    assert analysis.counts.changed == 1
    assert stored() == [(2, [0, 2], 0, [])]
