import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

DEV_PASSWORD = "admin-kpi-2026"  # noqa: S105 - local development default, printed on purpose


class Command(BaseCommand):
    help = _("Tạo (hoặc đặt lại) tài khoản quản trị và in thông tin đăng nhập.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("KPI_ADMIN_USERNAME", "admin"))
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        password = os.environ.get("KPI_ADMIN_PASSWORD")
        from_environment = bool(password)
        if not password:
            if not settings.DEBUG:
                raise CommandError(_("Hãy đặt biến môi trường KPI_ADMIN_PASSWORD."))
            password = DEV_PASSWORD
        User = get_user_model()
        user, _created = User.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.full_name = user.full_name or _("Quản trị hệ thống")
        user.set_password(password)
        user.save()
        line = "=" * 60
        self.stdout.write(line)
        self.stdout.write(_("Trang quản trị: %(url)s") % {"url": url})
        if from_environment:
            # Never echo a real password into a terminal log or a service journal.
            self.stdout.write(
                _("Đăng nhập: %(u)s / (mật khẩu lấy từ KPI_ADMIN_PASSWORD)") % {"u": username}
            )
        else:
            self.stdout.write(_("Đăng nhập: %(u)s / %(p)s") % {"u": username, "p": password})
        self.stdout.write(line)
