"""What every template kind provides to the pipeline and the template builder."""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from importers.columns import SheetSpec, Text
from importers.issues import Issue
from importers.kinds.people import members_of
from importers.meta import TemplateMeta
from importers.reading.frame import ParsedSheet

if TYPE_CHECKING:
    from accounts.models import User
    from org.models import Agency
    from scoring.models import Period


@dataclass
class Counts:
    total: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    error_rows: int = 0
    # People the file renames (a question above a few: importers.conf.max_renames) and stored
    # values the file clears (cells holding the "(xoá)" marker).
    renamed: int = 0
    cleared: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Context:
    """Who imports what for which agency and period (resolved from the file and the request)."""

    agency: "Agency"
    period: "Period | None" = None
    period_code: str = ""
    user: "User | None" = None
    meta: TemplateMeta | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: ``progress(rows)``: a template built in the background (``cms.exports``) says how many of
    #: its rows are written.
    progress: Callable[[int], None] | None = None

    @property
    def needed_period(self) -> "Period":
        """The period of a kind that needs one (``TemplateKind.needs_period``): the pipeline and
        the template door refuse a file or a request without it before a kind reads it."""
        if self.period is None:
            raise ValueError("this kind of file needs a period")
        return self.period

    @property
    def day(self) -> datetime.date:
        """The reference day: the period's last day, else today."""
        return self.period.end_date if self.period is not None else timezone.localdate()


@dataclass
class KindResult:
    issues: list[Issue] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    payload: Any = None
    # Old → new of changed rows and the rows the import deletes (at most the stored limit).
    changes: list = field(default_factory=list)  # importers.changes.Change
    # Digest of the stored rows the file was compared with: a commit whose digest differs from
    # its preview's compared the file with rows someone changed meanwhile (importers.pipeline).
    # Every kind supplies it; a kind that can afford it also gives the rows themselves
    # (``stored``: subject → {field label: shown value}), from which the fingerprint is made and
    # the preview lists what changed since (importers.changes.since_preview).
    fingerprint: str = ""
    stored: dict | None = None


def stored_fingerprint(stored: dict) -> str:
    """The digest of a kind's ``stored`` rows (order-independent)."""
    text = json.dumps(stored, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def with_stored(result: "KindResult", stored: dict) -> "KindResult":
    """``result`` carrying the stored rows it was computed against and their fingerprint."""
    result.stored = stored
    result.fingerprint = stored_fingerprint(stored)
    return result


class TemplateKind:
    code: str = ""
    label: Text = ""
    version = "1"
    supported_versions: tuple[str, ...] = ("1",)
    needs_period = False
    #: Whether a committed file changes score inputs (its agency is then rescored in the
    #: background: ``scoring.services.rescoring``).
    changes_scores = False
    sheets: tuple[SheetSpec, ...] = ()
    instructions: tuple[str, ...] = ()

    def sheet(self, name: str) -> SheetSpec:
        return next(spec for spec in self.sheets if spec.name == name)

    # --- access ---------------------------------------------------------------------------

    def can_import(self, user, agency) -> bool:
        raise NotImplementedError

    def importable_among(self, user, agencies: list) -> set[int]:
        """Ids of ``agencies`` for which :meth:`can_import` holds (a kind whose check reads rows
        per agency reads them for all of ``agencies`` at once here)."""
        return {agency.pk for agency in agencies if self.can_import(user, agency)}

    def imports_any(self, user, agencies) -> bool:
        """Whether :meth:`can_import` holds for some agency of ``agencies`` (a queryset): the
        importer's door and its menu entry ask on every admin page. By default the agencies are
        asked at once (:meth:`importable_among`); a kind whose rule is a condition on the agency
        answers with one query or none, a kind that can rule most agencies out first asks only
        the rest — the same rule, never a looser copy of it."""
        return bool(self.importable_among(user, list(agencies)))

    # --- reading --------------------------------------------------------------------------

    def context_issues(self, context: Context) -> list[Issue]:
        """Problems with the agency/period itself (period closed, no catalog version…)."""
        return []

    def analyse(self, context: Context, sheets: dict[str, ParsedSheet]) -> KindResult:
        raise NotImplementedError

    def write(self, context: Context, result: KindResult) -> Counts:
        raise NotImplementedError

    # --- template -------------------------------------------------------------------------

    def template_issues(self, context: Context) -> list[Issue]:
        """Why no useful template can be built for ``context`` (none by default)."""
        return []

    def build_template(self, context: Context):
        """The template's bytes, pre-filled for ``context``."""
        raise NotImplementedError

    def template_rows(self, context: Context) -> int:
        """About how many rows the template holds, read cheaply (the door builds a template of
        more than ``KPI_TEMPLATE_INLINE_ROWS`` in the background): by default the people
        posted in the agency during the period (or today)."""
        day = context.day
        start = context.period.start_date if context.period is not None else day
        return len(members_of(context.agency, start, day))
