"""The general-marks kind: the rules a row must pass, the difference with the stored marks,
the write (see the package docstring)."""

from __future__ import annotations

import functools
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.lazy import lazy_module
from importers import conf
from importers import rules as import_rules
from importers.builders.general_marks import build, people_and_criteria
from importers.changes import CHANGED, REMOVED, Change, field_changes, shown
from importers.issues import WARNING, Issue
from importers.kinds.base import Context, Counts, KindResult, with_stored
from importers.kinds.common import AgencyPeriodKind
from importers.kinds.general_marks.owners import criteria_by_person, rated_here
from importers.kinds.general_marks.spec import (
    COMPETENCY_COMPONENT,
    LEADER_COMPONENT,
    LEADER_FIELDS,
    LEADER_SHOWN,
    SHEET,
    SHEET_SPEC,
)
from importers.kinds.people import members_of
from importers.reading.frame import ROW, ParsedSheet, vi_decimal
from org.models import CivilServant
from scoring.models import CompetencyAssessment, GeneralCriteriaMark, LeaderMark
from scoring.services import competencies, contract_workers, general_marks, leader_marks

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")


def _mark_subject(member, component, criterion) -> str:
    return f"{member.official_id} {member.full_name} · {component} {criterion}"


def _decimal(value):
    if value is None or value != value:  # NaN: an empty cell
        return None
    return _to_cents(float(value))


@functools.lru_cache(maxsize=4096)
def _to_cents(value: float) -> Decimal:
    """A mark as stored (two places), once per distinct value of a file: a month's marks take
    a few dozen values, read for each of hundreds of thousands of rows."""
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


@functools.lru_cache(maxsize=4096)
def _exact(value: float) -> Decimal:
    """The cell's number as written (its shortest text), for the comparison with a maximum."""
    return Decimal(str(value))


def _by_code(available: list) -> dict:
    """``(component, criterion code)`` casefolded → the pair, for one person's criteria."""
    return {(c.casefold(), sub.code.casefold()): (c, sub) for c, sub in available}


class GeneralMarksKind(AgencyPeriodKind):
    code = "general_marks"
    changes_scores = True
    label = gettext_lazy("Điểm tiêu chí chung")
    sheets = (SHEET_SPEC,)

    def scope(self, context: Context, person_ids):
        return GeneralCriteriaMark.objects.filter(
            period=context.period, civil_servant_id__in=person_ids
        )

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        """The rules in order, each a method: the rows (person, criterion, repeats, marks), the
        leaders' đ/e pairs and levels, the marks another agency rates, then the difference
        with what is stored. Stops at the first step that found an error."""
        parsed = sheets[SHEET]
        agency, period = context.agency, context.needed_period
        members = members_of(agency, period.start_date, period.end_date)
        _own, elsewhere = rated_here(agency, members, period)
        records = parsed.frame.to_dict("records")
        counts = Counts(total=len(records))
        row_issues, leader_records = self._row_issues(parsed, context, members, records)
        issues = list(parsed.issues) + row_issues
        issues += self._leader_pairs(parsed, leader_records)
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)
        leader_ids = {id(record) for record in leader_records}
        competency_records = [record for record in records if "competency_id" in record]
        leader_ids |= {id(record) for record in competency_records}
        records = [record for record in records if id(record) not in leader_ids]
        leaders, leader_changes, leader_issues = self._leader_marks(
            parsed, context, leader_records, elsewhere, counts
        )
        issues += leader_issues
        assessed, competency_changes, competency_issues = self._competency_levels(
            parsed, context, competency_records, elsewhere, counts
        )
        issues += competency_issues
        leader_changes = leader_changes + competency_changes
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)
        stored = {
            (person, component, criterion): (pk, self_mark, evaluator_mark)
            for pk, person, component, criterion, self_mark, evaluator_mark in self.scope(
                context, [m.person_id for m in members.values()]
            ).values_list(
                "id", "civil_servant_id", "component", "criterion", "self_mark", "evaluator_mark"
            )
        }
        compared = self._stored_rows(context, members, stored)
        kept, ownership_issues = self._rated_elsewhere(parsed, context, records, stored, elsewhere)
        issues += ownership_issues
        counts.unchanged += len(records) - len(kept)  # rows repeating another agency's marks
        records = kept
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)
        stored = {key: value for key, value in stored.items() if key[0] not in elsewhere}
        fields, writer_issues = self._refused_writer(context, records, members, stored)
        issues += writer_issues
        if any(issue.is_error for issue in issues):
            return KindResult(issues=issues, counts=counts)
        changes, removed = self._differences(records, stored, members, counts)
        result = KindResult(
            issues=issues,
            counts=counts,
            payload={
                "records": records,
                "removed": removed,
                "leaders": leaders,
                "competencies": assessed,
                "fields": fields,
            },
            changes=leader_changes + changes,
        )
        return with_stored(result, compared)

    def _row_issues(self, parsed, context, members, records) -> tuple[list[Issue], list[dict]]:
        """Each row: its person works here, their framework has its criterion, no row repeats
        it, its marks are points within the criterion's maximum (the leaders' đ/e rows are
        checked by :meth:`_leader_row_issues` and returned apart). A row found good gets its
        ``person_id`` and the criterion's canonical codes."""
        criteria = criteria_by_person(context.agency, context.period, members)
        # Each person's criteria by code, built once a person (not once a row).
        lookups: dict[str, dict | None] = {}
        issues: list[Issue] = []
        seen: dict = {}
        leader_records = []
        for record in records:
            row, official = record[ROW], record["official_id"]
            member = members.get(official)
            if member is None:
                if official:
                    issues.append(self._not_here(parsed, context, row, official))
                continue
            # Import rule 1 (importers.rules): the row's name is its official ID's holder's.
            mismatch = import_rules.name_mismatch(
                record.get("full_name"), official, member.full_name
            )
            if mismatch:
                issues.append(parsed.issue(row, "full_name", mismatch))
                continue
            if official not in lookups:
                available = criteria.get(official)
                lookups[official] = None if available is None else _by_code(available)
            found, issue = self._criterion(parsed, row, record, lookups[official])
            if issue is not None:
                issues.append(issue)
                continue
            component, criterion = found
            record["component"], record["criterion"] = component, criterion.code
            record["person_id"] = member.person_id
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
            if component == LEADER_COMPONENT:
                issues += self._leader_row_issues(parsed, row, record, criterion)
                leader_records.append(record)
                continue
            if component == COMPETENCY_COMPONENT:
                issues += self._competency_row_issues(parsed, row, record, criterion)
                record["competency_id"] = criterion.required.competency_id
                continue
            issues += self._mark_issues(parsed, row, record, criterion)
        return issues, leader_records

    @staticmethod
    def _not_here(parsed, context, row, official) -> Issue:
        return parsed.issue(
            row,
            "official_id",
            _("Công chức mã số %(code)s không công tác tại %(agency)s trong kỳ %(period)s.")
            % {"code": official, "agency": context.agency.name, "period": context.period.label},
        )

    @staticmethod
    def _criterion(parsed, row, record, by_code):
        """``((component, criterion), None)`` for the row's criterion in the person's
        framework (``by_code``: :func:`_by_code` of their criteria), or ``(None, issue)``."""
        if by_code is None:
            return None, parsed.issue(
                row,
                "official_id",
                _("Chưa xác định được khung đánh giá áp dụng cho công chức này."),
            )
        wanted_code = record["criterion"].casefold()
        wanted_code = "dd" if wanted_code == "đ" else wanted_code
        found = by_code.get((record["component"].casefold(), wanted_code))
        if found is None:
            return None, parsed.issue(
                row,
                "criterion",
                _(
                    "Tiêu chí “%(code)s” (thành phần “%(component)s”) không có trong "
                    "khung đánh "
                    "giá áp dụng cho công chức này."
                )
                % {"code": record["criterion"], "component": record["component"]},
            )
        return found, None

    @staticmethod
    def _mark_issues(parsed, row, record, criterion) -> list[Issue]:
        """A general criterion's marks: numbers of points (not percent), within its maximum."""
        contract = record["component"] == contract_workers.COMPONENT
        if not contract and row in parsed.percent_rows.get("evaluator_mark", ()):
            # Only the leaders' đ/e (and a contract worker's three marks, M7) take percents; a
            # general mark is a number of points.
            return [
                parsed.issue(
                    row,
                    "evaluator_mark",
                    _(
                        "Điểm tiêu chí ghi bằng số điểm, không ghi phần trăm (đang là "
                        "%(value)s%%). Hãy ghi số điểm từ 0 đến %(max)s, không có dấu %%; ô "
                        "đang định dạng phần trăm thì đổi về Số (Định dạng ô › Số › Chung)."
                    )
                    % {
                        "value": vi_decimal(record["evaluator_mark"]),
                        "max": vi_decimal(float(criterion.max_points)),
                    },
                )
            ]
        issues = []
        for field in ("self_mark", "evaluator_mark"):
            value = record[field]
            if value == value and _exact(value) > criterion.max_points:
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
        return issues

    def _differences(self, records, stored, members, counts) -> tuple[list[Change], list[int]]:
        """The rows against the stored marks: ``counts`` new/changed/unchanged/removed, the
        changes shown (at most the configured number of each), and the ids to remove. Marks
        each record's ``evaluator_changed`` and ``unchanged`` (the write leaves those out)."""
        wanted: set[tuple[int, str, str]] = set()
        changes: list[Change] = []
        people = {m.person_id: m for m in members.values()}
        limit = conf.max_stored_changes()
        for record in records:
            key = (record["person_id"], record["component"], record["criterion"])
            wanted.add(key)
            values = (_decimal(record["self_mark"]), _decimal(record["evaluator_mark"]))
            before = stored.get(key)
            record["evaluator_changed"] = before is None or before[2] != values[1]
            record["unchanged"] = before is not None and before[1:] == values
            if before is None:
                counts.new += 1
            elif before[1:] == values:
                counts.unchanged += 1
            else:
                counts.changed += 1
                if len(changes) < limit:
                    fields = field_changes(
                        [
                            (_("Điểm tự chấm"), before[1], values[0]),
                            (_("Điểm người đánh giá chấm"), before[2], values[1]),
                        ]
                    )
                    subject = _mark_subject(people[key[0]], key[1], key[2])
                    changes.append(Change(CHANGED, subject, fields, SHEET, int(record[ROW])))
        removed = [pk for key, (pk, _s, _e) in stored.items() if key not in wanted]
        counts.removed = len(removed)
        for key, (_pk, self_mark, evaluator_mark) in sorted(stored.items()):
            if key in wanted or len(changes) >= 2 * limit:
                continue
            subject = _("%(subject)s · tự chấm %(self)s, người đánh giá chấm %(evaluator)s") % {
                "subject": _mark_subject(people[key[0]], key[1], key[2]),
                "self": shown(self_mark) or "—",
                "evaluator": shown(evaluator_mark) or "—",
            }
            changes.append(Change(REMOVED, subject, sheet=SHEET))
        return changes, removed

    def _refused_writer(self, context, records, members, stored) -> tuple[dict, list[Issue]]:
        """Who may write these marks: the marks' one write service
        (``scoring.services.general_marks.refused_people``: reach by the period, and nobody
        writes the evaluator's marks of their own score), asked for the marks the file
        **changes** — a clerk's own rows left as the template shows them pass; changing their
        own evaluator marks is refused, with the row named. The server's command line (no
        user) is the operator's. Returns the fields the file changes per person (what the
        commit asks again, ``general_marks.write_many``) and the refusals."""
        if context.user is None:
            return {}, []
        rows: dict[int, list] = {}
        fields: dict[int, set] = {}
        wanted = set()
        for record in records:
            key = (record["person_id"], record["component"], record["criterion"])
            wanted.add(key)
            before = stored.get(key)
            now = {
                general_marks.SELF: _decimal(record["self_mark"]),
                general_marks.EVALUATOR: _decimal(record["evaluator_mark"]),
            }
            was = {
                general_marks.SELF: before[1] if before else None,
                general_marks.EVALUATOR: before[2] if before else None,
            }
            changed = {field for field, value in now.items() if value != was[field]}
            if changed:
                rows.setdefault(key[0], []).append(record)
                fields.setdefault(key[0], set()).update(changed)
        for key in stored:
            if key not in wanted:  # the file removes this mark
                fields.setdefault(key[0], set()).update(general_marks.FIELDS)
        refused = general_marks.refused_people(context.user, context.period, fields)
        codes = {m.person_id: m.official_id for m in members.values()}
        return fields, [
            Issue(
                _(
                    "Điểm của công chức %(code)s: %(reason)s Hãy giữ nguyên các dòng của "
                    "người này như trong mẫu tải về (điểm đang lưu)."
                )
                % {"code": codes.get(person, ""), "reason": reason},
                sheet=SHEET,
                row=int(rows[person][0][ROW]) if rows.get(person) else None,
            )
            for person, reason in sorted(refused.items())
        ]

    def _stored_rows(self, context, members, stored) -> dict:
        """The stored marks (and leaders' đ/e) of the agency's people in the period, as the
        preview compared the file with them: a confirmation on a preview whose rows changed
        since is sent back (importers.pipeline)."""
        people = {m.person_id: m for m in members.values()}
        self_label, evaluator_label = str(_("Điểm tự chấm")), str(_("Điểm người đánh giá chấm"))
        rows = {
            _mark_subject(people[person], component, criterion): {
                self_label: shown(self_mark),
                evaluator_label: shown(evaluator_mark),
            }
            for (person, component, criterion), (_pk, self_mark, evaluator_mark) in stored.items()
            if person in people
        }
        organising, cohesion = str(_("Tiêu chí đ (%)")), str(_("Tiêu chí e (%)"))
        for mark in LeaderMark.objects.filter(
            period=context.period, civil_servant_id__in=list(people)
        ):
            official = people[mark.civil_servant_id].official_id
            subject = _("%(code)s · tiêu chí đ, e") % {"code": official}
            rows[subject] = {organising: shown(mark.organising), cohesion: shown(mark.cohesion)}
        level_label = str(_("Cấp độ đánh giá"))
        for person, code, level in CompetencyAssessment.objects.filter(
            period=context.period, civil_servant_id__in=list(people)
        ).values_list("civil_servant_id", "competency__code", "assessed_level"):
            subject = _mark_subject(people[person], COMPETENCY_COMPONENT, code)
            rows[subject] = {level_label: shown(level)}
        return rows

    # --- competencies of the position (issue 45 item 2) ----------------------------------------

    def _competency_row_issues(self, parsed, row, record, criterion) -> list[Issue]:
        """A competency row: the evaluator's column holds a whole level 1 … the competency's
        levels; no self-assessment (nobody assesses their own competencies)."""
        issues = []
        if not np.isnan(record["self_mark"]):
            issues.append(
                parsed.issue(
                    row,
                    "self_mark",
                    _(
                        "Năng lực “%(name)s” do người đánh giá đánh giá: để trống cột điểm tự "
                        "chấm, ghi cấp độ vào cột điểm người đánh giá chấm."
                    )
                    % {"name": criterion.label},
                )
            )
        value = record["evaluator_mark"]
        if not np.isnan(value) and (
            float(value) != int(value) or not 1 <= int(value) <= criterion.max_points
        ):
            issues.append(
                parsed.issue(
                    row,
                    "evaluator_mark",
                    _("%(message)s Đang là %(value)s.")
                    % {
                        "message": competencies.level_message(criterion.required),
                        "value": vi_decimal(value),
                    },
                )
            )
        return issues

    def _competency_levels(self, parsed, context, records, elsewhere, counts):
        """(person id → {competency id: level}, changes, issues). An empty level keeps the
        stored one: a file never deletes an assessment. Who may is asked as at the commit."""
        wanted: dict = defaultdict(dict)
        rows = {}
        for record in records:
            if np.isnan(record["evaluator_mark"]):
                continue
            wanted[record["person_id"]][record["competency_id"]] = int(record["evaluator_mark"])
            rows[(record["person_id"], record["competency_id"])] = record
        stored = {
            (row.civil_servant_id, row.competency_id): row.assessed_level
            for row in CompetencyAssessment.objects.filter(
                period=context.period, civil_servant_id__in=list(wanted)
            )
        }
        people = CivilServant.objects.in_bulk(list(wanted))
        assessed, changes, issues = {}, [], []
        for person, levels in wanted.items():
            changed = {
                competency: level
                for competency, level in levels.items()
                if stored.get((person, competency)) != level
            }
            counts.unchanged += len(levels) - len(changed)
            if not changed:
                continue
            first = rows[(person, next(iter(changed)))]
            owner = elsewhere.get(person)
            reason = (
                _("điểm của người này trong kỳ do %(owner)s chấm.") % {"owner": owner.agency_name}
                if owner is not None
                else competencies.refusal(context.user, people[person], context.period)
            )
            if reason is not None:
                issues.append(
                    parsed.issue(
                        first[ROW],
                        "evaluator_mark",
                        _("Năng lực của công chức %(code)s: %(reason)s")
                        % {"code": first["official_id"], "reason": reason},
                    )
                )
                continue
            assessed[person] = changed
            for competency, level in changed.items():
                record = rows[(person, competency)]
                before = stored.get((person, competency))
                if before is None:
                    counts.new += 1
                else:
                    counts.changed += 1
                changes.append(
                    Change(
                        CHANGED,
                        _mark_subject(people[person], COMPETENCY_COMPONENT, record["criterion"]),
                        field_changes([(_("Cấp độ đánh giá"), before, level)]),
                        SHEET,
                        int(record[ROW]),
                    )
                )
        return assessed, changes, issues

    # --- leader criteria đ, e ---------------------------------------------------------------

    def _leader_row_issues(self, parsed, row, record, criterion) -> list[Issue]:
        """A đ or e row: the evaluator's column holds one of the framework's levels; there is
        no self-mark (Form 01: the leader sees but does not choose them)."""
        issues = []
        if not np.isnan(record["self_mark"]):
            issues.append(
                parsed.issue(
                    row,
                    "self_mark",
                    _(
                        "Tiêu chí %(code)s do người đánh giá chọn: để trống cột điểm tự chấm, ghi "
                        "mức vào cột điểm người đánh giá chấm."
                    )
                    % {"code": LEADER_SHOWN[criterion.code]},
                )
            )
        value = record["evaluator_mark"]
        levels = criterion.allowed_percents
        if not np.isnan(value) and _decimal(value) not in levels:
            issues.append(
                parsed.issue(
                    row,
                    "evaluator_mark",
                    # The sentence of every door (scoring.services.leader_marks), with the cell's.
                    _("Tiêu chí %(code)s: %(message)s Đang là %(value)s.")
                    % {
                        "code": LEADER_SHOWN[criterion.code],
                        "message": leader_marks.level_message(levels),
                        "value": vi_decimal(value),
                    },
                )
            )
        return issues

    def _leader_pairs(self, parsed, leader_records) -> list[Issue]:
        """đ and e of one leader come together, or neither (as on Form 01)."""
        by_person: defaultdict[int, dict[str, dict]] = defaultdict(dict)
        for record in leader_records:
            if not np.isnan(record["evaluator_mark"]):
                by_person[record["person_id"]][record["criterion"]] = record
        issues = []
        for given in by_person.values():
            if len(given) == 1:
                (record,) = given.values()
                issues.append(
                    parsed.issue(
                        record[ROW],
                        "evaluator_mark",
                        leader_marks.pair_message(),
                    )
                )
        return issues

    def _leader_marks(self, parsed, context, leader_records, elsewhere, counts):
        """(person id → {field: level}, changes, issues). A leader whose đ/e rows are left
        empty keeps the stored levels: a file never deletes them."""

        wanted: defaultdict[int, dict[str, Decimal]] = defaultdict(dict)
        rows: dict[int, tuple[int, str]] = {}
        for record in leader_records:
            value = _decimal(record["evaluator_mark"])
            if value is None:
                continue
            wanted[record["person_id"]][LEADER_FIELDS[record["criterion"]]] = value
            rows.setdefault(record["person_id"], (record[ROW], record["official_id"]))
        stored = {
            mark.civil_servant_id: mark
            for mark in LeaderMark.objects.filter(
                period=context.period, civil_servant_id__in=list(wanted)
            )
        }
        leaders, changes, issues = {}, [], []
        for person, values in wanted.items():
            mark = stored.get(person)
            before = {field: getattr(mark, field, None) for field in values}
            row, official = rows[person]
            if mark is not None and before == values:
                counts.unchanged += len(values)
                continue
            owner = elsewhere.get(person)
            if owner is not None:
                issues.append(
                    parsed.issue(
                        row,
                        "evaluator_mark",
                        _(
                            "Điểm của công chức %(code)s trong kỳ %(period)s do %(owner)s chấm; "
                            "tệp của %(agency)s không thay đổi được."
                        )
                        % {
                            "code": official,
                            "period": context.period.label,
                            "owner": owner.agency_name,
                            "agency": context.agency.name,
                        },
                    )
                )
                continue
            leaders[person] = values
            if mark is None:
                counts.new += len(values)
            else:
                differing = sum(1 for field, value in values.items() if before[field] != value)
                counts.changed += differing
                counts.unchanged += len(values) - differing
                fields = field_changes(
                    [
                        (_("Tiêu chí đ (%)"), before.get("organising"), values.get("organising")),
                        (_("Tiêu chí e (%)"), before.get("cohesion"), values.get("cohesion")),
                    ]
                )
                changes.append(
                    Change(CHANGED, _("%(code)s · tiêu chí đ, e") % {"code": official}, fields,
                           SHEET, int(row))
                )  # fmt: skip
        return leaders, changes, issues

    def _rated_elsewhere(self, parsed, context, records, stored, elsewhere):
        """Rows of people another agency rates: skipped when they repeat the stored marks
        (one warning per person), refused when they would change them."""
        if not elsewhere:
            return records, []
        kept, issues, skipped = [], [], defaultdict(list)
        for record in records:
            owner = elsewhere.get(record["person_id"])
            if owner is None:
                kept.append(record)
                continue
            key = (record["person_id"], record["component"], record["criterion"])
            before = stored.get(key, (None, None, None))[1:]
            values = (_decimal(record["self_mark"]), _decimal(record["evaluator_mark"]))
            if before == values:
                skipped[(record["official_id"], owner)].append(record[ROW])
                continue
            field = "evaluator_mark" if before[1] != values[1] else "self_mark"
            issues.append(
                parsed.issue(
                    record[ROW],
                    field,
                    _(
                        "Điểm của công chức %(code)s trong kỳ %(period)s do %(owner)s chấm (nơi "
                        "công tác từ %(start)s); tệp của %(agency)s không thay đổi được. Hãy để "
                        "nguyên hoặc xoá các dòng của người này."
                    )
                    % {
                        "code": record["official_id"],
                        "period": context.period.label,
                        "owner": owner.agency_name,
                        "start": owner.start_date.strftime("%d/%m/%Y"),
                        "agency": context.agency.name,
                    },
                )
            )
        for (official, owner), rows in skipped.items():
            issues.append(
                Issue(
                    _(
                        "Điểm của công chức %(code)s trong kỳ %(period)s do %(owner)s chấm (nơi "
                        "công tác từ %(start)s): %(count)d dòng của người này được bỏ qua, điểm "
                        "đã lưu giữ nguyên."
                    )
                    % {
                        "code": official,
                        "period": context.period.label,
                        "owner": owner.agency_name,
                        "start": owner.start_date.strftime("%d/%m/%Y"),
                        "count": len(rows),
                    },
                    sheet=SHEET,
                    row=int(rows[0]),
                    severity=WARNING,
                )
            )
        return kept, issues

    def write(self, context: Context, result: KindResult) -> Counts:
        """The marks through their one write service (``general_marks.write_many``: who may,
        asked again for the people whose marks the file changes, the statements and their
        history), đ/e through ``leader_marks``. A row equal to the stored mark is not written:
        no statement, no history row."""
        records = result.payload["records"]
        general_marks.write_many(
            context.user,
            context.period,
            [
                {
                    "person_id": record["person_id"],
                    "component": record["component"],
                    "criterion": record["criterion"],
                    "self_mark": _decimal(record["self_mark"]),
                    "evaluator_mark": _decimal(record["evaluator_mark"]),
                    "evaluator_changed": record["evaluator_changed"],
                }
                for record in records
                if not record["unchanged"]  # nothing to write, no history row
            ],
            result.payload["removed"],
            result.payload.get("fields", {}),
            agency=context.agency,
        )
        self._write_leaders(context, result.payload.get("leaders", {}))
        self._write_competencies(context, result.payload.get("competencies", {}))
        return result.counts

    def _write_competencies(self, context: Context, assessed: dict) -> None:
        """The assessed levels through the one competency service
        (``scoring.services.competencies.save``: who may, asked again; the agency-then-period
        lock; the position's required competencies; the ORM: history, rescoring)."""
        people = CivilServant.objects.in_bulk(list(assessed))
        for person, levels in assessed.items():
            competencies.save(
                context.user, people[person], context.period, levels, evaluator=context.user
            )

    def _write_leaders(self, context: Context, leaders: dict) -> None:
        """đ and e through the one leader-mark service (``scoring.services.leader_marks.save``):
        the same rules as every other door, the agency-then-period lock, the ORM (change
        history, rescoring), the evaluator recorded. The preview's fingerprint already
        compared what the clerk was shown (docs/importers.md §12)."""
        people = CivilServant.objects.in_bulk(list(leaders))
        for person, values in leaders.items():
            leader_marks.save(people[person], context.period, values, evaluator=context.user)

    def build_template(self, context: Context):
        return build(self, context)

    def template_rows(self, context: Context) -> int:
        """The template's rows: each person this agency rates × their criteria (the builder's
        own first step, kept on the context for the build that follows)."""
        _members, criteria = people_and_criteria(context)
        return sum(len(rows or ()) for rows in criteria.values())
