import pytest

from tests.worklog.helpers import build_world


@pytest.fixture
def world(db):
    return build_world()
