"""One lock order for every door that writes a period's inputs for an agency.

The Excel import (``importers.pipeline``) and the integration API (``importers.lines.records``,
``api.write_leader``) write the same rows. Each used to lock a different row first — the import
the agency, the API the period — and at COMMIT PostgreSQL checks the deferred foreign keys of
the new lines with ``FOR KEY SHARE`` on both rows (a director's or deputy's ``unit`` is the
agency row itself), so each waited for the other: "deadlock detected" (review 2026-11-23
reliab.md M1).

Every door now takes, before it reads what it compares and writes:

1. the agencies concerned (the owners of the catalogues), in id order;
2. then the periods concerned, in id order;

both ``FOR NO KEY UPDATE``: writers of the same agency and month run one after the other, and
the foreign-key checks (``FOR KEY SHARE``) of any other writer are not blocked by them. On
SQLite (one writer at a time) the locks are no-ops.
"""

from __future__ import annotations

from collections.abc import Iterable

from org.models import Agency
from scoring.models import Period


def lock_inputs(agency_ids: Iterable[int], period_ids: Iterable[int]) -> dict[int, Period]:
    """Lock the agencies, then the periods (see the module); returns the locked periods by id.
    Must be called inside a transaction."""
    agencies = sorted({int(pk) for pk in agency_ids})
    if agencies:
        list(
            Agency.objects.select_for_update(no_key=True)
            .filter(pk__in=agencies)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    periods = sorted({int(pk) for pk in period_ids})
    if not periods:
        return {}
    return {
        period.pk: period
        for period in Period.objects.select_for_update(no_key=True)
        .filter(pk__in=periods)
        .order_by("pk")
    }
