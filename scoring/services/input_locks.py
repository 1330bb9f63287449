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

from org import write_gate
from org.models import Agency
from scoring.models import Period
from scoring.models.guards import closed_period_error
from scoring.services.postings import governing_row_in


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


#: ``pg_advisory_xact_lock(SCORING_LOCK, period id)``: see :func:`lock_period_scoring`.
SCORING_LOCK = 28_003


def lock_period_scoring(period_id: int) -> None:
    """The background scoring runs of one period run one at a time (``rescoring.run`` takes
    this lock first, once it holds its own run row, until its transaction ends).

    A leader's criterion d reads the stored ratings of everyone in their charge, who may sit
    in several agencies (the chairman counts every department). Two runs of two agencies of the
    same month ran side by side and each rescored the chairman from the ratings it could see:
    the one that committed last had read the other agency's ratings from before the other run —
    a stored score older than its inputs (ci-production's two-imports drill, found by its
    rebuild check, session 11). Locking only the leaders' step is not enough: a run that has
    written its people's rows and then waits for the step, while another holds the step and
    wants to write one of those rows, is a deadlock. With the whole run serialised, the second
    run starts after the first committed and every statement (READ COMMITTED) reads it.
    Nothing that holds this lock waits for one of the inputs' locks (:func:`lock_inputs`); the
    imports and the API never take it. SQLite writes one transaction at a time: a no-op there.
    Must be called inside a transaction."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SCORING_LOCK, int(period_id)])


def lock_person_inputs(person, period):
    """The agency of the posting that governs ``period``, then the period (the one lock order);
    the locked period, refused (``org.write_gate.Refused``) when it no longer accepts inputs.
    The lock of a person's Form 01 inputs: general marks and competencies."""
    posting = governing_row_in(person.pk, period)
    owners = []
    agency = None
    if posting is not None:
        agency = Agency.objects.get(pk=posting.agency_id)
        owners = [(agency.owning_agency or agency).pk]
    locked = lock_inputs(owners, [period.pk])[period.pk]
    if not locked.accepts_inputs_for(agency):
        raise write_gate.Refused(" ".join(closed_period_error(locked).messages))
    return locked
