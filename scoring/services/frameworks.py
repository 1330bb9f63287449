"""Picking the criteria framework for a person and period — always its LIVE revision.

``DraftStateMixin`` does not stop a draft from being referenced, so nothing here reads the
``rules`` column of a framework row: the rules come from ``live_revision.content``. A framework
without a live revision (never published, or unpublished) is skipped as if it were not assigned.
Parsed rules are cached per revision (its id and creation time: revision content never changes,
and the time guards against ids reused after a rollback).
"""

import json
from dataclasses import dataclass

from cms.statements import kept_rows, kept_rows_together, read
from org.categories import rules_for
from scoring.engine import FrameworkRules, parse_framework
from scoring.models import (
    AppliesTo,
    CriteriaFramework,
    FrameworkAssignment,
    FrameworkProposal,
    ProposalStatus,
)

_RULES_CACHE: dict[tuple, FrameworkRules] = {}


@dataclass(frozen=True)
class ResolvedFramework:
    framework_id: int
    revision_id: int
    rules: FrameworkRules
    name: str = ""
    code: str = ""


def rules_of_revision(revision) -> FrameworkRules:
    key = (revision.pk, revision.created_at)
    cached = _RULES_CACHE.get(key)
    if cached is None:
        data = revision.content.get("rules")
        if isinstance(data, str):
            data = json.loads(data)
        cached = parse_framework(data)
        _RULES_CACHE[key] = cached
    return cached


def _cached_rules(keys: list[tuple]) -> list[FrameworkRules]:
    """The rules of the revisions ``keys`` (``(id, created at)``), in their order: those not
    parsed yet in this process read in one query."""
    from wagtail.models import Revision

    missing = [pk for pk, at in keys if (pk, at) not in _RULES_CACHE]
    if missing:
        for revision in Revision.objects.filter(pk__in=missing):
            rules_of_revision(revision)
    return [_RULES_CACHE[key] for key in keys if key in _RULES_CACHE]


def rules_by_revision(revision_ids) -> dict[int, FrameworkRules]:
    """Revision id → its rules, for the stored revisions among ``revision_ids``: the one reader
    of stored revisions' rules (one query, more only for the ones not parsed yet in this
    process; a revision's content is read and parsed once, keyed by its id and time)."""
    ids = sorted({int(pk) for pk in revision_ids if pk})
    if not ids:
        return {}
    keys = kept_rows(_revision_keys, ids=ids)
    _cached_rules(keys)
    return {pk: _RULES_CACHE[(pk, at)] for pk, at in keys if (pk, at) in _RULES_CACHE}


def rules_of_revisions(revision_ids) -> list[FrameworkRules]:
    """The rules of these stored revisions (:func:`rules_by_revision`)."""
    return list(rules_by_revision(revision_ids).values())


def live_rules(kinds) -> list[FrameworkRules]:
    """The rules of every live framework that applies to one of ``kinds``: one query when
    their revisions were read before in this process (rules are cached per revision)."""
    return _cached_rules(kept_rows(_live_revisions, tuple(sorted(set(kinds)))))


def _revision_keys(ids):
    from wagtail.models import Revision

    return Revision.objects.filter(pk__in=ids).values_list("pk", "created_at")


def _live_revisions(kinds):
    return (
        CriteriaFramework.objects.filter(live=True, applies_to__in=list(kinds))
        .exclude(live_revision_id=None)
        .values_list("live_revision_id", "live_revision__created_at")
    )


def live_framework(framework: CriteriaFramework) -> ResolvedFramework | None:
    """The live rules of ``framework`` (``None`` when it has no published revision)."""
    if not framework.live or framework.live_revision_id is None:
        return None
    revision = framework.live_revision
    return ResolvedFramework(
        framework_id=framework.pk,
        revision_id=revision.pk,
        rules=rules_of_revision(revision),
        name=framework.name,
        code=framework.code,
    )


def revision_rules(revision_id: int) -> FrameworkRules | None:
    """Rules of a stored revision (used to re-explain a stored score): :func:`rules_by_revision`
    of the one id."""
    return rules_by_revision([revision_id]).get(int(revision_id))


class FrameworkResolver:
    """All assignments loaded once; resolves many (agency, period) pairs in memory.

    A person's framework follows their category (``org.categories``, docs/scope.md §2): the
    civil-servant resolver also loads the frameworks for viên chức (``AppliesTo.PUBLIC_EMPLOYEE``)
    and, for a category whose rule ``framework`` names them, prefers one of those in force for
    the agency and period, falling back to the civil-servant framework where none is assigned.
    """

    def __init__(self, applies_to: str = AppliesTo.CIVIL_SERVANT, *, also: tuple[str, ...] = ()):
        kinds = [applies_to]
        if applies_to == AppliesTo.CIVIL_SERVANT:
            kinds.append(AppliesTo.PUBLIC_EMPLOYEE)
        # Other families read in the same two queries (:meth:`resolve_in`).
        kinds += [kind for kind in also if kind not in kinds]
        # The assignments with their framework's columns, not the revisions' content: the rules
        # are parsed once per revision in this process (``_cached_rules``), so a resolver costs
        # two small queries, however large the frameworks are.
        # Both statements compiled once per process (``cms.statements``).
        # Sent together (one round trip on PostgreSQL).
        rows, proposals = kept_rows_together(
            read(_assignment_rows, tuple(kinds)), read(_proposal_rows)
        )
        # An agency's own framework counts only while its proposal is approved, and only
        # from the approval's effective date (never retroactively).
        variants = {
            framework_id: (status, effective_from)
            for framework_id, status, effective_from in proposals
        }
        live = {
            row[3]: row
            for row in rows
            if row[6] and row[7] is not None  # live, with a published revision
        }
        keys = list({(row[7], row[8]) for row in live.values()})
        _cached_rules(keys)
        self.frameworks: dict[int, ResolvedFramework | None] = {}
        for framework_id, row in live.items():
            rules = _RULES_CACHE.get((row[7], row[8]))
            if rules is not None:
                self.frameworks[framework_id] = ResolvedFramework(
                    framework_id=framework_id,
                    revision_id=row[7],
                    rules=rules,
                    name=row[9],
                    code=row[10],
                )
        self.by_applies_to: dict[str, list] = {kind: [] for kind in kinds}
        for row_id, agency_id, effective_from, framework_id, kind, period_type, *_rest in rows:
            if framework_id in variants:
                status, approved_from = variants[framework_id]
                if status != ProposalStatus.APPROVED or approved_from is None:
                    continue
                effective_from = max(effective_from, approved_from)
            resolved = self.frameworks.get(framework_id)
            if resolved is None:
                continue
            entry = (agency_id, effective_from, row_id, period_type, resolved)
            self.by_applies_to[kind].append(entry)
        self.assignments = self.by_applies_to[applies_to]

    def resolve(
        self, agency_path: str, period_kind: str, day, category: str | None = None
    ) -> ResolvedFramework | None:
        """The framework for an agency (by its tree path) and a period kind on ``day``; for a
        holder of ``category`` (a posting's), the framework family its rules name first."""
        if category:
            family = self.by_applies_to.get(rules_for(category).framework)
            if family and family is not self.assignments:
                found = self._best(family, agency_path, period_kind, day)
                if found is not None:
                    return found
        return self._best(self.assignments, agency_path, period_kind, day)

    def resolve_in(
        self, family: str, agency_path: str, period_kind: str, day
    ) -> ResolvedFramework | None:
        """The framework of ``family`` (``applies_to``, one of those read) for an agency and a
        period kind on ``day``."""
        return self._best(self.by_applies_to.get(family, []), agency_path, period_kind, day)

    @staticmethod
    def _best(assignments, agency_path: str, period_kind: str, day) -> ResolvedFramework | None:
        chain = [int(part) for part in agency_path.strip("/").split("/") if part]
        depth_of = {agency_id: depth for depth, agency_id in enumerate(chain)}
        best, best_key = None, None
        for agency_id, effective_from, row_id, period_type, resolved in assignments:
            if period_type != period_kind or effective_from > day:
                continue
            if agency_id is None:
                depth = -1
            elif agency_id in depth_of:
                depth = depth_of[agency_id]
            else:
                continue
            key = (depth, effective_from, row_id)
            if best_key is None or key > best_key:
                best, best_key = resolved, key
        return best


def framework_for_agency(agency, period, category: str | None = None) -> ResolvedFramework | None:
    return FrameworkResolver().resolve(agency.path, period.kind, period.start_date, category)


def known_disqualifier_codes() -> set[str]:
    """Disqualifier codes of every live civil-servant framework."""
    return set(known_disqualifiers())


def known_disqualifiers() -> dict[str, str]:
    """Disqualifier code → its words in the live civil-servant frameworks (the first
    framework naming a code gives its label)."""
    labels: dict[str, str] = {}
    for framework in CriteriaFramework.objects.filter(
        applies_to__in=[AppliesTo.CIVIL_SERVANT, AppliesTo.PUBLIC_EMPLOYEE], live=True
    ).select_related("live_revision"):
        resolved = live_framework(framework)
        if resolved is not None:
            for d in resolved.rules.disqualifiers:
                labels.setdefault(d.code, getattr(d, "label", "") or d.code)
    return labels


def published_revision_ids(framework: CriteriaFramework) -> set[int]:
    """Revisions of ``framework`` that were ever published (or are live)."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import ModelLogEntry

    content_type = ContentType.objects.get_for_model(CriteriaFramework)
    ids = set(
        ModelLogEntry.objects.filter(
            content_type=content_type,
            object_id=str(framework.pk),
            action="wagtail.publish",
            revision__isnull=False,
        ).values_list("revision_id", flat=True)
    )
    if framework.live_revision_id:
        ids.add(framework.live_revision_id)
    return ids


class FrameworkNotFound(LookupError):
    """The asked framework (or version) does not exist or was never published."""


def framework_for_preview(code=None, revision_id=None, agency=None, day=None):
    """The rules a what-if calculation uses: the published framework ``code`` (its live
    revision, or the published revision ``revision_id``), else the civil-servant framework in
    force on ``day`` for ``agency`` (the province-wide one without an agency), monthly first.
    ``None``: nothing is assigned, the caller uses the built-in Decree 335 default."""
    from wagtail.models import Revision

    if code:
        framework = CriteriaFramework.objects.filter(
            code=code, applies_to__in=[AppliesTo.CIVIL_SERVANT, AppliesTo.PUBLIC_EMPLOYEE]
        ).first()
        if framework is None or not framework.live:
            raise FrameworkNotFound("framework")
        if revision_id is None:
            return live_framework(framework)
        if revision_id not in published_revision_ids(framework):
            raise FrameworkNotFound("framework_version")
        revision = Revision.objects.get(pk=revision_id)
        return ResolvedFramework(
            framework.pk, revision.pk, rules_of_revision(revision), framework.name, framework.code
        )
    resolver = FrameworkResolver()
    path = agency.path if agency is not None else ""
    for kind in ("month", "quarter"):
        resolved = resolver.resolve(path, kind, day)
        if resolved is not None:
            return resolved
    return None


def _assignment_rows(kinds):
    """The framework assignments of these families, with their framework's columns."""
    return (
        FrameworkAssignment.objects.filter(framework__applies_to__in=list(kinds))
        .order_by("id")
        .values_list(
            "id",
            "agency_id",
            "effective_from",
            "framework_id",
            "framework__applies_to",
            "framework__period_type",
            "framework__live",
            "framework__live_revision_id",
            "framework__live_revision__created_at",
            "framework__name",
            "framework__code",
        )
    )


def _proposal_rows():
    return FrameworkProposal.objects.filter(framework__isnull=False).values_list(
        "framework_id", "status", "effective_from"
    )
