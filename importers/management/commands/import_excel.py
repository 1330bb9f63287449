"""Import a filled template from the command line, through the same pipeline as the admin.

    python manage.py import_excel PATH [--dry-run] [--kind KIND] [--agency CODE]
                                       [--period CODE] [--user USERNAME] [--allow-deletions]

Exit status: 0 imported (or valid, with --dry-run); 1 validation errors, all printed on stdout,
one per line as ``sheet!row:column message`` — or the file would delete stored rows and
``--allow-deletions`` was not given (the rows are listed, ``XOÁ …``); 2 the file cannot be read
at all. Nothing is written unless the exit status is 0 without --dry-run. Warnings, and with
--dry-run every change (old → new) and deletion, go to stderr.
"""

import errno

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from importers import pipeline
from importers.kinds import KINDS
from importers.reading.inspect import sha256_of
from org.models import Agency

CHANGES_PRINTED = 200


class Command(BaseCommand):
    help = "Nhập một tệp Excel theo mẫu (kiểm tra, rồi ghi trong một giao dịch)."

    def add_arguments(self, parser):
        parser.add_argument("path")
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

    def _run(self, path, dry_run, kind, agency, period, user, allow_deletions, **options):
        expected = pipeline.Expected(kind=kind, period_code=period)
        if agency:
            expected.agency = Agency.objects.filter(code=agency.strip().upper()).first()
            if expected.agency is None:
                raise CommandError(
                    _("Không có cơ quan mã %(code)s.") % {"code": agency}, returncode=2
                )
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(
                    _("Không có người dùng %(name)s.") % {"name": user}, returncode=2
                )
        try:
            digest = sha256_of(path)
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp %(path)s: %(error)s")
                % {"path": path, "error": _file_error(exc)},
                returncode=2,
            ) from None

        previous = pipeline.duplicate_of(digest)
        analysis, job = pipeline.commit(
            path,
            expected,
            user=account,
            original_name=path.rsplit("/", 1)[-1],
            dry_run=dry_run or previous is not None,
            allowed_removals=None if allow_deletions else 0,
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
        if previous is not None and not dry_run:
            self.stderr.write(
                _("Tệp này giống hệt tệp đã nhập ở lần #%(id)d; không có gì thay đổi.")
                % {"id": previous.pk}
            )
            return
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
        if dry_run:
            self._print_changes(analysis)
            self.stderr.write(_("Tệp hợp lệ (chạy thử, không ghi). ") + summary)
            if counts.removed and not allow_deletions:
                self.stderr.write(
                    _("Nhập thật tệp này sẽ xoá %(count)d dòng: cần thêm --allow-deletions.")
                    % {"count": counts.removed}
                )
            return
        self.stderr.write(_("Đã nhập (lần nhập #%(id)d). ") % {"id": job.pk} + summary)

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


def _file_error(exc: OSError) -> str:
    """The operating system's reason, in the user's language (strerror is English)."""
    reasons = {
        errno.ENOENT: _("không có tệp này (kiểm tra lại đường dẫn và tên tệp)"),
        errno.EACCES: _("không có quyền đọc tệp"),
        errno.EPERM: _("không có quyền đọc tệp"),
        errno.EISDIR: _("đây là một thư mục, không phải tệp"),
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))
