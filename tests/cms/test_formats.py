"""Security review 2026-11-22 (side finding S1) and ux #1: dates swapped day and month on save.

The admin showed dd/mm/yyyy and Django read mm/dd/yyyy first: re-saving a civil servant turned
a posting start of 2020-10-01 into 2020-01-10, 15/12/2026 was refused, and an English-language
user typing 4,5 stored 45. Every form, in both languages, reads what it shows.
"""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from org.access import HOME_AFFAIRS_GROUP
from org.models import CivilServant
from tests.factories import PostingFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(html: str) -> dict:
    """The values a browser would post back from the page's main form, unchanged."""
    forms_ = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S | re.I)
    form = max(forms_, key=len)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = (re.search(r'type="([^"]+)"', tag) or [None, "text"])[1]
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("checkbox", "radio"):
            if "checked" in tag:
                data[name.group(1)] = value.group(1) if value else "on"
            continue
        if kind in ("submit", "button", "file"):
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(body).lstrip("\n")
    return data


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_civil_servant_saved_unchanged_keeps_every_date(client, language):
    unit = UnitFactory()
    posting = PostingFactory(agency=unit, start_date=datetime.date(2020, 10, 1))
    person = posting.civil_servant
    person.date_of_birth = datetime.date(1980, 4, 18)
    person.save()
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    prefix = "/en" if language == "en" else ""
    with translation.override(language):
        url = reverse("wagtailsnippets_org_civilservant:edit", args=[person.pk])
        client.cookies["django_language"] = language
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "01/10/2020" in page and "18/04/1980" in page
        response = client.post(url, form_data(page))
    assert response.status_code == 302, prefix + response.content.decode()[:3000]
    person = CivilServant.objects.get(pk=person.pk)
    assert person.date_of_birth == datetime.date(1980, 4, 18)
    assert person.postings.get().start_date == datetime.date(2020, 10, 1)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [("4,5", Decimal("4.5")), ("4.5", Decimal("4.5")), ("1125", Decimal("1125"))],
)
def test_decimals_read_the_comma_as_the_decimal_point(language, typed, expected):
    field = forms.DecimalField(max_digits=12, decimal_places=3, localize=True)
    with translation.override(language):
        assert field.clean(typed) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_ambiguous_number_is_refused_not_guessed(language):
    field = forms.DecimalField(max_digits=12, decimal_places=3, localize=True)
    with translation.override(language), pytest.raises(forms.ValidationError):
        field.clean("1.234,5")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/12/2026", datetime.date(2026, 12, 15)),
        ("01/10/2020", datetime.date(2020, 10, 1)),
        ("2020-10-01", datetime.date(2020, 10, 1)),
    ],
)
def test_dates_are_read_day_first(language, typed, expected):
    with translation.override(language):
        assert forms.DateField().clean(typed) == expected


def test_every_admin_form_date_field_reads_what_the_widget_writes():
    """Generated over every snippet form: each date field's widget writes a value the field
    reads back as the same day, in both languages."""
    from wagtail.snippets.models import get_snippet_models

    day = datetime.date(2026, 3, 12)
    for language in ("vi", "en"):
        with translation.override(language):
            for model in get_snippet_models():
                form_class = model.snippet_viewset.get_form_class()
                for name, field in form_class.base_fields.items():
                    if isinstance(field, forms.DateField):
                        shown = field.widget.format_value(day)
                        assert field.clean(shown) == day, (model.__name__, name, shown)
