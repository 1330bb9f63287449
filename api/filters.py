"""django-filter FilterSets of the read API.

``agency`` always means "this agency AND everything below it in the tree" (a prefix query on the
materialised path). ``period`` is a period code (``2026-03``, ``2026-Q1``, ``2026-H1``, ``2026``).
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog_pages.models import CatalogVersion, CatalogVersionItem
from org.models import (
    Agency,
    AgencyKind,
    CivilServant,
    Competency,
    CompetencyKind,
    DescriptionStatus,
    JobDescription,
    JobPosition,
    LeadershipRole,
    PositionGroup,
)
from org.text import fold_for_search
from org_scoring.models import QuarterlyAssessment
from ratings.models import RatingCase
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    LineSource,
    Period,
    PeriodKind,
    PeriodScore,
    PeriodStatus,
    Rating,
    parse_period_code,
)

LEADER_ROLES = (LeadershipRole.HEAD, LeadershipRole.DEPUTY)


class FilterSet(filters.FilterSet):
    """A FilterSet whose form class is built once per FilterSet class, not on every request.

    django-filter builds a new form class (and every filter's form field) per request; our
    filters do not depend on the request, so one form class serves all (each form instance
    still copies its fields, as Django forms do).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django_filters.FilterSet.__init__, except that it deep-copies every declared filter
        # per request (hundreds of objects): a filter keeps no per-request state but its parent
        # and model, so a shallow copy of each does (what they share is only read).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)  # ModelChoiceFilter.field writes to it
            if getattr(base, "_method", None) is not None:
                # A method filter holds a FilterMethod bound to its filter: bind the copy's.
                filter_.method = base._method
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_api_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._api_form_class = form_class
        return form_class


class PeriodCodeField(forms.CharField):
    """A period code → ``(kind, year, number)``; the message of ``parse_period_code`` if bad."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period_code(value)
        except ValueError as exc:
            # The message quotes the code as sent: passed as a parameter, so that a "%" in it
            # is not read as a placeholder (django-filter formats ``message % params``).
            raise forms.ValidationError(
                "%(message)s", code="invalid", params={"message": str(exc)}
            ) from exc


class PeriodCodeFilter(filters.CharFilter):
    field_class = PeriodCodeField

    def __init__(self, *args, prefix="period", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("help_text", _("Mã kỳ: 2026-03 (tháng), 2026-Q1, 2026-H1, 2026 (năm)."))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        kind, year, number = value
        lookup = f"{self.prefix}__" if self.prefix else ""
        return qs.filter(
            **{f"{lookup}kind": kind, f"{lookup}year": year, f"{lookup}number": number}
        )


#: Largest value of a 64-bit id (BigAutoField).
MAX_ID = 2**63 - 1
#: Years a filter accepts (dates go up to 9999).
MIN_YEAR, MAX_YEAR = 1, 9999


def _documented(filter_, schema: dict):
    """Document ``filter_`` in the OpenAPI schema as ``schema`` (its help text kept)."""
    help_text = filter_.extra.get("help_text")
    if help_text:
        schema = {**schema, "description": help_text}
    return extend_schema_field(schema)(filter_)


class IntegerFilter(filters.NumberFilter):
    """A whole number between ``min_value`` and ``max_value``, documented with those bounds.

    django-filter's NumberFilter takes any decimal (``1e308``, ``2026.5``), which the database
    cannot always compare (SQLite: "Python int too large to convert to SQLite INTEGER").
    """

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        _documented(self, {"type": "integer", "minimum": min_value, "maximum": max_value})


class PointsFilter(filters.NumberFilter):
    """A score in points (0–100, at most two decimals), as stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            **kwargs,
        )
        _documented(self, {"type": "number", "minimum": 0, "maximum": 100})


#: Largest UTC offset accepted in a time (real ones are -12:00 to +14:00; PostgreSQL refuses
#: more than ±15:59).
MAX_UTC_OFFSET = datetime.timedelta(hours=14)


class BoundedDateTimeField(IsoDateTimeField):
    """An ISO 8601 time the database can compare: offset within ±14:00, and still within
    years 1–9999 once converted to UTC (Python parses offsets up to ±23:59)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        offset = value.utcoffset()
        try:
            if offset is not None:
                if abs(offset) > MAX_UTC_OFFSET:
                    raise OverflowError
                value.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(
                _(
                    "Thời điểm không hợp lệ: múi giờ phải từ -14:00 đến +14:00 và thời điểm "
                    "phải nằm trong các năm 1–9999."
                ),
                code="invalid",
            ) from exc
        return value


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


def year_filter(**kwargs) -> IntegerFilter:
    return IntegerFilter(min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SubtreeFilter(filters.ModelChoiceFilter):
    """An agency code → the rows of that agency and of every agency below it."""

    def __init__(self, *args, path_field: str, **kwargs):
        self.path_field = path_field
        kwargs.setdefault("queryset", Agency.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "help_text", _("Mã cơ quan, đơn vị: lấy cả các đơn vị trực thuộc (mọi cấp).")
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.path_field}__startswith": value.path})


def leader_filter(field: str):
    def apply(queryset, name, value):
        query = Q(**{f"{field}__in": LEADER_ROLES})
        return queryset.filter(query) if value else queryset.exclude(query)

    return apply


LEADER_HELP = _("true: chỉ công chức lãnh đạo, quản lý (cấp trưởng, cấp phó); false: còn lại.")


# --------------------------------------------------------------------------- reference data


class AgencyFilter(FilterSet):
    within = SubtreeFilter(path_field="path")
    parent = filters.ModelChoiceFilter(
        queryset=Agency.objects.all(),
        to_field_name="code",
        help_text=_("Mã cơ quan cấp trên: chỉ các đơn vị trực thuộc trực tiếp."),
    )
    kind = filters.MultipleChoiceFilter(choices=AgencyKind.choices)
    is_active = filters.BooleanFilter()
    q = filters.CharFilter(
        method="search", help_text=_("Tìm theo tên hoặc mã (không phân biệt dấu).")
    )

    class Meta:
        model = Agency
        fields = ["within", "parent", "kind", "is_active", "q"]

    def search(self, queryset, name, value):
        folded = fold_for_search(value)
        return queryset.filter(Q(name_folded__icontains=folded) | Q(code__iexact=value.strip()))


class JobPositionFilter(FilterSet):
    group = filters.MultipleChoiceFilter(choices=PositionGroup.choices)
    on = filters.DateFilter(
        method="noop",
        help_text=_("Ngày để xác định bản mô tả công việc đang áp dụng (mặc định hôm nay)."),
    )

    class Meta:
        model = JobPosition
        fields = ["group", "level", "is_active", "on"]

    def noop(self, queryset, name, value):
        return queryset


class CompetencyFilter(FilterSet):
    kind = filters.MultipleChoiceFilter(choices=CompetencyKind.choices)

    class Meta:
        model = Competency
        fields = ["kind", "is_active"]


class JobDescriptionFilter(FilterSet):
    job_position = filters.ModelChoiceFilter(
        queryset=JobPosition.objects.all(),
        to_field_name="code",
        help_text=_("Mã vị trí việc làm."),
    )
    agency = filters.CharFilter(
        method="by_agency",
        help_text=_(
            "Mã cơ quan: các bản mô tả áp dụng cho cơ quan đó (bản riêng của cơ quan và bản "
            "dùng chung của tỉnh)."
        ),
    )
    in_force_on = filters.DateFilter(
        method="in_force",
        help_text=_(
            "Chỉ phiên bản đang áp dụng vào ngày này (một phiên bản cho mỗi vị trí việc làm "
            "và mỗi cơ quan xây dựng)."
        ),
    )
    status = filters.ChoiceFilter(
        choices=[
            (DescriptionStatus.APPROVED.value, DescriptionStatus.APPROVED.label),
            (DescriptionStatus.SUPERSEDED.value, DescriptionStatus.SUPERSEDED.label),
        ]
    )

    class Meta:
        model = JobDescription
        fields = ["job_position", "agency", "in_force_on", "status"]

    def in_force(self, queryset, name, value):
        return queryset.in_force_on(value)

    def by_agency(self, queryset, name, value):
        agency = Agency.objects.filter(code=value).first()
        return queryset.none() if agency is None else queryset.for_agency(agency)


class CatalogFilter(FilterSet):
    within = SubtreeFilter(path_field="path")
    on = filters.DateFilter(
        method="noop",
        help_text=_("Ngày để xác định phiên bản đang áp dụng (mặc định hôm nay)."),
    )

    class Meta:
        model = Agency
        fields = ["within", "on"]

    def noop(self, queryset, name, value):
        return queryset


class CatalogVersionFilter(FilterSet):
    agency = filters.ModelChoiceFilter(
        queryset=Agency.objects.all(), to_field_name="code", help_text=_("Mã cơ quan.")
    )
    in_force_on = filters.DateFilter(
        method="in_force",
        help_text=_("Chỉ phiên bản đang áp dụng vào ngày này (một phiên bản cho mỗi cơ quan)."),
    )
    effective_after = filters.DateFilter(field_name="effective_from", lookup_expr="gte")
    effective_before = filters.DateFilter(field_name="effective_from", lookup_expr="lte")

    class Meta:
        model = CatalogVersion
        fields = ["agency", "in_force_on", "effective_after", "effective_before"]

    def in_force(self, queryset, name, value):
        ids = []
        for agency_id in queryset.values_list("agency_id", flat=True).distinct():
            version = CatalogVersion.objects.filter(
                agency_id=agency_id, effective_from__lte=value
            ).order_by("-effective_from", "-number")
            first = version.values_list("id", flat=True).first()
            if first is not None:
                ids.append(first)
        return queryset.filter(pk__in=ids)


class CatalogItemFilter(FilterSet):
    version = IntegerFilter(
        field_name="version_id", min_value=1, max_value=MAX_ID, help_text=_("id phiên bản.")
    )
    agency = filters.ModelChoiceFilter(
        field_name="version__agency",
        queryset=Agency.objects.all(),
        to_field_name="code",
        help_text=_("Mã cơ quan."),
    )
    code = filters.CharFilter(help_text=_("Mã sản phẩm/công việc."))
    job_position = filters.ModelChoiceFilter(
        field_name="job_positions",
        queryset=JobPosition.objects.all(),
        to_field_name="code",
        help_text=_("Mã vị trí việc làm."),
    )
    complexity_group = IntegerFilter(min_value=1, max_value=5)

    class Meta:
        model = CatalogVersionItem
        fields = ["version", "agency", "code", "job_position", "complexity_group"]


class PeriodFilter(FilterSet):
    code = PeriodCodeFilter(prefix="")
    kind = filters.MultipleChoiceFilter(choices=PeriodKind.choices)
    status = filters.MultipleChoiceFilter(choices=PeriodStatus.choices)
    year = year_filter()
    starts_after = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    ends_before = filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Period
        fields = ["code", "kind", "status", "year", "published", "starts_after", "ends_before"]


# --------------------------------------------------------------------------- people


class CivilServantFilter(FilterSet):
    agency = SubtreeFilter(
        path_field="postings__agency__path",
        help_text=_(
            "Mã cơ quan, đơn vị: người có quá trình công tác đang hiệu lực tại đó hoặc đơn vị "
            "trực thuộc."
        ),
        method="by_agency",
    )
    position_group = filters.ChoiceFilter(
        choices=PositionGroup.choices,
        method="by_group",
        help_text=_("Nhóm vị trí việc làm của vị trí đang giữ."),
    )
    leader = filters.BooleanFilter(method="by_leader", help_text=LEADER_HELP)
    official_id = filters.CharFilter(help_text=_("Mã số công chức."))
    is_active = filters.BooleanFilter()

    class Meta:
        model = CivilServant
        fields = ["agency", "position_group", "leader", "official_id", "is_active"]

    @staticmethod
    def _current() -> Q:
        today = timezone.localdate()
        return Q(postings__start_date__lte=today) & (
            Q(postings__end_date__isnull=True) | Q(postings__end_date__gte=today)
        )

    def _postings(self, queryset, query: Q):
        return queryset.filter(self._current() & query).distinct()

    def by_agency(self, queryset, name, value):
        return self._postings(queryset, Q(postings__agency__path__startswith=value.path))

    def by_group(self, queryset, name, value):
        return self._postings(queryset, Q(postings__job_position__group=value))

    def by_leader(self, queryset, name, value):
        leaders = Q(postings__role__in=LEADER_ROLES)
        if value:
            return self._postings(queryset, leaders)
        current_leaders = CivilServant.objects.filter(self._current() & leaders)
        return queryset.exclude(pk__in=current_leaders.values("pk"))


# --------------------------------------------------------------------------- lines and scores


class AssignmentLineFilter(FilterSet):
    period = PeriodCodeFilter()
    agency = SubtreeFilter(
        path_field="unit__path",
        help_text=_("Mã cơ quan, đơn vị thực hiện: lấy cả các đơn vị trực thuộc (mọi cấp)."),
    )
    civil_servant = filters.CharFilter(
        field_name="civil_servant__official_id", help_text=_("Mã số công chức.")
    )
    source = filters.ChoiceFilter(choices=LineSource.choices)
    product_code = filters.CharFilter(field_name="item__code", help_text=_("Mã sản phẩm."))
    updated_after = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = DateTimeFilter(field_name="updated_at", lookup_expr="lte")
    deadline_after = filters.DateFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = filters.DateFilter(field_name="deadline", lookup_expr="lte")

    class Meta:
        model = AssignmentLine
        fields = [
            "period",
            "agency",
            "civil_servant",
            "source",
            "product_code",
            "updated_after",
            "updated_before",
            "deadline_after",
            "deadline_before",
        ]


class _ScoreFilter(FilterSet):
    agency = SubtreeFilter(path_field="agency__path")
    civil_servant = filters.CharFilter(
        field_name="civil_servant__official_id", help_text=_("Mã số công chức.")
    )
    # The score's own column: no row can repeat, so no DISTINCT (django-filter's default for a
    # multiple choice), which PostgreSQL cannot run over the explanation's ``json`` column
    # (cms.postgres.DocumentField).
    rating = filters.MultipleChoiceFilter(
        choices=Rating.choices,
        distinct=False,
        help_text=_("Một hoặc nhiều mức xếp loại (lặp lại tham số)."),
    )
    position_group = filters.ChoiceFilter(
        choices=PositionGroup.choices, help_text=_("Nhóm vị trí việc làm trong kỳ.")
    )
    leader = filters.BooleanFilter(method=leader_filter("role"), help_text=LEADER_HELP)
    scored = filters.BooleanFilter(help_text=_("Chỉ kết quả được (không được) chấm điểm."))
    computed_after = DateTimeFilter(field_name="computed_at", lookup_expr="gte")
    computed_before = DateTimeFilter(field_name="computed_at", lookup_expr="lte")


class PeriodScoreFilter(_ScoreFilter):
    period = PeriodCodeFilter()
    period_kind = filters.ChoiceFilter(field_name="period__kind", choices=PeriodKind.choices)
    year = year_filter(field_name="period__year")
    min_total = PointsFilter(field_name="total", lookup_expr="gte")
    max_total = PointsFilter(field_name="total", lookup_expr="lte")

    class Meta:
        model = PeriodScore
        fields = [
            "period",
            "period_kind",
            "year",
            "agency",
            "civil_servant",
            "rating",
            "position_group",
            "leader",
            "scored",
            "min_total",
            "max_total",
            "computed_after",
            "computed_before",
        ]


class AnnualScoreFilter(_ScoreFilter):
    year = year_filter()

    class Meta:
        model = AnnualScore
        fields = [
            "year",
            "agency",
            "civil_servant",
            "rating",
            "position_group",
            "leader",
            "scored",
            "computed_after",
            "computed_before",
        ]


class AnnualRatingFilter(FilterSet):
    year = year_filter()
    agency = SubtreeFilter(path_field="agency__path")
    civil_servant = filters.CharFilter(
        field_name="civil_servant__official_id", help_text=_("Mã số công chức.")
    )
    decision_level = filters.MultipleChoiceFilter(choices=Rating.choices)
    position_group = filters.ChoiceFilter(choices=PositionGroup.choices)
    leader = filters.BooleanFilter(method=leader_filter("role"), help_text=LEADER_HELP)
    decided_after = filters.DateFilter(field_name="decision_date", lookup_expr="gte")
    decided_before = filters.DateFilter(field_name="decision_date", lookup_expr="lte")

    class Meta:
        model = RatingCase
        fields = [
            "year",
            "agency",
            "civil_servant",
            "decision_level",
            "position_group",
            "leader",
            "decided_after",
            "decided_before",
        ]


class QuarterlyAssessmentFilter(FilterSet):
    year = year_filter()
    quarter = filters.NumberFilter(min_value=1, max_value=4, help_text=_("Quý: 1–4."))
    agency = SubtreeFilter(path_field="agency__path")
    level = filters.MultipleChoiceFilter(choices=Rating.choices)

    class Meta:
        model = QuarterlyAssessment
        fields = ["year", "quarter", "agency", "level"]
