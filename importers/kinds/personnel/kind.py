"""The personnel kind: its rules in order, the preview run in a savepoint, the write through
the people's write service (``org.people_writes.save_many``)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import provision_imported
from importers import conf
from importers import rules as import_rules
from importers.builders.personnel import build
from importers.changes import shown
from importers.issues import Issue
from importers.kinds.base import Context, Counts, KindResult, TemplateKind, with_stored
from importers.kinds.common import (
    personnel_importer,
    personnel_importer_among,
    unknown_position_message,
)
from importers.kinds.personnel.rules import (
    _blank_notes,
    _compare_with_stored,
    _count,
    _date_issues,
    _heads_within_file,
    _history_issues,
    _keep_blanks,
    _keep_posting_fields,
    _match_postings,
    _moved_in_place,
    _parents_first,
    _refused_issues,
    _renames,
    _sign_in_notes,
    _stored_people,
    _stored_rows,
    _stronger,
)
from importers.kinds.personnel.spec import (
    PEOPLE,
    PEOPLE_SHEET,
    PERSON_FIELDS,
    POSTING_FIELDS,
    UNIT_SHEET,
    UNITS,
)
from importers.reading.frame import ROW, ParsedSheet
from org import people_writes
from org.categories import coverage_error, official_id_error
from org.models import (
    Agency,
    AgencyKind,
    CivilServant,
    JobPosition,
    LeadershipRole,
    PersonCategory,
    Posting,
)
from org.postings import (
    PostingSpan,
    check_posting_change,
    own_overlap_errors,
    second_head_errors,
)


def _identity_conflict_message(sheet, person, person_rows):
    """The refusals of rows of one official ID that cannot be one person (empty when said
    already at the name), or ``None`` when they can."""
    for row in person_rows if person is not None else ():
        if (
            row.get("_posting") is None
            and row["full_name"]
            and not import_rules.same_name(row["full_name"], person.full_name)
        ):
            return [
                sheet.issue(
                    row["row"],
                    "official_id",
                    _(
                        "Mã số %(code)s là của %(name)s, đang có quá trình công tác trùng "
                        "thời gian với dòng này; dòng này ghi họ tên “%(typed)s”. Nếu đây là "
                        "người khác, mã số đã bị gõ nhầm hoặc trùng: hãy ghi đúng mã số của "
                        "người này. Nếu đúng là %(name)s đổi họ tên và chuyển công tác, hãy ghi "
                        "ngày kết thúc cho quá trình cũ của người đó."
                    )
                    % {
                        "code": person.official_id,
                        "name": person.full_name,
                        "typed": row["full_name"],
                    },
                )
            ]
    first = person_rows[0]
    for row in person_rows[1:]:
        if (
            row["full_name"]
            and first["full_name"]
            and not import_rules.same_name(row["full_name"], first["full_name"])
        ):
            return []  # "… ở dòng … có họ tên khác" is said already, at the name
        if (
            person is None
            and row["date_of_birth"]
            and first["date_of_birth"]
            and row["date_of_birth"] != first["date_of_birth"]
        ):
            return [
                sheet.issue(
                    row["row"],
                    "official_id",
                    _(
                        "Mã số %(code)s ở dòng %(first)d ghi ngày sinh %(birth)s, dòng này ghi "
                        "%(other)s: hai người không dùng chung một mã số. Hãy ghi đúng mã số của "
                        "người ở dòng này (nếu là cùng một người, ghi cùng một ngày sinh)."
                    )
                    % {
                        "code": row["official_id"],
                        "first": first["row"],
                        "birth": shown(first["date_of_birth"]),
                        "other": shown(row["date_of_birth"]),
                    },
                )
            ]
    return None


def _overlap_cause(sheet, person, person_rows, unmatched):
    """What a posting overlap really is, when it is not two postings of one person: two people
    under one official ID (a new person typed with a colleague's ID, a row pasted twice with
    other details: review 2026-11-25, importers P03, P04), or a stored posting whose job
    position or unit the row changed in place (import rule 3) — the refusals saying so, or
    ``None``. "End the earlier posting or mark it concurrent" would merge two people, or add
    a second posting to one."""
    twin = _identity_conflict_message(sheet, person, person_rows)
    if twin is not None:
        return twin
    return _moved_in_place(sheet, person_rows, unmatched) or None


class PersonnelKind(TemplateKind):
    code = "personnel"
    changes_scores = True
    label = gettext_lazy("Cơ cấu tổ chức, công chức")
    sheets = (UNIT_SHEET, PEOPLE_SHEET)

    def can_import(self, user, agency) -> bool:
        return personnel_importer(user, agency)

    def imports_any(self, user, agencies) -> bool:
        return personnel_importer_among(user, agencies).exists()

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        units, people = sheets[UNITS], sheets[PEOPLE]
        issues = [*units.issues, *people.issues]
        agency = context.agency
        subtree = {a.code: a for a in agency.descendants(include_self=True)}
        unit_rows = units.frame.to_dict("records")
        people_rows = people.frame.to_dict("records")
        for row in unit_rows + people_rows:
            row["row"] = row.pop(ROW)

        stored = _stored_people(people_rows)
        corrections = _match_postings(people_rows, stored)
        _keep_posting_fields(people_rows, stored)
        cleared = context.extra.get("cleared", {}).get(PEOPLE, set())
        kept, clearing = _keep_blanks(
            people_rows, stored, cleared, context.extra.get("blank_clears", False)
        )
        sheet_units, unit_issues = self._check_units(units, unit_rows, agency, subtree)
        issues += unit_issues
        known_units = set(subtree) | set(sheet_units)
        issues += self._check_people(
            people, people_rows, agency, known_units, subtree, context.user
        )
        issues += _history_issues(people, people_rows)
        issues += _date_issues(people, people_rows, stored)
        case_warnings, changes = _compare_with_stored(people, people_rows, stored)
        issues += case_warnings
        name_issues, renamed = _renames(people, people_rows, stored, agency)
        issues += name_issues
        counts = Counts(total=len(unit_rows) + len(people_rows))
        counts.renamed, counts.cleared = renamed, clearing
        issues += _blank_notes(people, kept, clearing, renamed)
        payload = {
            "units": _parents_first(unit_rows, agency.code),
            "people": people_rows,
            "corrections": corrections,
        }
        result = KindResult(issues=issues, counts=counts, payload=payload, changes=changes)
        with_stored(result, _stored_rows(agency, people_rows))
        if not any(issue.is_error for issue in issues):
            # The preview runs the real import inside a savepoint rolled back at once: the
            # resources' own dry run does not save, so postings would not find new people.
            with transaction.atomic():
                try:
                    self._run(result, context.user)
                except people_writes.BulkRefused as refused:
                    result.issues += _refused_issues(people, people_rows, refused)
                else:
                    result.issues += _sign_in_notes(people, context, people_rows)
                transaction.set_rollback(True)
        return result

    # --- rules ------------------------------------------------------------------------------

    def _check_units(self, sheet, rows, agency, subtree):
        issues: list[Issue] = []
        seen: dict[str, int] = {}
        codes = {row["code"] for row in rows if row["code"]}
        outside = {
            a.code: a
            for a in Agency.objects.filter(code__in=codes).exclude(path__startswith=agency.path)
        }
        for row in rows:
            code = row["code"]
            if not code:
                continue
            if code == agency.code:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "code",
                        _(
                            "Mã đơn vị %(code)s là mã của chính cơ quan; trang này chỉ ghi các "
                            "đơn vị "
                            "trực thuộc."
                        )
                        % {"code": code},
                    )
                )
            elif code in outside:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "code",
                        _("Mã đơn vị %(code)s đã được dùng cho “%(name)s” thuộc cơ quan khác.")
                        % {"code": code, "name": outside[code].name},
                    )
                )
            elif code in seen:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "code",
                        _("Mã đơn vị %(code)s trùng với dòng %(row)d.")
                        % {"code": code, "row": seen[code]},
                    )
                )
            elif code in subtree and subtree[code].kind != AgencyKind.UNIT:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "code",
                        _("Mã %(code)s không phải là mã của một phòng, ban, chi cục.")
                        % {"code": code},
                    )
                )
            else:
                seen[code] = row["row"]
        allowed_parents = set(subtree) | set(seen)
        for row in rows:
            parent = row["parent_code"]
            if parent and parent not in allowed_parents:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "parent_code",
                        _(
                            "Mã đơn vị cấp trên %(code)s không phải là cơ quan hay một đơn vị "
                            "thuộc "
                            "cơ quan."
                        )
                        % {"code": parent},
                    )
                )
        parents = {row["code"]: row["parent_code"] for row in rows if row["code"] in seen}
        for code, first_row in seen.items():
            chain, current = set(), code
            while current in parents and current not in chain:
                chain.add(current)
                current = parents[current]
            if current in chain:
                issues.append(
                    sheet.issue(
                        first_row,
                        "parent_code",
                        _("Đơn vị %(code)s trực thuộc chính nó (vòng lặp đơn vị cấp trên).")
                        % {"code": code},
                    )
                )
        return seen, issues

    def _check_people(self, sheet, rows, agency, known_units, subtree, user) -> list[Issue]:
        issues = []
        positions = set(JobPosition.objects.values_list("code", flat=True))
        names: dict[str, tuple[str, int]] = {}
        keys: dict[tuple, int] = {}
        for row in rows:
            # A row whose unit or job position is refused is not compared with the stored
            # postings: an overlap message about it would point at the wrong cause.
            row["_unmatched"] = (row["unit_code"] and row["unit_code"] not in known_units) or (
                row["job_position_code"] and row["job_position_code"] not in positions
            )
            if row["unit_code"] and row["unit_code"] not in known_units:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "unit_code",
                        _("Mã đơn vị %(code)s không phải là cơ quan hay một đơn vị thuộc cơ quan.")
                        % {"code": row["unit_code"]},
                    )
                )
            if row["job_position_code"] and row["job_position_code"] not in positions:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "job_position_code",
                        unknown_position_message(row["job_position_code"], positions),
                    )
                )
            if row["email"]:
                try:
                    validate_email(row["email"])
                except ValidationError:
                    issues.append(
                        sheet.issue(
                            row["row"],
                            "email",
                            _("“%(value)s” không phải là địa chỉ thư điện tử hợp lệ.")
                            % {"value": row["email"]},
                        )
                    )
            if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
                issues.append(
                    sheet.issue(
                        row["row"], "end_date", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
                    )
                )
            official = row["official_id"]
            if not official:
                continue
            row["category"] = row.get("category") or PersonCategory.CIVIL_SERVANT
            id_error = official_id_error(official, row["category"])
            if id_error:
                issues.append(sheet.issue(row["row"], "official_id", id_error))
            covered = coverage_error(
                row["category"], *self._owner(row["unit_code"], agency, subtree)
            )
            if covered:
                issues.append(sheet.issue(row["row"], "category", covered))
            if official in names and names[official][0] != row["full_name"]:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "full_name",
                        _("Mã số %(code)s ở dòng %(row)d có họ tên khác (“%(name)s”).")
                        % {"code": official, "row": names[official][1], "name": names[official][0]},
                    )
                )
            names.setdefault(official, (row["full_name"], row["row"]))
            key = (official, row["unit_code"], row["job_position_code"], row["start_date"])
            if key in keys:
                issues.append(
                    sheet.issue(
                        row["row"],
                        "start_date",
                        _(
                            "Trùng với dòng %(row)d (cùng công chức, đơn vị, vị trí và ngày bắt "
                            "đầu)."
                        )
                        % {"row": keys[key]},
                    )
                )
            keys.setdefault(key, row["row"])
        issues += self._check_people_against_db(sheet, rows, agency, subtree, user)
        return issues

    @staticmethod
    def _owner(unit_code, agency, subtree) -> tuple:
        """(owning agency of the person's unit, whether it switched on contract workers): the
        unit itself when it is an agency (a public-service unit), else the nearest agency above
        it in the file's subtree, else the importing agency (a unit the file adds)."""
        node = subtree.get(unit_code)
        while node is not None and not node.is_agency:
            node = next((a for a in subtree.values() if a.pk == node.parent_id), None)
        owner = node or agency.owning_agency or agency
        return owner, owner.applies_to_contract_workers

    def _check_people_against_db(self, sheet, rows, agency, subtree, user) -> list[Issue]:
        issues = []
        officials = {row["official_id"] for row in rows if row["official_id"]}
        existing = {
            person.official_id: person
            for person in CivilServant.objects.filter(official_id__in=officials).prefetch_related(
                "postings__agency", "postings__job_position"
            )
        }
        by_person = defaultdict(list)
        for row in rows:
            if row["official_id"] and row["start_date"]:
                by_person[row["official_id"]].append(row)
        for official, person_rows in by_person.items():
            if any(r.get("_unmatched") for r in person_rows):
                continue
            person = existing.get(official)
            first = person_rows[0]["row"]
            stored = list(person.postings.all()) if person else []
            if stored and not any(p.agency.path.startswith(agency.path) for p in stored):
                issues.append(
                    sheet.issue(
                        first,
                        "official_id",
                        _(
                            "Công chức mã số %(code)s đang thuộc cơ quan khác; việc điều động, "
                            "chuyển "
                            "công tác do Sở Nội vụ hoặc cơ quan đó cập nhật."
                        )
                        % {"code": official},
                    )
                )
                continue
            moved = []
            for row in person_rows:
                if row["unit_code"] not in subtree:
                    continue
                posting = row.get("_posting")
                for message in check_posting_change(
                    user,
                    person,
                    agency=agency,
                    start_date=row["start_date"],
                    end_date=row["end_date"],
                    is_concurrent=bool(row["is_concurrent"]),
                    posting=posting,
                    postings=stored,
                ):
                    widened = posting is not None and (
                        bool(row["is_concurrent"]) and not posting.is_concurrent
                    )
                    column = "is_concurrent" if widened else "end_date"
                    moved.append(sheet.issue(row["row"], column, message))
            if moved:
                # The person moved: the overlap message's advice ("…hoặc đánh dấu kiêm
                # nhiệm") would re-open the old posting; the move is what the clerk is told.
                issues += moved
                continue
            matched = {r["_posting"].pk for r in person_rows if r.get("_posting") is not None}
            spans = [
                PostingSpan(p.agency_id, p.role, p.start_date, p.end_date, p.is_concurrent)
                for p in stored
                if p.pk not in matched
            ]
            spans += [
                PostingSpan(0, r["role"], r["start_date"], r["end_date"], bool(r["is_concurrent"]))
                for r in person_rows
            ]
            overlaps = own_overlap_errors(spans)
            unmatched = [p for p in stored if p.pk not in matched]
            cause = _overlap_cause(sheet, person, person_rows, unmatched) if overlaps else None
            if cause is not None:
                issues += cause
                continue
            for message in overlaps:
                issues.append(sheet.issue(first, "start_date", message))
            for row in person_rows:
                unit = subtree.get(row["unit_code"])
                if unit is None or row["role"] != LeadershipRole.HEAD:
                    continue
                span = PostingSpan(
                    unit.pk,
                    row["role"],
                    row["start_date"],
                    row["end_date"],
                    bool(row["is_concurrent"]),
                )
                for message in second_head_errors(span, person.pk if person else None):
                    issues.append(sheet.issue(row["row"], "role", message))
        issues += _heads_within_file(sheet, rows)
        return issues

    # --- writing ------------------------------------------------------------------------------

    def write(self, context: Context, result: KindResult) -> Counts:
        self._run(result, context.user)
        if conf.creates_sign_ins() and context.user is not None:
            # The one provisioning service (accounts.services): its batch lists the result,
            # and its slips are printed from the accounts page.
            provision_imported(
                context.user,
                context.agency,
                {row["official_id"] for row in result.payload["people"]},
            )
        return result.counts

    def _run(self, result: KindResult, user) -> None:
        """The file's writes through the people's write service
        (``org.people_writes.save_many``: the people locked, then who may — the record, each
        posting added or changed — asked on what was written; a refusal undoes it all)."""
        officials = [row["official_id"] for row in result.payload["people"]]
        people_writes.save_many(user, officials, write=lambda: self._write_rows(result))

    def _write_rows(self, result: KindResult) -> None:
        import tablib  # loads pandas and openpyxl: only when a personnel file is written

        # deferred: loads tablib too
        from importers.resources import CivilServantResource, PostingResource, UnitResource

        payload = result.payload
        unit_data = tablib.Dataset(headers=["code", "name", "kind", "parent", "is_active"])
        for row in payload["units"]:
            unit_data.append(
                [
                    row["code"],
                    row["name"],
                    AgencyKind.UNIT,
                    row["parent_code"],
                    bool(row["is_active"]),
                ]
            )
        person_data = tablib.Dataset(headers=list(PERSON_FIELDS))
        seen = set()
        person_rows = []
        for row in payload["people"]:
            if row["official_id"] in seen:
                continue
            seen.add(row["official_id"])
            person_rows.append(row)
            person_data.append(
                [
                    row["official_id"],
                    row["full_name"],
                    row["gender"] or "",
                    row["date_of_birth"],
                    row["email"],
                    row["phone"],
                ]
            )
        posting_data = tablib.Dataset(headers=list(POSTING_FIELDS))
        for row in payload["people"]:
            posting_data.append(
                [
                    row["official_id"],
                    row["unit_code"],
                    row["job_position_code"],
                    row["role"],
                    row["title"],
                    row["start_date"],
                    row["end_date"],
                    bool(row["is_concurrent"]),
                    row.get("category") or PersonCategory.CIVIL_SERVANT,
                ]
            )

        # A corrected start date moves the stored posting's start (the resources match postings
        # on their start date): the row then updates it instead of adding a second posting.
        # Saved like the resources save (history row, rescoring signals).
        for posting_pk, start in payload.get("corrections", ()):
            posting = Posting.objects.get(pk=posting_pk)
            posting.start_date = start
            posting.save()
        unit_result = UnitResource().import_data(unit_data, raise_errors=True)
        person_result = CivilServantResource().import_data(person_data, raise_errors=True)
        posting_result = PostingResource().import_data(posting_data, raise_errors=True)
        counts = result.counts
        counts.new = counts.changed = counts.unchanged = 0
        for row_result in unit_result.rows:
            _count(counts, row_result.import_type)
        person_type = {
            row["official_id"]: row_result.import_type
            for row, row_result in zip(person_rows, person_result.rows, strict=True)
        }
        for row, row_result in zip(payload["people"], posting_result.rows, strict=True):
            _count(counts, _stronger(row_result.import_type, person_type[row["official_id"]]))

    def build_template(self, context: Context):
        return build(self, context)
