"""Suite-wide pytest configuration. Django settings: cms.settings.test (see pyproject.toml)."""

import io
import re

import pytest

from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request to an /en/ URL leaves English
    active in the thread (LocaleMiddleware does not switch back), which would leak into the
    tests that follow. Without Django (the engine's tests alone, ``-p no:django``) there is
    nothing to reset."""
    if not settings.configured:
        yield
        return
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def mail_sent_at_once(monkeypatch):
    """For tests of who gets which notice: each message :func:`cms.mail.send` queues is
    delivered as soon as it is queued, as the worker would after the commit (a test's
    transaction never commits). The outbox itself is tested in tests/ratings/test_mail_*."""
    from cms import mail as cms_mail

    monkeypatch.setattr(cms_mail, "_schedule", cms_mail.deliver)


@pytest.fixture(autouse=True)
def _seed_data_after_flush(request):
    """Transactional tests flush the database when they end, and the serialized copy does not
    bring back everything our data migrations seed; put back the home page, authority rules,
    default framework and holidays before every database test. With two processes (xdist), a
    file of ordinary tests can run after a transactional one in the same process, so ordinary
    tests need it too (inside their transaction; a few queries when nothing is missing)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    # A test may ask for the database by the ``db`` fixture instead of the marker.
    if marker is None and not names & {"db", "transactional_db"}:
        return
    from demo.base_data import ensure_base_data

    if (marker is not None and marker.kwargs.get("transaction")) or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    ensure_base_data()


def pytest_configure(config):
    """The demo province is loaded for real once per run and replayed after that, in every
    process (``tests/demo_replay.py``); installed before the test modules import the loader.
    The test database is migrated once per set of migrations and copied by every process after that
    (``tests/migrated_cache.py``).

    With xdist, the files are handed out in the order :func:`pytest_collection_modifyitems`
    leaves them (:data:`FIRST_FILES` first), not by xdist's own reordering by test count."""
    # The test process never sets its objects aside from the garbage collector (cms.memory.settle:
    # a worker's or web worker's policy; tests/cms/test_settle.py turns it on where it checks it).
    from cms import memory, statements

    memory.FREEZE = False
    # Every read through a kept statement is compiled again with its real values and compared
    # with the kept one (cms.statements.CHECK): a call site that computes from its values fails.
    statements.CHECK = True
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    _share_demo_recordings(config)
    if settings.configured:
        from tests import migrated_cache
        from tests.demo_replay import install

        install()
        migrated_cache.install()


_SHARED_MADE: list[str] = []


def _share_demo_recordings(config) -> None:
    """The controller (or a run without workers) makes the folder through which the run's
    processes share their demo recordings; the workers inherit it with the environment."""
    import os
    import tempfile

    from tests.demo_replay import SHARED

    if hasattr(config, "workerinput") or os.environ.get(SHARED):
        return
    folder = tempfile.mkdtemp(prefix="kpi-demo-recordings-")
    os.environ[SHARED] = folder
    _SHARED_MADE.append(folder)


def pytest_unconfigure(config):
    import os
    import shutil

    from tests.demo_replay import SHARED

    for folder in _SHARED_MADE:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get(SHARED) == folder:
            del os.environ[SHARED]
    _SHARED_MADE.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once the test database is migrated, its rows are kept with plain SQL and put back with
    plain SQL after every transactional test (``tests/exact_restore.py``), so the database after
    one is the migrated one exactly and the demo province can be replayed after it."""
    from django.db import connection

    from tests.exact_restore import install

    with django_db_blocker.unblock():
        install(connection)
    _DATABASE_READY[:] = [True]
    yield


_DATABASE_READY: list[bool] = []

#: Seconds added to a test's ten minutes (pytest-timeout counts its set-up) while its process
#: still has one-time work ahead that falls in that set-up: migrating the test database (about
#: 2 minutes on a quiet machine, over 10 at load 7: a helper's run timed out there on 26/11) and
#: the first real load of the demo province (90 s quiet). Every later test has its ten minutes.
FIRST_SETUP_ALLOWANCE = 1200


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item, settings):
    """The timer of a test whose set-up may migrate the database or load the demo province for
    the first time in this process is longer by :data:`FIRST_SETUP_ALLOWANCE` each; a test
    that hangs still fails alone, and the suite's time on a busy machine is not a failure."""
    from tests.demo_replay import STATS

    extra = 0 if _DATABASE_READY else FIRST_SETUP_ALLOWANCE
    if item.get_closest_marker("demo") and not (STATS["real"] or STATS["replayed"]):
        extra += FIRST_SETUP_ALLOWANCE
    if not extra:
        return None
    import pytest_timeout

    return pytest_timeout.pytest_timeout_set_timer(
        item=item, settings=settings._replace(timeout=settings.timeout + extra)
    )


def _serialized_rollback(item) -> bool:
    marker = item.get_closest_marker("django_db") if item is not None else None
    return bool(marker and marker.kwargs.get("serialized_rollback"))


_RESTORE_PENDING: list[bool] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A serialized-rollback test ends with a flush that does not re-run post_migrate: the
    tables are left empty (no content types, no permissions, no groups) until the next such
    test's set-up reloads the serialized copy. Django's own runner puts transactional tests
    last; with xdist (``--dist loadfile``) a process can be handed a file of ordinary tests
    after one, and every test of that file then met an empty database (CI, PostgreSQL:
    "Permission matching query does not exist"). The copy is put back, committed, before the
    next test that does not reload it itself (``pytest_runtest_setup``), once everything of the
    ending test has been torn down (a migration test first migrates back to the latest state)."""
    yield
    if _serialized_rollback(item):
        _RESTORE_PENDING[:] = [True]


_LAST_MODULE: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    from pytest_django.plugin import blocking_manager_key

    from django.db import connection

    from tests.exact_restore import adopt, check_module_start, has_copy, restore

    adopt(item.nodeid)
    module = item.nodeid.split("::")[0]
    previous = _LAST_MODULE[0] if _LAST_MODULE else ""
    _LAST_MODULE[:] = [module]
    if _RESTORE_PENDING and not _serialized_rollback(item):
        _RESTORE_PENDING.clear()
        if has_copy(connection):
            with item.config.stash[blocking_manager_key].unblock():
                restore(connection)
    if previous and previous != module and not _RESTORE_PENDING and has_copy(connection):
        # (Still pending: a serialized-rollback test's set-up reloads the flushed tables.)
        # The previous module's fixtures are torn down: nothing of it may reach this one.
        with item.config.stash[blocking_manager_key].unblock():
            check_module_start(connection, previous)


#: What a test file does that depends on the database engine: transactions and commits, locks
#: and concurrency, constraints and integrity errors, raw SQL, migrations, a vendor's branch.
ENGINE_SENSITIVE = re.compile(
    r"transaction=True|IntegrityError|\.vendor\b|select_for_update|deadlock|concurren|"
    r"\brace\b|MigrationExecutor|[Cc]onstraint|\bLock\b|lock_|postgres|PostgreSQL|"
    r"\.raw\(|cursor\(\)"
)


#: The files that take minutes, longest first (``make test`` on a quiet machine, 26/11/2026,
#: seconds of the file): two processes hand out whole files (``--dist loadfile``), and xdist by
#: itself hands out the files with most tests first, so the rehearsal (2 tests, 487 s) started
#: last and ran alone for minutes at the end of the run. Handing the longest out first (then
#: the demo and browser files, then the rest by number of tests) leaves short files for the end.
FIRST_FILES = (
    "tests/scoring/test_province_year.py",  # 487
    "tests/test_access_matrix.py",  # 125 set-up + ~150
    "tests/api/test_read_permissions.py",  # 91 set-up + ~60
    "tests/test_access_matrix_2.py",
    "tests/test_access_matrix_3.py",
    "tests/test_access_matrix_4.py",
    "tests/browser/test_guide_axe.py",  # 128
    "tests/cms/test_crawl.py",  # 68
    "tests/cms/test_listing_values.py",  # 43
)


def _file_order(items) -> list:
    """The items with whole files in the order they should be handed out (a file's own tests
    keep their order): :data:`FIRST_FILES`, then files on the demo province or a browser, then
    the others, each group by number of tests, most first."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)

    def rank(name: str) -> tuple[int, int]:
        tests = files[name]
        if name in FIRST_FILES:
            return (0, FIRST_FILES.index(name))
        heavy = any(t.get_closest_marker("demo") or t.get_closest_marker("browser") for t in tests)
        return (1 if heavy else 2, -len(tests))

    return [item for name in sorted(files, key=rank) for item in files[name]]


def pytest_collection_modifyitems(config, items):
    """Every transactional test uses serialized rollback. Mixing the two kinds of flush breaks
    PostgreSQL runs: a plain flush re-runs post_migrate (new content-type ids, groups) and the
    next serialized test then collides with it.

    Tests on the demo province get the ``demo`` marker (they ask for a ``demo`` fixture or their
    module loads it), so ``-m "not demo"`` (``make test-fast``) leaves them out. Tests whose
    file touches what differs between database engines (:data:`ENGINE_SENSITIVE`) get the
    ``engine`` marker: CI runs them on PostgreSQL as well (``.ci/run``)."""
    texts: dict[str, str] = {}
    for item in items:
        path = str(item.fspath)
        if path not in texts:
            try:
                texts[path] = item.fspath.read_text("utf-8")
            except OSError:  # pragma: no cover - a test without a source file
                texts[path] = ""
        if "load_demo" in texts[path] or "demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.demo)
        if ENGINE_SENSITIVE.search(texts[path]):
            item.add_marker(pytest.mark.engine)
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )
    items[:] = _file_order(items)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo province loaded once per test module, inside a transaction rolled back at the
    end of the module; each test's own changes are rolled back after it. A module that needs
    a fresh load per test defines its own ``demo``."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_DEMO_LOADS: dict[str, int] = {}


def _add_demo_loads(stats) -> None:
    for name, count in (stats or {}).items():
        _DEMO_LOADS[name] = _DEMO_LOADS.get(name, 0) + count


def pytest_sessionfinish(session):
    """Each process counts its demo-province loads (real ones and replays); a worker hands its
    count to the controller, which prints the run's total (``pytest_terminal_summary``)."""
    from tests.demo_replay import STATS
    from tests.exact_restore import ADOPTED, LEFT_BEHIND

    stats = {**STATS, "adopted": len(ADOPTED)}
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["demo_loads"] = stats
        session.config.workeroutput["left_behind"] = list(LEFT_BEHIND)
    else:
        _add_demo_loads(stats)
        _LEFT_BEHIND.extend(LEFT_BEHIND)


_LEFT_BEHIND: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    output = getattr(node, "workeroutput", {})
    _add_demo_loads(output.get("demo_loads"))
    _LEFT_BEHIND.extend(output.get("left_behind", ()))


def pytest_terminal_summary(terminalreporter):
    for line in _LEFT_BEHIND:
        terminalreporter.write_line(f"left behind, and put back (tests/exact_restore.py): {line}")
    if _DEMO_LOADS.get("adopted"):
        terminalreporter.write_line(
            "test database connection put back before {adopted} tests"
            " (tests/exact_restore.py adopt)".format(adopted=_DEMO_LOADS["adopted"])
        )
    if _DEMO_LOADS.get("real") or _DEMO_LOADS.get("replayed"):
        terminalreporter.write_line(
            "demo province: {real} real loads, {replayed} replays"
            " ({shared} of them recorded by another process)".format(
                real=_DEMO_LOADS.get("real", 0),
                replayed=_DEMO_LOADS.get("replayed", 0),
                shared=_DEMO_LOADS.get("shared", 0),
            )
        )
