"""The installer's first code: a new one-time activation code for a sign-in made in the shell
(``createsuperuser``), so that its first authenticator is enrolled with a code and not with the
password alone (``accounts.enrolment``). Everyone else gets theirs from **Tài khoản đăng nhập**."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import operator_code


class Command(BaseCommand):
    help = "Cấp mã kích hoạt mới cho một tài khoản (người cài đặt, lần đầu)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{options['username']}”.")
        self.stdout.write(operator_code(user))
