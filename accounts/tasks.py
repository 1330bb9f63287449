"""Background work of sign-ins: a batch of "create sign-ins for everyone" (issue 47)."""

from django_tasks import task


@task()
def provision_batch_task(batch_id: int) -> str:
    from accounts.services import run_batch

    return run_batch(batch_id)


def resume_lost_batches() -> list[int]:
    """The sweep's check (``cms.jobs.register_check``): a batch still running whose
    task is gone (a lost enqueue, a killed worker) is queued again and resumes where it
    stopped."""
    import datetime

    from django.utils import timezone

    from accounts.models import AccountBatch
    from accounts.services import enqueue_batch
    from cms.jobs import database_queue, queued_task_ids

    if not database_queue():
        return []
    running = list(
        AccountBatch.objects.filter(
            status=AccountBatch.Status.RUNNING,
            created_at__lt=timezone.now() - datetime.timedelta(seconds=30),
        ).exclude(person_ids=[])
    )
    live = queued_task_ids([batch.task_id for batch in running])
    resumed = []
    for batch in running:
        if batch.task_id not in live:
            enqueue_batch(batch.pk)
            resumed.append(batch.pk)
    return resumed


def running_batch_tasks() -> list[str]:
    """Task ids of account batches running (the sweep leaves their task rows alone)."""
    from accounts.models import AccountBatch

    return list(
        AccountBatch.objects.filter(status=AccountBatch.Status.RUNNING).values_list(
            "task_id", flat=True
        )
    )
