"""Daily: deactivate the sign-ins of people whose postings have all ended (kept for history)."""

from django.core.management.base import BaseCommand

from accounts.services import sync_all


class Command(BaseCommand):
    help = "Khóa tài khoản của những người không còn quá trình công tác nào."

    def handle(self, *args, **options):
        count = sync_all()
        self.stdout.write(f"{count}")
