"""Pull the folder sources now (the worker also pulls them on their schedule)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.models import AttemptStatus
from connectors.models import RunTrigger, Source, SourceKind
from connectors.schedule import pull


class Command(BaseCommand):
    help = _("Lấy ngay các gói edXML mới từ thư mục của các nguồn văn bản đang hoạt động.")

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, help=_("Chỉ lấy nguồn có mã số này."))

    def handle(self, *args, **options):
        sources = Source.objects.filter(is_active=True, kind=SourceKind.FOLDER)
        if options["source"]:
            sources = sources.filter(pk=options["source"])
            if not sources.exists():
                raise CommandError(
                    _("Không có nguồn thư mục đang hoạt động có mã số %(pk)s.")
                    % {"pk": options["source"]}
                )
        failed = 0
        for source in sources.order_by("pk"):
            run = pull(source, RunTrigger.MANUAL)
            self.stdout.write(
                _(
                    "%(source)s: nhận %(received)d gói; %(created)d dòng mới, %(updated)d cập "
                    "nhật, %(unchanged)d không đổi, %(waiting)d chờ ánh xạ, %(refused)d bị từ chối."
                )
                % {
                    "source": source.name,
                    "received": run.received,
                    "created": run.created,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "waiting": run.waiting,
                    "refused": run.refused,
                }
            )
            if run.status == AttemptStatus.FAILED:
                failed += 1
                self.stderr.write(_("Lỗi: %(error)s") % {"error": run.error})
        if failed:
            raise CommandError(_("%(n)d nguồn lấy không thành công.") % {"n": failed})
