"""The reconciliation report of one agency and month: what its sources delivered and what became
of it — received, matched (written to the worklog), waiting for a person, a document type or
the document itself, refused with the reason, withdrawn (revoked or replaced)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .ingest import MISSING_DOCUMENT, MISSING_PERSON, MISSING_TASK_TYPE
from .models import Package, PackageState, Source


@dataclass
class SourceLine:
    source: Source | None  # None: the month's total over every source
    received: int = 0
    matched: int = 0
    waiting_person: int = 0
    waiting_task_type: int = 0
    waiting_document: int = 0
    refused: int = 0
    withdrawn: int = 0


@dataclass
class Reconciliation:
    month: datetime.date
    sources: list[SourceLine] = field(default_factory=list)
    refused: list[Package] = field(default_factory=list)
    waiting: list[Package] = field(default_factory=list)

    @property
    def total(self) -> SourceLine:
        total = SourceLine(source=None)
        for line in self.sources:
            for name in (
                "received",
                "matched",
                "waiting_person",
                "waiting_task_type",
                "waiting_document",
                "refused",
                "withdrawn",
            ):
                setattr(total, name, getattr(total, name) + getattr(line, name))
        return total


def reconcile(agency, month: datetime.date) -> Reconciliation:
    month = month.replace(day=1)
    report = Reconciliation(month=month)
    sources = Source.objects.filter(agency__path__startswith=agency.path).order_by("name")
    by_source = {source.pk: SourceLine(source) for source in sources}
    packages = (
        Package.objects.filter(source__in=sources, month=month)
        .select_related("source")
        .order_by("received_at", "id")
    )
    for package in packages:
        line = by_source[package.source_id]
        line.received += 1
        if package.state == PackageState.APPLIED:
            line.matched += 1
        elif package.state == PackageState.REFUSED:
            line.refused += 1
            report.refused.append(package)
        elif package.state == PackageState.WITHDRAWN:
            line.withdrawn += 1
        else:
            report.waiting.append(package)
            if package.missing == MISSING_PERSON:
                line.waiting_person += 1
            elif package.missing == MISSING_TASK_TYPE:
                line.waiting_task_type += 1
            elif package.missing == MISSING_DOCUMENT:
                line.waiting_document += 1
    report.sources = list(by_source.values())
    return report
