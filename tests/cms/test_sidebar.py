"""The admin's sidebar packed once per shape (cms.sidebar): what each user is sent is Wagtail's
own packing of their menu, byte for byte, in each language; another user's or language's menu is
never served from the kept copy; the copied template block is Wagtail's but for its two changes."""

import json
from pathlib import Path

import pytest

from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

import wagtail
from wagtail.admin.templatetags.wagtailadmin_tags import sidebar_props as wagtail_sidebar_props

from cms import sidebar
from org.access import HOME_AFFAIRS_GROUP
from tests.factories import UserFactory, agency_admin, two_agencies

OURS = Path(__file__).resolve().parents[2] / "cms/templates/wagtailadmin/base.html"
WAGTAILS = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/base.html"
LOGO = (
    '{% block branding_logo %}<img src="{% static \'cms/logo.svg\' %}" alt="{% translate '
    '\'KPI Công vụ\' %}" width="80" height="80" />{% endblock %}'
)


def test_the_copied_furniture_block_is_wagtails_but_for_the_logo_and_the_packing():
    wagtails = WAGTAILS.read_text()
    block = wagtails[wagtails.index("{% block furniture %}") :].rstrip()
    ours = OURS.read_text()
    copied = ours[ours.index("{% block furniture %}") :].rstrip()
    assert copied == block.replace("{% sidebar_props %}", "{% cms_sidebar_props %}").replace(
        "{% block branding_logo %}{% endblock %}", LOGO
    ), "Wagtail's base.html changed: copy its furniture block again (cms/sidebar.py)"


def _read(props: str) -> str:
    """The packed menu as text a person reads (the script's JSON, its escapes undone)."""
    inner = props[props.index(">") + 1 : props.rindex("</script>")]
    return json.dumps(json.loads(inner), ensure_ascii=False)


def _request(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
def test_each_user_and_language_gets_wagtails_own_packing_and_never_anothers():
    sidebar._packed.clear()
    agencies = two_agencies()
    home_affairs = UserFactory(groups=[HOME_AFFAIRS_GROUP], first_name="Hà")
    clerk = agency_admin(agencies.own, first_name="Bảo")
    seen = {}
    for language in ("vi", "en"):
        with translation.override(language):
            for user in (home_affairs, clerk, home_affairs):
                expected = str(wagtail_sidebar_props({"request": _request(user)}))
                got = sidebar.sidebar_props(_request(user))
                assert got == expected
                seen[(language, user.pk)] = _read(got)
    assert len(set(seen.values())) == 4  # two users × two languages, each its own
    assert '"Hà"' in seen[("vi", home_affairs.pk)] and '"Bảo"' in seen[("vi", clerk.pk)]
    assert "Đăng xuất" in seen[("vi", clerk.pk)] and "Log out" in seen[("en", clerk.pk)]
    assert len(sidebar._packed) == 4

    # The user renamed: another shape, packed again, the new name shown.
    clerk.first_name = "Bảo Anh"
    clerk.save()
    with translation.override("vi"):
        got = sidebar.sidebar_props(_request(clerk))
    assert '"Bảo Anh"' in _read(got) and len(sidebar._packed) == 5


@pytest.mark.django_db
def test_an_admin_page_carries_the_sidebar_once(client):
    user = UserFactory(groups=[HOME_AFFAIRS_GROUP])
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert html.count('id="wagtail-sidebar-props"') == 1
    assert html.count("data-wagtail-sidebar-branding-logo") == 1
    assert "cms/logo.svg" in html


def test_the_kept_shapes_are_bounded(monkeypatch):
    sidebar._packed.clear()
    monkeypatch.setattr(sidebar, "KEPT", 2)
    monkeypatch.setattr(
        sidebar, "_modules", lambda request: [sidebar.sidebar.SearchModule(request)]
    )

    class Area:
        def __init__(self, url):
            self.url = url

    for url in ("/a/", "/b/", "/c/"):
        assert f'"{url}"' in sidebar.sidebar_props(Area(url))
    assert len(sidebar._packed) == 2
    sidebar._packed.clear()
