"""Every publish of an agency catalog freezes a new immutable version."""

from wagtail.signals import page_published

from catalog_pages.models import AgencyCatalogPage
from catalog_pages.versioning import freeze_version


def freeze_on_publish(sender, instance, revision=None, **kwargs):

    if kwargs.get("alias"):
        return
    freeze_version(instance, revision)


def connect():
    page_published.connect(
        freeze_on_publish, sender=AgencyCatalogPage, dispatch_uid="catalog_pages.freeze"
    )
