"""What every v1 endpoint shares: authentication, throttling, pagination, access logging."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import IsAuthenticated

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import record_read
from audit.models import ReadFormat, ReadKind
from org import access
from org.models import CivilServant

from . import framework_names
from .authentication import IntegrationTokenAuthentication, VerifiedSessionAuthentication
from .errors import NON_FIELD_KEY, ErrorSerializer
from .models import ApiAccessLog
from .principal import is_system
from .throttling import IntegrationThrottle, PersonThrottle

READ_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Tham số lọc, sắp xếp không hợp lệ.")
    ),
    401: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Chưa đăng nhập hoặc mã truy cập không hợp lệ.")
    ),
    403: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Không có quyền.")),
    429: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Vượt giới hạn tần suất gọi.")),
}
DETAIL_ERRORS = {
    # A detail address takes no parameter, but a bad ?format= or a NUL character is still 400.
    400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Dữ liệu không hợp lệ.")),
    **{code: response for code, response in READ_ERRORS.items() if code != 400},
    404: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy("Không có dữ liệu này, hoặc nằm ngoài phạm vi được xem."),
    ),
}


class PagePagination(PageNumberPagination):
    """Small lists: ``?page=2&page_size=100`` (at most 500 per page).

    A page that is not a number or does not exist (``page=0``, past the last page) is a bad
    parameter like any other: HTTP 400 ``invalid`` naming ``page`` (DRF answers 404 with an
    English sentence).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError(
                {
                    self.page_query_param: [
                        _("Số trang không hợp lệ: phải là số nguyên từ 1 đến số trang hiện có.")
                    ]
                }
            ) from exc


class LargeListPagination(CursorPagination):
    """Big lists (lines, scores): an opaque ``cursor`` in the next/previous links.

    A cursor that cannot be decoded is HTTP 400 ``invalid`` naming ``cursor`` (DRF: 404).
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        _(
                            "Con trỏ trang (cursor) không hợp lệ: hãy dùng đúng liên kết next "
                            "hoặc previous đã nhận."
                        )
                    ]
                }
            ) from exc


class FormatNegotiation(DefaultContentNegotiation):
    """``?format=`` naming no renderer of the view is HTTP 400 ``invalid`` naming ``format``
    (DRF raises Http404, which reads as "no such address")."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            raise exceptions.ValidationError(
                {
                    "format": [
                        _("Định dạng không được hỗ trợ; hãy dùng một trong: %(formats)s.")
                        % {"formats": ", ".join(renderer.format for renderer in renderers)}
                    ]
                }
            )
        return matching


if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView as _ViewBase
else:
    _ViewBase = object


class ScopedQuerysetMixin(_ViewBase):
    """The view's rows (its ``queryset``) narrowed by the one row-scope registry,
    ``org.access.visible``, for the caller: a signed-in person, or an integration system's
    token (a principal with granted subtrees and no person of its own). ``scope_extra`` names
    an extra reach the model's policy declares (``ratings.policy.CASE_READERS``)."""

    scope_extra: str | None = None

    def get_queryset(self):
        return access.visible(self.request.user, super().get_queryset(), extra=self.scope_extra)


class V1Mixin(_ViewBase):
    """Token or session sign-in; per-token and per-person throttling; access logs.

    ``access_log_type`` names the personal data a view returns (``period_score``…): every
    successful read of it by an integration token leaves one ``ApiAccessLog`` row, and every
    successful read by a signed-in person one row in the read log of personal data
    (``audit.record_read``: the rows returned and the people they are about).
    """

    authentication_classes = [IntegrationTokenAuthentication, VerifiedSessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [IntegrationThrottle, PersonThrottle]
    content_negotiation_class = FormatNegotiation
    access_log_type: str | None = None

    def initial(self, request, *args, **kwargs):
        framework_names.bind(None)
        super().initial(request, *args, **kwargs)
        # The shared generations read with the token (none for a person): api.framework_names.
        framework_names.bind(getattr(request.user, "prefetched", None))
        refuse_nul_characters(request, kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        framework_names.bind(None)
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.access_log_type and 200 <= response.status_code < 300:
            if is_system(request.user):
                log_access(request, self.access_log_type, returned_count(response))
            elif request.method in ("GET", "HEAD"):
                self.record_person_read(request, response)
        return response

    # The rows a generic view returned, for the read log.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._read_rows = page
        return page

    def get_object(self):
        obj = super().get_object()
        self._read_rows = [obj]
        return obj

    def record_person_read(self, request, response) -> None:
        rows = getattr(self, "_read_rows", None)
        subjects = getattr(response, "audit_subjects", None)
        if subjects is None and rows is not None:
            subjects = [_person_of(row) for row in rows]
        queryset = getattr(self, "queryset", None)
        national = self.access_log_type == "national_export"
        fmt = getattr(getattr(request, "accepted_renderer", None), "format", "") or "json"
        record_read(
            request,
            ReadKind.NATIONAL_EXPORT if national else ReadKind.API_READ,
            format=fmt if fmt in ReadFormat.values else ReadFormat.HTML,
            model=queryset.model if queryset is not None else "api.outboxrecord",
            object_ids=[row.pk for row in rows] if rows is not None else None,
            subjects=subjects or [],
            count=returned_count(response),
        )


def _person_of(row):
    """The civil servant an API row is about (the row itself for a civil servant)."""
    if isinstance(row, CivilServant):
        return row.pk
    return getattr(row, "civil_servant_id", None)


NUL = "\x00"


def _nul_paths(value, path: str = ""):
    """Paths (``items[0].note``) of the strings in ``value`` that contain a NUL character."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield sub
            yield from _nul_paths(item, sub)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}[{index}]")


def refuse_nul_characters(request, url_kwargs) -> None:
    """No text with a NUL character reaches the database: PostgreSQL refuses it in any text
    value ("cannot contain NUL (0x00) bytes"), SQLite would store it. In the address: 404 (no
    such code can exist); in a parameter or the body: 400 naming it."""
    if any(NUL in str(value) for value in url_kwargs.values()):
        raise exceptions.NotFound()
    fields = {
        name: None
        for name, values in request.query_params.lists()
        if NUL in name or any(NUL in value for value in values)
    }
    if request.method in ("POST", "PUT", "PATCH"):
        fields.update(dict.fromkeys(_nul_paths(request.data)))
    if fields:
        message = _("Không được chứa ký tự NUL.")
        raise exceptions.ValidationError({path or NON_FIELD_KEY: [message] for path in fields})


def returned_count(response) -> int:
    counted = getattr(response, "api_record_count", None)
    if counted is not None:
        return counted
    data = getattr(response, "data", None)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    if isinstance(data, list):
        return len(data)
    return 1


def log_access(request, object_type: str, count: int) -> None:
    """One access-log row when an integration system reads personal data."""
    user = getattr(request, "user", None)
    if not is_system(user) or request.method not in ("GET", "HEAD"):
        return
    # One INSERT, no model signals (the row is final when written), written before the answer
    # leaves: the statement is built once per process and database, not by the ORM per request.
    connection = connections[router.db_for_write(ApiAccessLog)]
    with connection.cursor() as cursor:
        cursor.execute(
            _access_log_insert(connection),
            [
                user.system.pk,
                user.token.pk,
                request.method,
                request.get_full_path()[:1000],
                object_type,
                count,
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )


_INSERTS: dict[str, str] = {}
_LOG_COLUMNS = ("system", "token", "method", "path", "object_type", "count", "at")


def _access_log_insert(connection) -> str:
    sql = _INSERTS.get(connection.alias)
    if sql is None:
        quote = connection.ops.quote_name
        meta = ApiAccessLog._meta
        column_of = {field.name: field.column for field in meta.concrete_fields}
        columns = ", ".join(quote(column_of[name]) for name in _LOG_COLUMNS)
        table = quote(meta.db_table)
        marks = ", ".join(["%s"] * len(_LOG_COLUMNS))
        # Names from the model's own metadata, quoted; every value is a parameter.
        sql = _INSERTS[connection.alias] = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    return sql
