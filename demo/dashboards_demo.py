"""Public transparency pages for the demo province, and January–February 2026 published.

Idempotent: the pages are created once (``dashboards.setup``); the two months are published only
if they exist (the scoring demo creates them) — nothing is invented here.
"""

import datetime

from dashboards.setup import ensure_public_pages
from scoring.models import Period, PeriodKind

PUBLISHED_MONTHS = (datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))


def load_dashboards_demo() -> dict:
    index = ensure_public_pages()
    published = []
    for day in PUBLISHED_MONTHS:
        period = Period.for_date(day, PeriodKind.MONTH)
        if period is None:
            continue
        if not period.published:
            period.published = True
            period.save()  # a real save: the signal clears the public cache
        published.append(period.code)
    return {"index_url": index.url, "published": published}
