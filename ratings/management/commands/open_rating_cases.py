"""Open the rating cases of a year (civil servants with an annual score, agencies and units)."""

from django.core.management.base import BaseCommand, CommandError

from org.models import Agency
from ratings.services.cases import open_cases


class Command(BaseCommand):
    help = "Lập hồ sơ xếp loại chất lượng của một năm (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--agency", help="Mã cơ quan: chỉ lập trong phạm vi cơ quan này.")

    def handle(self, *args, year, agency=None, **options):
        root = None
        if agency:
            root = Agency.objects.filter(code=agency.upper()).first()
            if root is None:
                raise CommandError(f"Không tìm thấy cơ quan có mã {agency}.")
        report = open_cases(year, root)
        self.stdout.write(
            f"{len(report.created)} hồ sơ mới, {report.existing} hồ sơ đã có, "
            f"{len(report.skipped)} người chưa đủ dữ liệu."
        )
