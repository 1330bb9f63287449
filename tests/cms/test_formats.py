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
from tests.browsing import form_data
from tests.factories import PostingFactory, UnitFactory, UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


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


PROJECT_APPS = (
    "accounts",
    "api",
    "catalog_pages",
    "cms",
    "dashboards",
    "demo",
    "importers",
    "org",
    "org_scoring",
    "ratings",
    "scoring",
    "worklog",
)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> dict[str, type]:
    """Every form class of the project: each snippet's and page type's admin form (with their
    inline child forms) and every form class defined in the project's modules."""
    from django.urls import get_resolver

    from wagtail.models import get_page_models
    from wagtail.snippets.models import get_snippet_models

    get_resolver().url_patterns  # noqa: B018 - imports every view, hence every form module
    found = {}
    for model in get_snippet_models():
        found[f"snippet {model.__name__}"] = model.snippet_viewset.get_form_class()
    for model in get_page_models():
        if model._meta.app_label in PROJECT_APPS:
            found[f"page {model.__name__}"] = model.get_edit_handler().get_form_class()
    for name, form_class in list(found.items()):
        for child, formset in getattr(form_class, "formsets", {}).items():
            found[f"{name}.{child}"] = formset.form
    for form_class in set(_subclasses(forms.BaseForm)):
        if form_class.__module__.split(".")[0] in PROJECT_APPS:
            found[f"{form_class.__module__}.{form_class.__qualname__}"] = form_class
    return found


def test_every_form_is_enumerated():
    names = project_form_classes()
    assert "snippet AssignmentLine" in names and "page AgencyCatalogPage.items" in names
    assert "worklog.forms.SubmitForm" in names and "ratings.forms.AppraiseForm" in names


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_form_reads_dates_and_numbers_as_it_writes_them(language):
    """Generated over every form of the project: each date, date-time and decimal field reads
    back what its widget writes (dd/mm/yyyy, the decimal comma), reads a typed 4,5 as 4.5 and
    refuses 1.234,5 rather than guessing which separator groups thousands."""
    day = datetime.date(2026, 3, 12)
    moment = datetime.datetime(2026, 3, 12, 8, 30)
    checked = set()
    with translation.override(language):
        for name, form_class in project_form_classes().items():
            for field_name, field in form_class.base_fields.items():
                where = (name, field_name)
                if isinstance(field, forms.DateTimeField):
                    shown = field.widget.format_value(moment)
                    assert field.to_python(shown).replace(tzinfo=None) == moment, (*where, shown)
                elif isinstance(field, forms.DateField):
                    shown = field.widget.format_value(day)
                    # The browser's own date box (<input type="date">) exchanges yyyy-mm-dd
                    # and shows the date in the browser's language; every other box is typed.
                    native = getattr(field.widget, "input_type", "") == "date"
                    assert shown == ("2026-03-12" if native else "12/03/2026"), (*where, shown)
                    assert field.to_python(shown) == day, where
                    assert field.to_python("15/12/2026") == datetime.date(2026, 12, 15), where
                elif isinstance(field, forms.DecimalField):
                    shown = field.widget.format_value(field.prepare_value(Decimal("4.5")))
                    assert shown == "4,5", (*where, shown)
                    assert field.to_python(shown) == Decimal("4.5"), where
                    assert field.to_python("4.5") == Decimal("4.5"), where
                    with pytest.raises(forms.ValidationError):
                        field.to_python("1.234,5")
                    assert not isinstance(field.widget, forms.NumberInput), where
                else:
                    continue
                checked.add(type(field).__name__)
    assert {"DateField", "DecimalField"} <= checked


def test_no_form_builds_a_decimal_field_of_its_own():
    """Forms that add fields at run time (Form 01 marks) cannot be enumerated: every decimal
    form field in the code is the project's (cms.formats.fields.DecimalField)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in PROJECT_APPS
        for path in (root / app).rglob("*.py")
        if "forms.DecimalField(" in path.read_text(encoding="utf-8")
        and path != root / "cms" / "formats" / "fields.py"
    ]
    assert not offenders


def admin_in(language: str):
    """A superuser whose admin speaks ``language`` (Wagtail's preferred-language setting)."""
    from wagtail.users.models import UserProfile

    user = UserFactory(username=f"quantri.{language}")
    user.is_superuser = True
    user.save()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def get_form(client, url, language) -> dict:
    page = client.get(url).content.decode()
    assert f'lang="{language}"' in page  # the page really is in that language
    return form_data(page)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_assignment_line_keeps_its_quantities_and_reads_the_decimal_comma(client, language):
    """English-language users typing 4,5 stored 45 (the browser's number box read the comma as
    a thousands separator); the quantity is shown and read with the decimal comma."""
    world = build_world()
    person = world.person("Nguyễn Văn Số")
    line = world.line(
        person, "X", assigned="1.25", completed="1", deadline=datetime.date(2026, 3, 5)
    )
    client.force_login(admin_in(language))
    url = reverse("wagtailsnippets_scoring_assignmentline:edit", args=[line.pk])

    data = get_form(client, url, language)
    assert data["assigned_quantity"] == "1,25" and data["deadline"] == "05/03/2026"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    line.refresh_from_db()
    assert line.assigned_quantity == Decimal("1.25")
    assert line.deadline == datetime.date(2026, 3, 5)

    for typed in ("4,5", "4.5"):
        # The page as the browser has it after the redirect (it carries what it showed).
        data = {**get_form(client, url, language), "assigned_quantity": typed}
        response = client.post(url, data)
        assert response.status_code == 302, errors_of(response)
        line.refresh_from_db()
        assert line.assigned_quantity == Decimal("4.5"), typed


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_catalog_page_keeps_its_effective_date_and_coefficients(client, language):
    """The catalog page's "áp dụng từ ngày" (day ≤ 12 on both sides) and its items'
    coefficients come back unchanged when the page is saved as rendered."""
    from catalog_pages.models import AgencyCatalogPage, CatalogItem
    from tests.factories import catalog_page

    world = build_world()
    page = catalog_page(world.department)
    page.effective_from = datetime.date(2026, 10, 1)
    page.items = [
        CatalogItem(
            code="A",
            name="Văn bản",
            output_unit="văn bản",
            complexity_group=1,
            coefficient=Decimal("1"),
            is_standard=True,
        ),
        CatalogItem(
            code="B",
            name="Báo cáo",
            output_unit="báo cáo",
            complexity_group=2,
            coefficient=Decimal("1.25"),
        ),
    ]
    page.save_revision().publish()
    client.force_login(admin_in(language))
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    data = get_form(client, url, language)
    assert data["effective_from"] == "01/10/2026"
    assert data["items-1-coefficient"] == "1,2500"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    saved = AgencyCatalogPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert saved.effective_from == datetime.date(2026, 10, 1)
    assert sorted(item.coefficient for item in saved.items.all()) == [1, Decimal("1.25")]


def errors_of(response) -> str:
    html = response.content.decode()
    found = re.findall(r'class="[^"]*error-message[^"]*"[^>]*>(.*?)</', html, re.S)
    return " | ".join(unescape(e).strip() for e in found) or html[:2000]
