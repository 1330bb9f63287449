"""Find background work left stuck or stale and queue it again or end it (issue 28):
scoring runs queued with no task or left running by a dead worker, import jobs whose task was
lost or whose validation died, stale annual and organisation scores with no refresh queued.
Run by the daily job (kpi-daily) and safe to run at any time; each worker also does it every
minute by itself. Prints what it did; ``--drain`` also recomputes the stale scores here and now
instead of queueing the refresh; ``--daily`` (kpi-daily) first marks this year's scores for a
reconciling refresh."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import RunStatus, ScoringRun
from scoring.services import freshness, rescoring, sweeper


class Command(BaseCommand):
    help = "Queue again or end stuck background work; refresh stale annual/organisation scores."

    def add_arguments(self, parser):
        parser.add_argument(
            "--daily",
            action="store_true",
            help=(
                "Also mark this year's annual and organisation scores for a reconciling "
                "refresh (the daily job): what changes with the date alone (a task past its "
                "deadline) or through inputs read live by the rating guards (postings, "
                "disqualifications, recognitions) reaches the stored figures within a day."
            ),
        )
        parser.add_argument(
            "--drain",
            action="store_true",
            help="Recompute the stale annual and organisation scores in this process.",
        )

    def handle(self, *args, drain=False, daily=False, **options):
        if daily:
            year = timezone.localdate().year
            with transaction.atomic():
                freshness.mark_annual([(None, year)], _("Đối chiếu hằng ngày"))
                freshness.mark_organisation([(None, year)], _("Đối chiếu hằng ngày"))
        report = sweeper.sweep()
        if daily:
            # Runs that gave up after their retries get a fresh round once a day (the cause —
            # a lock storm at month end — is usually gone by then); still failing, they stay
            # on /healthz/work.
            report["runs_retried"] = rescoring.retry_failed(
                ScoringRun.objects.filter(status=RunStatus.FAILED).values_list("pk", flat=True)
            )
        if drain:
            report["drained"] = freshness.refresh_derived()
        self.stdout.write(json.dumps(report, ensure_ascii=False, default=str, sort_keys=True))
