import pytest

from tests.ratings.factories import build_rating_world


@pytest.fixture
def world(db):
    return build_rating_world()
