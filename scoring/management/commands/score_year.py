from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.models import Agency, CivilServant
from scoring.services import score_year


class Command(BaseCommand):
    help = _("Tính điểm năm và xếp loại (trước và sau tỷ lệ xuất sắc) từ kết quả các kỳ đã lưu.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help=_("Năm đánh giá, ví dụ 2026."))
        parser.add_argument("--agency", help=_("Mã cơ quan, đơn vị (mặc định: cả tỉnh)."))

    def handle(self, *args, **options):
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"].strip().upper()).first()
            if agency is None:
                message = _("Không tìm thấy cơ quan, đơn vị có mã %(code)s.")
                raise CommandError(message % {"code": options["agency"]})
        report = score_year(options["year"], agency)
        self.stdout.write(
            _(
                "Năm %(year)d: %(people)d công chức; ghi %(written)d kết quả, %(unchanged)d "
                "không đổi (%(seconds).1f giây)."
            )
            % {
                "year": options["year"],
                "people": report.people,
                "written": report.written,
                "unchanged": report.unchanged,
                "seconds": report.seconds,
            }
        )
        names = dict(
            CivilServant.objects.filter(pk__in=report.errors).values_list("pk", "full_name")
        )
        for person, errors in sorted(report.errors.items()):
            self.stdout.write(
                _("%(name)s: không tính được điểm năm — %(errors)s")
                % {
                    "name": names.get(person, person),
                    "errors": "; ".join(f"{k}: {v}" for k, v in errors.items()),
                }
            )
