"""Daily: e-mail the deadline warnings of the day (safe to run several times a day)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from worklog.services.warnings import send_deadline_warnings


class Command(BaseCommand):
    help = _("Gửi thư cảnh báo việc sắp đến hạn, quá hạn (mỗi việc tối đa một lần mỗi ngày).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help=_("Ngày xét cảnh báo, dạng YYYY-MM-DD (mặc định: hôm nay).")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ đếm, không gửi thư."))

    def handle(self, *args, **options):
        try:
            day = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError as exc:
            message = _("Ngày không hợp lệ: %(value)s") % {"value": options["date"]}
            raise CommandError(message) from exc
        report = send_deadline_warnings(day, dry_run=options["dry_run"])
        self.stdout.write(
            _("%(day)s: %(lines)d việc cần cảnh báo, %(messages)d thư.")
            % {"day": day.strftime("%d/%m/%Y"), "lines": report.lines, "messages": report.messages}
        )
        for name in report.without_address:
            self.stdout.write(_("Không có địa chỉ thư: %(name)s") % {"name": name})
