"""What a test module leaves behind is found at the next module's start, named, and undone
(``tests/exact_restore.py`` ``check_module_start``): a later module's test never starts from
rows, or an open transaction, that another module's fixtures forgot."""

import pytest

from django.db import connection, transaction

from tests import exact_restore


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_rows_are_named_and_put_back():
    from django.contrib.auth.models import Group

    migrated = Group.objects.count()
    Group.objects.create(name="Nhóm còn sót")  # committed: this test runs outside a transaction
    assert exact_restore.leftovers(connection) == {"auth_group": (migrated, migrated + 1)}
    before = len(exact_restore.LEFT_BEHIND)

    exact_restore.check_module_start(connection, "tests/x.py")

    assert exact_restore.LEFT_BEHIND[before:] == [
        f"tests/x.py: auth_group {migrated}→{migrated + 1}"
    ]
    assert not Group.objects.filter(name="Nhóm còn sót").exists()
    assert exact_restore.leftovers(connection) == {}
    del exact_restore.LEFT_BEHIND[before:]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_left_open_is_rolled_back_and_named():
    from django.contrib.auth.models import Group

    atomic = transaction.atomic()
    atomic.__enter__()  # as a module fixture whose end never ran
    Group.objects.create(name="Nhóm trong giao dịch bỏ dở")
    before = len(exact_restore.LEFT_BEHIND)

    exact_restore.check_module_start(connection, "tests/y.py")

    assert exact_restore.LEFT_BEHIND[before:] == ["tests/y.py: a transaction left open"]
    assert not connection.in_atomic_block
    assert not Group.objects.filter(name="Nhóm trong giao dịch bỏ dở").exists()
    del exact_restore.LEFT_BEHIND[before:]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_opened_beside_django_is_rolled_back_and_named():
    """As the CI of stop 70 left it: Django in autocommit, the database connection inside a
    transaction (a live server's request cut off by the teardown); every later test of the
    process failed with "cannot start a transaction within a transaction"."""
    from django.contrib.auth.models import Group

    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    Group.objects.create(name="Nhóm trong giao dịch ngoài Django")
    assert connection.get_autocommit()
    before = len(exact_restore.LEFT_BEHIND)

    exact_restore.check_module_start(connection, "tests/z.py")

    assert exact_restore.LEFT_BEHIND[before:] == [
        "tests/z.py: a transaction left open beside Django's"
    ]
    assert not Group.objects.filter(name="Nhóm trong giao dịch ngoài Django").exists()
    with transaction.atomic():  # what failed in every later test
        assert exact_restore.leftovers(connection) == {}
    del exact_restore.LEFT_BEHIND[before:]


@pytest.mark.django_db
def test_a_clean_start_is_not_noted():
    before = len(exact_restore.LEFT_BEHIND)
    assert exact_restore.leftovers(connection) == {}
    assert len(exact_restore.LEFT_BEHIND) == before
