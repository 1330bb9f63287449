"""django-tasks-db's ``db_worker``, which first ends the import jobs a stopped worker left
running (``importers.recovery``), queues again the scoring runs it left half done
(``scoring.services.rescoring``), then sweeps once for lost work and queues the periodic sweep
(``scoring.services.sweeper``: every minute, whatever a lost enqueue, a killed request or a
killed worker left behind is queued again or ended with a message). After each task the memory
it freed is given back to the system, and now and then, before a task, what it keeps is set
aside from the garbage collector (``cms.memory``); what the allocator keeps anyway is
bounded by recycling (``--max-tasks`` in kpi-worker.service, docs/operations.md §10). Same
options; Django picks this command because ``importers`` comes before
``django_tasks_db`` in INSTALLED_APPS."""

import logging

from django_tasks_db.compat import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from cms import memory
from importers.recovery import recover_interrupted_jobs
from scoring.services import sweeper
from scoring.services.rescoring import recover_interrupted_runs

logger = logging.getLogger(__name__)


_RELEASE = "importers.db_worker.memory"
_SETTLE = "importers.db_worker.settle"


def _release_memory(sender, **kwargs) -> None:
    memory.after_task()


def _settle(sender, **kwargs) -> None:
    memory.before_task()


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        task_started.connect(_settle, dispatch_uid=_SETTLE)
        task_finished.connect(_release_memory, dispatch_uid=_RELEASE)
        try:
            return self._handle(*args, **options)
        finally:
            task_finished.disconnect(dispatch_uid=_RELEASE)
            task_started.disconnect(dispatch_uid=_SETTLE)

    def _handle(self, *args, **options):
        try:
            sweeper.announce_start()  # "starting" on /healthz/work until its first sweep
        except Exception:
            logger.exception("The start-up sweep could not be queued")
        recover_interrupted_jobs(wait=True)
        recover_interrupted_runs(wait=True)
        try:
            sweeper.sweep()
            sweeper.schedule_next_sweep()
        except Exception:  # never keep a worker from starting
            logger.exception("The start-up sweep failed")
        return super().handle(*args, **options)
