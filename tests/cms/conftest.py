import pytest

from cms import statements


@pytest.fixture
def fresh_shapes():
    """No kept shape from another test: each test compiles (and, on PostgreSQL, probes) its
    own, whatever ran before it in the process."""
    statements.forget()
    yield
    statements.forget()
