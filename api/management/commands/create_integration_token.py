"""Issue an API token for an integration system (created on first use); prints it ONCE."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from api.models import IntegrationSystem, IntegrationToken
from org.models import Agency


class Command(BaseCommand):
    help = _(
        "Cấp mã truy cập API cho một hệ thống tích hợp (tạo hệ thống nếu chưa có). Mã chỉ được "
        "in ra một lần; hệ thống chỉ lưu sha256 của mã."
    )

    def add_arguments(self, parser):
        parser.add_argument("system", help=_("Tên hệ thống tích hợp."))
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            metavar="CODE",
            help=_("Mã cơ quan, đơn vị được phép (lặp lại được); bắt buộc khi tạo hệ thống mới."),
        )
        parser.add_argument(
            "--read-only", action="store_true", help=_("Hệ thống chỉ được đọc dữ liệu.")
        )
        parser.add_argument(
            "--national-export",
            action="store_true",
            help=_("Cho phép đọc và xác nhận lô gửi Cơ sở dữ liệu quốc gia."),
        )
        parser.add_argument("--label", default="", help=_("Ghi chú cho mã truy cập."))
        parser.add_argument(
            "--revoke-others",
            action="store_true",
            help=_("Thu hồi các mã khác của hệ thống (đổi mã)."),
        )

    @transaction.atomic
    def handle(self, *args, **options):
        codes = [code.strip() for code in options["agency"] if code.strip()]
        agencies = list(Agency.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {agency.code for agency in agencies})
        if missing:
            raise CommandError(
                _("Không tìm thấy cơ quan, đơn vị có mã: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        system = IntegrationSystem.objects.filter(name=options["system"]).first()
        if system is None:
            if not agencies:
                raise CommandError(_("Hệ thống mới cần ít nhất một --agency."))
            system = IntegrationSystem.objects.create(
                name=options["system"],
                can_write=not options["read_only"],
                national_export=options["national_export"],
            )
            self.stdout.write(_("Đã tạo hệ thống tích hợp “%(name)s”.") % {"name": system.name})
        else:
            changed = []
            if options["read_only"] and system.can_write:
                system.can_write = False
                changed.append("can_write")
            if options["national_export"] and not system.national_export:
                system.national_export = True
                changed.append("national_export")
            if changed:
                system.save(update_fields=changed)
        if agencies:
            system.agencies.add(*agencies)
        if options["revoke_others"]:
            for row in system.tokens.filter(revoked_at__isnull=True):
                row.revoke()
        _row, token = IntegrationToken.issue(system, label=options["label"])
        scope = ", ".join(sorted(system.agencies.values_list("code", flat=True))) or "—"
        self.stdout.write(_("Phạm vi: %(scope)s.") % {"scope": scope})
        self.stdout.write(_("Mã truy cập (chỉ hiện một lần, hãy lưu lại ngay):"))
        self.stdout.write(token)
