from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dashboards.cache import invalidate
from dashboards.snapshots import refresh
from scoring.models import Period


class Command(BaseCommand):
    help = _(
        "Tổng hợp lại số liệu công khai của các kỳ đã công bố (sau khi tính lại điểm của kỳ "
        "đã công bố)."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help=_("Mã kỳ, ví dụ 2026-01; trống: mọi kỳ."))

    def handle(self, *args, **options):
        periods = list(Period.objects.filter(published=True))
        if options["codes"]:
            chosen = [p for p in periods if p.code in set(options["codes"])]
            unknown = set(options["codes"]) - {p.code for p in chosen}
            if unknown:
                raise CommandError(
                    _("Không có kỳ đã công bố với mã: %(codes)s")
                    % {"codes": ", ".join(sorted(unknown))}
                )
            periods = chosen
        built = refresh(list(periods))
        invalidate()
        self.stdout.write(_("Đã tổng hợp lại %(n)d kỳ.") % {"n": len(built)})
