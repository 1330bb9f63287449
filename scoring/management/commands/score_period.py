from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.models import Agency
from scoring.models import Period
from scoring.services import score_period


class Command(BaseCommand):
    help = _(
        "Chấm điểm và lưu kết quả một kỳ (cả tỉnh hoặc một cơ quan và các đơn vị trực thuộc). "
        "Dữ liệu đầu vào không đổi thì kết quả không bị ghi lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help=_("Mã kỳ, ví dụ 2026-03 hoặc 2026-Q1."))
        parser.add_argument("--agency", help=_("Mã cơ quan, đơn vị (mặc định: cả tỉnh)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Cho phép tính lại kỳ đã khóa sổ (chỉ những người có dữ liệu thay đổi)."),
        )

    def handle(self, *args, **options):
        try:
            period = Period.from_code(options["period"], create=True)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"].strip().upper()).first()
            if agency is None:
                message = _("Không tìm thấy cơ quan, đơn vị có mã %(code)s.")
                raise CommandError(message % {"code": options["agency"]})
        report = score_period(period, agency, force=options["force"])
        if report.refused:
            raise CommandError(
                _("Kỳ %(period)s đã khóa sổ: dùng --force nếu thật sự cần tính lại.")
                % {"period": period.label}
            )
        self.stdout.write(
            _(
                "%(period)s: %(people)d công chức; ghi %(written)d kết quả, %(unchanged)d không "
                "đổi, %(not_scored)d không được chấm điểm, %(errors)d thiếu dữ liệu "
                "(%(seconds).1f giây)."
            )
            % {
                "period": period.label,
                "people": report.people,
                "written": report.written,
                "unchanged": report.unchanged,
                "not_scored": report.not_scored,
                "errors": report.with_errors,
                "seconds": report.seconds,
            }
        )
