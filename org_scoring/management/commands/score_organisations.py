"""``python manage.py score_organisations --year 2026 [--agency STP]``: score agencies/units of a
year bottom-up and store the results (unchanged inputs are not rewritten)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.models import Agency
from org_scoring.services import score_organisations


class Command(BaseCommand):
    help = _(
        "Chấm điểm, xếp loại các cơ quan, đơn vị của một năm (từ cấp dưới lên) và lưu kết quả."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("Năm đánh giá, ví dụ 2026."))
        parser.add_argument(
            "--agency",
            help=_(
                "Mã cơ quan, đơn vị: chấm cơ quan đó, các đơn vị trực thuộc và cấp trên của nó."
            ),
        )

    def handle(self, *args, **options):
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"].strip().upper()).first()
            if agency is None:
                message = _("Không tìm thấy cơ quan, đơn vị có mã %(code)s.")
                raise CommandError(message % {"code": options["agency"]})
        report = score_organisations(options["year"], agency)
        self.stdout.write(
            _(
                "Năm %(year)d: %(agencies)d cơ quan, đơn vị (%(scored)d được chấm điểm, "
                "%(not_scored)d chưa đủ dữ liệu); ghi %(written)d kết quả, %(unchanged)d không "
                "đổi (%(seconds).1f giây)."
            )
            % {
                "year": options["year"],
                "agencies": report.agencies,
                "scored": report.scored,
                "not_scored": report.not_scored,
                "written": report.written,
                "unchanged": report.unchanged,
                "seconds": report.seconds,
            }
        )
