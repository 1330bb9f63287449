"""The results kind: the context checks, the rules and the difference in order (``analyse``),
the write through :mod:`importers.lines.store`, the template."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.models import CatalogVersionItem
from importers import bulk
from importers.builders.results import build
from importers.issues import Issue
from importers.kinds.base import Context, Counts, KindResult, TemplateKind
from importers.kinds.common import agency_importer, agency_importer_among
from importers.kinds.people import members_of
from importers.kinds.results.diff import ResultsDiff
from importers.kinds.results.rules import ResultsRules
from importers.kinds.results.spec import SHEET, SHEET_SPEC, version_for
from importers.lines import store
from importers.reading.frame import ParsedSheet
from scoring.models import AssignmentLine, LineSource
from scoring.models.guards import closed_period_error, ensure_period_open


class ResultsKind(ResultsRules, ResultsDiff, TemplateKind):
    code = "results"
    changes_scores = True
    label = gettext_lazy("Kết quả thực hiện nhiệm vụ trong kỳ")
    needs_period = True
    sheets = (SHEET_SPEC,)

    def can_import(self, user, agency) -> bool:
        return agency_importer(user, agency)

    def imports_any(self, user, agencies) -> bool:
        return agency_importer_among(user, agencies).exists()

    # --- context ------------------------------------------------------------------------------

    def context_issues(self, context: Context) -> list[Issue]:
        issues = []
        period = context.period
        if period is not None and not period.accepts_inputs_for(context.agency):
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
        period = context.needed_period
        if version_for(context.agency, period) is None:
            return [
                Issue(
                    _(
                        "%(agency)s chưa có danh mục sản phẩm/công việc được phê duyệt áp "
                        "dụng cho kỳ %(period)s."
                    )
                    % {"agency": context.agency.name, "period": period.label}
                )
            ]
        return []

    # --- validation ---------------------------------------------------------------------------

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        """The rules in order, each a method of ``ResultsRules`` (person, category, name,
        product, quantities, per-product failures, dates, identities, duplicates); on a sheet
        without errors, the difference with the stored submission (``ResultsDiff``), the
        clerk's own lines, and the changes the preview shows."""
        parsed = sheets[SHEET]
        frame = parsed.frame
        issues = list(parsed.issues)
        agency, period = context.agency, context.needed_period
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

    # --- what a submission replaces (compared by ``ResultsDiff``, pre-filled by the template) ---

    def scope(self, context: Context) -> QuerySet[AssignmentLine]:
        return AssignmentLine.objects.filter(
            period=context.period,
            source=LineSource.EXCEL,
            unit__path__startswith=context.agency.path,
        )

    # --- writing ------------------------------------------------------------------------------

    def write(self, context: Context, result: KindResult) -> Counts:
        period = context.needed_period
        ensure_period_open(period, context.agency)
        payload, now = result.payload, timezone.now()
        new = payload["new"]
        if len(new):
            store.insert_lines(
                new,
                source=LineSource.EXCEL,
                created_by_id=context.user.pk if context.user is not None else None,
                now=now,
                period_id=period.pk,
            )
        changed = payload["changed"]
        if len(changed):
            store.update_lines(bulk.int_column(changed["id"]), changed, now)
        store.delete_lines(payload["removed_ids"])
        return result.counts

    # --- template -------------------------------------------------------------------------------

    def build_template(self, context: Context):
        return build(self, context)

    def template_rows(self, context: Context) -> int:
        """At most the file's lines of the period and a starter row a person."""
        period = context.needed_period
        members = members_of(context.agency, period.start_date, period.end_date)
        return self.scope(context).count() + len(members)
