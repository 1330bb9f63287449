"""Write pre-filled templates from the command line.

python manage.py export_template --kind KIND --agency CODE [--period 2026-03|2026-Q1] OUT.xlsx
python manage.py export_template --kind KIND --all-agencies OUTDIR [--period …]
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from importers.builders.base import template_filename
from importers.kinds import KINDS
from importers.kinds.base import Context
from org.models import AGENCY_KINDS, Agency
from scoring.models import Period, parse_period_code


class Command(BaseCommand):
    help = "Xuất mẫu Excel điền sẵn cho một cơ quan (hoặc mọi cơ quan)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="Tệp .xlsx, hoặc thư mục khi dùng --all-agencies.")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--agency", help="Mã cơ quan, ví dụ STP.")
        target.add_argument("--all-agencies", action="store_true")
        parser.add_argument("--period", help="Mã kỳ: 2026-03 (tháng) hoặc 2026-Q1 (quý).")

    def handle(self, *args, **options):
        # Messages in the site's language (Vietnamese), whatever a caller activated before.
        with translation.override(settings.LANGUAGE_CODE):
            self._run(**options)

    def _run(self, out, kind, agency, all_agencies, period, **options):
        template_kind = KINDS[kind]
        period_object = self._period(period, template_kind)
        if all_agencies:
            directory = Path(out)
            directory.mkdir(parents=True, exist_ok=True)
            agencies = Agency.objects.filter(kind__in=AGENCY_KINDS, is_active=True).order_by("path")
        else:
            found = Agency.objects.filter(code=agency.strip().upper()).first()
            if found is None:
                raise CommandError(_("Không có cơ quan mã %(code)s.") % {"code": agency})
            agencies = [found]
        written = 0
        for item in agencies:
            context = Context(
                agency=item,
                period=period_object,
                period_code=period_object.code if period_object else (period or ""),
            )
            problems = template_kind.template_issues(context)
            if problems:
                if not all_agencies:
                    raise CommandError(problems[0].message)
                self.stderr.write(f"{item.code}: {problems[0].message}")
                continue
            data = template_kind.build_template(context)
            if all_agencies:
                target = directory / template_filename(template_kind, context)
            else:
                target = Path(out)
            target.write_bytes(data)
            written += 1
            self.stdout.write(str(target))
        if not written:
            raise CommandError(_("Không xuất được mẫu nào."))

    def _period(self, code, kind):
        if not code:
            if kind.needs_period:
                raise CommandError(_("Mẫu này cần --period, ví dụ 2026-03 hoặc 2026-Q1."))
            return None

        try:
            parse_period_code(code)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        period = Period.from_code(code)
        if period is None:
            raise CommandError(_("Kỳ đánh giá %(code)s chưa được tạo.") % {"code": code})
        return period
