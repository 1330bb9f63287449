"""E-mail everyone who holds up a rating case at risk or overdue (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from ratings.services.notifications import send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn xếp loại chất lượng cho người đang phải xử lý hồ sơ."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)

    def handle(self, *args, year=None, **options):
        sent = send_reminders(year=year)
        self.stdout.write(f"Đã gửi {sent} thư nhắc.")
