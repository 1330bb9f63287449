"""Send the day's batch of final results to the national civil-servant database."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.national_export import export


class Command(BaseCommand):
    help = _(
        "Gửi lô kết quả chính thức (kết quả theo kỳ đã khóa sổ, xếp loại năm đã quyết định) tới "
        "Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức: tệp JSON và CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help=_("Ngày của lô (yyyy-mm-dd), mặc định hôm nay."),
        )

    def handle(self, *args, **options):
        result = export(options["date"], respect_backoff=False)
        if result.collected:
            self.stdout.write(
                _("Đã bổ sung %(count)d kết quả chính thức vào danh sách gửi.")
                % {"count": result.collected}
            )
        if result.error:
            raise CommandError(
                _("Gửi lô %(batch)s (%(count)d bản ghi) không thành công: %(error)s")
                % {"batch": result.batch, "count": result.count, "error": result.error}
            )
        if not result.count:
            self.stdout.write(_("Không có kết quả nào cần gửi."))
            return
        self.stdout.write(
            _("Đã gửi lô %(batch)s: %(count)d bản ghi (%(reference)s).")
            % {"batch": result.batch, "count": result.count, "reference": result.reference}
        )
