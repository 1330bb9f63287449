"""The template kinds, by code. Each module holds one kind's columns, rules and writing."""

from importers.kinds.base import TemplateKind
from importers.kinds.catalog import CatalogKind
from importers.kinds.general_marks import GeneralMarksKind
from importers.kinds.personnel import PersonnelKind
from importers.kinds.results import ResultsKind

KINDS: dict[str, TemplateKind] = {
    kind.code: kind for kind in (PersonnelKind(), CatalogKind(), ResultsKind(), GeneralMarksKind())
}


def register_kind(kind: TemplateKind) -> None:
    """A kind of a higher app (the feedback app's one-stop survey), added at its start-up."""
    KINDS.setdefault(kind.code, kind)


def get_kind(code: str) -> TemplateKind:
    return KINDS[code]
