"""The one-stop system's satisfaction survey, imported from Excel (issue 33 item 3).

The one-stop (một cửa) system asks every person who collects a result how satisfied they are
and reports, per civil servant who handled the file and per period, the number of answers of
each level. The agency downloads this template (its people, one row each), copies the numbers
in, uploads it: the importers' pipeline previews the file (errors name the sheet, row and
column), the agency confirms, and the kind writes — with the pipeline's write-gate rules: only
a user who may import for the agency, never into a closed period, locked with the agency's
other inputs, refused when the stored rows changed since the preview, every row in the change
history, the agency's scores recomputed in the background.

One row per civil servant (matched by official ID among the people posted in the agency during
the period); a new file of the same agency and period replaces the agency's tallies of the
period (a person left out, or with every count 0 or empty, has no tally any more). The answers
feed the framework's ``feedback`` rule beside the one-time codes; the explanation line names
how many came from each source (``scoring.engine.feedback``).
"""

from __future__ import annotations

import math

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import SURVEY_LEVELS, SurveyTally
from importers import rules as import_rules
from importers.builders import base
from importers.changes import CHANGED, REMOVED, Change, field_changes
from importers.columns import PERCENT_REFUSED, PERSON_COLUMNS, ColumnSpec, ColumnType, SheetSpec
from importers.issues import Issue
from importers.kinds.base import Context, Counts, KindResult, with_stored
from importers.kinds.common import AgencyPeriodKind
from importers.kinds.people import members_of
from importers.meta import TemplateMeta
from importers.reading.frame import ROW, ParsedSheet
from scoring.models.guards import ensure_period_open

SHEET = "Khảo sát hài lòng"

#: Model field → the column header (the survey's levels, best first).
LEVEL_HEADERS = {
    "very_satisfied": gettext_lazy("Rất hài lòng (số phiếu)"),
    "satisfied": gettext_lazy("Hài lòng (số phiếu)"),
    "neutral": gettext_lazy("Bình thường (số phiếu)"),
    "dissatisfied": gettext_lazy("Không hài lòng (số phiếu)"),
    "very_dissatisfied": gettext_lazy("Rất không hài lòng (số phiếu)"),
}
FIELDS = [field for field, _level in SURVEY_LEVELS]

COLUMNS = (
    *PERSON_COLUMNS,
    *(
        ColumnSpec(
            field,
            LEVEL_HEADERS[field],
            ColumnType.INTEGER,
            min_value=0,
            max_value=1_000_000,
            width=14,
            help=gettext_lazy("Số phiếu trả lời ở mức này trong kỳ (số nguyên, từ 0)."),
            # A share typed as a percentage (review 2026-11-25, importers S05): the clerk sees
            # 60 %, the cell holds 0,6 — refused as a percentage, not as "not an integer".
            percent=PERCENT_REFUSED,
            percent_message=gettext_lazy(
                "“%(header)s” là số phiếu, không ghi theo tỉ lệ phần trăm (đang là “%(value)s”). "
                "Hãy ghi số phiếu ở mức này (số nguyên, ví dụ 12), không có dấu %%; ô đang định "
                "dạng phần trăm thì đổi về Số (Định dạng ô › Số › Chung) trước khi ghi. Báo cáo "
                "của hệ thống một cửa chỉ có tỉ lệ thì nhân tỉ lệ với tổng số phiếu."
            ),
        )
        for field in FIELDS
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET,
    columns=COLUMNS,
    title=gettext_lazy("KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG (HỆ THỐNG MỘT CỬA)"),
    filler_keys=("official_id", "full_name"),
)


def _count(value) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return int(value)


def _subject(official: str, name: str) -> str:
    return f"{official} {name}"


def _shown(counts: dict[str, int]) -> dict[str, str]:
    return {str(LEVEL_HEADERS[field]): str(counts.get(field, 0)) for field in FIELDS}


class SatisfactionSurveyKind(AgencyPeriodKind):
    code = "satisfaction"
    label = gettext_lazy("Phiếu khảo sát hài lòng (hệ thống một cửa)")
    changes_scores = True
    sheets = (SHEET_SPEC,)

    def _stored(self, context: Context) -> dict[int, SurveyTally]:
        rows = SurveyTally.objects.filter(agency=context.agency, period=context.period)
        if context.extra.get("lock_stored"):
            rows = rows.select_for_update(of=("self",))
        return {tally.person_id: tally for tally in rows.select_related("person").order_by("pk")}

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        parsed = sheets[SHEET]
        issues = list(parsed.issues)
        agency, period = context.agency, context.needed_period
        members = members_of(agency, period.start_date, period.end_date)
        stored = self._stored(context)
        wanted: dict[int, dict] = {}
        first_row: dict[str, int] = {}
        for record in parsed.frame.to_dict("records"):
            row, official = int(record[ROW]), record["official_id"]
            if not official:
                continue
            member = members.get(official)
            if member is None:
                issues.append(
                    parsed.issue(
                        row,
                        "official_id",
                        _(
                            "Công chức mã số %(code)s không công tác tại %(agency)s trong kỳ "
                            "%(period)s. Hãy kiểm tra mã số (chọn trong danh sách thả xuống) "
                            "hoặc xoá dòng này."
                        )
                        % {"code": official, "agency": agency.name, "period": period.label},
                    )
                )
                continue
            # Import rule 1 (importers.rules): a count is stored under a person only when the
            # row's name is theirs — a block pasted in the one-stop export's order, or a row
            # off, names another person on every row.
            mismatch = import_rules.name_mismatch(
                record.get("full_name"), official, member.full_name
            )
            if mismatch:
                issues.append(parsed.issue(row, "full_name", mismatch))
                continue
            if official in first_row:
                issues.append(
                    parsed.issue(
                        row,
                        "official_id",
                        _(
                            "Công chức mã số %(code)s đã có ở dòng %(first)d; mỗi công chức một "
                            "dòng. Hãy cộng số phiếu vào dòng %(first)d và xoá dòng này."
                        )
                        % {"code": official, "first": first_row[official]},
                    )
                )
                continue
            first_row[official] = row
            counts = {field: _count(record[field]) for field in FIELDS}
            if sum(counts.values()):
                wanted[member.person_id] = {
                    "row": row,
                    "official": official,
                    "name": member.full_name,
                    "counts": counts,
                }
        # Import rule 6 (importers.rules): a month's answers and its quarter's are never both
        # held — the quarter would add them together (feedback.answers.survey_counts).
        nested = import_rules.nested_periods_holding(
            SurveyTally.objects.filter(agency=agency), period
        )
        if nested and wanted:
            issues.append(
                Issue(
                    import_rules.counted_twice(_("Số phiếu khảo sát"), period, nested),
                    sheet=SHEET,
                )
            )
        result_counts = Counts(total=len(wanted))
        changes: list[Change] = []
        for person, item in wanted.items():
            tally = stored.get(person)
            subject = _subject(item["official"], item["name"])
            if tally is None:
                result_counts.new += 1
                continue
            before = {field: getattr(tally, field) for field in FIELDS}
            if before == item["counts"]:
                result_counts.unchanged += 1
                continue
            result_counts.changed += 1
            fields = field_changes(
                [(LEVEL_HEADERS[f], before[f], item["counts"][f]) for f in FIELDS]
            )
            changes.append(Change(CHANGED, subject, fields, SHEET, item["row"]))
        removed = [tally.pk for person, tally in stored.items() if person not in wanted]
        result_counts.removed = len(removed)
        for person, tally in stored.items():
            if person not in wanted:
                changes.append(
                    Change(
                        REMOVED,
                        _("%(subject)s · %(total)d phiếu")
                        % {
                            "subject": _subject(tally.person.official_id, tally.person.full_name),
                            "total": tally.total,
                        },
                        sheet=SHEET,
                    )
                )
        compared = {
            _subject(tally.person.official_id, tally.person.full_name): _shown(
                {field: getattr(tally, field) for field in FIELDS}
            )
            for tally in stored.values()
        }
        result = KindResult(
            issues=issues,
            counts=result_counts,
            payload={"wanted": wanted, "removed": removed},
            changes=changes,
        )
        return with_stored(result, compared)

    def write(self, context: Context, result: KindResult) -> Counts:
        """Through the ORM (one row per person: a few hundred per file at most), so every
        change and deletion leaves its history row."""
        ensure_period_open(context.period, context.agency)
        user = context.user if getattr(context.user, "is_authenticated", False) else None
        with transaction.atomic():
            for person, item in result.payload["wanted"].items():
                tally = SurveyTally.objects.filter(
                    person_id=person, agency=context.agency, period=context.period
                ).first() or SurveyTally(
                    person_id=person, agency=context.agency, period=context.period
                )
                if tally.pk and all(
                    getattr(tally, field) == item["counts"][field] for field in FIELDS
                ):
                    continue
                for field in FIELDS:
                    setattr(tally, field, item["counts"][field])
                tally.updated_by = user
                tally.save()
            for tally in SurveyTally.objects.filter(pk__in=result.payload["removed"]):
                tally.delete()
        return result.counts

    def build_template(self, context: Context):
        agency, period = context.agency, context.needed_period
        members = members_of(agency, period.start_date, period.end_date)
        stored = self._stored(context)
        rows = []
        for official, member in members.items():
            tally = stored.get(member.person_id)
            counts = [getattr(tally, field) if tally else None for field in FIELDS]
            rows.append([official, member.full_name, *counts])
        workbook = base.new_workbook()
        base.add_instructions(
            workbook,
            self,
            context,
            [
                _(
                    "Mỗi dòng là một công chức của %(agency)s trong kỳ %(period)s: ghi số phiếu "
                    "khảo sát của hệ thống một cửa ở từng mức hài lòng về hồ sơ người đó giải "
                    "quyết."
                )
                % {"agency": agency.name, "period": period.label},
                _(
                    "Dòng để trống mọi cột số phiếu (hoặc toàn 0) là không có phiếu. Nhập lại tệp "
                    "của cùng kỳ thay toàn bộ số phiếu đã nhập của cơ quan trong kỳ đó."
                ),
                _(
                    "Số phiếu được tính vào tiêu chí mức độ hài lòng của người dân, doanh nghiệp "
                    "theo khung tiêu chí (cùng với ý kiến trả lời bằng mã phản hồi)."
                ),
            ],
        )
        lists = {
            "people": base.add_list_sheet(
                workbook,
                str(_("DS công chức")),
                [_("Mã số công chức"), _("Họ và tên"), _("Đơn vị")],
                [[m.official_id, m.full_name, m.unit_code] for m in members.values()],
            )
        }
        base.add_data_sheet(
            workbook,
            SHEET_SPEC,
            rows,
            lists,
            subtitle=f"{agency.name} — {period.label}",
            freeze_columns=2,
            index=1,
        )
        base.add_meta(
            workbook, TemplateMeta.create(self.code, self.version, agency.code, period.code)
        )
        return base.finish(workbook, SHEET_SPEC.name)
