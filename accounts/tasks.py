"""Background work of sign-ins: a batch of "create sign-ins for everyone" (issue 47).

The batch is started and queued here (:func:`start_provision`) and run by
``accounts.services.run_batch``: the services never reach back for the task."""

import datetime

from django_tasks import task

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountBatch
from accounts.services import new_batch, run_batch
from cms import jobs
from org.models import Agency


@task()
def provision_batch_task(batch_id: int) -> str:
    return run_batch(batch_id)


def start_provision(
    actor, people, *, agency: Agency | None = None, invite_by_email: bool = False
) -> AccountBatch:
    """The page's "create sign-ins for everyone" (issue 47, review M1): the batch is written
    with the people asked for and run by the background worker (:func:`run_batch`), so the
    request answers at once whatever the number of people; its page shows the progress and,
    when done, every slip."""
    with transaction.atomic():
        batch = new_batch(actor, people, agency=agency, invite_by_email=invite_by_email)
        transaction.on_commit(lambda: enqueue_batch(batch.pk))
    return batch


def enqueue_batch(batch_id: int) -> None:
    result = provision_batch_task.enqueue(batch_id)
    AccountBatch.objects.filter(pk=batch_id, status=AccountBatch.Status.RUNNING).update(
        task_id=str(result.id)[:64]
    )


def resume_lost_batches() -> list[int]:
    """The sweep's check (``cms.jobs.register_check``): a batch still running whose
    task is gone (a lost enqueue, a killed worker) is queued again and resumes where it
    stopped."""
    if not jobs.database_queue():
        return []
    running = list(
        AccountBatch.objects.filter(
            status=AccountBatch.Status.RUNNING,
            created_at__lt=timezone.now() - datetime.timedelta(seconds=30),
        ).exclude(person_ids=[])
    )
    live = jobs.queued_task_ids([batch.task_id for batch in running])
    resumed = []
    for batch in running:
        if batch.task_id not in live:
            enqueue_batch(batch.pk)
            resumed.append(batch.pk)
    return resumed


def running_batch_tasks() -> list[str]:
    """Task ids of account batches running (the sweep leaves their task rows alone)."""
    return list(
        AccountBatch.objects.filter(status=AccountBatch.Status.RUNNING).values_list(
            "task_id", flat=True
        )
    )


#: A batch still running this long after it started is stuck: the sweep queues a lost one
#: again within a minute, and a batch moves through hundreds of people a minute.
HEALTH_WAIT = datetime.timedelta(minutes=30)


def health_items(now):
    """``/healthz/work``'s line for the sign-in batches (``cms.jobs.register_health``): those
    running, stuck once one has run for :data:`HEALTH_WAIT` (the sweep would have resumed a
    lost one: it is not running, or the batch fails each time)."""
    running = AccountBatch.objects.filter(status=AccountBatch.Status.RUNNING)
    return [
        jobs.line(
            "account_batches_running",
            _("Lô tạo tài khoản đang chạy"),
            running,
            since="created_at",
            now=now,
            stuck_after=HEALTH_WAIT,
            hint=_("Tài khoản đăng nhập → các lô gần đây: lô tự chạy tiếp từ người đã xử lý."),
            rows=running.select_related("agency").order_by("created_at"),
        )
    ]
