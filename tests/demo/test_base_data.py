from importlib import import_module

import pytest

from cms.models import HomePage
from demo.base_data import ensure_base_data
from org.models import AuthorityRule
from worklog.models import Holiday

POLITICAL = import_module("org.migrations.0005_political_bodies_authority_rules").RULES

pytestmark = pytest.mark.django_db


def test_missing_seed_rows_are_recreated_once():
    assert ensure_base_data() == []
    HomePage.objects.all().delete()
    AuthorityRule.objects.all().delete()
    Holiday.objects.all().delete()
    # Two seeds of authority rules: the state administration's and the political system's.
    assert sorted(ensure_base_data()) == [
        "cms.HomePage",
        "org.AuthorityRule",
        "org.AuthorityRule",
        "worklog.Holiday",
    ]
    assert HomePage.objects.count() == 1 and AuthorityRule.objects.count() == 15 + len(POLITICAL)
    assert Holiday.objects.exists()
    assert ensure_base_data() == []
