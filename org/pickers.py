"""How an agency or unit is named where a user picks one: a unit with the agency it belongs to
("Văn phòng Sở — Sở Tư pháp"), since many agencies have units of the same name (review
2026-11-25, ux H3: nine "Văn phòng Sở" in a row, and sign-ins created in a ward's unit).

The one place: :func:`agency_choices` for a hand-made ``<select>``, :class:`AgencyChoiceField` /
:class:`AgencyMultipleChoiceField` for forms, :class:`AgencyChoiceFilter` for listing filters,
and :func:`picker_label` for the admin's agency chooser (``org.admin_scope``). The names of the
agencies are read in one query per picker, whatever the number of units."""

from __future__ import annotations

import django_filters

from django import forms

from cms.widgets import snippet_chooser_class
from org.models import AGENCY_KINDS, Agency


def owner_names() -> dict[int, str]:
    """``{pk: name}`` of every agency (not unit) of the tree: one query."""

    return dict(Agency.objects.filter(kind__in=AGENCY_KINDS).values_list("pk", "name"))


def picker_label(agency, owners: dict[int, str]) -> str:
    """``agency``'s name in a picker: a unit followed by the agency it belongs to (the nearest
    one above it); an agency by its own name."""
    if agency.is_agency:
        return agency.name
    owner = next((owners[i] for i in reversed(agency.ancestor_ids()) if i in owners), None)
    return f"{agency.name} — {owner}" if owner else agency.name


def agency_choices(agencies) -> list[tuple[int, str]]:
    """``(pk, label)`` of each agency or unit of a hand-made picker, in the given order."""
    agencies = list(agencies)
    owners = owner_names() if any(not a.is_agency for a in agencies) else {}
    return [(agency.pk, picker_label(agency, owners)) for agency in agencies]


class _Labelled:
    """A model choice field of agencies labelled by :func:`picker_label` (names read once per
    form)."""

    _owners: dict[int, str] | None = None

    def label_from_instance(self, obj):
        if obj.is_agency:
            return obj.name
        if self._owners is None:
            self._owners = owner_names()
        return picker_label(obj, self._owners)


class AgencyChoiceField(_Labelled, forms.ModelChoiceField):
    pass


class AgencyMultipleChoiceField(_Labelled, forms.ModelMultipleChoiceField):
    pass


class AgencyChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyChoiceField


def chooser_title(instance, owners: dict[int, str] | None = None) -> str:
    """The title of a chosen row in the admin's choosers: an agency or unit by
    :func:`picker_label`, any other row as itself."""

    if not isinstance(instance, Agency):
        return str(instance)
    if instance.is_agency:
        return instance.name
    return picker_label(instance, owner_names() if owners is None else owners)


def agency_snippet_chooser(model, icon):
    """The admin's chooser widget for agencies: the chosen unit shown with its agency."""

    class AgencySnippetChooser(snippet_chooser_class()):
        def get_display_title(self, instance):
            return chooser_title(instance)

    return AgencySnippetChooser(model=model, icon=icon)
