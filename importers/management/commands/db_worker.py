"""django-tasks-db's ``db_worker``, which first ends the import jobs a stopped worker left
running (``importers.recovery``) and queues again the scoring runs it left half done
(``scoring.services.rescoring``). Same options; Django picks this command because ``importers``
comes before ``django_tasks_db`` in INSTALLED_APPS."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from importers.recovery import recover_interrupted_jobs
from scoring.services.rescoring import recover_interrupted_runs


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        recover_interrupted_jobs(wait=True)
        recover_interrupted_runs(wait=True)
        return super().handle(*args, **options)
