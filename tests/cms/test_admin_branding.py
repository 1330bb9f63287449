"""The admin carries the system's name and mark, not Wagtail's (no Wagtail branding in the
Vietnamese admin), and calls no outside service (no update check, no Gravatar)."""

import pytest

from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_names_the_system():
    page = Client().get("/admin/login/").content.decode()
    assert "<title>" in page and "KPI Công vụ</title>" in page.replace("\n", "")
    assert "Wagtail" not in page.split("<body")[1].split("</main>")[0]
    assert "cms/logo.svg" in page


def test_admin_pages_carry_the_systems_mark_and_no_outside_calls():
    client = Client()
    client.force_login(UserFactory(username="quantri.thu", is_superuser=True))
    page = client.get("/admin/").content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "KPI Công vụ" in title and "Wagtail" not in title
    assert "cms/logo.svg" in page
    assert "gravatar.com" not in page
    assert "releases.wagtail.io" not in page


def test_sign_in_and_elapsed_times_are_vietnamese():
    """Wagtail's form showed "Password"; Django's Vietnamese catalogue lacks "%(num)d minute"."""
    from django.utils import timezone, translation
    from django.utils.timesince import timesince

    page = Client().get("/admin/login/").content.decode()
    assert "Mật khẩu" in page and ">Password" not in page
    with translation.override("vi"):
        ago = timesince(timezone.now() - timezone.timedelta(minutes=21))
    assert ago == "21\xa0phút"


# --- leftovers of the review 2026-11-22 (ux #11, §8 "Branding") -------------------------------

SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")


def shown_text(page: str) -> list[str]:
    """What a user reads or hears: text outside scripts and styles, the attributes shown or
    spoken, and every label of the sidebar (a JSON script Wagtail's React code draws)."""
    import json
    from html.parser import HTMLParser

    texts: list[str] = []

    class Reader(HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skip += 1
                self.script_id = dict(attrs).get("id")
            texts.extend(v for k, v in attrs if k in SHOWN_ATTRIBUTES and v)

        def handle_endtag(self, tag):
            if tag in ("script", "style"):
                self.skip -= 1

        def handle_data(self, data):
            if self.skip and getattr(self, "script_id", None) == "wagtail-sidebar-props":
                walk(json.loads(data))
            elif not self.skip and data.strip():
                texts.append(data.strip())

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("_type", "name", "icon_name", "url", "classname", "attrs"):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and not value.startswith("/"):
            texts.append(value)

    Reader().feed(page)
    return texts


@pytest.mark.parametrize("superuser", [True, False])
def test_no_wagtail_name_anywhere_a_user_reads_in_the_admin(superuser):
    """The sign-in page, the home page and its sidebar (Wagtail printed "Wagtail v7.4.4" at the
    foot of the settings menu), for a superuser and an agency admin."""
    from org.access import AGENCY_ADMIN_GROUP
    from org.roles import ensure_roles

    ensure_roles()
    anonymous = Client().get("/admin/login/").content.decode()
    assert not [t for t in shown_text(anonymous) if "wagtail" in t.lower()]
    client = Client()
    user = UserFactory(username="quantri.kiemtra", is_superuser=superuser)
    if not superuser:
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=AGENCY_ADMIN_GROUP))
    client.force_login(user)
    for url in ("/admin/", "/admin/account/", "/admin/ratings/"):
        page = client.get(url).content.decode()
        texts = shown_text(page)
        assert texts, url
        assert not [t for t in texts if "wagtail" in t.lower()], url
        # The sidebar's mark is the system's logo (Wagtail's bird is drawn only without one).
        branding = page.split("<template data-wagtail-sidebar-branding-logo>")[1]
        assert branding.split("</template>")[0].strip().startswith("<img src=")
        assert "cms/logo.svg" in branding.split("</template>")[0]


def test_workflow_emails_carry_the_systems_name_not_wagtails_header():
    from django.template.loader import render_to_string

    mail = render_to_string(
        "wagtailadmin/notifications/base.html", {"user": UserFactory(username="nhan.thu")}
    )
    assert "KPI Công vụ" in mail
    assert "email-header.jpg" not in mail
