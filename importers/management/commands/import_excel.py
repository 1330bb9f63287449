"""Import a filled template from the command line, through the same pipeline as the admin.

    python manage.py import_excel PATH [--dry-run | --preview] [--kind KIND] [--agency CODE]
                                       [--period CODE] [--user USERNAME] [--allow-deletions]
                                       [--allow-renames]
    python manage.py import_excel --confirm JOB_ID [--user USERNAME] [--allow-deletions]
                                                   [--allow-renames]

``--preview`` records the preview as an import job (as an upload in the admin does) and
``--confirm`` commits it: if the stored rows it was compared with changed meanwhile (a
colleague's import, an edit), nothing is written and the differences are printed (exit 1); the
job then holds the new preview, to be confirmed again.

Exit status: 0 imported (or valid, with --dry-run); 1 validation errors, all printed on stdout,
one per line as ``sheet!row:column message`` — or the file would delete stored rows and
``--allow-deletions`` was not given (the rows are listed, ``XOÁ …``); 2 the file cannot be read
at all. Nothing is written unless the exit status is 0 without --dry-run. Warnings, and with
--dry-run every change (old → new) and deletion, go to stderr.
"""

import errno
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from importers import conf, pipeline, tasks
from importers.kinds import KINDS
from importers.models import ImportJob, ImportStatus
from importers.reading.inspect import sha256_of
from org.models import Agency

CHANGES_PRINTED = 200


class Command(BaseCommand):
    help = "Nhập một tệp Excel theo mẫu (kiểm tra, rồi ghi trong một giao dịch)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")
        parser.add_argument(
            "--preview",
            action="store_true",
            help="Kiểm tra và lưu bản xem trước thành một lần nhập chờ xác nhận (--confirm).",
        )
        parser.add_argument(
            "--confirm",
            type=int,
            metavar="JOB_ID",
            help="Xác nhận nhập bản xem trước đã lưu (của --preview hoặc của trang quản trị).",
        )
        parser.add_argument(
            "--blank-clears",
            action="store_true",
            help="Ô trống là xoá giá trị đang lưu (mặc định: ô trống là không đổi).",
        )
        parser.add_argument(
            "--allow-renames",
            action="store_true",
            help="Đồng ý đổi họ tên khi tệp đổi họ tên của nhiều người (danh sách in khi chạy).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument("--kind", choices=sorted(KINDS), help="Loại mẫu phải khớp với tệp.")
        parser.add_argument("--agency", help="Mã cơ quan phải khớp với tệp.")
        parser.add_argument("--period", help="Mã kỳ phải khớp với tệp (2026-03, 2026-Q1).")
        parser.add_argument("--user", help="Tên đăng nhập ghi nhận là người nhập.")
        parser.add_argument(
            "--allow-deletions",
            action="store_true",
            help="Cho phép xoá các dòng đã nhập trước đây mà tệp không còn (mặc định: từ chối).",
        )

    def handle(self, *args, **options):
        # Messages in the site's language (Vietnamese), whatever a caller activated before.
        with translation.override(settings.LANGUAGE_CODE):
            self._run(**options)

    def _run(self, path, dry_run, kind, agency, period, user, allow_deletions, **options):  # noqa: C901
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(
                    _("Không có người dùng %(name)s.") % {"name": user}, returncode=2
                )
        if options.get("confirm"):
            return self._confirm(options["confirm"], account, allow_deletions, options)
        if not path:
            raise CommandError(_("Hãy ghi đường dẫn tệp, hoặc --confirm JOB_ID."), returncode=2)
        expected = pipeline.Expected(
            kind=kind, period_code=period, blank_clears=bool(options.get("blank_clears"))
        )
        if agency:
            expected.agency = Agency.objects.filter(code=agency.strip().upper()).first()
            if expected.agency is None:
                raise CommandError(
                    _("Không có cơ quan mã %(code)s.") % {"code": agency}, returncode=2
                )
        try:
            digest = sha256_of(path)
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp %(path)s: %(error)s")
                % {"path": path, "error": _file_error(exc)},
                returncode=2,
            ) from None

        if options.get("preview"):
            return self._preview(path, digest, expected, account)
        previous = pipeline.duplicate_of(digest)
        if previous is not None and not dry_run:
            # The same file as a committed one: nothing to do only if the stored rows still
            # hold what it holds (review 2026-11-23, importers F9).
            probe, _job = pipeline.commit(path, expected, user=account, dry_run=True)
            counts = probe.counts
            if probe.ok and not (counts.new or counts.changed or counts.removed):
                self.stderr.write(
                    _(
                        "Tệp này giống hệt tệp đã nhập ở lần #%(id)d; dữ liệu đang lưu khớp với "
                        "tệp, không có gì thay đổi."
                    )
                    % {"id": previous.pk}
                )
                return
            if probe.ok:
                self.stderr.write(
                    _(
                        "Tệp này giống hệt tệp đã nhập ở lần #%(id)d, nhưng dữ liệu đang lưu đã "
                        "khác tệp (đã được sửa sau lần nhập đó); tệp sẽ đặt lại như trong tệp."
                    )
                    % {"id": previous.pk}
                )
        analysis, job = pipeline.commit(
            path,
            expected,
            user=account,
            original_name=path.rsplit("/", 1)[-1],
            dry_run=dry_run,
            allowed_removals=None if allow_deletions else 0,
            allowed_renames=None if options.get("allow_renames") else 0,
        )
        if analysis.unreadable:
            for issue in analysis.issues:
                self.stderr.write(f"{path}: {issue.message}")
            raise CommandError(_("Không đọc được tệp."), returncode=2)
        for issue in analysis.warnings:
            self.stderr.write(_("CẢNH BÁO") + f" {issue.line()}")
        if analysis.errors:
            for issue in analysis.errors:
                self.stdout.write(issue.line())
            raise CommandError(
                _("Tệp có %(count)d lỗi; không có dữ liệu nào được ghi.")
                % {"count": len(analysis.errors)},
                returncode=1,
            )
        counts = analysis.counts
        summary = (
            _(
                "%(total)d dòng: %(new)d mới, %(changed)d thay đổi, %(unchanged)d không đổi, "
                "%(removed)d bị xoá."
            )
            % counts.as_dict()
        )
        if analysis.blocked_removals:
            for change in analysis.removals[:CHANGES_PRINTED]:
                self.stdout.write(change.line())
            self._more(analysis.blocked_removals - len(analysis.removals[:CHANGES_PRINTED]))
            raise CommandError(
                _(
                    "Tệp sẽ xoá %(count)d dòng đã nhập trước đây mà tệp không còn (danh sách ở "
                    "trên); không có dữ liệu nào được ghi. Nếu tệp chỉ có một phần dữ liệu, hãy "
                    "tải mẫu mới (đã điền sẵn mọi dòng hiện có) và điền tiếp. Nếu đúng là muốn "
                    "xoá, chạy lại với --allow-deletions."
                )
                % {"count": analysis.blocked_removals},
                returncode=1,
            )
        if analysis.blocked_renames:
            self._print_renames(analysis.changes, self.stdout)
            raise CommandError(
                _(
                    "Tệp đổi họ tên của %(count)d người (danh sách ở trên); chưa có dữ liệu nào "
                    "được ghi. Nếu cột họ tên bị sắp xếp riêng hay dán lệch dòng, hãy tải mẫu mới. "
                    "Nếu đúng là đổi họ tên, chạy lại với --allow-renames."
                )
                % {"count": analysis.blocked_renames},
                returncode=1,
            )
        if dry_run:
            self._print_changes(analysis)
            self.stderr.write(_("Tệp hợp lệ (chạy thử, không ghi). ") + summary)
            if counts.removed and not allow_deletions:
                self.stderr.write(
                    _("Nhập thật tệp này sẽ xoá %(count)d dòng: cần thêm --allow-deletions.")
                    % {"count": counts.removed}
                )
            return
        # Written: no error, nothing blocked, and a new job cannot be stale (pipeline.commit).
        assert job is not None
        self.stderr.write(_("Đã nhập (lần nhập #%(id)d). ") % {"id": job.pk} + summary)

    def _preview(self, path, digest, expected, account) -> None:
        """Record the file as an import job awaiting confirmation, as an upload does."""
        from django.core.files import File

        name = path.rsplit("/", 1)[-1]
        job = ImportJob(
            kind=expected.kind or "",
            agency=expected.agency,
            period_code=expected.period_code or "",
            original_name=name[:255],
            size=os.path.getsize(path),
            sha256=digest,
            uploaded_by=account,
            duplicate_of=pipeline.duplicate_of(digest),
            blank_clears=expected.blank_clears,
        )
        with open(path, "rb") as handle:
            job.file.save(f"{digest[:16]}-{secrets.token_hex(4)}.xlsx", File(handle), save=False)
        job.save()
        tasks.run_validation(job.pk)
        job.refresh_from_db()
        self._report_job(job)
        if job.can_confirm:
            self.stderr.write(
                _("Đã lưu bản xem trước (lần nhập #%(id)d). Để nhập: import_excel --confirm %(id)d")
                % {"id": job.pk}
            )

    def _confirm(self, job_id, account, allow_deletions, options) -> None:
        """Commit a recorded preview, through the same task as the admin's Confirm button."""
        from django.db import transaction

        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None or not job.can_confirm:
            raise CommandError(
                _("Lần nhập #%(id)d không ở trạng thái chờ xác nhận.") % {"id": job_id},
                returncode=1,
            )
        if job.rows_removed and not allow_deletions:
            for change in job.change_objects():
                if change.removed:
                    self.stdout.write(change.line())
            raise CommandError(
                _(
                    "Bản xem trước sẽ xoá %(count)d dòng đã có (danh sách ở trên); chưa có dữ "
                    "liệu nào được ghi. Nếu đúng là muốn xoá, chạy lại với --allow-deletions."
                )
                % {"count": job.rows_removed},
                returncode=1,
            )
        if job.rows_renamed > conf.max_renames() and not options.get("allow_renames"):
            self._print_renames(job.change_objects(), self.stdout)
            raise CommandError(
                _(
                    "Bản xem trước đổi họ tên của %(count)d người (danh sách ở trên); chưa có dữ "
                    "liệu nào được ghi. Nếu đúng là đổi họ tên, chạy lại với --allow-renames."
                )
                % {"count": job.rows_renamed},
                returncode=1,
            )
        with transaction.atomic():
            switched = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
                status=ImportStatus.COMMITTING,
                committed_by=account,
                allowed_removals=job.rows_removed,
                progress=0,
            )
        if not switched:
            raise CommandError(
                _("Lần nhập #%(id)d không ở trạng thái chờ xác nhận.") % {"id": job_id},
                returncode=1,
            )
        tasks.run_commit(job.pk)
        job.refresh_from_db()
        if job.status == ImportStatus.COMMITTED:
            counts = _counts(job)
            self.stderr.write(_("Đã nhập (lần nhập #%(id)d). ") % {"id": job.pk} + counts)
            return
        self._report_job(job, stream=self.stdout)
        if job.status == ImportStatus.PREVIEW:
            raise CommandError(
                _(
                    "Chưa có dữ liệu nào được ghi. Hãy xem lại bản xem trước mới ở trên, rồi "
                    "chạy lại import_excel --confirm %(id)d nếu vẫn muốn nhập."
                )
                % {"id": job.pk},
                returncode=1,
            )
        raise CommandError(
            _("Tệp có lỗi; không có dữ liệu nào được ghi."),
            returncode=1,
        )

    def _report_job(self, job, stream=None) -> None:
        """A recorded job's issues and changes, as the admin's job page shows them."""
        stream = stream or self.stderr
        for issue in job.issue_objects():
            prefix = "" if issue.is_error else _("CẢNH BÁO") + " "
            stream.write(prefix + issue.line())
        changes = job.change_objects()
        for change in [c for c in changes if c.removed][:CHANGES_PRINTED]:
            stream.write(change.line())
        for change in [c for c in changes if not c.removed][:CHANGES_PRINTED]:
            stream.write(_("THAY ĐỔI") + f" {change.line()}")
        stream.write(f"{job.get_status_display()}: {_counts(job)}")

    def _print_renames(self, changes, stream) -> None:
        label = str(_("Họ và tên"))
        for change in changes:
            if any(field.label == label for field in change.fields):
                stream.write(_("ĐỔI HỌ TÊN") + f" {change.line()}")

    def _print_changes(self, analysis) -> None:
        """Deletions, then old → new of every changed row (the admin's preview), on stderr."""
        removals = analysis.removals
        for change in removals[:CHANGES_PRINTED]:
            self.stderr.write(change.line())
        self._more(analysis.counts.removed - len(removals[:CHANGES_PRINTED]), self.stderr)
        changed = [change for change in analysis.changes if not change.removed]
        for change in changed[:CHANGES_PRINTED]:
            self.stderr.write(_("THAY ĐỔI") + f" {change.line()}")
        self._more(len(changed) - CHANGES_PRINTED, self.stderr)

    def _more(self, count, stream=None) -> None:
        if count > 0:
            (stream or self.stdout).write(_("… và %(count)d dòng khác.") % {"count": count})


def _counts(job) -> str:
    return _(
        "%(total)d dòng: %(new)d mới, %(changed)d thay đổi, %(unchanged)d không đổi, "
        "%(removed)d bị xoá."
    ) % {
        "total": job.rows_total,
        "new": job.rows_new,
        "changed": job.rows_changed,
        "unchanged": job.rows_unchanged,
        "removed": job.rows_removed,
    }


def _file_error(exc: OSError) -> str:
    """The operating system's reason, in the user's language (strerror is English)."""
    reasons: dict[int | None, str] = {
        errno.ENOENT: _("không có tệp này (kiểm tra lại đường dẫn và tên tệp)"),
        errno.EACCES: _("không có quyền đọc tệp"),
        errno.EPERM: _("không có quyền đọc tệp"),
        errno.EISDIR: _("đây là một thư mục, không phải tệp"),
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))
