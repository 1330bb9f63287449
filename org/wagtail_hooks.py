"""Registers the org structure's snippet viewsets (``org.viewsets``) with the admin."""

from wagtail.snippets.models import register_snippet

from org.viewsets import OrgViewSetGroup

register_snippet(OrgViewSetGroup)
