"""Registers the "Nhật ký và lịch sử" menu (``audit.viewsets``, Sở Nội vụ only) and the change
history URL."""

from django.urls import path

from wagtail import hooks

from audit.views import ChangeHistoryView
from audit.viewsets import AuditViewSetGroup


@hooks.register("register_admin_viewset")
def register_audit_admin():
    return AuditViewSetGroup()


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/history/", ChangeHistoryView.as_view(), name="audit_change_history")]
