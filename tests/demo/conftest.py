"""The demo province loaded once per test module (``demo``), inside a transaction rolled back
at the end of the module; each test's own changes are rolled back after it. A module that
needs a fresh load per test defines its own ``demo``."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
