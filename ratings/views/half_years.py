"""Six-month results of the people a user reaches (issue 44 item 3; coverage M4/E2): leaders
their unit's people, an agency's HR its agency's, Sở Nội vụ the whole province — filterable by
agency or unit, bloc, year and half — with its xlsx export. Who may list: whoever reaches people
besides themselves (``ratings.access.can_list_hr_history``); which rows: the row-scope registry
(``ratings.access.hr_history_people`` = ``org.access.visible_civil_servants``); the figures:
``ratings.services.half_year``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadKind
from cms import exports
from cms.admin_views import TitledAdminMixin
from org.access import visible_agencies
from org.models import Agency
from ratings.access import can_list_hr_history, hr_history_people
from ratings.services.half_year import half_label, half_year_xlsx, people_of, rows_for
from ratings.views.hr_history import _year_field
from ratings.views.printing import xlsx_response

PER_PAGE = 50


class HalfYearFilterForm(forms.Form):
    year = forms.IntegerField(required=False)
    half = forms.TypedChoiceField(
        label=gettext_lazy("Kỳ 6 tháng"), required=False, coerce=int, empty_value=None
    )
    bloc = forms.ModelChoiceField(
        label=gettext_lazy("Khối"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả các khối"),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả trong phạm vi của tôi"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field(_("Năm"))
        self.fields["half"].choices = [("", half_label(None))] + [
            (half, half_label(half)) for half in (1, 2)
        ]
        self.fields["half"].error_messages["invalid_choice"] = _(
            "“Kỳ 6 tháng” phải là 6 tháng đầu năm hoặc 6 tháng cuối năm."
        )
        agencies = visible_agencies(user)
        self.fields["agency"].queryset = agencies.order_by("path")
        self.fields["agency"].error_messages["invalid_choice"] = _(
            "Cơ quan, đơn vị đã chọn không có trong phạm vi được xem; hãy chọn lại trong danh sách."
        )
        # The blocs: the roots of the three trees (state, Party, Front) the user reaches.
        roots = {path.strip("/").split("/")[0] for path in agencies.values_list("path", flat=True)}
        self.fields["bloc"].queryset = Agency.objects.filter(
            parent__isnull=True, pk__in=[int(pk) for pk in roots if pk.isdigit()]
        ).order_by("name")
        self.fields["bloc"].error_messages["invalid_choice"] = _(
            "Khối đã chọn không có trong phạm vi được xem; hãy chọn lại trong danh sách."
        )

    def value(self, name, default=None):
        if not self.is_bound or not self.is_valid():
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


def half_year_selection(user, query):
    """The form, the year, the half, the people ``user`` reaches that ``query`` asks for
    (ordered; ``None`` when the form has errors) and the scope's name."""
    form = HalfYearFilterForm(query or None, user=user)
    year = timezone.localdate().year
    if form.is_bound and not form.is_valid():
        return form, year, None, None, ""
    year = form.value("year") or year
    half = form.value("half")
    agency = form.value("agency") or form.value("bloc")
    people = people_of(hr_history_people(user), agency, year)
    scope = agency.name if agency is not None else _("Toàn bộ phạm vi được giao")
    return form, year, half, people, scope


#: The background build reads the rows of this many people at a time (and says its progress).
CHUNK = 200


def half_year_export(user, query, progress=None) -> tuple[bytes, str, dict]:
    """The six-month workbook of ``query`` as ``user`` reaches it, its name and what the read
    log keeps of it — the one builder of the download at once and of the background job
    (``ratings.exports``, issue 47). The form is valid (the view answered its errors)."""
    form, year, half, people, scope = half_year_selection(user, query)
    if people is None:
        raise ValueError(f"invalid six-month selection: {form.errors.as_json()}")
    people = list(people)
    rows: list = []
    for start in range(0, len(people), CHUNK):
        rows.extend(rows_for(people[start : start + CHUNK], year, half))
        if progress is not None:
            progress(min(start + CHUNK, len(people)))
    content = half_year_xlsx(rows, scope=scope, year=year, half=half)
    agency = form.value("agency")
    read = {
        "label": _("Kết quả 6 tháng: %(scope)s") % {"scope": scope},
        "subjects": [person.pk for person in people],
        "agency": agency.pk if agency is not None else None,
    }
    suffix = f"-{half}" if half else ""
    return content, f"ket-qua-6-thang-{year}{suffix}.xlsx", read


class HalfYearMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_list_hr_history(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def selection(self):
        """The form, the year, the half, the people (in reach, ordered) and the scope's name;
        people ``None`` when the form has errors."""
        return half_year_selection(self.request.user, self.request.GET)


class HalfYearListView(HalfYearMixin, TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/half_years.html"
    page_title = gettext_lazy("Kết quả đánh giá 6 tháng")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, year, half, people, scope = self.selection()
        context.update(form=form, year=year, half_text=half_label(half), scope=scope)
        if people is None:
            return context
        page = Paginator(people, PER_PAGE).get_page(self.request.GET.get("p"))
        context["page"] = page
        context["count"] = page.paginator.count
        context["rows"] = rows_for(page.object_list, year, half)
        query = self.request.GET.copy()
        query.pop("p", None)
        context["query"] = query.urlencode()
        record_read(
            self.request,
            ReadKind.DASHBOARD,
            model="org.civilservant",
            label=str(self.page_title),
            subjects=[person.pk for person in page.object_list],
            count=len(page.object_list),
            agency=form.value("agency"),
        )
        return context


class HalfYearExportView(HalfYearMixin, View):
    """The listing's workbook: at once, or built in the background when it lists more people
    than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``; the same ``half_year_export``)."""

    def get(self, request):
        from ratings import exports as kinds

        form, year, _half, people, _scope = self.selection()
        if people is None:
            errors = "; ".join(
                f"{form.fields[name].label}: {' '.join(messages)}"
                for name, messages in form.errors.items()
            )
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")

        def inline():
            content, name, read = half_year_export(request.user, request.GET)
            kinds.record_listing(request, **read)
            return xlsx_response(content, name)

        params = kinds.listing_params(request, year=year)
        return exports.deliver(request, kinds.HALF_YEARS, params, people.count(), inline)
