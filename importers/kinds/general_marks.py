"""General-criteria marks (Form 01 section I): one row per person and sub-criterion.

The sub-criteria and their maxima come from the criteria framework that applies to each
person's unit in the period (its LIVE revision, via ``scoring.services.frameworks``), for every
component scored by marks (``criteria_marks``; "general" in the Decree 335 default). A row with
neither mark is not a data row. Re-uploading replaces the submission: marks of the agency's
people in the period that are not in the file are deleted, the others are upserted on
(person, period, component, criterion). When the evaluator's mark is given or changed, the
uploading user is recorded as the evaluator.
"""

from decimal import Decimal

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.columns import ColumnSpec, ColumnType, SheetSpec
from importers.issues import Issue
from importers.kinds.base import Context, Counts, KindResult, TemplateKind
from importers.kinds.common import agency_importer
from importers.kinds.people import members_of
from importers.reading.frame import ROW, ParsedSheet, vi_decimal
from org.models import Agency

SHEET = "Tiêu chí chung"

COLUMNS = (
    ColumnSpec(
        "official_id",
        gettext_lazy("Mã số công chức"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="people",
    ),
    ColumnSpec("full_name", gettext_lazy("Họ và tên"), informational=True, width=26),
    ColumnSpec(
        "component",
        gettext_lazy("Mã thành phần"),
        ColumnType.TEXT,
        required=True,
        max_length=32,
        width=12,
    ),
    ColumnSpec(
        "criterion",
        gettext_lazy("Mã tiêu chí"),
        ColumnType.TEXT,
        required=True,
        max_length=16,
        width=10,
    ),
    ColumnSpec("label", gettext_lazy("Nội dung tiêu chí"), informational=True, width=50),
    ColumnSpec("max_points", gettext_lazy("Điểm tối đa"), informational=True, width=10),
    ColumnSpec(
        "self_mark",
        gettext_lazy("Điểm tự chấm"),
        ColumnType.DECIMAL,
        min_value=0,
        width=12,
        help=gettext_lazy("Từ 0 đến điểm tối đa của tiêu chí."),
    ),
    ColumnSpec(
        "evaluator_mark",
        gettext_lazy("Điểm người đánh giá chấm"),
        ColumnType.DECIMAL,
        min_value=0,
        width=14,
        help=gettext_lazy("Từ 0 đến điểm tối đa; khi có, đây là điểm được tính."),
    ),
)

SHEET_SPEC = SheetSpec(
    name=SHEET,
    columns=COLUMNS,
    title=gettext_lazy("ĐIỂM TIÊU CHÍ CHUNG"),
    filler_keys=("official_id", "full_name", "component", "criterion"),
)


def criteria_by_person(agency, period, members) -> dict[str, list]:
    """official_id → [(component code, SubCriterion)] from the framework of the person's unit."""
    from scoring.services.frameworks import FrameworkResolver

    resolver = FrameworkResolver()
    paths = dict(
        Agency.objects.filter(pk__in={m.unit_id for m in members.values()}).values_list(
            "id", "path"
        )
    )
    result = {}
    for official, member in members.items():
        resolved = resolver.resolve(paths[member.unit_id], period.kind, period.start_date)
        if resolved is None:
            result[official] = None
            continue
        result[official] = [
            (component.code, criterion)
            for component in resolved.rules.components
            if component.kind == "criteria_marks"
            for criterion in component.criteria
        ]
    return result


def _decimal(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(str(round(float(value), 2))).quantize(Decimal("0.01"))


class GeneralMarksKind(TemplateKind):
    code = "general_marks"
    label = gettext_lazy("Điểm tiêu chí chung")
    needs_period = True
    sheets = (SHEET_SPEC,)

    def can_import(self, user, agency) -> bool:
        return agency_importer(user, agency)

    def context_issues(self, context: Context) -> list[Issue]:
        from scoring.models.guards import closed_period_error

        period = context.period
        if period is not None and not period.accepts_inputs:
            return [Issue(closed_period_error(period).messages[0])]
        return []

    def scope(self, context: Context, person_ids):
        from scoring.models import GeneralCriteriaMark

        return GeneralCriteriaMark.objects.filter(
            period=context.period, civil_servant_id__in=person_ids
        )

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        parsed = sheets[SHEET]
        issues = list(parsed.issues)
        agency, period = context.agency, context.period
        members = members_of(agency, period.start_date, period.end_date)
        criteria = criteria_by_person(agency, period, members)
        records = parsed.frame.to_dict("records")
        seen = {}
        for record in records:
            row, official = record[ROW], record["official_id"]
            member = members.get(official)
            if official and member is None:
                issues.append(
                    parsed.issue(
                        row,
                        "official_id",
                        _(
                            "Công chức mã số %(code)s không công tác tại %(agency)s trong kỳ "
                            "%(period)s."
                        )
                        % {"code": official, "agency": agency.name, "period": period.label},
                    )
                )
                continue
            if member is None:
                continue
            available = criteria.get(official)
            if available is None:
                issues.append(
                    parsed.issue(
                        row,
                        "official_id",
                        _("Chưa xác định được khung đánh giá áp dụng cho công chức này."),
                    )
                )
                continue
            by_code = {(c.casefold(), sub.code.casefold()): (c, sub) for c, sub in available}
            found = by_code.get((record["component"].casefold(), record["criterion"].casefold()))
            if found is None:
                issues.append(
                    parsed.issue(
                        row,
                        "criterion",
                        _(
                            "Tiêu chí “%(code)s” (thành phần “%(component)s”) không có trong "
                            "khung đánh "
                            "giá áp dụng cho công chức này."
                        )
                        % {"code": record["criterion"], "component": record["component"]},
                    )
                )
                continue
            component, criterion = found
            record["component"], record["criterion"] = component, criterion.code
            for field in ("self_mark", "evaluator_mark"):
                value = record[field]
                if not np.isnan(value) and Decimal(str(value)) > criterion.max_points:
                    issues.append(
                        parsed.issue(
                            row,
                            field,
                            _(
                                "Điểm không được vượt quá điểm tối đa %(max)s của tiêu chí "
                                "(đang là "
                                "%(value)s)."
                            )
                            % {
                                "max": vi_decimal(float(criterion.max_points)),
                                "value": vi_decimal(value),
                            },
                        )
                    )
            full_key = (official, component, criterion.code)
            if full_key in seen:
                issues.append(
                    parsed.issue(
                        row,
                        "criterion",
                        _("Trùng với dòng %(row)d (cùng công chức và tiêu chí).")
                        % {"row": seen[full_key]},
                    )
                )
            seen.setdefault(full_key, row)
            record["person_id"] = member.person_id

        counts = Counts(total=len(records))
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)
        person_ids = [m.person_id for m in members.values()]
        stored = {
            (person, component, criterion): (pk, self_mark, evaluator_mark)
            for pk, person, component, criterion, self_mark, evaluator_mark in self.scope(
                context, person_ids
            ).values_list(
                "id", "civil_servant_id", "component", "criterion", "self_mark", "evaluator_mark"
            )
        }
        wanted = set()
        for record in records:
            key = (record["person_id"], record["component"], record["criterion"])
            wanted.add(key)
            values = (_decimal(record["self_mark"]), _decimal(record["evaluator_mark"]))
            before = stored.get(key)
            record["evaluator_changed"] = before is None or before[2] != values[1]
            if before is None:
                counts.new += 1
            elif before[1:] == values:
                counts.unchanged += 1
            else:
                counts.changed += 1
        removed = [pk for key, (pk, _s, _e) in stored.items() if key not in wanted]
        counts.removed = len(removed)
        return KindResult(
            issues=issues, counts=counts, payload={"records": records, "removed": removed}
        )

    def write(self, context: Context, result: KindResult) -> Counts:
        from scoring.models import GeneralCriteriaMark
        from scoring.models.guards import ensure_period_open

        ensure_period_open(context.period)
        now = timezone.now()
        user = context.user
        records = result.payload["records"]
        changed_evaluator = [r for r in records if r["evaluator_changed"]]
        kept_evaluator = [r for r in records if not r["evaluator_changed"]]
        for group, fields in (
            (changed_evaluator, ["self_mark", "evaluator_mark", "evaluator", "updated_at"]),
            (kept_evaluator, ["self_mark", "evaluator_mark", "updated_at"]),
        ):
            marks = [
                GeneralCriteriaMark(
                    civil_servant_id=record["person_id"],
                    period=context.period,
                    component=record["component"],
                    criterion=record["criterion"],
                    self_mark=_decimal(record["self_mark"]),
                    evaluator_mark=_decimal(record["evaluator_mark"]),
                    evaluator=user if _decimal(record["evaluator_mark"]) is not None else None,
                    updated_at=now,
                )
                for record in group
            ]
            if marks:
                GeneralCriteriaMark.objects.bulk_create(
                    marks,
                    batch_size=1000,
                    update_conflicts=True,
                    unique_fields=["civil_servant", "period", "component", "criterion"],
                    update_fields=fields,
                )
        removed = result.payload["removed"]
        for start in range(0, len(removed), 900):
            GeneralCriteriaMark.objects.filter(pk__in=removed[start : start + 900]).delete()
        return result.counts

    def build_template(self, context: Context):
        from importers.builders.general_marks import build

        return build(self, context)
