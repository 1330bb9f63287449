"""The personnel file compared with what is stored (people, postings, blanks, renames) and the
refusals shown on its rows."""

import datetime
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.roles import admin_agencies, manageable_people
from accounts.services import planned_for_import
from importers import conf
from importers import rules as import_rules
from importers.changes import CHANGED, Change, field_changes, shown
from importers.issues import WARNING, Issue
from importers.kinds.base import Context, Counts
from org.models import (
    Agency,
    CivilServant,
    Gender,
    LeadershipRole,
    PersonCategory,
)


def _refused_issues(sheet, rows, refused) -> list[Issue]:
    """The people's write service's refusals, each on the person's first row."""
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row["official_id"], row["row"])
    issues = []
    for official, message in refused.problems:
        row = first.get(official)
        issues.append(
            sheet.issue(row, "official_id", message) if row is not None else Issue(message)
        )
    return issues


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
            if row["full_name"] and not import_rules.same_name(
                row["full_name"], stored[official].full_name
            ):
                # Another name on a row that would correct the person's posting: another
                # person typed with this official ID (review 2026-11-25, importers P03), not a
                # correction — compared as a new posting, refused at the ID.
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
        targets: list[tuple[object, tuple[str, ...], tuple[str, int]]] = [
            (person, PERSON_CLEARABLE, ("person", person.pk))
        ]
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
    if not admin_agencies(context.user).filter(pk=context.agency.pk).exists():
        message = _(
            "Tỉnh bật tạo tài khoản đăng nhập khi nhập hồ sơ, nhưng bạn không quản lý tài khoản "
            "của cơ quan này: tệp không tạo tài khoản nào. Sở Nội vụ hoặc quản trị cơ quan tạo "
            "tài khoản ở trang “Tài khoản đăng nhập”."
        )
    else:
        officials = {row["official_id"] for row in rows if row["official_id"]}
        planned = set(
            planned_for_import(context.user, context.agency, officials).values_list(
                "official_id", flat=True
            )
        )
        notes = _no_sign_in_notes(sheet, context, rows, officials - planned)
        if not planned:
            return notes
        message = _(
            "Khi xác nhận, phần mềm tạo %(count)d tài khoản đăng nhập cho những người trong tệp "
            "đang công tác ở cơ quan mà chưa có tài khoản. In phiếu kích hoạt ở trang “Tài khoản "
            "đăng nhập”, mục “Các lần tạo tài khoản gần đây”."
        ) % {"count": len(planned)}
        return [Issue(message, sheet=sheet.spec.name, severity=WARNING), *notes]
    return [Issue(message, sheet=sheet.spec.name, severity=WARNING)]


def _no_sign_in_notes(sheet, context: Context, rows, officials) -> list[Issue]:
    """Who in the file gets no sign-in and why (review 2026-11-25, importers H3): one warning
    per person without one, at their first row — not posted in the agency today, or a sign-in
    the importer does not administer. People who already have a sign-in are not listed."""
    from django.db.models import Q
    from django.utils import timezone

    if not officials:
        return []
    today = timezone.localdate()
    people = CivilServant.objects.filter(official_id__in=list(officials), user=None)
    posted = set(
        people.filter(
            Q(postings__end_date__isnull=True) | Q(postings__end_date__gte=today),
            postings__agency__path__startswith=context.agency.path,
            postings__start_date__lte=today,
        ).values_list("official_id", flat=True)
    )
    managed = set(
        manageable_people(context.user)
        .filter(official_id__in=list(officials))
        .values_list("official_id", flat=True)
    )
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row["official_id"], row["row"])
    issues = []
    for official, name in people.order_by("official_id").values_list("official_id", "full_name"):
        if official not in posted:
            reason = _(
                "không công tác tại %(agency)s hôm nay (%(today)s): quá trình công tác ở cơ quan "
                "đã kết thúc hoặc chưa bắt đầu. Tài khoản được tạo khi người đó về công tác."
            ) % {"agency": context.agency.name, "today": shown(today)}
        elif official not in managed:
            reason = _(
                "bạn không quản lý tài khoản của người này; Sở Nội vụ tạo ở trang “Tài khoản đăng "
                "nhập”."
            )
        else:
            continue
        issues.append(
            sheet.issue(
                first.get(official),
                "official_id",
                _("%(code)s %(name)s không được tạo tài khoản đăng nhập: %(reason)s")
                % {"code": official, "name": name, "reason": reason},
                severity=WARNING,
            )
        )
    return issues


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
    renamed: dict[str, dict] = {}
    for row in rows:
        person = stored.get(row["official_id"])
        if person is not None and row["full_name"] and row["full_name"] != person.full_name:
            renamed.setdefault(person.official_id, row)
    if not renamed:
        return [], 0
    colleagues: dict[str, str] = {}
    for official, name in (
        CivilServant.objects.filter(postings__agency__path__startswith=agency.path)
        .values_list("official_id", "full_name")
        .distinct()
    ):
        colleagues.setdefault(_folded_name(name), official)
    in_file: dict[str, list[dict]] = {}
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
                        categories.get(row.get("category") or posting.category, ""),
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


def _keep_posting_fields(rows, stored) -> int:
    """Import rule 2 (``importers.rules``): a blank (or missing) "Đối tượng", "Chức vụ lãnh
    đạo" or "Kiêm nhiệm" keeps the stored posting's value; a new posting of a stored person
    keeps their category (a category changes by a decision, not by a transfer); a new person
    is a công chức, staff, primary posting. Returns how many stored values a blank kept."""
    kept = 0
    for row in rows:
        posting = row.get("_posting")
        person = stored.get(row["official_id"])
        latest = None
        if posting is None and person is not None:
            latest = max(person.postings.all(), key=lambda p: (p.start_date, p.pk), default=None)
        defaults = {
            "category": PersonCategory.CIVIL_SERVANT,
            "role": LeadershipRole.STAFF,
            "is_concurrent": False,
        }
        for field, default in defaults.items():
            if not import_rules.blank(row.get(field)):
                continue
            if posting is not None:
                row[field] = getattr(posting, field)
                kept += 1
            elif field == "category" and latest is not None:
                row[field] = latest.category
            else:
                row[field] = default
    return kept


def _history_issues(sheet, rows) -> list[Issue]:
    """Import rule 3: a stored posting's category or leadership role is not rewritten in place
    over periods already evaluated; the refusal says how to split the posting."""
    roles, categories = dict(LeadershipRole.choices), dict(PersonCategory.choices)
    issues = []
    for row in rows:
        posting = row.get("_posting")
        if posting is None:
            continue
        for field, key, labels, label in (
            ("category", "category", categories, pgettext("person category", "Đối tượng")),
            ("role", "role", roles, _("Chức vụ lãnh đạo")),
        ):
            old, new = getattr(posting, field), row.get(field)
            if import_rules.blank(new) or new == old:
                continue
            message = import_rules.in_place_change(
                str(label),
                str(labels.get(old, old)),
                str(labels.get(new, new)),
                posting.start_date,
                posting.end_date,
            )
            if message:
                issues.append(sheet.issue(row["row"], key, message))
    return issues


def _date_issues(sheet, rows, stored=None) -> list[Issue]:
    """Import rule 4: nobody holds a posting before the age of 16. Every posting of a person —
    the file's rows and the stored postings no row stands for — is checked against every birth
    date the file gives that person (a row's own, or the stored one kept by a blank cell): the
    birth date typed on one row of a person holds for the rows of their other postings too."""
    from django.utils import timezone

    stored = stored or {}
    # A birth date in the future or under 16 years ago is refused at its own cell already.
    latest_birth = import_rules.years_after(timezone.localdate(), -import_rules.MIN_POSTING_AGE)
    births: dict[str, dict] = defaultdict(dict)
    for row in rows:
        birth = row.get("date_of_birth")
        if row["official_id"] and birth and birth <= latest_birth:
            births[row["official_id"]].setdefault(birth, row["row"])
    issues = []
    for row in rows:
        candidates = births.get(row["official_id"], {}) if row["official_id"] else {}
        if not row["official_id"] and row.get("date_of_birth"):
            candidates = {row["date_of_birth"]: row["row"]}
        for birth in sorted(candidates):
            message = import_rules.posting_before_adulthood(birth, row["start_date"])
            if message:
                issues.append(sheet.issue(row["row"], "start_date", message))
                break
    for official, person_births in births.items():
        person = stored.get(official)
        if person is None:
            continue
        standing = {row["_posting"].pk for row in rows if row.get("_posting") is not None}
        for posting in sorted(person.postings.all(), key=lambda p: p.start_date):
            if posting.pk in standing:
                continue
            found = next(
                (
                    (birth, where, message)
                    for birth, where in sorted(person_births.items())
                    if birth != person.date_of_birth
                    for message in [
                        import_rules.posting_before_adulthood(birth, posting.start_date)
                    ]
                    if message
                ),
                None,
            )
            if found:
                _birth, where, message = found
                issues.append(
                    sheet.issue(
                        where,
                        "date_of_birth",
                        _("Quá trình công tác đang lưu ở %(unit)s: %(message)s")
                        % {"unit": posting.agency.code, "message": message},
                    )
                )
                break
    return issues


def _moved_in_place(sheet, person_rows, unmatched) -> list[Issue]:
    """Import rule 3 for the job position and the unit: a row that stands where a stored
    posting stands (same start date, same unit or same job position) but names another job
    position or unit is that posting changed in place, which would rewrite the periods already
    evaluated under it — refused with how to record the change from its date (instead of the
    overlap's advice, "… hoặc đánh dấu kiêm nhiệm", which would add a second posting)."""
    issues = []
    for row in person_rows:
        if row.get("_posting") is not None:
            continue
        for posting in unmatched:
            if posting.start_date != row["start_date"]:
                continue
            unit, position = posting.agency.code, posting.job_position.code
            if unit == row["unit_code"] and position != row["job_position_code"]:
                key, label, old, new = (
                    "job_position_code",
                    _("Vị trí việc làm"),
                    position,
                    row["job_position_code"],
                )
            elif position == row["job_position_code"] and unit != row["unit_code"]:
                key, label, old, new = "unit_code", _("Đơn vị"), unit, row["unit_code"]
            else:
                continue
            issues.append(
                sheet.issue(
                    row["row"],
                    key,
                    _(
                        "“%(label)s” của quá trình công tác từ %(start)s đang là “%(old)s”, tệp "
                        "ghi “%(new)s”. Quá trình công tác không đổi vị trí việc làm hay đơn vị "
                        "tại chỗ: các kỳ đã qua giữ “%(old)s”. Nếu có quyết định thay đổi: ghi "
                        "lại “%(old)s” và ngày kết thúc vào dòng này, rồi thêm một dòng mới ghi "
                        "“%(new)s” từ ngày quyết định có hiệu lực. Nếu không đổi: ghi lại "
                        "“%(old)s”."
                    )
                    % {
                        "label": label,
                        "start": shown(posting.start_date),
                        "old": old,
                        "new": new,
                    },
                )
            )
            break
    return issues
