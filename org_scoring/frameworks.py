"""Which rules rate an agency/unit for a year — the one resolution shared with ``ratings``.

The live framework assigned to the agency on 31 December of the year that carries an
``organisation`` section: organisation frameworks first, then the civil-servant one (which also
carries it), monthly before quarterly; the engine's Decree 335 defaults when none applies (then
no framework row or revision is recorded).
"""

import datetime
from dataclasses import dataclass

from scoring.engine import (
    DECREE_335_DEFAULT,
    DECREE_335_ORGANISATION,
    FrameworkRules,
    OrganisationRules,
)
from scoring.models import AppliesTo, PeriodKind
from scoring.services.frameworks import FrameworkResolver


@dataclass(frozen=True)
class OrganisationFramework:
    rules: FrameworkRules
    framework_id: int | None = None
    revision_id: int | None = None
    name: str = ""

    @property
    def organisation(self) -> OrganisationRules:
        return self.rules.organisation or DECREE_335_ORGANISATION


class OrganisationFrameworkResolver:
    """Assignments loaded once; resolves many agencies of one year in memory."""

    #: The families whose frameworks may carry an ``organisation`` section, in order.
    FAMILIES = (AppliesTo.ORGANISATION, AppliesTo.CIVIL_SERVANT)

    def __init__(self, year: int):
        self.day = datetime.date(year, 12, 31)
        self.resolver = FrameworkResolver(self.FAMILIES[0], also=self.FAMILIES[1:])

    def resolve(self, agency_path: str) -> OrganisationFramework:
        for family in self.FAMILIES:
            for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
                resolved = self.resolver.resolve_in(family, agency_path, kind, self.day)
                if resolved is not None and resolved.rules.organisation is not None:
                    return OrganisationFramework(
                        rules=resolved.rules,
                        framework_id=resolved.framework_id,
                        revision_id=resolved.revision_id,
                        name=resolved.name,
                    )
        return OrganisationFramework(rules=DECREE_335_DEFAULT)


def organisation_framework(agency, year: int) -> OrganisationFramework:
    return OrganisationFrameworkResolver(year).resolve(agency.path)
