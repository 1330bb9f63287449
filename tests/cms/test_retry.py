import datetime

from cms.retry import RetryPolicy


def test_delays_double_up_to_the_longest_and_the_policy_gives_up():
    policy = RetryPolicy(
        max_attempts=4,
        first=datetime.timedelta(minutes=2),
        longest=datetime.timedelta(minutes=10),
    )
    assert [policy.delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [2, 4, 8, 10]
    now = datetime.datetime(2026, 11, 25, 8, 0, tzinfo=datetime.UTC)
    assert policy.next_attempt(1, now) == now + datetime.timedelta(minutes=2)
    assert policy.next_attempt(4, now) is None
    assert policy.gives_up(4) and not policy.gives_up(3)
