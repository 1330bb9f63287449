"""cms.widgets.CheckboxSelectMultiple writes exactly the HTML of Django's templates."""

import pytest

from django import forms
from django.utils.safestring import mark_safe

from cms.widgets import CheckboxSelectMultiple

CHOICES = [
    (1, "Nguyễn Văn A"),
    (22, 'Trần "B" <C> & D'),
    ("x&y", mark_safe("<b>an toàn</b>")),
    (0, "Số không"),
]


def django_html(widget_kwargs, name, value, attrs):
    return forms.CheckboxSelectMultiple(**widget_kwargs).render(name, value, attrs)


@pytest.mark.parametrize(
    ("widget_kwargs", "value", "attrs"),
    [
        ({"choices": CHOICES}, None, {"id": "id_people"}),
        ({"choices": CHOICES}, [22, "x&y"], {"id": "id_people"}),
        ({"choices": CHOICES, "attrs": {"class": "wl-list", "data-x": 'a"b'}}, [1], None),
        ({"choices": CHOICES, "attrs": {"disabled": True, "required": False}}, [], {"id": "p"}),
        ({"choices": []}, None, {"id": "id_empty"}),
    ],
)
def test_same_html_as_django_templates(widget_kwargs, value, attrs):
    ours = CheckboxSelectMultiple(**widget_kwargs).render("people", value, attrs)
    assert ours == django_html(widget_kwargs, "people", value, attrs)
    if widget_kwargs["choices"]:
        assert 'value="22"' in ours
        assert "Trần &quot;B&quot; &lt;C&gt; &amp; D" in ours


def test_option_groups_fall_back_to_the_templates():
    grouped = [("Phòng A", [(1, "A"), (2, "B")]), ("Phòng B", [(3, "C")])]
    ours = CheckboxSelectMultiple(choices=grouped).render("people", [3], {"id": "id_p"})
    assert ours == django_html({"choices": grouped}, "people", [3], {"id": "id_p"})
    assert "<label>Phòng A</label>" in ours


def test_bound_field_renders_the_same(settings):
    class Form(forms.Form):
        people = forms.MultipleChoiceField(choices=CHOICES, widget=CheckboxSelectMultiple)

    class DjangoForm(forms.Form):
        people = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)

    data = {"people": ["1", "0"]}
    assert str(Form(data)["people"]) == str(DjangoForm(data)["people"])
    assert 'value="1" id="id_people_0" checked' in str(Form(data)["people"])


@pytest.mark.django_db
def test_the_rich_text_editor_is_named_by_its_label(client):
    """axe (issue 44): Draftail's editing area (role="textbox") had no name on the support
    settings' FAQ. The editor is told the label's id, and that label says "Câu hỏi thường gặp"."""
    import json
    import re
    from html import unescape

    from org.access import HOME_AFFAIRS_GROUP
    from tests.factories import UserFactory

    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP], is_superuser=True))
    page = client.get("/admin/settings/support/supportsettings/", follow=True)
    html = page.content.decode()
    found = re.search(r'data-w-init-detail-value="([^"]*ariaLabelledBy[^"]*)"', html)
    assert found, "the editor's options name no label"
    label_id = json.loads(unescape(found.group(1)))["ariaLabelledBy"]
    label = re.search(rf'<label[^>]*id="{re.escape(label_id)}"[^>]*>(.*?)</label>', html, re.S)
    assert label and "Câu hỏi thường gặp" in unescape(re.sub(r"<[^>]+>", "", label.group(1)))
