"""Registers the "Đôn đốc, kiểm tra" menu (``oversight.viewsets``) and its URLs."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from oversight.urls import urlpatterns
from oversight.viewsets import OversightViewSetGroup

register_snippet(OversightViewSetGroup)


@hooks.register("register_admin_urls")
def register_oversight_urls():
    return urlpatterns
