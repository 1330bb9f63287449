"""Catalog submission: an agency's product/work catalog in one sheet.

The rows are checked with ``catalog_pages.validation.validate_catalog`` — the very function the
page editor form runs — so Excel and the admin refuse the same things with the same messages.
A valid file becomes a new DRAFT revision of the agency's catalog page (never published here):
the agency then submits it to Sở Nội vụ's appraisal workflow as usual, and page revisions keep
the history. Items keep their stable ``uid`` when their code is unchanged, so version diffs
match them. A catalog that is in the appraisal workflow or locked is refused.
"""

import uuid
from decimal import Decimal

import numpy as np

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.models import AgencyCatalogPage, CatalogItem
from catalog_pages.validation import ItemRow, validate_catalog
from importers.changes import CHANGED, REMOVED, Change, field_changes, shown
from importers.columns import ColumnSpec, ColumnType, SheetSpec
from importers.issues import WARNING, Issue, one_error_per_cell
from importers.kinds.base import Context, Counts, KindResult, TemplateKind, with_stored
from importers.kinds.common import catalog_importer, unknown_position_message
from importers.reading.frame import ROW, ParsedSheet, vi_decimal
from org.models import JobPosition

SHEET = "Danh mục"

COLUMNS = (
    ColumnSpec(
        "code",
        gettext_lazy("Mã sản phẩm/công việc"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        help=gettext_lazy("Duy nhất trong danh mục, ví dụ STP-001."),
    ),
    ColumnSpec(
        "name", gettext_lazy("Tên sản phẩm/công việc"), required=True, max_length=500, width=50
    ),
    ColumnSpec(
        "output_unit",
        gettext_lazy("Đơn vị tính"),
        required=True,
        max_length=64,
        width=14,
        help=gettext_lazy("Ví dụ: văn bản, báo cáo, hồ sơ."),
    ),
    ColumnSpec(
        "complexity_group",
        gettext_lazy("Nhóm mức độ phức tạp"),
        ColumnType.DECIMAL,
        width=12,
        dropdown="groups",
        help=gettext_lazy("Số nguyên từ 1 đến 5."),
    ),
    ColumnSpec(
        "coefficient",
        gettext_lazy("Hệ số quy đổi"),
        ColumnType.DECIMAL,
        places=4,
        max_value=99_999.9999,  # DecimalField(max_digits=9, decimal_places=4)
        width=12,
        help=gettext_lazy("Số lớn hơn 0, tối đa 4 chữ số thập phân; sản phẩm chuẩn có hệ số 1."),
    ),
    ColumnSpec(
        "standard_minutes",
        gettext_lazy("Thời gian chuẩn (phút)"),
        ColumnType.INTEGER,
        min_value=0,
        max_value=2_147_483_647,  # a PostgreSQL integer
        width=12,
    ),
    ColumnSpec("evidence_required", gettext_lazy("Minh chứng yêu cầu"), max_length=255, width=30),
    ColumnSpec(
        "is_standard",
        gettext_lazy("Sản phẩm chuẩn"),
        ColumnType.BOOL,
        default=False,
        width=10,
        dropdown="yes_no",
        help=gettext_lazy("Có/Không; đúng một sản phẩm chuẩn trong danh mục."),
    ),
    ColumnSpec(
        "job_positions",
        gettext_lazy("Mã vị trí việc làm"),
        ColumnType.CODE_LIST,
        width=24,
        help=gettext_lazy(
            "Các mã vị trí việc làm, cách nhau bởi dấu phẩy (trang Vị trí việc làm)."
        ),
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET, columns=COLUMNS, title=gettext_lazy("DANH MỤC SẢN PHẨM/CÔNG VIỆC")
)
COMPARED = (
    "name",
    "output_unit",
    "complexity_group",
    "coefficient",
    "standard_minutes",
    "evidence_required",
    "is_standard",
)


def catalog_page(agency):
    return AgencyCatalogPage.objects.filter(agency=agency).first()


def _decimal(value, places):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(str(round(float(value), places)))


class CatalogKind(TemplateKind):
    code = "catalog"
    label = gettext_lazy("Danh mục sản phẩm/công việc")
    sheets = (SHEET_SPEC,)

    def can_import(self, user, agency) -> bool:
        return catalog_importer(user, agency)

    def importable_among(self, user, agencies: list) -> set[int]:
        # Whether the user may edit each agency's catalog page reads the page and its workflow
        # state: both read here for every agency at once. ``specific()`` matters: without it
        # Wagtail prefetches the states by the base page type and finds none for a subclass's
        # queryset, so a page in appraisal would look idle to its reviewers.
        pages = AgencyCatalogPage.objects.specific().prefetch_workflow_states()
        prefetch_related_objects(agencies, Prefetch("catalog_page", queryset=pages))
        return super().importable_among(user, agencies)

    def context_issues(self, context: Context) -> list[Issue]:
        page = catalog_page(context.agency)
        if page is None:
            return [
                Issue(
                    _("%(agency)s chưa có trang danh mục sản phẩm/công việc; liên hệ Sở Nội vụ.")
                    % {"agency": context.agency.name}
                )
            ]
        context.extra["page"] = page
        if page.workflow_in_progress:
            return [
                Issue(
                    _(
                        "Danh mục của %(agency)s đang chờ Sở Nội vụ thẩm định; chỉ nhập tệp mới "
                        "sau khi có kết quả thẩm định (hoặc rút lại yêu cầu)."
                    )
                    % {"agency": context.agency.name}
                )
            ]
        user = context.user
        if page.locked and (user is None or page.locked_by_id != user.pk):
            return [
                Issue(
                    _("Danh mục của %(agency)s đang bị khoá để chỉnh sửa bởi người khác.")
                    % {"agency": context.agency.name}
                )
            ]
        return []

    def template_issues(self, context: Context) -> list[Issue]:
        if catalog_page(context.agency) is None:
            return [
                Issue(
                    _("%(agency)s chưa có trang danh mục sản phẩm/công việc; liên hệ Sở Nội vụ.")
                    % {"agency": context.agency.name}
                )
            ]
        return []

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        parsed = sheets[SHEET]
        frame = parsed.frame
        issues = list(parsed.issues)
        rows = frame[ROW].tolist()

        positions = {position.code: position for position in JobPosition.objects.all()}
        items = []
        for record in frame.itertuples(index=False):
            unknown = [code for code in record.job_positions if code not in positions]
            if unknown:
                issues.append(
                    parsed.issue(
                        getattr(record, ROW),
                        "job_positions",
                        " ".join(unknown_position_message(code, positions) for code in unknown),
                    )
                )
            items.append(
                ItemRow(
                    code=record.code,
                    name=record.name,
                    coefficient=None if np.isnan(record.coefficient) else record.coefficient,
                    complexity_group=None
                    if np.isnan(record.complexity_group)
                    else record.complexity_group,
                    is_standard=bool(record.is_standard),
                    job_positions=list(record.job_positions),
                )
            )
        for problem in validate_catalog(items, row_numbers=list(rows)):
            key = problem.field if problem.field in {c.key for c in COLUMNS} else None
            row = rows[problem.row] if problem.row is not None else None
            issues.append(parsed.issue(row, key, problem.message))
        issues = one_error_per_cell(issues)
        counts = Counts(total=len(frame))
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)

        page = context.extra.get("page") or catalog_page(context.agency)
        current = {item.code: item for item in page.get_latest_revision_as_object().items.all()}
        issues += _implausible_coefficients(parsed, frame, current)
        changes = []
        for record in frame.itertuples(index=False):
            before = current.get(record.code)
            if before is None:
                counts.new += 1
            elif _item_values(before) == _row_values(record):
                counts.unchanged += 1
            else:
                counts.changed += 1
                fields = field_changes(
                    (label, _listed(old), _listed(new))
                    for label, old, new in zip(
                        COMPARED_LABELS, _item_values(before), _row_values(record), strict=True
                    )
                )
                subject = f"{record.code} {before.name}"
                changes.append(Change(CHANGED, subject, fields, SHEET, getattr(record, ROW)))
        removed = [code for code in current if code not in set(frame["code"])]
        counts.removed = len(removed)
        for code in removed:
            item = current[code]
            subject = _("%(code)s %(name)s (hệ số %(coefficient)s)") % {
                "code": code,
                "name": item.name,
                "coefficient": shown(item.coefficient),
            }
            changes.append(Change(REMOVED, subject, sheet=SHEET))
        # Same items, same values, same order as the latest revision: nothing to save.
        unchanged = list(current) == list(frame["code"]) and counts.unchanged == len(frame)
        payload = {"frame": frame, "positions": positions, "unchanged": unchanged}
        result = KindResult(issues=issues, counts=counts, payload=payload, changes=changes)
        # The latest revision's items the file was compared with (another clerk's draft saved
        # since the preview sends the confirmation back to the preview).
        compared = {
            code: {
                str(label): shown(_listed(value))
                for label, value in zip(COMPARED_LABELS, _item_values(item), strict=True)
            }
            for code, item in current.items()
        }
        return with_stored(result, compared)

    def write(self, context: Context, result: KindResult) -> Counts:
        if result.payload["unchanged"]:
            return result.counts  # re-importing the same catalog adds no draft revision
        page = AgencyCatalogPage.objects.get(pk=context.extra["page"].pk)
        draft = page.get_latest_revision_as_object()
        uids = {item.code: item.uid for item in draft.items.all()}
        positions = result.payload["positions"]
        new_items = []
        for order, record in enumerate(result.payload["frame"].itertuples(index=False)):
            item = CatalogItem(
                uid=uids.get(record.code, uuid.uuid4()),
                code=record.code,
                name=record.name,
                output_unit=record.output_unit,
                complexity_group=int(record.complexity_group),
                coefficient=_decimal(record.coefficient, 4),
                standard_minutes=None
                if np.isnan(record.standard_minutes)
                else int(record.standard_minutes),
                evidence_required=record.evidence_required,
                is_standard=bool(record.is_standard),
                sort_order=order,
            )
            item.job_positions = [positions[code] for code in record.job_positions]
            new_items.append(item)
        draft.items = new_items
        draft.save_revision(user=context.user, log_action=True)
        return result.counts

    def build_template(self, context: Context):
        from importers.builders.catalog import build

        return build(self, context)


COMPARED_LABELS = (
    gettext_lazy("Tên sản phẩm/công việc"),
    gettext_lazy("Đơn vị tính"),
    gettext_lazy("Nhóm mức độ phức tạp"),
    gettext_lazy("Hệ số quy đổi"),
    gettext_lazy("Thời gian chuẩn (phút)"),
    gettext_lazy("Minh chứng yêu cầu"),
    gettext_lazy("Sản phẩm chuẩn"),
    gettext_lazy("Mã vị trí việc làm"),
)


def _listed(value):
    return ", ".join(value) if isinstance(value, tuple) else value


#: A coefficient this many times above (or below) the catalog's median, or its own previous
#: value, is flagged: ``1,125`` read as 1125 multiplies every score on the product by 1000.
PLAUSIBLE_RATIO = 100


def _implausible_coefficients(parsed, frame, current) -> list[Issue]:
    coefficients = frame["coefficient"].to_numpy(dtype=float)
    known = coefficients[~np.isnan(coefficients) & (coefficients > 0)]
    if not len(known):
        return []
    median = float(np.median(known))
    issues = []
    for code, value, row in zip(frame["code"], coefficients, frame[ROW], strict=True):
        if np.isnan(value) or value <= 0:
            continue
        before = current.get(code)
        previous = float(before.coefficient) if before is not None else None
        against_median = value >= median * PLAUSIBLE_RATIO or value * PLAUSIBLE_RATIO <= median
        against_previous = previous is not None and (
            value >= previous * PLAUSIBLE_RATIO or value * PLAUSIBLE_RATIO <= previous
        )
        if not (against_median or against_previous):
            continue
        if previous is not None:
            message = _(
                "Hệ số quy đổi %(value)s khác thường: trung vị các hệ số của danh mục là "
                "%(median)s, hệ số cũ của sản phẩm này là %(previous)s. Hãy kiểm tra lại (ví dụ "
                "“1,125” bị ghi thành 1125)."
            )
        else:
            message = _(
                "Hệ số quy đổi %(value)s khác thường: trung vị các hệ số của danh mục là "
                "%(median)s. Hãy kiểm tra lại (ví dụ “1,125” bị ghi thành 1125)."
            )
        issues.append(
            parsed.issue(
                row,
                "coefficient",
                message
                % {
                    "value": vi_decimal(value),
                    "median": vi_decimal(median),
                    "previous": vi_decimal(previous) if previous is not None else "",
                },
                severity=WARNING,
            )
        )
    return issues


def _item_values(item) -> tuple:
    return (
        item.name,
        item.output_unit,
        int(item.complexity_group),
        Decimal(item.coefficient).quantize(Decimal("0.0001")),
        item.standard_minutes,
        item.evidence_required,
        bool(item.is_standard),
        tuple(sorted(p.code for p in item.job_positions.all())),
    )


def _row_values(record) -> tuple:
    coefficient = _decimal(record.coefficient, 4)
    return (
        record.name,
        record.output_unit,
        int(record.complexity_group),
        coefficient.quantize(Decimal("0.0001")) if coefficient is not None else None,
        None if np.isnan(record.standard_minutes) else int(record.standard_minutes),
        record.evidence_required,
        bool(record.is_standard),
        tuple(sorted(record.job_positions)),
    )
