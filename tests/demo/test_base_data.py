import pytest

from cms.models import HomePage
from demo.base_data import ensure_base_data
from org.models import AuthorityRule
from org.seeds import POLITICAL_RULES, STATE_RULES
from worklog.models import Holiday

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
    assert HomePage.objects.count() == 1
    assert AuthorityRule.objects.count() == len(STATE_RULES) + len(POLITICAL_RULES)
    assert Holiday.objects.exists()
    assert ensure_base_data() == []
