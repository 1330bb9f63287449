"""Period results: assignment lines (giao việc) per civil servant — the large, fast path.

One sheet, one row per line. Rows are validated as whole columns with pandas (lookups by
``Series.map``, duplicates by ``duplicated``), compared with the lines already stored for the same
submission (agency + period, source Excel) by one merge on ``external_id``, then written with
:mod:`importers.lines.store` (the writer the integration API shares: COPY/executemany, one
``UPDATE … FROM``, chunked deletes).

A submission is the set of lines with source ``excel`` in the period whose unit lies in the
agency's subtree. Re-uploading replaces it: new rows are inserted, changed rows updated in
place (their evidence and deductions stay attached), rows no longer in the file deleted — unless
evidence or deductions hang on them, which refuses the file. Lines entered by hand or through
the API are never touched.

Line identity (``external_id``): ``xl:<agency id>:<period id>:#<line code>`` when the optional
"Mã dòng" column is filled, else
``xl:<agency id>:<period id>:<person id>:<product code>:<deadline>``.
Two rows with the same identity are duplicates (error on the later one).
"""

import datetime
import hashlib
import json
import math
import re

import numpy as np
import pandas as pd

from django.core.exceptions import EmptyResultSet
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.models import CatalogVersion, CatalogVersionItem
from importers import bulk, conf
from importers.changes import CHANGED, REMOVED, Change, field_changes, shown
from importers.columns import PERCENT_REFUSED, ColumnSpec, ColumnType, SheetSpec
from importers.issues import ERROR, WARNING, Issue
from importers.kinds.base import Context, Counts, KindResult, TemplateKind
from importers.kinds.common import agency_importer
from importers.kinds.people import members_of
from importers.lines import store
from importers.reading import cells
from importers.reading.frame import ROW, ParsedSheet, vi_decimal
from org.models import CivilServant
from org.text import fold_for_search
from scoring.models import AssignmentLine, Deduction, Evidence, LineSource
from scoring.models.guards import closed_period_error, ensure_period_open
from scoring.services import lines as line_service

SHEET = "Kết quả"

#: Largest values the stored columns hold (``DecimalField(max_digits=12, decimal_places=2)`` and
#: a PostgreSQL ``integer``): a larger number would overflow on PostgreSQL and, on SQLite, be
#: stored and then break every read of the line.
MAX_QUANTITY = 9_999_999_999.99
MAX_COUNT = 2_147_483_647

COLUMNS = (
    ColumnSpec(
        "official_id",
        gettext_lazy("Mã số công chức"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="people",
        help=gettext_lazy("Chọn trong danh sách công chức của cơ quan (trang Công chức)."),
    ),
    ColumnSpec(
        "full_name",
        gettext_lazy("Họ và tên"),
        informational=True,
        width=26,
        help=gettext_lazy("Chỉ để đối chiếu, không được nhập vào hệ thống."),
    ),
    ColumnSpec(
        "product_code",
        gettext_lazy("Mã sản phẩm/công việc"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="products",
        help=gettext_lazy("Chọn trong danh mục đã phê duyệt áp dụng cho kỳ (trang Danh mục)."),
    ),
    ColumnSpec(
        "product_name",
        gettext_lazy("Tên sản phẩm/công việc"),
        informational=True,
        width=40,
        help=gettext_lazy("Chỉ để đối chiếu, không được nhập vào hệ thống."),
    ),
    ColumnSpec(
        "assigned",
        gettext_lazy("Số lượng được giao"),
        ColumnType.DECIMAL,
        percent=PERCENT_REFUSED,
        required=True,
        min_value=0,
        max_value=MAX_QUANTITY,
        width=12,
        help=gettext_lazy("Số không âm, tối đa 2 chữ số thập phân."),
    ),
    ColumnSpec(
        "completed",
        gettext_lazy("Số lượng hoàn thành"),
        ColumnType.DECIMAL,
        percent=PERCENT_REFUSED,
        default=0,
        min_value=0,
        max_value=MAX_QUANTITY,
        width=12,
        help=gettext_lazy("Số không âm; để trống là 0. Lớn hơn số được giao sẽ được cảnh báo."),
    ),
    ColumnSpec(
        "deadline",
        gettext_lazy("Hạn hoàn thành"),
        ColumnType.DATE,
        width=13,
        help=gettext_lazy("Ngày, dạng dd/mm/yyyy."),
    ),
    ColumnSpec(
        "completed_on",
        gettext_lazy("Ngày hoàn thành"),
        ColumnType.DATE,
        width=13,
        help=gettext_lazy("Ngày, dạng dd/mm/yyyy; chỉ nhập khi đã có số lượng hoàn thành."),
    ),
    ColumnSpec(
        "failed_reviews",
        gettext_lazy("Số lần đánh giá chưa đạt"),
        ColumnType.INTEGER,
        percent=PERCENT_REFUSED,
        default=0,
        min_value=0,
        max_value=MAX_COUNT,
        width=12,
        help=gettext_lazy(
            "Tổng của cả dòng: mỗi sản phẩm bị trả lại một lần là một lần (trừ 25% điểm chất "
            "lượng của sản phẩm đó)."
        ),
    ),
    ColumnSpec(
        "delays",
        gettext_lazy("Số sản phẩm trễ hạn"),
        ColumnType.INTEGER,
        percent=PERCENT_REFUSED,
        default=0,
        min_value=0,
        max_value=MAX_COUNT,
        width=12,
        help=gettext_lazy(
            "Số sản phẩm hoàn thành sau hạn; mỗi sản phẩm là một lần chậm tiến độ (trừ 25% điểm "
            "tiến độ của sản phẩm đó)."
        ),
        former_headers=(gettext_lazy("Số lần chậm tiến độ"),),
    ),
    ColumnSpec(
        "line_code",
        gettext_lazy("Mã dòng (nếu có)"),
        ColumnType.CODE,
        max_length=40,
        width=14,
        help=gettext_lazy(
            "Tuỳ chọn: mã của dòng ở phần mềm nguồn, để phân biệt hai dòng cùng công "
            "chức, sản phẩm và hạn."
        ),
    ),
    ColumnSpec("note", gettext_lazy("Ghi chú"), max_length=2000, width=30),
    ColumnSpec(
        "failed_by_product",
        gettext_lazy("Số lần chưa đạt của từng sản phẩm"),
        max_length=2000,
        width=22,
        help=gettext_lazy(
            "Tuỳ chọn, khi một dòng có nhiều sản phẩm: số lần đánh giá chưa đạt của sản phẩm 1, "
            "2, … cách nhau bởi dấu chấm phẩy, các sản phẩm đã hoàn thành ghi trước (ví dụ "
            "“0; 2”: sản phẩm 2 bị trả lại hai lần). Tổng phải bằng “Số lần đánh giá chưa đạt”. "
            "Để trống: các lần chưa đạt được tính lần lượt cho từng sản phẩm đã hoàn thành."
        ),
        added_later=True,
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET,
    columns=COLUMNS,
    title=gettext_lazy("KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRONG KỲ"),
    filler_keys=("official_id", "full_name"),
)

#: Stored fields compared to decide "changed" (the writer's, :mod:`importers.lines.store`).
VALUE_FIELDS = store.VALUE_FIELDS
#: Value fields stored as JSON (read as text when compared, parsed once per distinct value).
JSON_FIELDS = ("failed_by_product",)


def version_for(agency, period):
    """The approved catalog version in force on the period's last day."""
    return CatalogVersion.objects.in_force(agency, period.end_date)


def _cents(values) -> np.ndarray:
    return np.round(np.asarray(values, dtype=np.float64) * 100).astype(np.int64)


class ResultsKind(TemplateKind):
    #: Messages may speak of "the file" (the integration API reuses these rules without one).
    reads_files = True

    code = "results"
    changes_scores = True
    label = gettext_lazy("Kết quả thực hiện nhiệm vụ trong kỳ")
    needs_period = True
    sheets = (SHEET_SPEC,)

    def can_import(self, user, agency) -> bool:
        return agency_importer(user, agency)

    # --- context ------------------------------------------------------------------------------

    def context_issues(self, context: Context) -> list[Issue]:
        issues = []
        period = context.period
        if period is not None and not period.accepts_inputs:
            issues.append(Issue(closed_period_error(period).messages[0]))
        version = version_for(context.agency, period) if period else None
        if period is not None and version is None:
            issues.append(
                Issue(
                    _(
                        "%(agency)s chưa có danh mục sản phẩm/công việc được phê duyệt áp dụng "
                        "cho kỳ %(period)s."
                    )
                    % {"agency": context.agency.name, "period": period.label}
                )
            )
        context.extra["version"] = version
        return issues

    def template_issues(self, context: Context) -> list[Issue]:
        if version_for(context.agency, context.period) is None:
            return [
                Issue(
                    _(
                        "%(agency)s chưa có danh mục sản phẩm/công việc được phê duyệt áp "
                        "dụng cho kỳ %(period)s."
                    )
                    % {"agency": context.agency.name, "period": context.period.label}
                )
            ]
        return []

    # --- validation ---------------------------------------------------------------------------

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        parsed = sheets[SHEET]
        frame = parsed.frame
        issues = list(parsed.issues)
        agency, period = context.agency, context.period
        version = context.extra.get("version") or version_for(agency, period)

        members = members_of(agency, period.start_date, period.end_date)
        items = dict(CatalogVersionItem.objects.filter(version=version).values_list("code", "id"))

        person_ids = frame["official_id"].map({k: m.person_id for k, m in members.items()})
        unit_ids = frame["official_id"].map({k: m.unit_id for k, m in members.items()})
        item_ids = frame["product_code"].map(items)
        frame = frame.assign(person_id=person_ids, unit_id=unit_ids, item_id=item_ids)

        issues += self._person_issues(parsed, frame, agency, period)
        issues += self._category_issues(parsed, frame, members)
        issues += self._name_issues(parsed, frame, members)
        issues += self._product_issues(parsed, frame, agency, period, version)
        issues += self._quantity_issues(parsed, frame)
        frame["failed_list"], breakdown_issues = self._breakdowns(parsed, frame)
        issues += breakdown_issues
        issues += self._date_issues(parsed, frame, period)

        frame["external_id"] = self._external_ids(frame, agency, period)
        issues += self._duplicate_issues(parsed, frame)

        counts = Counts(total=len(frame))
        error_rows = {i.row for i in issues if i.is_error and i.row is not None}
        counts.error_rows = len(error_rows)
        payload, changes = None, []
        if not any(i.is_error for i in issues):
            payload, diff_issues = self._diff(context, frame, counts)
            issues += diff_issues
            issues += self._own_line_issues(parsed, payload, context.user)
            changes = self._changes(payload, members, items)
        return KindResult(
            issues=issues,
            counts=counts,
            payload=payload,
            changes=changes,
            fingerprint=payload["fingerprint"] if payload is not None else "",
        )

    def _own_line_issues(self, parsed, payload, user) -> list[Issue]:
        """Nobody changes the inputs of their own score (the lines' write service,
        ``scoring.services.lines``): a clerk's file may keep their own lines as stored, never
        add, change or remove one — each such row named. The server's command line (no user)
        is the operator's."""
        me = line_service.own_person_id(user) if user is not None else None
        if me is None:
            return []
        message = line_service.own_line_message()
        new, changed = payload["new"], payload["changed"]
        rows = sorted(
            {int(r) for r in new.loc[new["person_id"] == me, ROW]}
            | {
                int(r)
                for r in changed.loc[
                    (changed["person_id"] == me) | (changed["civil_servant_id"] == me), ROW
                ]
            }
        )
        issues = [parsed.issue(row, "official_id", message) for row in rows]
        removed = payload["removed_ids"]
        if removed and any(
            AssignmentLine.objects.filter(pk__in=removed[i : i + 900], civil_servant_id=me).exists()
            for i in range(0, len(removed), 900)
        ):
            issues.append(Issue(message, sheet=SHEET))
        return issues

    def _person_issues(self, parsed, frame, agency, period) -> list[Issue]:
        unknown = frame.loc[
            frame["person_id"].isna() & (frame["official_id"] != ""), ["official_id", ROW]
        ]
        if unknown.empty:
            return []
        existing = set(
            CivilServant.objects.filter(official_id__in=set(unknown["official_id"])).values_list(
                "official_id", flat=True
            )
        )
        issues = []
        for code, row in unknown.itertuples(index=False):
            if code in existing:
                message = _(
                    "Công chức mã số %(code)s không công tác tại %(agency)s trong kỳ %(period)s."
                ) % {"code": code, "agency": agency.name, "period": period.label}
            else:
                message = _("Không tìm thấy công chức có mã số %(code)s.") % {
                    "code": code
                } + cells.odd_characters(code)
            issues.append(parsed.issue(row, "official_id", message))
        return issues

    def _category_issues(self, parsed, frame, members) -> list[Issue]:
        """A person this software does not evaluate (a contract worker of an agency that has
        not switched them on, docs/scope.md §2) is refused, with the reason, on each row."""
        from types import SimpleNamespace

        from scoring.services.scope import CategoryScope

        scope, reasons = CategoryScope(), {}
        for official, member in members.items():
            posting = SimpleNamespace(category=member.category, agency_id=member.unit_id)
            if member.category != "civil_servant" and not scope.evaluated(posting):
                reasons[official] = scope.refusal(posting)
        if not reasons:
            return []
        refused = frame.loc[frame["official_id"].isin(list(reasons)), ["official_id", ROW]]
        return [
            parsed.issue(row, "official_id", f"{code}: {reasons[code]}")
            for code, row in refused.itertuples(index=False)
        ]

    def _name_issues(self, parsed, frame, members) -> list[Issue]:
        """A row whose name is not the name of its official ID's holder is refused: which of
        the two the clerk meant cannot be guessed (review 2026-11-22, importers #6). Accents,
        case and spacing are ignored (a name typed without accents still matches)."""
        if "full_name" not in frame:
            return []
        stored = frame["official_id"].map({code: m.full_name for code, m in members.items()})
        typed = _map_distinct(frame["full_name"], lambda v: "" if _missing(v) else str(v).strip())
        # Only rows whose name differs as typed are compared letter by letter (a template keeps
        # the stored names, so this is usually none).
        suspects = stored.notna() & (typed != "") & (typed != stored)
        issues = []
        for index in np.flatnonzero(suspects.to_numpy()):
            name, holder = typed.iloc[index], stored.iloc[index]
            if _name_key(name) == _name_key(holder):
                continue
            code = frame["official_id"].iloc[index]
            issues.append(
                parsed.issue(
                    frame[ROW].iloc[index],
                    "full_name",
                    _(
                        "Họ và tên “%(typed)s” không khớp với công chức mã số %(code)s "
                        "(%(name)s). Kiểm tra lại mã số hoặc họ và tên của dòng này."
                    )
                    % {"typed": name, "code": code, "name": holder},
                )
            )
        return issues

    def _date_issues(self, parsed, frame, period) -> list[Issue]:
        """Dates against the period (review 2026-11-22, importers #7; docs/importers.md):

        * a completion date outside the period is refused: the product belongs to another
          period, or the file is another period's template with this period's name;
        * a deadline more than a year from the period is refused (a mistyped year);
        * a deadline outside the period is a warning (work carried over or due later)."""
        issues = []
        start, end = period.start_date, period.end_date
        far_start = start - datetime.timedelta(days=366)
        far_end = end + datetime.timedelta(days=366)
        values = {"period": period.label, "start": shown(start), "end": shown(end)}
        rows = frame[ROW].to_numpy()
        completed_on = _day_numbers(frame["completed_on"])
        deadline = _day_numbers(frame["deadline"])
        first, last = start.toordinal(), end.toordinal()
        outside = (completed_on > 0) & ((completed_on < first) | (completed_on > last))
        for index in np.flatnonzero(outside):
            day = shown(datetime.date.fromordinal(int(completed_on[index])))
            message = (
                _(
                    "Ngày hoàn thành %(day)s nằm ngoài kỳ %(period)s (%(start)s – %(end)s): "
                    "kết quả này thuộc kỳ khác, hoặc tệp là mẫu của kỳ khác."
                )
                if self.reads_files
                else _(
                    "Ngày hoàn thành %(day)s nằm ngoài kỳ %(period)s (%(start)s – %(end)s): "
                    "kết quả này thuộc kỳ khác."
                )
            )
            issues.append(
                parsed.issue(rows[index], "completed_on", message % {**values, "day": day})
            )
        late_or_early = (deadline > 0) & ((deadline < first) | (deadline > last))
        far = (deadline < far_start.toordinal()) | (deadline > far_end.toordinal())
        for index in np.flatnonzero(late_or_early):
            day = shown(datetime.date.fromordinal(int(deadline[index])))
            message = (
                _(
                    "Hạn hoàn thành %(day)s cách kỳ %(period)s (%(start)s – %(end)s) "
                    "hơn một năm: kiểm tra lại năm."
                )
                if far[index]
                else _(
                    "Hạn hoàn thành %(day)s nằm ngoài kỳ %(period)s (%(start)s – "
                    "%(end)s): việc chuyển từ kỳ trước hoặc hạn ở kỳ sau?"
                )
            )
            issues.append(
                parsed.issue(
                    rows[index],
                    "deadline",
                    message % {**values, "day": day},
                    severity=ERROR if far[index] else WARNING,
                )
            )
        return issues

    def _product_issues(self, parsed, frame, agency, period, version) -> list[Issue]:
        unknown = frame.loc[
            frame["item_id"].isna() & (frame["product_code"] != ""), ["product_code", ROW]
        ]
        if unknown.empty or version is None:
            return []
        elsewhere = {}
        for code, number, start in (
            CatalogVersionItem.objects.filter(
                version__agency=agency, code__in=set(unknown["product_code"])
            )
            .order_by("version__number")
            .values_list("code", "version__number", "version__effective_from")
        ):
            elsewhere[code] = (number, start)
        issues = []
        for code, row in unknown.itertuples(index=False):
            if code in elsewhere:
                message = _(
                    "Sản phẩm mã %(code)s không thuộc danh mục phiên bản %(version)d (áp dụng từ "
                    "%(start)s) dùng cho kỳ %(period)s; nó chỉ có ở phiên bản %(other)d."
                ) % {
                    "code": code,
                    "version": version.number,
                    "start": shown(version.effective_from),
                    "period": period.label,
                    "other": elsewhere[code][0],
                }
            else:
                message = _(
                    "Không có sản phẩm/công việc mã %(code)s trong danh mục của %(agency)s."
                ) % {"code": code, "agency": agency.name} + cells.odd_characters(code)
            issues.append(parsed.issue(row, "product_code", message))
        return issues

    def _quantity_issues(self, parsed, frame) -> list[Issue]:
        issues = []
        assigned, completed = frame["assigned"].to_numpy(), frame["completed"].to_numpy()
        rows = frame[ROW].to_numpy()
        with np.errstate(invalid="ignore"):
            over = (completed > assigned) & (assigned >= 0)
        severity = conf.completed_over_assigned_severity()
        for index in np.flatnonzero(over):
            issues.append(
                parsed.issue(
                    rows[index],
                    "completed",
                    _(
                        "Số lượng hoàn thành (%(completed)s) lớn hơn số lượng được giao "
                        "(%(assigned)s)."
                    )
                    % {
                        "completed": vi_decimal(completed[index]),
                        "assigned": vi_decimal(assigned[index]),
                    },
                    severity=severity,
                )
            )
        done_on = frame["completed_on"].notna().to_numpy()
        nothing_done = np.nan_to_num(completed, nan=0.0) == 0
        # A completed quantity that could not be read (a formula without its value) already has
        # its error: it is not "no completed quantity".
        unreadable = {
            issue.row
            for issue in parsed.issues
            if issue.is_error and issue.column == parsed.spec.letter("completed")
        }
        message = _("Chưa có số lượng hoàn thành thì không nhập ngày hoàn thành.")
        for index in np.flatnonzero(done_on & nothing_done):
            if int(rows[index]) not in unreadable:
                issues.append(parsed.issue(rows[index], "completed_on", message))
        return issues

    def _breakdowns(self, parsed, frame) -> tuple[list, list[Issue]]:
        """The per-product failed reviews (Decree 335 Art. 14 b [confirmed]: 25 % of *that
        product's* points): a tuple per row, ``()`` when the cell is empty (the line's failed
        reviews are then spread over its completed products, one per product first)."""
        issues = []
        rows = frame[ROW].to_numpy()
        header = str(COLUMNS[-1].header)
        # Most rows leave the cell empty: only the filled ones are parsed (vectorised test).
        texts = frame["failed_by_product"]
        filled = _map_distinct(
            texts, lambda v: not (_missing(v) or v is pd.NA) and str(v).strip() != ""
        )
        filled = filled.to_numpy(dtype=bool)
        values: list = [()] * len(frame)
        totals, assigned = frame["failed_reviews"].tolist(), frame["assigned"].tolist()
        completed = frame["completed"].tolist()
        for index in np.flatnonzero(filled):
            counts, message = _parse_breakdown(
                texts.iloc[index], totals[index], assigned[index], completed[index], header
            )
            values[index] = counts
            if message:
                issues.append(parsed.issue(rows[index], "failed_by_product", message))
        # Late products beyond the completed ones: a late product is a completed one.
        late, done = frame["delays"].to_numpy(), frame["completed"].to_numpy()
        with np.errstate(invalid="ignore"):
            beyond = late > np.ceil(np.nan_to_num(done, nan=0.0))
        for index in np.flatnonzero(beyond):
            issues.append(
                parsed.issue(
                    rows[index],
                    "delays",
                    _(
                        "Số sản phẩm trễ hạn (%(late)s) lớn hơn số lượng hoàn thành (%(done)s): "
                        "sản phẩm trễ hạn là sản phẩm đã hoàn thành sau hạn."
                    )
                    % {"late": int(late[index]), "done": vi_decimal(done[index])},
                    severity=WARNING,
                )
            )
        return values, issues

    def _external_ids(self, frame, agency, period) -> pd.Series:
        prefix = f"xl:{agency.pk}:{period.pk}:"
        deadline = _map_distinct(frame["deadline"], lambda d: d.isoformat() if d else "")
        person = _map_distinct(frame["person_id"], lambda v: "" if pd.isna(v) else str(int(v)))
        # One pass of f-strings (four whole-column concatenations cost four passes).
        ids = np.empty(len(frame), dtype=object)
        ids[:] = [
            f"{prefix}#{line}" if line != "" else f"{prefix}{who}:{product}:{day}"
            for line, who, product, day in zip(
                frame["line_code"].tolist(),
                person.tolist(),
                frame["product_code"].tolist(),
                deadline.tolist(),
                strict=True,
            )
        ]
        return pd.Series(ids, index=frame.index, dtype=object)

    def _duplicate_issues(self, parsed, frame) -> list[Issue]:
        # Rows of people not found already have their error; without a person their identity
        # is empty, so two such rows are not duplicates of each other.
        known = frame["person_id"].notna() | (frame["line_code"] != "")
        duplicated = frame["external_id"].duplicated(keep="first") & known
        if not duplicated.any():
            return []
        first_row = frame[known].groupby("external_id", sort=False)[ROW].first()
        issues = []
        for external_id, row, line_code in frame.loc[
            duplicated, ["external_id", ROW, "line_code"]
        ].itertuples(index=False):
            if line_code:
                message = _("Mã dòng %(code)s trùng với dòng %(row)d.") % {
                    "code": line_code,
                    "row": first_row[external_id],
                }
                key = "line_code"
            else:
                message = _(
                    "Dòng trùng với dòng %(row)d (cùng công chức, sản phẩm và hạn hoàn thành). "
                    "Hãy gộp số lượng vào một dòng, hoặc ghi “Mã dòng” để phân biệt."
                ) % {"row": first_row[external_id]}
                key = "product_code"
            issues.append(parsed.issue(row, key, message))
        return issues

    # --- comparison with what is stored -----------------------------------------------------

    def scope(self, context: Context):
        return AssignmentLine.objects.filter(
            period=context.period,
            source=LineSource.EXCEL,
            unit__path__startswith=context.agency.path,
        )

    def _diff(self, context, frame, counts) -> tuple[dict, list[Issue]]:
        scope = self.scope(context)
        if context.extra.get("lock_stored"):
            # A commit: the stored lines stay as read until it ends. A leader's review (which
            # locks its line) waits for the import, or the import waits for the review and
            # reads what it wrote — never a review overwritten by values read before it.
            scope = scope.select_for_update(of=("self",)).order_by("id")
        # The per-product list is read as text and parsed once per distinct text (almost all
        # are "[]"): the ORM's JSON conversion row by row was a third of a re-import's time.
        read = [f"{name}_text" if name in JSON_FIELDS else name for name in VALUE_FIELDS]
        stored = pd.DataFrame.from_records(
            list(
                scope.annotate(
                    **{f"{name}_text": Cast(name, TextField()) for name in JSON_FIELDS}
                ).values_list("id", "external_id", *read)
            ),
            columns=["id", "external_id", *VALUE_FIELDS],
        )
        for name in JSON_FIELDS:
            stored[name] = _map_distinct(stored[name], _json_list)
        merged = frame.merge(
            stored, on="external_id", how="outer", indicator=True, suffixes=("", "_db")
        )
        new = merged[merged["_merge"] == "left_only"]
        removed = merged[merged["_merge"] == "right_only"]
        both = merged[merged["_merge"] == "both"]

        same = (
            (both["person_id"].to_numpy() == both["civil_servant_id"].to_numpy())
            & (both["item_id"].to_numpy() == both["item_id_db"].to_numpy())
            & (both["unit_id"].to_numpy() == both["unit_id_db"].to_numpy())
            & (_cents(both["assigned"]) == _cents(both["assigned_quantity"].astype(float)))
            & (_cents(both["completed"]) == _cents(both["completed_quantity"].astype(float)))
            & _same_objects(both["deadline"], both["deadline_db"])
            & _same_objects(both["completed_on"], both["completed_on_db"])
            & (both["failed_reviews"].to_numpy() == both["failed_reviews_db"].to_numpy())
            & (both["delays"].to_numpy() == both["delays_db"].to_numpy())
            & (both["note"].to_numpy() == both["note_db"].to_numpy())
            & np.fromiter(
                (
                    list(new) == list(old or [])
                    for new, old in zip(
                        both["failed_list"], both["failed_by_product_db"], strict=True
                    )
                ),
                dtype=bool,
                count=len(both),
            )
        )
        changed = both[~same]
        counts.new, counts.changed = len(new), len(changed)
        counts.unchanged, counts.removed = int(same.sum()), len(removed)

        issues = []
        removed_ids = removed["id"].astype(np.int64).tolist()
        if removed_ids:
            issues += self._removal_issues(removed_ids)
        payload = {
            "new": new[frame.columns],
            "changed": changed,
            "removed_ids": removed_ids,
            "fingerprint": _fingerprint(self.scope(context), stored),
        }
        return payload, issues

    def _changes(self, payload, members, items) -> list[Change]:
        """Old → new of the first changed lines and a description of the first removed ones."""

        limit = conf.max_stored_changes()
        changes = []
        removed_ids = payload["removed_ids"][:limit]
        rows = []
        for start in range(0, len(removed_ids), 900):
            rows += AssignmentLine.objects.filter(
                id__in=removed_ids[start : start + 900]
            ).values_list(
                "civil_servant__official_id",
                "civil_servant__full_name",
                "item__code",
                "deadline",
                "assigned_quantity",
                "completed_quantity",
                "unit__code",
                "id",
            )
        for official, name, product, deadline, assigned, completed, unit, _id in sorted(
            rows, key=lambda r: (r[0], r[2], r[3] or datetime.date.min, r[7])
        ):
            changes.append(
                Change(
                    REMOVED,
                    line_subject(official, name, product, deadline, assigned, completed, unit),
                    sheet=SHEET,
                )
            )
        changed = payload["changed"]
        if not len(changed):
            return changes
        people = {m.person_id: m for m in members.values()}
        units = {m.unit_id: m.unit_code for m in members.values()}
        products = {pk: code for code, pk in items.items()}

        def person(pk):
            member = people.get(int(pk)) if not _missing(pk) else None
            return f"{member.official_id} {member.full_name}" if member else ""

        # The labels once, not per changed line (up to KPI_IMPORT_MAX_STORED_CHANGES lines).
        label = {
            "person": _("Công chức"),
            "product": _("Sản phẩm/công việc"),
            "unit": _("Đơn vị"),
            "assigned": _("Số lượng được giao"),
            "completed": _("Số lượng hoàn thành"),
            "deadline": _("Hạn hoàn thành"),
            "completed_on": _("Ngày hoàn thành"),
            "failed": _("Số lần đánh giá chưa đạt"),
            "delays": _("Số sản phẩm trễ hạn"),
            "breakdown": _("Số lần chưa đạt của từng sản phẩm"),
            "note": _("Ghi chú"),
        }
        for record in changed.head(limit).itertuples(index=False):
            data = record._asdict()
            fields = field_changes(
                [
                    (label["person"], person(data["civil_servant_id"]), person(data["person_id"])),
                    (
                        label["product"],
                        products.get(_int(data["item_id_db"]), ""),
                        data["product_code"],
                    ),
                    (
                        label["unit"],
                        units.get(_int(data["unit_id_db"]), ""),
                        units.get(_int(data["unit_id"]), ""),
                    ),
                    (label["assigned"], data["assigned_quantity"], data["assigned"]),
                    (label["completed"], data["completed_quantity"], data["completed"]),
                    (label["deadline"], _value(data["deadline_db"]), _value(data["deadline"])),
                    (
                        label["completed_on"],
                        _value(data["completed_on_db"]),
                        _value(data["completed_on"]),
                    ),
                    (
                        label["failed"],
                        _int(data["failed_reviews_db"]),
                        _int(data["failed_reviews"]),
                    ),
                    (label["delays"], _int(data["delays_db"]), _int(data["delays"])),
                    (
                        label["breakdown"],
                        _breakdown_text(data["failed_by_product_db"]),
                        _breakdown_text(data["failed_list"]),
                    ),
                    (label["note"], _value(data["note_db"]) or "", data["note"] or ""),
                ]
            )
            changes.append(
                Change(
                    CHANGED,
                    f"{person(data['person_id'])} · {data['product_code']}",
                    fields,
                    SHEET,
                    int(data[ROW]),
                )
            )
        return changes

    def _removal_issues(self, ids) -> list[Issue]:
        blocked = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            blocked |= set(
                Evidence.objects.filter(line_id__in=chunk).values_list("line_id", flat=True)
            )
            blocked |= set(
                Deduction.objects.filter(line_id__in=chunk).values_list("line_id", flat=True)
            )
        if not blocked:
            return []
        return [
            Issue(
                _(
                    "%(count)d dòng giao việc của lần nhập trước không còn trong tệp nhưng đã có "
                    "minh chứng hoặc lần bị trừ điểm, nên không thể xoá bằng tệp Excel. Hãy giữ "
                    "các dòng đó trong tệp (cùng công chức, sản phẩm, hạn hoàn thành hoặc mã dòng)."
                )
                % {"count": len(blocked)},
                sheet=SHEET,
                severity=ERROR,
            )
        ]

    # --- writing ------------------------------------------------------------------------------

    def write(self, context: Context, result: KindResult) -> Counts:
        ensure_period_open(context.period)
        payload, now = result.payload, timezone.now()
        new = payload["new"]
        if len(new):
            store.insert_lines(
                new,
                source=LineSource.EXCEL,
                created_by_id=context.user.pk if context.user is not None else None,
                now=now,
                period_id=context.period.pk,
            )
        changed = payload["changed"]
        if len(changed):
            store.update_lines(bulk.int_column(changed["id"]), changed, now)
        store.delete_lines(payload["removed_ids"])
        return result.counts

    # --- template -------------------------------------------------------------------------------

    def build_template(self, context: Context):
        from importers.builders.results import build

        return build(self, context)


def _fingerprint(scope, stored: pd.DataFrame) -> str:
    """A digest of every column of the compared lines, in id order: on PostgreSQL the md5 of
    the rows as text, computed by the server (~0.1 s per 100,000 lines); elsewhere (SQLite: the
    tests, small data) a sha256 of the values read."""
    from django.db import connection

    if connection.vendor == "postgresql":
        try:
            ids, params = scope.values("id").query.sql_with_params()
        except EmptyResultSet:  # a scope that can hold nothing (``.none()``: the API's records)
            return "0:"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*)::text || ':' || coalesce(md5(string_agg(l::text, ',' "  # noqa: S608 - the ORM's own SQL, with its parameters
                f"ORDER BY l.id)), '') FROM scoring_assignmentline l WHERE l.id IN ({ids})",
                params,
            )
            return cursor.fetchone()[0]
    ordered = stored.sort_values("id", kind="stable")
    digest = hashlib.sha256(str(len(ordered)).encode())
    digest.update(_text_row_hashes(ordered).tobytes())
    return digest.hexdigest()


def _text_row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """``pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()``, computed
    once per distinct value where equal values have equal text (text, whole numbers, dates,
    lists of whole numbers): turning 100,000 rows × 13 columns into text was most of a
    re-import's fingerprint. An element's hash depends only on its own text (every missing
    value has the same), so a column's hashes are its distinct values' spread back; the
    columns are then combined as pandas combines them (CPython's tuple hash)."""
    mult = np.uint64(1000003)
    out = np.full(len(frame), 0x345678, dtype=np.uint64)
    count = len(frame.columns)
    for position, (_name, column) in enumerate(frame.items()):
        inverse = count - position
        with np.errstate(over="ignore"):
            out ^= _column_text_hashes(column)
            out *= mult
            mult += np.uint64(82520 + inverse + inverse)
    with np.errstate(over="ignore"):
        out += np.uint64(97531)
    return out


#: Types whose equal values have the same text (1 == 1.0 == True do not, nor do
#: Decimal("1.5") == Decimal("1.50")).
_SAME_TEXT_TYPES = frozenset({str, int, datetime.date, type(None), list})


def _column_text_hashes(column: pd.Series) -> np.ndarray:
    def as_pandas():
        return pd.util.hash_pandas_object(column.astype(str), index=False).to_numpy()

    if column.dtype != object:
        return as_pandas()
    values = column.to_numpy()
    types = {type(value) for value in values}
    if not types <= _SAME_TEXT_TYPES:
        return as_pandas()
    if list in types:  # JSON lists, unhashable: as tuples, turned back into lists for the text
        keys = np.empty(len(values), dtype=object)
        keys[:] = [tuple(value) if type(value) is list else value for value in values]
        values = keys
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if list in types and any(type(n) is not int for u in uniques if type(u) is tuple for n in u):
        return as_pandas()
    texts = [list(u) if type(u) is tuple else u for u in uniques]
    table = pd.util.hash_pandas_object(
        pd.Series([*texts, None], dtype=object).astype(str), index=False
    ).to_numpy()
    return table[np.where(codes < 0, len(uniques), codes)]


def _same_objects(left: pd.Series, right: pd.Series) -> np.ndarray:
    a = left.to_numpy(dtype=object)
    b = right.to_numpy(dtype=object)
    return np.fromiter(
        ((x or None) == (y if not _missing(y) else None) for x, y in zip(a, b, strict=True)),
        dtype=bool,
        count=len(a),
    )


def _json_list(text) -> list:
    return json.loads(text) if text else []


def _map_distinct(values: pd.Series, function) -> pd.Series:
    """``function`` applied once per distinct value (missing values get ``function(None)``)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:] = [function(u) for u in uniques] + [function(None)]
    return pd.Series(table[np.where(codes < 0, len(uniques), codes)], index=values.index)


def line_subject(official, name, product, deadline, assigned, completed, unit) -> str:
    """A stored line in words, for the list of lines an import deletes."""
    return _(
        "%(official)s %(name)s · %(product)s · hạn %(deadline)s · giao %(assigned)s, hoàn thành "
        "%(completed)s · %(unit)s"
    ) % {
        "official": official,
        "name": name,
        "product": product,
        "deadline": shown(deadline) or "—",
        "assigned": shown(assigned),
        "completed": shown(completed),
        "unit": unit,
    }


def _parse_breakdown(text, total, assigned, completed, header) -> tuple[tuple, str | None]:
    """``"0; 2"`` → ``(0, 2)`` and the reason it does not fit the row, if any."""
    text = "" if _missing(text) else str(text).strip()
    if not text:
        return (), None
    parts = [part for part in re.split(r"[;,\s]+", text) if part]
    if not all(part.isdigit() for part in parts):
        return (), _(
            "“%(header)s” phải là các số nguyên không âm cách nhau bởi dấu chấm phẩy, mỗi sản "
            "phẩm một số (ví dụ “0; 2”); đang là “%(text)s”."
        ) % {"header": header, "text": text}
    counts = tuple(int(part) for part in parts)
    while counts and counts[-1] == 0:
        counts = counts[:-1]
    products = math.ceil(max(_number(assigned), _number(completed)))
    if len(counts) > products:
        return (), _(
            "“%(header)s” ghi %(listed)d sản phẩm nhưng dòng chỉ có %(products)d sản phẩm."
        ) % {"header": header, "listed": len(counts), "products": products}
    failed = 0 if _missing(total) else int(total)
    if sum(counts) != failed:
        return (), _(
            "Tổng “%(header)s” (%(sum)d) phải bằng “Số lần đánh giá chưa đạt” (%(total)d)."
        ) % {"header": header, "sum": sum(counts), "total": failed}
    return counts, None


def _number(value) -> float:
    return 0.0 if _missing(value) else float(value)


def _breakdown_text(value) -> str:
    if _missing(value) if not isinstance(value, list | tuple) else False:
        return ""
    return "; ".join(str(n) for n in value or ())


def _value(value):
    return None if _missing(value) else value


def _int(value):
    return None if _missing(value) else int(value)


def _day_numbers(values: pd.Series) -> np.ndarray:
    """Dates as day numbers (``date.toordinal``), 0 where empty; one conversion per distinct
    date."""
    return _map_distinct(values, lambda d: 0 if _missing(d) else d.toordinal()).to_numpy(
        dtype=np.int64
    )


def _name_key(name: str) -> str:
    return " ".join(fold_for_search(name).split())


def _missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)
