"""E-mail the agencies that have not yet met a milestone of the plan (run daily)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from oversight.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn các mốc thời gian của kế hoạch cho cơ quan chưa nộp."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy (dd/mm/yyyy), mặc định hôm nay.")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.datetime.strptime(date, "%d/%m/%Y").date()
            except ValueError as error:
                raise CommandError(f"--date: “{date}” không phải ngày dd/mm/yyyy.") from error
        sent = send_reminders(today)
        self.stdout.write(f"Đã gửi {sent} thư nhắc hạn.")
