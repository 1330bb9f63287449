"""E-mail the Office of the province People's Committee before its quarterly entry window opens
and before it closes (run daily by kpi-daily.service)."""

import datetime

from django.core.management.base import BaseCommand

from org_scoring.services.quarterly_reminders import send_quarterly_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc Văn phòng UBND tỉnh về thời hạn nhập nhiệm vụ UBND tỉnh giao theo quý."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        sent = send_quarterly_reminders(date)
        self.stdout.write(f"Đã gửi {sent} thư nhắc.")
