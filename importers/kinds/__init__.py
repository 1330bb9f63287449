"""The template kinds, by code. Each module holds one kind's columns, rules and writing."""

from importers.kinds.base import TemplateKind
from importers.kinds.catalog import CatalogKind
from importers.kinds.general_marks import GeneralMarksKind
from importers.kinds.personnel import PersonnelKind
from importers.kinds.results import ResultsKind

KINDS: dict[str, TemplateKind] = {
    kind.code: kind for kind in (PersonnelKind(), CatalogKind(), ResultsKind(), GeneralMarksKind())
}


def get_kind(code: str) -> TemplateKind:
    return KINDS[code]
