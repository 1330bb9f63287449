import pytest

from tests.ratings.world import build_rating_world


@pytest.fixture
def world(db):
    return build_rating_world()
