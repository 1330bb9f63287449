"""What the read endpoints share: filter backends, the notes on who may read what, and
:func:`read_schema`, the list/detail documentation of a read-only viewset."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.filters import OrderingFilter

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from api.base import DETAIL_ERRORS, READ_ERRORS


class StableOrderingFilter(OrderingFilter):
    """The order asked for (``?ordering=-total``), then the row's id: rows that tie (two people
    with the same total) come in the same order on every request and every page, on every
    database (PostgreSQL returns ties in whatever order its plan gives)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(str(field).lstrip("-") in ("id", "pk") for field in ordering):
            ordering = [*ordering, "pk"]
        return ordering


FILTERS = [DjangoFilterBackend, StableOrderingFilter]


REFERENCE_NOTE = gettext_lazy(
    "Dữ liệu dùng chung: mọi người dùng đã đăng nhập và mọi hệ thống tích hợp đều đọc được."
)


PERSONAL_NOTE = gettext_lazy(
    "Dữ liệu cá nhân: Sở Nội vụ xem tất cả; người được phân quyền cơ quan xem cơ quan đó và "
    "các đơn vị trực thuộc; công chức xem của chính mình; hệ thống tích hợp xem các cơ quan "
    "được cấp (mỗi lần đọc bằng mã truy cập được ghi nhật ký)."
)


def with_note(text, note):
    return format_lazy("{} {}", text, note)


def read_schema(tag, noun, detail_noun, serializer, note, detail_serializer=None):
    """``extend_schema_view`` for a list + retrieve viewset, with Vietnamese texts."""
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            summary=format_lazy(gettext_lazy("Danh sách {noun}"), noun=noun),
            description=note,
            responses={200: serializer(many=True), **READ_ERRORS},
        ),
        retrieve=extend_schema(
            tags=[tag],
            summary=format_lazy(gettext_lazy("Chi tiết {noun}"), noun=detail_noun),
            description=note,
            responses={200: detail_serializer or serializer, **DETAIL_ERRORS},
        ),
    )
