"""An entry's test is asked once per request (Wagtail asks each entry of a submenu twice: the
submenu's own ``is_shown``, then its rendering; several entries share one test)."""

from django.test import RequestFactory

from cms.admin_views import AdminPage


def test_a_menu_test_is_asked_once_per_request_and_again_on_the_next():
    asked = []

    def shown_to(user):
        asked.append(user)
        return True

    first = AdminPage("menu-once-a", menu_label="A", url_name="x", shown_to=shown_to)
    second = AdminPage("menu-once-b", menu_label="B", url_name="y", shown_to=shown_to)
    request = RequestFactory().get("/admin/")
    request.user = "someone"
    entries = [cls("A", "/a/") for cls in (first.menu_item_class, second.menu_item_class)]
    assert all(entry.is_shown(request) for entry in entries + entries)
    assert asked == ["someone"]
    following = RequestFactory().get("/admin/")
    following.user = "someone else"
    assert entries[0].is_shown(following)
    assert asked == ["someone", "someone else"]


def test_an_entry_hidden_stays_hidden_within_the_request():
    page = AdminPage("menu-once-c", menu_label="C", url_name="z", shown_to=lambda user: False)
    request = RequestFactory().get("/admin/")
    request.user = "someone"
    entry = page.menu_item_class("C", "/c/")
    assert not entry.is_shown(request)
    assert not entry.is_shown(request)
