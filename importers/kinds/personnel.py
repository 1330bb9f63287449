"""Org structure and personnel of one agency: its units and its civil servants with postings.

Two sheets. "Đơn vị": units (phòng, ban, chi cục) under the agency. "Công chức": one row per
posting (a person with a primary and a concurrent posting has two rows). The rows are checked
with the same rules as the admin (``org.postings``: no overlapping primary postings, one head per
unit at a time), then written by django-import-export resources matched on natural keys:
units by code, people by official id, postings by (person, unit, job position, start date).

A personnel file adds and updates; it never deletes (history matters): to end a posting, fill
"Đến ngày". A person whose postings are all in other agencies cannot be changed from this
agency's file, and a unit code already used elsewhere in the province is refused.
"""

import datetime
from collections import defaultdict

import tablib

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from importers import conf
from importers.changes import CHANGED, Change, field_changes, shown
from importers.columns import DATE_BIRTH, DATE_START, ColumnSpec, ColumnType, SheetSpec
from importers.issues import WARNING, Issue
from importers.kinds.base import Context, Counts, KindResult, TemplateKind, with_stored
from importers.kinds.common import personnel_importer, unknown_position_message
from importers.reading.frame import ROW, ParsedSheet
from org.categories import ALIASES as CATEGORY_ALIASES
from org.categories import coverage_error, official_id_error
from org.models import (
    Agency,
    AgencyKind,
    CivilServant,
    Gender,
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

UNITS = "Đơn vị"
PEOPLE = "Công chức"

UNIT_COLUMNS = (
    ColumnSpec(
        "code",
        gettext_lazy("Mã đơn vị"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        help=gettext_lazy("Duy nhất trong toàn tỉnh, ví dụ STP-VP."),
    ),
    ColumnSpec("name", gettext_lazy("Tên đơn vị"), required=True, max_length=255, width=40),
    ColumnSpec(
        "parent_code",
        gettext_lazy("Mã đơn vị cấp trên"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="units",
        help=gettext_lazy("Mã của cơ quan hoặc của một đơn vị thuộc cơ quan."),
    ),
    ColumnSpec(
        "is_active",
        gettext_lazy("Đang hoạt động"),
        ColumnType.BOOL,
        default=True,
        width=10,
        dropdown="yes_no",
    ),
)

ROLE_CHOICES = tuple(LeadershipRole.choices)  # lazy labels: shown in the user's language
GENDER_CHOICES = tuple(Gender.choices)
CATEGORY_CHOICES = tuple(PersonCategory.choices)

PEOPLE_COLUMNS = (
    ColumnSpec(
        "official_id",
        gettext_lazy("Mã số công chức"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
    ),
    ColumnSpec(
        "full_name",
        gettext_lazy("Họ và tên"),
        required=True,
        max_length=150,
        width=26,
        person_name=True,
    ),
    ColumnSpec(
        "gender",
        gettext_lazy("Giới tính"),
        ColumnType.CHOICE,
        choices=GENDER_CHOICES,
        width=8,
        dropdown="genders",
        clearable=True,
    ),
    ColumnSpec(
        "date_of_birth",
        gettext_lazy("Ngày sinh"),
        ColumnType.DATE,
        width=12,
        clearable=True,
        date_rule=DATE_BIRTH,
    ),
    ColumnSpec("email", gettext_lazy("Thư điện tử"), max_length=254, width=24, clearable=True),
    ColumnSpec(
        "phone", gettext_lazy("Số điện thoại"), max_length=20, width=14, phone=True, clearable=True
    ),
    ColumnSpec(
        "unit_code",
        gettext_lazy("Mã đơn vị công tác"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="units",
    ),
    ColumnSpec(
        "job_position_code",
        gettext_lazy("Mã vị trí việc làm"),
        ColumnType.CODE,
        required=True,
        max_length=32,
        width=16,
        dropdown="positions",
    ),
    ColumnSpec(
        "role",
        gettext_lazy("Chức vụ lãnh đạo"),
        ColumnType.CHOICE,
        choices=ROLE_CHOICES,
        default=LeadershipRole.STAFF,
        width=22,
        dropdown="roles",
        aliases=(
            ("truong", LeadershipRole.HEAD),
            ("pho", LeadershipRole.DEPUTY),
            ("khong", LeadershipRole.STAFF),
        ),
    ),
    ColumnSpec("title", gettext_lazy("Chức danh"), max_length=120, width=20, clearable=True),
    ColumnSpec(
        "start_date",
        gettext_lazy("Từ ngày"),
        ColumnType.DATE,
        required=True,
        width=12,
        date_rule=DATE_START,
    ),
    ColumnSpec("end_date", gettext_lazy("Đến ngày"), ColumnType.DATE, width=12, clearable=True),
    ColumnSpec(
        "is_concurrent",
        gettext_lazy("Kiêm nhiệm"),
        ColumnType.BOOL,
        default=False,
        width=10,
        dropdown="yes_no",
    ),
    # Cán bộ, công chức, viên chức or contract worker in this posting (docs/scope.md);
    # files from the templates before it are read as "Công chức".
    ColumnSpec(
        "category",
        pgettext_lazy("person category", "Đối tượng"),
        ColumnType.CHOICE,
        choices=CATEGORY_CHOICES,
        default=PersonCategory.CIVIL_SERVANT,
        width=24,
        added_later=True,
        help=gettext_lazy(
            "Cán bộ, Công chức, Viên chức hoặc Người lao động hợp đồng; để trống là Công chức. "
            "Người lao động hợp đồng dùng mã nội bộ bắt đầu bằng HD-."
        ),
        aliases=tuple(CATEGORY_ALIASES.items()),
    ),
)

UNIT_SHEET = SheetSpec(
    name=UNITS,
    columns=UNIT_COLUMNS,
    title=gettext_lazy("CÁC ĐƠN VỊ THUỘC CƠ QUAN"),
    optional=True,
)
PEOPLE_SHEET = SheetSpec(
    name=PEOPLE, columns=PEOPLE_COLUMNS, title=gettext_lazy("CÔNG CHỨC VÀ QUÁ TRÌNH CÔNG TÁC")
)

PERSON_FIELDS = ("official_id", "full_name", "gender", "date_of_birth", "email", "phone")
POSTING_FIELDS = (
    "civil_servant",
    "agency",
    "job_position",
    "role",
    "title",
    "start_date",
    "end_date",
    "is_concurrent",
    "category",
)


class PersonnelKind(TemplateKind):
    code = "personnel"
    changes_scores = True
    label = gettext_lazy("Cơ cấu tổ chức, công chức")
    sheets = (UNIT_SHEET, PEOPLE_SHEET)

    def can_import(self, user, agency) -> bool:
        return personnel_importer(user, agency)

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
                self._run(result)
                result.issues += _sign_in_notes(people, context, people_rows)
                transaction.set_rollback(True)
        return result

    # --- rules ------------------------------------------------------------------------------

    def _check_units(self, sheet, rows, agency, subtree):
        issues, seen = [], {}
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
        names, keys = {}, {}
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
            for message in own_overlap_errors(spans):
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
        self._run(result)
        if conf.creates_sign_ins() and context.user is not None:
            # The one provisioning service (accounts.services): its batch lists the result,
            # and its slips are printed from the accounts page.
            from accounts.services import provision_imported

            provision_imported(
                context.user,
                context.agency,
                {row["official_id"] for row in result.payload["people"]},
            )
        return result.counts

    def _run(self, result: KindResult) -> None:
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
        from importers.builders.personnel import build

        return build(self, context)


def _case_only(stored: str, new: str) -> bool:
    """``new`` differs from ``stored`` in letter case only, and is not a better-cased name
    (all capitals or all lower case): "HUỲNH TRUNG LUÂN" for "Huỳnh Trung Luân"."""
    return (
        bool(stored and new)
        and stored != new
        and stored.casefold() == new.casefold()
        and (new.isupper() or new.islower())
    )


def _stored_people(rows) -> dict:
    """Official id → the stored person of the file's rows, with their postings."""
    officials = {row["official_id"] for row in rows if row["official_id"]}
    return {
        person.official_id: person
        for person in CivilServant.objects.filter(official_id__in=officials).prefetch_related(
            "postings__agency", "postings__job_position"
        )
    }


def _match_postings(rows, stored) -> list[tuple[int, datetime.date]]:
    """Set ``row["_posting"]``: the stored posting a row stands for — the one with the same
    unit, job position and start date, else (a corrected start date) the only one of the same
    unit and job position, overlapping the row, that no other row stands for. Returns the
    corrections (posting id, new start date)."""
    corrections = []
    by_person = defaultdict(list)
    for row in rows:
        row["_posting"] = None
        person = stored.get(row["official_id"])
        if person is None or not row["start_date"]:
            continue
        for posting in person.postings.all():
            key = (posting.agency.code, posting.job_position.code, posting.start_date)
            if key == (row["unit_code"], row["job_position_code"], row["start_date"]):
                row["_posting"] = posting
        by_person[row["official_id"]].append(row)
    for official, person_rows in by_person.items():
        taken = {r["_posting"].pk for r in person_rows if r["_posting"] is not None}
        for row in person_rows:
            if row["_posting"] is not None:
                continue
            end = row["end_date"] or datetime.date.max
            candidates = [
                p
                for p in stored[official].postings.all()
                if p.pk not in taken
                and (p.agency.code, p.job_position.code)
                == (row["unit_code"], row["job_position_code"])
                and p.start_date <= end
                and row["start_date"] <= (p.end_date or datetime.date.max)
            ]
            if len(candidates) == 1:
                row["_posting"] = candidates[0]
                taken.add(candidates[0].pk)
                corrections.append((candidates[0].pk, row["start_date"]))
    return corrections


PERSON_CLEARABLE = ("gender", "date_of_birth", "email", "phone")
POSTING_CLEARABLE = ("title", "end_date")


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def _keep_blanks(rows, stored, cleared, blank_clears=False) -> tuple[int, int]:
    """A blank cell keeps the stored value; a cell holding the clear marker clears it, and so
    does every blank cell when the clerk ticked "Ô trống là xoá giá trị đang lưu" (review
    2026-11-23, importers F11). Returns (stored values kept, stored values the file clears)."""
    kept, clearing = set(), set()
    for row in rows:
        person = stored.get(row["official_id"])
        if person is None:
            continue
        targets = [(person, PERSON_CLEARABLE, ("person", person.pk))]
        if row["_posting"] is not None:
            targets.append((row["_posting"], POSTING_CLEARABLE, ("posting", row["_posting"].pk)))
        for obj, fields, ident in targets:
            for field in fields:
                old = getattr(obj, field)
                if _blank(old) or not _blank(row[field]):
                    continue
                if blank_clears or (row["row"], field) in cleared:
                    clearing.add((*ident, field))
                else:
                    row[field] = old
                    kept.add((*ident, field))
    return len(kept), len(clearing)


def _sign_in_notes(sheet, context: Context, rows) -> list[Issue]:
    """What the import will do about sign-ins, for the preview (run inside its dry run, so the
    file's new people are there): how many it creates, or why it creates none."""
    if not conf.creates_sign_ins() or context.user is None:
        return []
    from accounts.roles import admin_agencies
    from accounts.services import planned_for_import

    if not admin_agencies(context.user).filter(pk=context.agency.pk).exists():
        message = _(
            "Tỉnh bật tạo tài khoản đăng nhập khi nhập hồ sơ, nhưng bạn không quản lý tài khoản "
            "của cơ quan này: tệp không tạo tài khoản nào. Sở Nội vụ hoặc quản trị cơ quan tạo "
            "tài khoản ở trang “Tài khoản đăng nhập”."
        )
    else:
        count = planned_for_import(
            context.user, context.agency, {row["official_id"] for row in rows}
        ).count()
        if not count:
            return []
        message = _(
            "Khi xác nhận, phần mềm tạo %(count)d tài khoản đăng nhập cho những người trong tệp "
            "đang công tác ở cơ quan mà chưa có tài khoản. In phiếu kích hoạt ở trang “Tài khoản "
            "đăng nhập”, mục “Các lần tạo tài khoản gần đây”."
        ) % {"count": count}
    return [Issue(message, sheet=sheet.spec.name, severity=WARNING)]


def _blank_notes(sheet, kept: int, clearing: int, renamed: int) -> list[Issue]:
    notes = []
    if kept:
        notes.append(
            Issue(
                _(
                    "%(count)d ô để trống được giữ nguyên giá trị đang lưu (ô trống nghĩa là "
                    "không đổi). Để xoá một giá trị đang lưu, ghi “(xoá)” vào ô đó."
                )
                % {"count": kept},
                sheet=sheet.spec.name,
                severity=WARNING,
            )
        )
    if clearing:
        notes.append(
            Issue(
                _(
                    "Tệp sẽ xoá %(count)d giá trị đang lưu (các ô ghi “(xoá)”, hoặc ô trống khi "
                    "đã chọn “Ô trống là xoá giá trị đang lưu”; xem phần thay đổi)."
                )
                % {"count": clearing},
                sheet=sheet.spec.name,
                severity=WARNING,
            )
        )
    if renamed > conf.max_renames():
        notes.append(
            Issue(
                _(
                    "Tệp đổi họ tên của %(count)d người (xem phần thay đổi). Nếu cột họ tên bị "
                    "sắp xếp riêng hay dán lệch dòng, đừng xác nhận: hãy tải mẫu mới. Nếu đúng là "
                    "đổi họ tên, đánh dấu ô đồng ý đổi họ tên khi xác nhận (dòng lệnh: "
                    "--allow-renames)."
                )
                % {"count": renamed},
                sheet=sheet.spec.name,
                severity=WARNING,
            )
        )
    return notes


def _folded_name(name) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", str(name or "")).casefold().split())


def _renames(sheet, rows, stored, agency) -> tuple[list[Issue], int]:
    """A stored person whose new name is another person's — stored in the agency, or in another
    row of the file — is refused: the name column was sorted on its own or pasted out of line
    (review 2026-11-23, importers F8). Returns the issues and how many people are renamed."""
    renamed = {}
    for row in rows:
        person = stored.get(row["official_id"])
        if person is not None and row["full_name"] and row["full_name"] != person.full_name:
            renamed.setdefault(person.official_id, row)
    if not renamed:
        return [], 0
    colleagues = {}
    for official, name in (
        CivilServant.objects.filter(postings__agency__path__startswith=agency.path)
        .values_list("official_id", "full_name")
        .distinct()
    ):
        colleagues.setdefault(_folded_name(name), official)
    in_file = {}
    for row in rows:
        if row["full_name"]:
            in_file.setdefault(_folded_name(row["full_name"]), []).append(row)
    issues = []
    for official, row in renamed.items():
        person = stored[official]
        folded = _folded_name(row["full_name"])
        other = colleagues.get(folded)
        if other is not None and other != official:
            where = _("công chức mã số %(code)s đang mang họ tên này") % {"code": other}
        else:
            clash = next((r for r in in_file.get(folded, ()) if r["official_id"] != official), None)
            if clash is None:
                continue
            where = _("dòng %(row)d (mã số %(code)s) cũng ghi họ tên này") % {
                "row": clash["row"],
                "code": clash["official_id"],
            }
        issues.append(
            sheet.issue(
                row["row"],
                "full_name",
                _(
                    "Mã số %(code)s đang lưu họ tên “%(stored)s”, tệp ghi “%(new)s” nhưng "
                    "%(where)s: cột họ tên có lẽ đã bị sắp xếp riêng hoặc dán lệch dòng. Hãy ghi "
                    "lại “%(stored)s” (hoặc tải mẫu mới và dán lại cả dòng)."
                )
                % {
                    "code": official,
                    "stored": person.full_name,
                    "new": row["full_name"],
                    "where": where,
                },
            )
        )
    return issues, len(renamed)


def _compare_with_stored(sheet, rows, stored) -> tuple[list[Issue], list[Change]]:
    """Old → new of every stored person and posting the file changes (for the preview).

    A name that differs from the stored one only by being in capitals (or lower case) keeps
    the stored name, with a warning: retyping a list in CAPS must not rename everyone.
    """
    genders, roles = dict(Gender.choices), dict(LeadershipRole.choices)
    categories = dict(PersonCategory.choices)
    warnings, changes, seen = [], [], set()
    for row in rows:
        person = stored.get(row["official_id"])
        if person is None:
            continue
        if _case_only(person.full_name, row["full_name"]):
            warnings.append(
                sheet.issue(
                    row["row"],
                    "full_name",
                    _(
                        "Họ tên “%(new)s” chỉ khác họ tên đã lưu “%(stored)s” ở chữ hoa, chữ "
                        "thường; hệ thống giữ nguyên họ tên đã lưu."
                    )
                    % {"new": row["full_name"], "stored": person.full_name},
                    severity=WARNING,
                )
            )
            row["full_name"] = person.full_name
        label = f"{person.official_id} {person.full_name}"
        if person.official_id not in seen:
            seen.add(person.official_id)
            fields = field_changes(
                [
                    (_("Họ và tên"), person.full_name, row["full_name"]),
                    (
                        _("Giới tính"),
                        genders.get(person.gender, ""),
                        genders.get(row["gender"], ""),
                    ),
                    (_("Ngày sinh"), person.date_of_birth, row["date_of_birth"]),
                    (_("Thư điện tử"), person.email, row["email"]),
                    (_("Số điện thoại"), person.phone, row["phone"]),
                ]
            )
            if fields:
                changes.append(Change(CHANGED, label, fields, sheet.spec.name, row["row"]))
        posting = row["_posting"]
        if posting is not None:
            fields = field_changes(
                [
                    (_("Từ ngày"), posting.start_date, row["start_date"]),
                    (
                        _("Chức vụ lãnh đạo"),
                        roles.get(posting.role, ""),
                        roles.get(row["role"], ""),
                    ),
                    (_("Chức danh"), posting.title, row["title"]),
                    (_("Đến ngày"), posting.end_date, row["end_date"]),
                    (_("Kiêm nhiệm"), posting.is_concurrent, bool(row["is_concurrent"])),
                    (
                        pgettext("person category", "Đối tượng"),
                        categories.get(posting.category, ""),
                        categories.get(row.get("category") or PersonCategory.CIVIL_SERVANT, ""),
                    ),
                ]
            )
            if fields:
                subject = _("%(person)s — %(unit)s, %(position)s, từ %(start)s") % {
                    "person": label,
                    "unit": posting.agency.code,
                    "position": posting.job_position.code,
                    "start": posting.start_date.strftime("%d/%m/%Y"),
                }
                changes.append(Change(CHANGED, subject, fields, sheet.spec.name, row["row"]))
    return warnings, changes


def _stored_rows(agency, rows) -> dict:
    """The stored units of the agency and the stored people of the file with all their postings,
    as the preview compared the file with them (subject → {field: shown value}): a
    confirmation on a preview whose rows changed since is sent back (importers.pipeline)."""
    genders, roles = dict(Gender.choices), dict(LeadershipRole.choices)
    categories = dict(PersonCategory.choices)
    found = {}
    for unit in Agency.objects.filter(path__startswith=agency.path).select_related("parent"):
        found[_("Đơn vị %(code)s") % {"code": unit.code}] = {
            str(_("Tên đơn vị")): unit.name,
            str(_("Mã đơn vị cấp trên")): unit.parent.code if unit.parent else "",
            str(_("Đang hoạt động")): shown(unit.is_active),
        }
    officials = {row["official_id"] for row in rows if row["official_id"]}
    people = CivilServant.objects.filter(official_id__in=officials).prefetch_related(
        "postings__agency", "postings__job_position"
    )
    for person in people:
        found[person.official_id] = {
            str(_("Họ và tên")): person.full_name,
            str(_("Giới tính")): str(genders.get(person.gender, "")),
            str(_("Ngày sinh")): shown(person.date_of_birth),
            str(_("Thư điện tử")): person.email,
            str(_("Số điện thoại")): person.phone,
        }
        for posting in person.postings.all():
            subject = _("%(person)s — %(unit)s, %(position)s, từ %(start)s") % {
                "person": person.official_id,
                "unit": posting.agency.code,
                "position": posting.job_position.code,
                "start": shown(posting.start_date),
            }
            found[subject] = {
                str(_("Chức vụ lãnh đạo")): str(roles.get(posting.role, "")),
                str(_("Chức danh")): posting.title,
                str(_("Đến ngày")): shown(posting.end_date),
                str(_("Kiêm nhiệm")): shown(posting.is_concurrent),
                str(pgettext("person category", "Đối tượng")): str(
                    categories.get(posting.category, "")
                ),
            }
    return found


def _stronger(a: str, b: str) -> str:
    order = {"new": 2, "update": 1}
    return a if order.get(a, 0) >= order.get(b, 0) else b


def _count(counts: Counts, import_type: str) -> None:
    if import_type == "new":
        counts.new += 1
    elif import_type == "update":
        counts.changed += 1
    else:
        counts.unchanged += 1


def _parents_first(rows, agency_code):
    """Units sorted so every parent comes before its children."""
    remaining = list(rows)
    placed = {agency_code}
    ordered = []
    while remaining:
        ready = [
            r
            for r in remaining
            if r["parent_code"] in placed or r["parent_code"] not in {x["code"] for x in remaining}
        ]
        if not ready:
            ordered.extend(remaining)
            break
        for row in ready:
            ordered.append(row)
            placed.add(row["code"])
            remaining.remove(row)
    return ordered


def _heads_within_file(sheet, rows) -> list[Issue]:
    issues = []
    heads = defaultdict(list)
    for row in rows:
        if row["role"] == LeadershipRole.HEAD and not row["is_concurrent"] and row["start_date"]:
            heads[row["unit_code"]].append(row)
    for unit_rows in heads.values():
        for i, later in enumerate(unit_rows):
            for earlier in unit_rows[:i]:
                if earlier["official_id"] == later["official_id"]:
                    continue
                if earlier["start_date"] <= (later["end_date"] or datetime.date.max) and later[
                    "start_date"
                ] <= (earlier["end_date"] or datetime.date.max):
                    issues.append(
                        sheet.issue(
                            later["row"],
                            "role",
                            _(
                                "Đơn vị %(unit)s có hai cấp trưởng trong cùng thời gian (dòng "
                                "%(row)d)."
                            )
                            % {"unit": later["unit_code"], "row": earlier["row"]},
                        )
                    )
                    break
    return issues
