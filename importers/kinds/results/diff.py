"""The difference between a checked results sheet and the lines stored for the same submission:
one merge on ``external_id`` (new, changed, unchanged, removed), the removals refused when
evidence or deductions hang on them, the old → new changes shown in the preview, and the
fingerprint of what was compared (a commit refuses a submission changed since its preview)."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import TYPE_CHECKING

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from cms.lazy import lazy_module
from cms.rows import values_rows
from importers import conf
from importers.changes import CHANGED, REMOVED, Change, field_changes, shown
from importers.issues import ERROR, Issue
from importers.kinds.results.rules import day_numbers, map_distinct, missing
from importers.kinds.results.spec import SHEET
from importers.lines import store
from importers.reading.frame import ROW
from scoring.models import AssignmentLine, Deduction, Evidence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

#: Stored fields compared to decide "changed" (the writer's, :mod:`importers.lines.store`).
VALUE_FIELDS = store.VALUE_FIELDS
#: Value fields stored as JSON (read as text when compared, parsed once per distinct value).
JSON_FIELDS = ("failed_by_product",)


def _cents(values) -> np.ndarray:
    return np.round(np.asarray(values, dtype=np.float64) * 100).astype(np.int64)


class ResultsDiff:
    """The comparison with what is stored (mixed into ``ResultsKind``, whose ``scope`` it reads)."""

    def scope(self, context) -> QuerySet[AssignmentLine]:
        """The stored lines a file replaces: ``ResultsKind.scope``."""
        raise NotImplementedError

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
            values_rows(
                scope.annotate(
                    **{f"{name}_text": Cast(name, TextField()) for name in JSON_FIELDS}
                ).values_list("id", "external_id", *read)
            ),
            columns=["id", "external_id", *VALUE_FIELDS],
        )
        for name in JSON_FIELDS:
            stored[name] = map_distinct(stored[name], _json_list)
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
            & _same_days(both["deadline"], both["deadline_db"])
            & _same_days(both["completed_on"], both["completed_on_db"])
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
        rows: list[tuple] = []
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
            member = people.get(int(pk)) if not missing(pk) else None
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

    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":
        # Whole numbers (ids): equal values, equal text. Not pandas' nullable integers: with a
        # missing value their array is of floats.
        values = column.to_numpy()
        types = {int}
    elif column.dtype != object:
        return as_pandas()
    else:
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
    texts = [list(u) if type(u) is tuple else u for u in uniques.tolist()]
    table = pd.util.hash_pandas_object(
        pd.Series([*texts, None], dtype=object).astype(str), index=False
    ).to_numpy()
    return table[np.where(codes < 0, len(uniques), codes)]


def _same_days(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Row by row, the file's date equals the stored one, an empty cell equal to an empty one:
    both sides as day numbers (``rules.day_numbers``, one conversion per distinct date)."""
    return day_numbers(left) == day_numbers(right)


def _json_list(text) -> list:
    return json.loads(text) if text else []


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


def _breakdown_text(value) -> str:
    if missing(value) if not isinstance(value, list | tuple) else False:
        return ""
    return "; ".join(str(n) for n in value or ())


def _value(value):
    return None if missing(value) else value


def _int(value):
    return None if missing(value) else int(value)
