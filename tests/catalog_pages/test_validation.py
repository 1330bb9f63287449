"""Catalog rules with their Vietnamese messages (shared by the admin form and the importer)."""

from catalog_pages.validation import ItemRow, validate_catalog


def row(code="A", coefficient="1", group=1, standard=False, positions=("P",), name="Sản phẩm"):
    return ItemRow(code, name, coefficient, group, standard, list(positions))


def messages(issues):
    return [(i.row, i.field, i.message) for i in issues]


def test_a_valid_catalog_has_no_issues():
    assert validate_catalog([row("A", standard=True), row("B", "2.5", 2)]) == []


def test_duplicate_codes_name_the_first_row():
    issues = validate_catalog([row("A", standard=True), row("B"), row(" a ")])
    assert messages(issues) == [(2, "code", "Mã “A” bị trùng với dòng 1.")]


def test_non_positive_and_non_numeric_coefficients():
    issues = validate_catalog(
        [row("A", standard=True), row("B", "0"), row("C", "-1"), row("D", "x")]
    )
    assert [(i.row, i.message) for i in issues] == [
        (1, "Hệ số quy đổi phải lớn hơn 0."),
        (2, "Hệ số quy đổi phải lớn hơn 0."),
        (3, "Hệ số quy đổi phải là một số."),
    ]


def test_missing_and_duplicate_standard_product():
    missing = validate_catalog([row("A"), row("B")])
    assert messages(missing) == [
        (
            None,
            "is_standard",
            "Danh mục chưa có sản phẩm chuẩn: hãy đánh dấu đúng một sản phẩm chuẩn.",
        )
    ]
    double = validate_catalog([row("A", standard=True), row("B", standard=True)])
    assert "dòng 1, 2" in double[0].message


def test_standard_product_must_have_coefficient_one():
    issues = validate_catalog([row("A", "2", standard=True)])
    assert messages(issues) == [(0, "coefficient", "Sản phẩm chuẩn phải có hệ số quy đổi bằng 1.")]


def test_complexity_group_range():
    issues = validate_catalog([row("A", standard=True), row("B", group=6), row("C", group="2.5")])
    assert [(i.row, i.field) for i in issues] == [(1, "complexity_group"), (2, "complexity_group")]


def test_more_groups_than_allowed_for_one_job_position(settings):
    rows = [row("A", standard=True, group=1)] + [
        row(f"X{g}", group=g, positions=("CV-PC",)) for g in (1, 2, 3, 4)
    ]
    assert validate_catalog(rows) == []
    settings.KPI_CATALOG_MAX_GROUPS_PER_POSITION = 3
    issues = validate_catalog(rows)
    assert messages(issues) == [
        (
            None,
            "complexity_group",
            "Vị trí việc làm “CV-PC” có 4 nhóm mức độ phức tạp; tối đa 3 nhóm.",
        )
    ]
