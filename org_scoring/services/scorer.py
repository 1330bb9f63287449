"""Scoring agencies and units for a year, bottom-up, and storing the results with provenance.

* **Scope.** Every active agency/unit below the province (the province People's Committee is
  not rated as an organisation), or one agency's subtree plus the agencies above it (their
  sub-unit condition depends on it).
* **Order.** ``scoring_order`` of the tree: deepest first, so every direct sub-unit is scored
  before its parent and the parent sees its rating (Gia Lai plan §III.4.a).
* **Rules.** The framework resolved as for the agency's rating case
  (``org_scoring.frameworks``).
* **Provenance.** Each row stores the framework and its live revision, the engine version, the
  inputs document and its sha256, the engine's result with the explanation. Unchanged inputs
  (same hash) write nothing; a changed input rewrites the row.
"""

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.statements import kept_rows
from org.models import Agency
from org_scoring.frameworks import OrganisationFrameworkResolver
from org_scoring.models import OrganisationScore
from org_scoring.services.inputs import YearInputs, build
from scoring.engine import ENGINE_VERSION, ScoringInputError, score_organisation, scoring_order
from scoring.engine.fingerprint import inputs_fingerprint
from scoring.models import StaleKind
from scoring.services import freshness
from scoring.services.store import upsert


@dataclass
class OrgReport:
    year: int
    agencies: int = 0
    written: int = 0
    unchanged: int = 0
    scored: int = 0
    not_scored: int = 0
    order: list[int] = field(default_factory=list)
    seconds: float = 0.0


def _scope(agency) -> list[Agency]:
    if agency is None:
        return list(Agency.objects.exclude(parent=None).filter(is_active=True))
    # By a statement compiled once (``cms.statements``): one person's chain scores the few
    # agencies of their unit's line.
    return kept_rows(_subtree, agency=agency.pk, path=agency.path, above=agency.ancestor_ids())


def _subtree(agency, path, above):
    """``agency``, the active agencies of its subtree (``path``) and those above it (``above``:
    ids), not the province itself."""
    return Agency.objects.exclude(parent=None).filter(
        Q(pk=agency) | (Q(is_active=True) & (Q(path__startswith=path) | Q(pk__in=above)))
    )


def _outcome(document, inp, rules) -> dict:
    """Fields of the stored row computed from one agency's inputs."""
    errors = {}
    if not document["tasks"]:
        errors["tasks"] = _(
            "Chưa có nhiệm vụ nào đã đến hạn hoặc đã báo cáo kết quả: chưa chấm điểm được."
        )
    try:
        result = score_organisation(inp, rules)
    except ScoringInputError as exc:
        errors.update(exc.errors)
        result = None
    awaiting = [
        step
        for step in (result.explanation if result is not None else ())
        if step.get("reason") == "awaiting_evaluator"
    ]
    if awaiting:
        # Review U7 (Gia Lai §III.4.b; framework marks.self_mark_without_evaluator).
        errors["general"] = _(
            "Điểm tự chấm của tiêu chí %(marks)s chưa được cơ quan thẩm định chấm: chưa chấm "
            "điểm cho đến khi cơ quan thẩm định chấm (khung đánh giá không dùng điểm tự chấm "
            "khi chưa có điểm thẩm định)."
        ) % {"marks": ", ".join(awaiting[0]["marks"])}
    scored = result if result is not None and result.scored else None
    return {
        "result": result.to_dict() if result is not None else {},
        "input_errors": errors,
        "scored": scored is not None,
        "general_points": scored.general_points if scored is not None else None,
        "task_percent": scored.task_percent if scored is not None else None,
        "task_points": scored.task_points if scored is not None else None,
        "score": scored.score if scored is not None else None,
        "score_rating": (scored.score_rating or "") if scored is not None else "",
        "rating": (scored.rating or "") if scored is not None else "",
    }


def _stored_rows(year, ids):
    return OrganisationScore.objects.filter(year=year, agency_id__in=ids).only(
        "id", "agency_id", "inputs_hash", "rating", "scored"
    )  # not the documents


def score_organisations(year: int, agency=None, as_of=None) -> OrgReport:
    """Score ``agency``'s subtree and the agencies above it (or the whole province).

    ``as_of`` (default today): the day pending tasks' deadlines are compared with (a task
    overdue and unreported counts as not done by default, ``org_scoring.services.inputs``)."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    report = OrgReport(year=year)
    agencies = {a.pk: a for a in _scope(agency)}
    # The stale marks this run clears, read before the inputs (scoring.services.freshness).
    taken = freshness.take(
        StaleKind.ORGANISATION, year, None if agency is None else [*agencies, agency.pk]
    )
    order = scoring_order({pk: a.parent_id for pk, a in agencies.items()})
    data = YearInputs.load(year, agencies)
    stored = {
        row.agency_id: row
        for row in kept_rows(_stored_rows, year=year, ids=[*agencies, *data.child_ids])
    }
    computed = {pk: (row.rating or None) for pk, row in stored.items() if row.scored}
    resolver = OrganisationFrameworkResolver(year)
    now = timezone.now()
    written: list[dict] = []
    for pk in order:
        framework = resolver.resolve(agencies[pk].path)
        document, inp = build(data, pk, framework, computed, as_of)
        digest = inputs_fingerprint(document)
        row = stored.get(pk)
        report.agencies += 1
        report.order.append(pk)
        if row is not None and row.inputs_hash == digest:
            report.unchanged += 1
            scored, rating = row.scored, row.rating
        else:
            fields = {
                **_outcome(document, inp, framework.rules),
                "framework_id": framework.framework_id,
                "framework_revision_id": framework.revision_id,
                "engine_version": ENGINE_VERSION,
                "inputs_hash": digest,
                "inputs": document,
                "computed_at": now,
            }
            written.append({"agency_id": pk, "year": year, **fields})
            scored, rating = fields["scored"], fields["rating"]
        computed[pk] = (rating or None) if scored else None
        if scored:
            report.scored += 1
        else:
            report.not_scored += 1
    # All the agencies' rows in one statement (``scoring.services.store.upsert``, the scores'
    # one way to write: a stored row, or one deleted since the read, is replaced on its agency
    # and year), with the marks this run clears; no savepoint inside a caller's transaction
    # (no caller goes on with it after a failure here).
    with transaction.atomic(savepoint=False):
        upsert(OrganisationScore, written, ("agency", "year"))
        report.written = len(written)
        freshness.clear(taken)
    report.seconds = time.perf_counter() - started
    return report


def score_agency(agency, year: int) -> OrganisationScore | None:
    """Score ``agency`` (after its sub-units; the agencies above it follow); its stored row."""
    score_organisations(year, agency)
    return OrganisationScore.objects.filter(agency=agency, year=year).first()


def inputs_changed(score: OrganisationScore, as_of=None) -> bool:
    """True when the current inputs (pending tasks compared with ``as_of``, default today)
    would no longer give this stored row."""
    data = YearInputs.load(score.year, [score.agency_id])
    children = data.child_ids
    computed = {
        pk: rating or None
        for pk, rating in OrganisationScore.objects.filter(
            year=score.year, agency_id__in=children, scored=True
        ).values_list("agency_id", "rating")
    }
    framework = OrganisationFrameworkResolver(score.year).resolve(score.agency.path)
    document, _inp = build(
        data, score.agency_id, framework, computed, as_of or timezone.localdate()
    )
    return inputs_fingerprint(document) != score.inputs_hash
