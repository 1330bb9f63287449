"""The rules a results row must pass, each a named method of :class:`ResultsRules` (the person,
their category and name, the product, quantities, per-product failures, dates, identities and
duplicates, nobody's own lines), run in that order by ``ResultsKind.analyse``. Whole columns at
a time (pandas), one message per row and cell, as the clerk will read it."""

from __future__ import annotations

import datetime
import math
import re
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog_pages.models import CatalogVersionItem
from cms.lazy import lazy_module
from importers import conf
from importers import rules as import_rules
from importers.changes import shown
from importers.issues import ERROR, WARNING, Issue
from importers.kinds.results.spec import COLUMNS, SHEET
from importers.reading import cells
from importers.reading.frame import ROW, vi_decimal
from org.models import CivilServant
from scoring.models import AssignmentLine
from scoring.services import lines as line_service
from scoring.services.scope import CategoryScope

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")


class ResultsRules:
    """The row rules of the results kind (mixed into ``ResultsKind``; ``reads_files`` says
    whether messages may speak of "the file")."""

    #: Messages may speak of "the file" (the integration API reuses these rules without one).
    reads_files = True

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
        typed = map_distinct(frame["full_name"], lambda v: "" if missing(v) else str(v).strip())
        # Only rows whose name differs as typed are compared letter by letter (a template keeps
        # the stored names, so this is usually none).
        suspects = stored.notna() & (typed != "") & (typed != stored)
        issues = []
        for index in np.flatnonzero(suspects.to_numpy()):
            code = frame["official_id"].iloc[index]
            message = import_rules.name_mismatch(typed.iloc[index], code, stored.iloc[index])
            if message:
                issues.append(parsed.issue(frame[ROW].iloc[index], "full_name", message))
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
        completed_on = day_numbers(frame["completed_on"])
        deadline = day_numbers(frame["deadline"])
        first, last = start.toordinal(), end.toordinal()
        # Month-first columns (import rule 5): refused per cell, naming the day meant; those
        # cells get no other date message. Only the days outside the period can be misread
        # ones (``month_first_window`` looks at no other): the others are not made into dates.
        month_first = set()
        for key, numbers in (("deadline", deadline), ("completed_on", completed_on)):
            days = [
                (int(rows[i]), datetime.date.fromordinal(int(numbers[i])))
                for i in np.flatnonzero((numbers > 0) & ((numbers < first) | (numbers > last)))
            ]
            header = str(parsed.spec.column(key).header)
            for row, message in import_rules.month_first_window(header, days, start, end).items():
                issues.append(parsed.issue(row, key, message))
                month_first.add((row, key))
        today = timezone.localdate()
        header = str(parsed.spec.column("completed_on").header)
        # A completion after today inside the period (the period runs on): not yet happened.
        # Outside the period, the period's message below says more.
        ahead = (
            (completed_on > today.toordinal()) & (completed_on >= first) & (completed_on <= last)
        )
        for index in np.flatnonzero(ahead):
            day = datetime.date.fromordinal(int(completed_on[index]))
            if (int(rows[index]), "completed_on") in month_first:
                continue
            issues.append(
                parsed.issue(
                    rows[index], "completed_on", import_rules.in_the_future(day, header, today)
                )
            )
            month_first.add((int(rows[index]), "completed_on"))
        outside = (completed_on > 0) & ((completed_on < first) | (completed_on > last))
        for index in np.flatnonzero(outside):
            if (int(rows[index]), "completed_on") in month_first:
                continue
            shown_day = shown(datetime.date.fromordinal(int(completed_on[index])))
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
                parsed.issue(rows[index], "completed_on", message % {**values, "day": shown_day})
            )
        late_or_early = (deadline > 0) & ((deadline < first) | (deadline > last))
        far = (deadline < far_start.toordinal()) | (deadline > far_end.toordinal())
        for index in np.flatnonzero(late_or_early):
            if (int(rows[index]), "deadline") in month_first:
                continue
            shown_day = shown(datetime.date.fromordinal(int(deadline[index])))
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
                    message % {**values, "day": shown_day},
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
        filled = map_distinct(
            texts, lambda v: not (missing(v) or v is pd.NA) and str(v).strip() != ""
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
        message = _(
            "Số sản phẩm trễ hạn (%(late)s) lớn hơn số lượng hoàn thành (%(done)s): "
            "sản phẩm trễ hạn là sản phẩm đã hoàn thành sau hạn."
        )
        for index in np.flatnonzero(beyond):
            issues.append(
                parsed.issue(
                    rows[index],
                    "delays",
                    message % {"late": int(late[index]), "done": vi_decimal(done[index])},
                    severity=WARNING,
                )
            )
        return values, issues

    def _external_ids(self, frame, agency, period) -> pd.Series:
        prefix = f"xl:{agency.pk}:{period.pk}:"
        deadline = map_distinct(frame["deadline"], lambda d: d.isoformat() if d else "")
        person = map_distinct(frame["person_id"], lambda v: "" if pd.isna(v) else str(int(v)))
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


def map_distinct(values: pd.Series, function) -> pd.Series:
    """``function`` applied once per distinct value (missing values get ``function(None)``)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:] = [function(u) for u in uniques] + [function(None)]
    return pd.Series(table[np.where(codes < 0, len(uniques), codes)], index=values.index)


def _parse_breakdown(text, total, assigned, completed, header) -> tuple[tuple, str | None]:
    """``"0; 2"`` → ``(0, 2)`` and the reason it does not fit the row, if any."""
    text = "" if missing(text) else str(text).strip()
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
    failed = 0 if missing(total) else int(total)
    if sum(counts) != failed:
        return (), _(
            "Tổng “%(header)s” (%(sum)d) phải bằng “Số lần đánh giá chưa đạt” (%(total)d)."
        ) % {"header": header, "sum": sum(counts), "total": failed}
    return counts, None


def _number(value) -> float:
    return 0.0 if missing(value) else float(value)


def day_numbers(values: pd.Series) -> np.ndarray:
    """Dates as day numbers (``date.toordinal``), 0 where empty; one conversion per distinct
    date."""
    return map_distinct(values, lambda d: 0 if missing(d) else d.toordinal()).to_numpy(
        dtype=np.int64
    )


def missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)
