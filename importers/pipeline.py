"""One pipeline for every template kind: inspect → read → check the template → parse → validate
→ (preview) → commit in one transaction.

``analyse()`` never raises for a bad file: everything wrong becomes an :class:`Issue` (with
``unreadable`` set when the file cannot be read at all). ``commit()`` runs the same analysis
inside a transaction, after locking the agency row, and writes only when it finds no error; the
ImportJob is updated (or, for the CLI, created) in that same transaction, and the previous
committed job of the same submission (kind + agency + period) is marked superseded.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import import_module

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cms.collection import collection_paused
from importers import bulk, conf
from importers.builders import base as builder_base
from importers.changes import since_preview
from importers.columns import spellings
from importers.issues import WARNING, Issue, one_error_per_cell, sort_issues
from importers.kinds import KINDS, get_kind
from importers.kinds.base import Context, Counts, KindResult, TemplateKind
from importers.meta import META_ROWS, META_SHEET, TemplateMeta, meta_from_properties, meta_from_rows
from importers.models import ImportJob, ImportStatus
from importers.reading import cells
from importers.reading.errors import UnreadableFile
from importers.reading.frame import MAX_HEADER_SHIFT, ROW, parse_sheet
from importers.reading.inspect import FileCheck, inspect_file
from importers.reading.workbook import open_workbook, read_sheets
from org import write_gate
from org.models import Agency
from org.text import fold_for_search
from scoring.models import Period, parse_period_code
from scoring.services import lines as line_service
from scoring.services.input_locks import lock_inputs
from scoring.services.rescoring import open_periods_on, request_rescore

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


@dataclass
class Expected:
    """What the uploader said the file is; ``None`` = take it from the file (CLI)."""

    kind: str | None = None
    agency: Agency | None = None
    period_code: str | None = None
    # The clerk ticked "Ô trống là xoá giá trị đang lưu": a blank cell of a clearable column
    # clears the stored value (by default it changes nothing; "(xoá)" clears one cell).
    blank_clears: bool = False


@dataclass
class Analysis:
    issues: list[Issue] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    unreadable: bool = False
    check: FileCheck | None = None
    meta: TemplateMeta | None = None
    kind: TemplateKind | None = None
    context: Context | None = None
    result: KindResult | None = None
    # Set by commit(): rows the file would delete beyond what the caller allowed (nothing was
    # written). Deletions are never implicit: the admin confirms them separately, the CLI needs
    # --allow-deletions.
    blocked_removals: int = 0
    # Set by commit(): the stored rows the file is compared with changed since the job's
    # preview (a review, another import…): nothing was written, the preview must be seen again.
    stale: bool = False
    # Set by commit(): people the file would rename beyond what the caller agreed to (the
    # file renames more than importers.conf.max_renames() people: a question, not a default).
    blocked_renames: int = 0

    @property
    def changes(self) -> list:
        return self.result.changes if self.result is not None else []

    @property
    def removals(self) -> list:
        return [change for change in self.changes if change.removed]

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors


def _quiet(percent: int, message: str) -> None:
    return None


def _meta_issue(meta: TemplateMeta, key: str, message: str) -> Issue:
    if meta.source == META_SHEET:
        return Issue(message, sheet=META_SHEET, row=META_ROWS[key], column="B")
    return Issue(message)


@collection_paused()
def analyse(
    path,
    expected: Expected | None = None,
    user=None,
    progress: Progress | None = None,
    on_context: Callable[[Context], None] | None = None,
) -> Analysis:
    expected = expected or Expected()
    progress = progress or _quiet
    analysis = Analysis()
    try:
        progress(5, _("Đang kiểm tra tệp"))
        analysis.check = inspect_file(path)
        workbook = open_workbook(path)
    except UnreadableFile as exc:
        return _unreadable(analysis, exc)
    with workbook:
        return _analyse_workbook(workbook, analysis, expected, user, progress, on_context)


def _unreadable(analysis: Analysis, exc: UnreadableFile) -> Analysis:
    analysis.unreadable = True
    analysis.issues = [Issue(exc.message, sheet=exc.sheet)]
    return analysis


def _analyse_workbook(workbook, analysis, expected, user, progress, on_context) -> Analysis:
    try:
        meta_rows = read_sheets(workbook, [META_SHEET], analysis.check).get(META_SHEET)
    except UnreadableFile as exc:
        return _unreadable(analysis, exc)
    meta = meta_from_rows(meta_rows.rows) if meta_rows else None
    if meta is None:
        meta = meta_from_properties(analysis.check.custom_properties)
    if meta is None:
        analysis.issues = [
            Issue(
                _(
                    "Tệp không phải mẫu của hệ thống KPI Công vụ (không có thông tin mẫu trong "
                    "trang ẩn “_meta”). Hãy tải mẫu từ trang Nhập, xuất Excel, điền rồi tải lên."
                ),
                sheet=META_SHEET,
            )
        ]
        return analysis
    analysis.meta = meta

    kind, context, issues = _resolve(meta, expected, user)
    analysis.kind, analysis.context = kind, context
    if issues or kind is None or context is None:
        analysis.issues = issues
        return analysis
    issues = kind.context_issues(context)
    if issues:
        analysis.issues = issues
        return analysis
    if on_context is not None:
        on_context(context)

    try:
        progress(20, _("Đang đọc dữ liệu"))
        raws = read_sheets(workbook, [spec.name for spec in kind.sheets], analysis.check)
    except UnreadableFile as exc:
        return _unreadable(analysis, exc)

    progress(40, _("Đang kiểm tra dữ liệu"))
    context.extra["cleared"] = take_clear_markers(raws, kind.sheets)
    context.extra["blank_clears"] = expected.blank_clears
    parsed = {spec.name: parse_sheet(raws.get(spec.name), spec) for spec in kind.sheets}
    del raws
    header_or_sheet_errors = [
        issue
        for sheet in parsed.values()
        for issue in sheet.issues
        if issue.is_error and (issue.row is None or issue.row <= sheet.spec.header_row)
    ]
    if header_or_sheet_errors:
        analysis.issues = header_or_sheet_errors
        return analysis

    try:
        copies = _copied_sheet_issues(workbook, kind, analysis.check)
    except UnreadableFile as exc:
        return _unreadable(analysis, exc)

    if not any(len(sheet.frame) for sheet in parsed.values()):
        first = kind.sheets[-1].name
        if any(issue.is_error for issue in copies):
            analysis.issues = copies
            return analysis
        analysis.issues = [
            Issue(
                _(
                    "Tệp không có dòng dữ liệu nào (dòng trống và dòng chỉ có phần điền sẵn được "
                    "bỏ qua)."
                ),
                sheet=first,
            ),
            *copies,
        ]
        return analysis

    progress(60, _("Đang đối chiếu với dữ liệu đã có"))
    result = kind.analyse(context, parsed)
    analysis.result = result
    analysis.issues = copies + sort_issues(one_error_per_cell(result.issues))
    analysis.counts = result.counts
    analysis.counts.error_rows = len({(i.sheet, i.row) for i in analysis.errors if i.row})
    progress(90, _("Đã kiểm tra xong"))
    return analysis


#: Sheets the clerk may add that the importer knowingly ignores (folded name prefixes): notes.
NOTES_SHEETS = ("ghi chu", "luu y", "note", "notes", "huong dan", "instructions", "readme")


def _own_sheet_names(kind) -> set[str]:
    """The sheets the template itself has (data, instructions, lists), folded, in every
    language."""
    names = set()
    for spec in kind.sheets:
        names |= spellings(spec.name)
    names |= spellings(builder_base.INSTRUCTIONS)
    for module in ("catalog", "general_marks", "personnel", "results"):
        builder = import_module(f"importers.builders.{module}")
        for value in vars(builder).values():
            if isinstance(value, Promise):
                names |= spellings(value)
    return names


def _header_row(raw, spec) -> int | None:
    """The row (1 to a few below the template's header row) holding most of ``spec``'s
    headers: a sheet "in the shape" of a data sheet, even with its title row left out."""
    needed = max(3, (len(spec.columns) + 1) // 2)
    for row in range(1, spec.header_row + MAX_HEADER_SHIFT + 1):
        found = (
            {fold_for_search(cells.clean_text(value)) for value in raw.rows[row - 1]}
            if (row - 1 < len(raw.rows))
            else set()
        )
        matches = sum(bool(found & column.header_spellings()) for column in spec.columns)
        if matches >= needed:
            return row
    return None


def _data_rows(raw, spec, name, header_row) -> list[int]:
    """Excel rows under ``header_row`` that hold data in the shape of ``spec``."""
    probe = parse_sheet(raw, replace(spec, name=name, header_row=header_row))
    header_errors = [
        i for i in probe.issues if i.is_error and i.row is not None and i.row <= header_row
    ]
    if not header_errors:
        return [int(row) for row in probe.frame[ROW].tolist()]
    # Headers partly retyped: any row with two filled cells counts.
    return [
        number
        for number, values in enumerate(raw.rows[header_row:], start=header_row + 1)
        if sum(not cells.is_empty(value) for value in values) >= 2
    ]


CLEAR_MARKERS = frozenset({"(xoá)", "(xóa)", "(xoa)", "xoá", "xóa"})


def is_clear_marker(value) -> bool:
    """The text a clerk types in a cell to clear the stored value (a blank cell changes
    nothing in the columns that say so: ``ColumnSpec.clearable``)."""
    if not isinstance(value, str) or len(value) > 12:
        return False
    import unicodedata

    text = unicodedata.normalize("NFC", value).strip().casefold().replace(" ", "")
    return text in CLEAR_MARKERS


def take_clear_markers(raws: dict, specs) -> dict[str, set[tuple[int, str]]]:
    """Sheet → {(Excel row, column key)} of the cells of clearable columns holding the clear
    marker; those cells are emptied in ``raws`` (the column then reads them as blank)."""
    found: dict[str, set[tuple[int, str]]] = {}
    for spec in specs:
        raw = raws.get(spec.name)
        positions = [(i, c.key) for i, c in enumerate(spec.columns) if c.clearable]
        if raw is None or not positions:
            continue
        for index, values in enumerate(raw.rows[spec.header_row :]):
            for position, key in positions:
                if position < len(values) and is_clear_marker(values[position]):
                    values[position] = ""
                    found.setdefault(spec.name, set()).add((spec.first_data_row + index, key))
    return found


def _copied_sheet_issues(workbook, kind, check) -> list[Issue]:
    """Sheets the importer does not read, so that no line is left out without a word.

    * A sheet holding rows in the shape of a data sheet (its headers on row 1 to a few rows
      below the template's header row: a copy "Kết quả (2)", or a sheet "P.HCTP" without the
      title row) is refused by name (reviews 2026-11-22 #5, 2026-11-23 F6).
    * Any other non-empty sheet that is not the template's own (instructions, lists) or a
      notes sheet ("Ghi chú") is a warning naming it."""
    own = {spec.name for spec in kind.sheets} | {META_SHEET}
    others = [name for name in workbook.sheet_names if name not in own]
    if not others:
        return []
    template_sheets = _own_sheet_names(kind)
    issues = []
    for name, raw in read_sheets(workbook, others, check).items():
        folded = fold_for_search(name)
        if folded in template_sheets:
            continue
        refused = False
        for spec in kind.sheets:
            header_row = _header_row(raw, spec)
            if header_row is None:
                continue
            rows = _data_rows(raw, spec, name, header_row)
            if not rows:
                continue
            issues.append(
                Issue(
                    _(
                        "Trang “%(sheet)s” có %(rows)d dòng dữ liệu cùng dạng trang “%(own)s” "
                        "nhưng hệ thống chỉ nhập trang “%(own)s”: hãy chép các dòng đó vào trang "
                        "“%(own)s”, xoá trang “%(sheet)s” rồi tải lên lại."
                    )
                    % {"sheet": name, "rows": len(rows), "own": spec.name},
                    sheet=name,
                    row=rows[0],
                )
            )
            refused = True
            break
        if refused or folded.startswith(NOTES_SHEETS):
            continue
        filled = next(
            (
                number
                for number, values in enumerate(raw.rows, start=1)
                if any(not cells.is_empty(value) for value in values)
            ),
            None,
        )
        if filled is None:
            continue
        data_sheets = ", ".join(f"“{spec.name}”" for spec in kind.sheets)
        issues.append(
            Issue(
                _(
                    "Trang “%(sheet)s” có nội dung nhưng không phải trang của mẫu, nên hệ thống "
                    "không đọc trang này (chỉ nhập trang %(own)s). Nếu trong đó có dòng cần "
                    "nhập, hãy chép vào trang %(own)s rồi tải lên lại; nếu chỉ là ghi chú, hãy "
                    "đặt tên trang là “Ghi chú” hoặc bỏ qua cảnh báo này."
                )
                % {"sheet": name, "own": data_sheets},
                sheet=name,
                row=filled,
                severity=WARNING,
            )
        )
    return issues


def _resolve(
    meta: TemplateMeta, expected: Expected, user
) -> tuple[TemplateKind | None, Context | None, list[Issue]]:
    """Kind, context and the problems of the template's own identity (the _meta sheet). No
    context when the file's agency is unknown and the upload named none (the CLI): the file
    is refused, and the job stays without agency."""
    kind = KINDS.get(meta.kind)
    if kind is None:
        return (
            None,
            None,
            [
                _meta_issue(
                    meta, "kind", _("Loại mẫu “%(kind)s” không được hỗ trợ.") % {"kind": meta.kind}
                )
            ],
        )
    issues = []
    if expected.kind and meta.kind != expected.kind:
        issues.append(
            _meta_issue(
                meta,
                "kind",
                _(
                    "Tệp là mẫu “%(actual)s”, không phải mẫu “%(expected)s” đã chọn. Hãy chọn "
                    "đúng loại, hoặc tải đúng mẫu."
                )
                % {"actual": kind.label, "expected": get_kind(expected.kind).label},
            )
        )
    if meta.template_version not in kind.supported_versions:
        issues.append(
            _meta_issue(
                meta,
                "template_version",
                _(
                    "Mẫu phiên bản %(version)s không còn được hỗ trợ (phiên bản hiện hành: "
                    "%(current)s). Hãy tải mẫu mới và chép dữ liệu sang."
                )
                % {"version": meta.template_version or "?", "current": kind.version},
            )
        )
    agency = Agency.objects.filter(code=meta.agency_code).first()
    agency_refused = agency is None
    if agency is None:
        issues.append(
            _meta_issue(
                meta,
                "agency_code",
                _("Mẫu ghi mã cơ quan “%(code)s” không có trong hệ thống.")
                % {"code": meta.agency_code},
            )
        )
    elif expected.agency is not None and agency.pk != expected.agency.pk:
        agency_refused = True
        issues.append(
            _meta_issue(
                meta,
                "agency_code",
                _(
                    "Tệp là mẫu của %(actual)s (%(actual_code)s), không phải của %(expected)s "
                    "(%(expected_code)s). Hãy tải mẫu của đúng cơ quan."
                )
                % {
                    "actual": agency.name,
                    "actual_code": agency.code,
                    "expected": expected.agency.name,
                    "expected_code": expected.agency.code,
                },
            )
        )
    elif user is not None and not kind.can_import(user, agency):
        agency_refused = True
        issues.append(
            _meta_issue(
                meta,
                "agency_code",
                _("Bạn không có quyền nhập dữ liệu cho %(agency)s.") % {"agency": agency.name},
            )
        )

    if agency_refused:
        # A file of another agency, or one the user may not import for, keeps the agency the
        # upload was made for: the job must not appear under (or to) the file's agency.
        agency = expected.agency
    period = None
    if kind.needs_period:
        period, period_issue = _resolve_period(meta, expected)
        if period_issue:
            issues.append(period_issue)
    elif expected.period_code and meta.period_code and expected.period_code != meta.period_code:
        issues.append(_period_mismatch(meta, expected))
    if agency is None:
        return kind, None, issues
    context = Context(
        agency=agency,
        period=period,
        period_code=period.code if period is not None else meta.period_code,
        user=user,
        meta=meta,
    )
    return kind, context, issues


def _period_mismatch(meta, expected) -> Issue:
    return _meta_issue(
        meta,
        "period_code",
        _("Tệp là mẫu của kỳ %(actual)s, không phải kỳ %(expected)s đã chọn.")
        % {"actual": meta.period_code, "expected": expected.period_code},
    )


def _resolve_period(meta, expected):
    if not meta.period_code:
        return None, _meta_issue(meta, "period_code", _("Mẫu không ghi kỳ đánh giá."))
    try:
        parse_period_code(meta.period_code)
    except ValueError as exc:
        return None, _meta_issue(meta, "period_code", str(exc))
    if expected.period_code:
        try:
            same = parse_period_code(expected.period_code) == parse_period_code(meta.period_code)
        except ValueError:
            same = False
        if not same:
            return None, _period_mismatch(meta, expected)
    period = Period.from_code(meta.period_code)
    if period is None:
        return None, _meta_issue(
            meta,
            "period_code",
            _("Kỳ đánh giá %(code)s chưa được tạo trong hệ thống.") % {"code": meta.period_code},
        )
    return period, None


# --- commit ---------------------------------------------------------------------------------


def _lock(context: Context) -> None:
    # The agency, then the period: the order every door writing these inputs takes
    # (scoring.services.input_locks; an API write of the same month waits, never deadlocks).
    lock_inputs([context.agency.pk], [context.period.pk] if context.period else [])
    # The kind locks the stored rows it compares the file with (e.g. results: the lines).
    context.extra["lock_stored"] = True


class NotCommitting(Exception):
    """The job no longer says "committing" when its commit takes the lock."""


@collection_paused()
def commit(
    path,
    expected: Expected | None = None,
    *,
    user=None,
    job: ImportJob | None = None,
    original_name: str = "",
    dry_run: bool = False,
    allowed_removals: int | None = 0,
    allowed_renames: int | None = None,
) -> tuple[Analysis, ImportJob | None]:
    """Analyse and, when there is no error (and not ``dry_run``), write — all in one transaction.

    ``allowed_removals``: how many stored rows the file may delete (``None``: any number). A
    file that would delete more is not written and ``analysis.blocked_removals`` says how many
    it would delete. ``allowed_renames``: how many people the file may rename when that is more
    than ``conf.max_renames()`` (``None``: any number); beyond it nothing is written and
    ``analysis.blocked_renames`` says how many. Returns the analysis and the committed job
    (``None`` when nothing was written).
    """
    # SQLite: the pages the write dirties stay in memory until COMMIT (bulk.roomy_cache).
    with bulk.roomy_cache(), transaction.atomic():
        if job is not None and job.pk:
            # Held until the commit ends: a job whose row can be locked while it says
            # "committing" has no live worker behind it (importers.recovery).
            locked = ImportJob.objects.select_for_update().filter(pk=job.pk).first()
            if locked is not None and locked.status != ImportStatus.COMMITTING:
                # Cancelled (or ended by recovery) since the task was queued: write nothing.
                raise NotCommitting(job.pk)
        analysis = analyse(path, expected, user=user, on_context=_lock)
        if not analysis.ok or dry_run:
            transaction.set_rollback(True)
            return analysis, None
        if allowed_removals is not None and analysis.counts.removed > allowed_removals:
            analysis.blocked_removals = analysis.counts.removed
            transaction.set_rollback(True)
            return analysis, None
        if _stale(job, analysis):
            analysis.stale = True
            transaction.set_rollback(True)
            return analysis, None
        renamed = analysis.counts.renamed
        if (
            allowed_renames is not None
            and renamed > conf.max_renames()
            and renamed > allowed_renames
        ):
            analysis.blocked_renames = renamed
            transaction.set_rollback(True)
            return analysis, None
        try:
            _write(analysis, user)
        except write_gate.Refused as refused:
            # A write service's gate, asked again under the locks, refused what the analysis
            # let through (e.g. a line of a person not posted in the user's subtrees during the
            # period): nothing is written, the refusal is shown like any other error.
            analysis.issues += _refusal_issues(refused)
            transaction.set_rollback(True)
            return analysis, None
        job = _record(job, analysis, user, path, original_name)
        _rescore(analysis, job, user)
    return analysis, job


def _write(analysis: Analysis, user) -> None:
    """The kind's write, with the lines' shared bulk writer (``importers.lines.store``) writing
    as ``user`` through the lines' write service (``scoring.services.lines``: who may for each
    line, again under the locks). The service does not request rescoring: :func:`_rescore`
    asks for the file's agency, naming the job."""
    kind, context, result = analysis.kind, analysis.context, analysis.result
    if kind is None or context is None or result is None:
        raise ValueError("only a file read to its end is written")
    with line_service.writing_as(user, agency_ids=[context.agency.pk]):
        kind.write(context, result)


def _refusal_issues(refused) -> list[Issue]:
    problems = getattr(refused, "problems", None)
    if not problems:
        return [Issue(refused.message)]
    issues = []
    for problem in problems[: conf.max_stored_issues()]:
        key, message = problem[0], problem[-1]
        row = key if isinstance(key, int) else None
        issues.append(Issue(message, row=row) if row is not None else Issue(message))
    return issues


def _stale(job: ImportJob | None, analysis: Analysis) -> bool:
    """Whether the rows the confirmed preview compared the file with have changed since."""
    previewed = job.scope_fingerprint if job is not None and job.pk else ""
    found = analysis.result.fingerprint if analysis.result is not None else ""
    return bool(previewed and found and previewed != found)


def stale_issues(previewed_rows: dict, analysis: Analysis) -> list[Issue]:
    """What a user whose confirmation came on a stale preview is told (before the new preview):
    that nothing was written, and which stored rows and fields changed since the preview."""
    stored = analysis.result.stored if analysis.result is not None else None
    differences = since_preview(previewed_rows, stored) if previewed_rows and stored else []
    if differences:
        head = _(
            "Dữ liệu đang lưu đã thay đổi từ lúc xem trước (có người vừa nhập hoặc sửa): "
            "%(count)d dòng đã khác (liệt kê dưới đây); chưa có dữ liệu nào được ghi. Hãy xem "
            "lại bản xem trước mới: tệp sẽ ghi đè những thay đổi đó nếu bạn xác nhận lần nữa."
        ) % {"count": len(differences)}
    else:
        head = _(
            "Dữ liệu đang lưu đã thay đổi từ lúc xem trước (ví dụ lãnh đạo vừa đánh giá một sản "
            "phẩm, hoặc có người vừa nhập tệp khác); chưa có dữ liệu nào được ghi. Hãy xem lại "
            "bản xem trước mới và xác nhận lần nữa."
        )
    issues = [Issue(head, severity=WARNING)]
    for change in differences[: conf.max_stored_issues()]:
        details = "; ".join(f"{f.label}: “{f.old}” → “{f.new}”" for f in change.fields)
        issues.append(
            Issue(
                _("Đã đổi từ lúc xem trước: %(subject)s: %(details)s")
                % {"subject": change.subject, "details": details},
                severity=WARNING,
            )
        )
    return issues


def _rescore(analysis: Analysis, job: ImportJob, user) -> None:
    """Scores follow the committed file: its agency is rescored in the background once this
    transaction commits — for the file's period, or (personnel) the open periods of today."""
    kind, context = analysis.kind, analysis.context
    if kind is None or context is None or not kind.changes_scores:
        return
    periods = (
        [context.period] if context.period is not None else open_periods_on(timezone.localdate())
    )
    reason = _("Nhập Excel, lần nhập số %(id)d") % {"id": job.pk}
    for period in periods:
        request_rescore(period, agency=context.agency, reason=reason, user=user)


def _record(job, analysis: Analysis, user, path, original_name) -> ImportJob:
    now = timezone.now()
    if job is None:
        check = analysis.check
        if check is None:
            raise ValueError("only a file read to its end is recorded")
        job = ImportJob(
            uploaded_by=user,
            original_name=original_name or str(path).rsplit("/", 1)[-1],
            size=check.size,
            sha256=check.sha256,
        )
        with open(path, "rb") as handle:
            job.file.save(job.original_name, File(handle), save=False)
    apply_analysis(job, analysis)
    job.status = ImportStatus.COMMITTED
    job.progress = 100
    job.progress_message = ""
    job.committed_at = now
    job.committed_by = user or job.committed_by
    job.finished_at = now
    previous = _previous_for(job)
    if previous is not None:
        ImportJob.objects.filter(pk=previous.pk).update(status=ImportStatus.SUPERSEDED)
        job.supersedes = previous
    job.save()
    return job


def _previous_for(job: ImportJob):
    """The committed job of the same submission (kind + agency + period) this one replaces."""
    jobs = ImportJob.objects.filter(
        kind=job.kind, agency=job.agency, period_code=job.period_code, status=ImportStatus.COMMITTED
    )
    if job.pk:
        jobs = jobs.exclude(pk=job.pk)
    return jobs.order_by("-committed_at", "-id").first()


def apply_analysis(job: ImportJob, analysis: Analysis) -> None:
    """Copy what the analysis found onto the job (not saved)."""
    if analysis.meta is not None and analysis.kind is not None:
        job.kind = analysis.kind.code
        job.template_version = analysis.meta.template_version[:16]
    if analysis.context is not None and analysis.context.agency is not None:
        job.agency = analysis.context.agency
        job.period_code = (analysis.context.period_code or "")[:16]
    counts = analysis.counts
    job.rows_total, job.rows_new, job.rows_changed = counts.total, counts.new, counts.changed
    job.rows_unchanged, job.rows_removed = counts.unchanged, counts.removed
    job.rows_error = counts.error_rows
    job.rows_renamed, job.values_cleared = counts.renamed, counts.cleared
    job.scope_fingerprint = analysis.result.fingerprint if analysis.result is not None else ""
    stored = analysis.result.stored if analysis.result is not None else None
    job.scope_rows = stored if stored and len(stored) <= conf.max_scope_rows() else {}
    job.error_count = len(analysis.errors)
    job.warning_count = len(analysis.warnings)
    limit = conf.max_stored_issues()
    job.issues = [issue.as_dict() for issue in sort_issues(analysis.issues)[:limit]]
    # Deletions first: the preview shows them before anything else.
    changes = sorted(analysis.changes, key=lambda change: not change.removed)
    job.changes = [change.as_dict() for change in changes[: conf.max_stored_changes()]]


def duplicate_of(sha256: str, kind: str | None = None, agency=None, period_code=None):
    """The current (committed, not superseded) job that imported this exact file, if any."""
    jobs = ImportJob.objects.filter(sha256=sha256, status=ImportStatus.COMMITTED)
    if kind:
        jobs = jobs.filter(kind=kind)
    if agency is not None:
        jobs = jobs.filter(agency=agency)
    if period_code is not None:
        jobs = jobs.filter(period_code=period_code)
    return jobs.order_by("-committed_at").first()
