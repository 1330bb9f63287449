import pytest

from cms import statements


@pytest.fixture
def fresh_shapes():
    """No kept shape from another test: each test compiles (and, on PostgreSQL, probes) its
    own, whatever ran before it in the process."""
    statements.forget()
    yield
    statements.forget()


@pytest.fixture
def periods():
    """The periods of ``tests/cms/period_reads.py`` (a module may define its own)."""
    from tests.cms.period_reads import make_periods

    make_periods()
