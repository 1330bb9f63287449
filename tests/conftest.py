"""Suite-wide pytest configuration. Django settings: cms.settings.test (see pyproject.toml)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request to an /en/ URL leaves English
    active in the thread (LocaleMiddleware does not switch back), which would leak into the
    tests that follow."""
    translation.deactivate()
    yield
    translation.deactivate()
