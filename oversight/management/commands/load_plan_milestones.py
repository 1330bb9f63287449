"""Load the per-agency milestones of one of the five plans for a year (docs/calendar.md)."""

from django.core.management.base import BaseCommand, CommandError

from oversight.plans import PLANS, load_plan


class Command(BaseCommand):
    help = "Nạp các mốc thời gian của một kế hoạch mẫu (GL, DL, P2, LC, NA) cho một năm."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="GL, DL, P2, LC hoặc NA")
        parser.add_argument("year", type=int)

    def handle(self, *args, plan, year, **options):
        plan = plan.upper()
        if plan not in PLANS:
            raise CommandError(
                f"Kế hoạch “{plan}” không có; chọn một trong: {', '.join(sorted(PLANS))}."
            )
        rows = load_plan(plan, year)
        self.stdout.write(f"Đã nạp {len(rows)} mốc thời gian của kế hoạch {plan} năm {year}.")
