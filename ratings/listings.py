"""The HR listings' filters and builders, without their pages: the multi-year results, the
six-month results and the competency gaps of the people one reaches. Each listing's selection
(its form read from a query) and its workbook builder are shared by its views
(``ratings.views.hr_history``, ``half_years``, ``competency_gaps``: the page, the download at
once) and by its background export (``ratings.exports``, issue 47)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.access import visible_agencies
from org.models import Agency, Competency, Posting
from org.models.civil_servant import PersonCategory
from ratings.access import hr_history_people
from ratings.hr_flags import Purpose, active_rules, history_years
from ratings.services.competency_gaps import gaps_xlsx
from ratings.services.half_year import half_label, half_year_xlsx, people_of, rows_for
from ratings.services.hr_export import history_xlsx
from ratings.services.hr_history import (
    default_last_year,
    filter_histories,
    histories,
    people_in,
    people_posted,
    window,
)
from scoring.services.competencies import gaps

# --- the multi-year results (``ratings.views.hr_history``) -----------------------------------

MIN_YEAR, MAX_YEAR = 2000, 2100


def year_field(label):
    """A year between :data:`MIN_YEAR` and :data:`MAX_YEAR`, its errors naming ``label``."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": _("“%(field)s” phải là một năm, ví dụ 2026.") % {"field": label},
            "min_value": _("“%(field)s” không được trước năm %(year)s.")
            % {"field": label, "year": MIN_YEAR},
            "max_value": _("“%(field)s” không được sau năm %(year)s.")
            % {"field": label, "year": MAX_YEAR},
        },
    )


class QueryForm(forms.Form):
    """A listing's filter form read from the query string: :meth:`value` gives a field's
    cleaned value, or ``default`` when the form is unbound, invalid or the field is empty."""

    def value(self, name, default=None):
        if not self.is_bound or not self.is_valid():
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class HistoryFilterForm(QueryForm):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả trong phạm vi của tôi"),
    )
    year = forms.IntegerField(label=gettext_lazy("Đến năm"), required=False)
    years = forms.IntegerField(label=gettext_lazy("Số năm"), required=False)
    flag = forms.ChoiceField(label=gettext_lazy("Cảnh báo"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Đối tượng"), required=False)
    purpose = forms.ChoiceField(label=gettext_lazy("Mục đích sử dụng"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).order_by("path")
        self.fields["year"] = year_field(_("Đến năm"))
        self.fields["years"] = forms.IntegerField(
            label=_("Số năm"),
            required=False,
            min_value=1,
            max_value=10,
            error_messages={
                "invalid": _("“Số năm” phải là số nguyên từ 1 đến 10."),
                "min_value": _("“Số năm” phải là số nguyên từ 1 đến 10."),
                "max_value": _("“Số năm” phải là số nguyên từ 1 đến 10."),
            },
        )
        everyone = [("", _("Tất cả"))]
        self.fields["flag"].choices = everyone + [(r.code, r.label) for r in active_rules()]
        self.fields["category"].choices = everyone + list(PersonCategory.choices)
        self.fields["purpose"].choices = everyone + list(Purpose.choices)


def history_scope(user, query):
    """The form, the years, the people ``user`` reaches that ``query`` asks for (before the
    filters on flags, category and purpose; ``None`` when the form has errors) and a text naming
    the scope."""
    form = HistoryFilterForm(query or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, [], None, ""
    last = form.value("year") or default_last_year()
    years = window(last, form.value("years") or history_years())
    agency = form.value("agency")
    people = hr_history_people(user)
    if agency is not None:
        people = people.filter(pk__in=people_in(agency, years[0], years[-1]).values("pk"))
        scope = agency.name
    else:
        people = people.filter(pk__in=people_posted(years[0], years[-1]).values("pk"))
        scope = _("Toàn bộ phạm vi được giao")
    return form, years, people, scope


def history_selection(user, query):
    """The form, the years, the filtered rows (``None`` when the form has errors) and a text
    naming the scope."""
    form, years, people, scope = history_scope(user, query)
    if people is None:
        return form, years, None, scope
    rows = filter_histories(
        histories(people, years[-1], len(years), viewer=user),
        flag=form.value("flag", ""),
        category=form.value("category", ""),
        purpose=form.value("purpose", ""),
    )
    return form, years, rows, scope


def history_export(user, query, progress=None) -> tuple[bytes, str, dict]:
    """The multi-year workbook of ``query`` as ``user`` reaches it, its name and what the read
    log keeps of it — the one builder of the download at once and of the background job
    (``ratings.exports``, issue 47). The form is valid (the view answered its errors)."""
    form, years, rows, scope = history_selection(user, query)
    if rows is None:
        raise ValueError(f"invalid multi-year selection: {form.errors.as_json()}")
    if progress is not None:
        progress(len(rows))
    content = history_xlsx(rows, years, scope=scope, purpose=form.value("purpose", ""))
    agency = form.value("agency")
    read = {
        "label": _("Kết quả nhiều năm: %(scope)s") % {"scope": scope},
        "subjects": [history.person.pk for history in rows],
        "agency": agency.pk if agency is not None else None,
    }
    return content, f"ket-qua-nhieu-nam-{years[0]}-{years[-1]}.xlsx", read


# --- the six-month results (``ratings.views.half_years``) ------------------------------------


class HalfYearFilterForm(QueryForm):
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
        self.fields["year"] = year_field(_("Năm"))
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


# --- the competency gaps (``ratings.views.competency_gaps``) ---------------------------------


class GapFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả trong phạm vi của tôi"),
    )
    competency = forms.ModelChoiceField(
        label=gettext_lazy("Năng lực"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).order_by("path")
        self.fields["agency"].error_messages["invalid_choice"] = _(
            "“Cơ quan, đơn vị”: hãy chọn một cơ quan, đơn vị trong danh sách."
        )
        self.fields["competency"].queryset = Competency.objects.order_by("code")
        self.fields["competency"].error_messages["invalid_choice"] = _(
            "“Năng lực”: hãy chọn một năng lực trong danh sách."
        )


def gaps_people(user, query):
    """The form, the people ``user`` reaches that ``query`` asks for (``None`` when the form
    has errors), the competency asked for and a text naming the scope."""
    form = GapFilterForm(query or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, None, None, ""
    data = form.cleaned_data if form.is_bound else {}
    agency = data.get("agency")
    competency = data.get("competency")
    people = hr_history_people(user)
    if agency is not None:
        people = people.filter(
            pk__in=Posting.objects.filter(agency__path__startswith=agency.path).values(
                "civil_servant_id"
            )
        )
        scope = agency.name
    else:
        scope = _("Toàn bộ phạm vi được giao")
    if competency is not None:
        scope += " · " + competency.name
    return form, people, competency, scope


def gaps_selection(user, query):
    """The form, the rows (None when the form is wrong) and a text naming the scope."""
    form, people, competency, scope = gaps_people(user, query)
    if people is None:
        return form, None, scope
    return form, gaps(people, competency=competency), scope


def gaps_export(user, query, progress=None) -> tuple[bytes, str, dict]:
    """The gaps' workbook of ``query`` as ``user`` reaches it, its name and what the read log
    keeps of it — the one builder of the download at once and of the background job
    (``ratings.exports``, issue 47). The form is valid (the view answered its errors)."""
    form, rows, scope = gaps_selection(user, query)
    if rows is None:
        raise ValueError(f"invalid competency-gap selection: {form.errors.as_json()}")
    if progress is not None:
        progress(len(rows))
    read = {
        "label": _("Khoảng cách năng lực: %(scope)s") % {"scope": scope},
        "subjects": sorted({gap.person_id for gap in rows}),
        "count": len(rows),
    }
    return gaps_xlsx(rows, scope=scope), "khoang-cach-nang-luc.xlsx", read
