import pytest

from django.utils import translation

from tests.org_scoring.world import build_org_world


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    """Messages are asserted in Vietnamese, whatever language an earlier test left active."""
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


@pytest.fixture
def world(db):
    return build_org_world()
