"""Listing filters of the scoring snippets."""

import django_filters

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

from org.models import Agency
from org.pickers import AgencyChoiceFilter
from scoring.models import AnnualScore, AssignmentLine, Period, PeriodScore, Rating


def _agency_filter():
    return AgencyChoiceFilter(
        label=_("Cơ quan, đơn vị (cả đơn vị trực thuộc)"),
        queryset=Agency.objects.order_by("path"),
        method="filter_agency",
    )


class PeriodScoreFilterSet(WagtailFilterSet):
    period = django_filters.ModelChoiceFilter(label=_("Kỳ đánh giá"), queryset=Period.objects.all())
    agency = _agency_filter()
    rating = django_filters.ChoiceFilter(label=_("Mức xếp loại"), choices=Rating.choices)

    class Meta:
        model = PeriodScore
        fields = ["scored"]

    def filter_agency(self, queryset, name, value):
        return queryset.filter(agency__path__startswith=value.path)


class AnnualScoreFilterSet(WagtailFilterSet):
    agency = _agency_filter()
    rating = django_filters.ChoiceFilter(label=_("Xếp loại"), choices=Rating.choices)

    class Meta:
        model = AnnualScore
        fields = ["year", "quota_needs_decision"]

    def filter_agency(self, queryset, name, value):
        return queryset.filter(agency__path__startswith=value.path)


class AssignmentLineFilterSet(WagtailFilterSet):
    period = django_filters.ModelChoiceFilter(label=_("Kỳ đánh giá"), queryset=Period.objects.all())
    agency = _agency_filter()

    class Meta:
        model = AssignmentLine
        fields = ["source"]

    def filter_agency(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)
