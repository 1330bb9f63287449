"""Feed the demo province's document sources with edXML packages (docs/connectors.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.connectors_demo import load_demo_edxml


class Command(BaseCommand):
    help = _("Tạo nguồn văn bản demo, đặt gói edXML vào thư mục, lấy về và gửi thử qua webhook.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder",
            default=str(Path(settings.MEDIA_ROOT) / "demo-edxml"),
            help=_("Thư mục đặt gói tin demo."),
        )

    def handle(self, *args, **options):
        result = load_demo_edxml(Path(options["folder"]))
        run = result["run"]
        self.stdout.write(
            _(
                "Thư mục: nhận %(received)d gói; %(created)d dòng mới, %(updated)d cập nhật, "
                "%(unchanged)d không đổi, %(waiting)d chờ ánh xạ, %(refused)d bị từ chối."
            )
            % {
                name: getattr(run, name)
                for name in ("received", "created", "updated", "unchanged", "waiting", "refused")
            }
        )
        self.stdout.write(_("Webhook: %(results)s.") % {"results": ", ".join(result["pushed"])})
