"""OpenAPI generation hooks and extensions (imported by :class:`api.apps.ApiConfig`)."""

import functools
from decimal import Decimal

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.utils import extend_schema_field

from django.utils.translation import gettext_lazy

#: Component name → (lazy, translatable) description; filled by :func:`describe`.
_DESCRIPTIONS: dict = {}


def describe(text):
    """Class decorator: the OpenAPI description of a serializer's component.

    Docstrings are English notes for developers; the schema shows this (Vietnamese) text.
    """

    def decorator(cls):
        _DESCRIPTIONS[cls.__name__.removesuffix("Serializer")] = text
        return cls

    return decorator


#: Shared enum component name → list of (value, label); filled by :func:`choice_ref`.
_ENUMS: dict = {}


def choice_ref(name: str, choices, **kwargs):
    """A ChoiceField documented as ``$ref`` to the shared enum component ``name``.

    drf-spectacular names enums after the property; one choice set under several property names
    (``rating``, ``score_rating``…) or one property name with several choice sets (``status``)
    needs ``ENUM_NAME_OVERRIDES`` in the settings. Referencing one named component instead keeps
    ``spectacular --fail-on-warn`` clean without touching the settings. The component is added
    by :func:`add_component_descriptions` unless the enum hook already created it (``RatingEnum``,
    ``RoleEnum`` of the score-preview endpoint).

    A field that may be empty (``allow_blank``: a rating not given yet, a role not known) is
    sent as ``null``, never ``""`` — the empty string is not a member of the enum (reliability
    review §5) — and documented as nullable; it also accepts ``null`` on input.
    """
    from rest_framework import serializers

    pairs = [(c, c) if isinstance(c, str) else (c[0], c[1]) for c in choices]
    _ENUMS.setdefault(name, pairs)
    schema: dict = {"$ref": f"#/components/schemas/{name}"}
    empty_is_null = bool(kwargs.get("allow_blank"))
    if empty_is_null:
        kwargs.setdefault("allow_null", True)
    if kwargs.get("allow_null"):
        schema = {"allOf": [schema], "nullable": True}
    base = _empty_as_null_class() if empty_is_null else serializers.ChoiceField
    field_class = extend_schema_field(schema)(type(f"{name}Field", (base,), {}))
    return field_class(choices=choices, **kwargs)


@functools.cache
def _empty_as_null_class():
    from rest_framework import serializers

    class EmptyAsNullChoiceField(serializers.ChoiceField):
        """Sends an empty value as ``null``."""

        def to_representation(self, value):
            if value in ("", None):
                return None
            return super().to_representation(value)

    return EmptyAsNullChoiceField


def add_component_descriptions(result, generator, request, public):
    """Postprocessing hook: replace component descriptions by those given to :func:`describe`;
    add the shared enum components of :func:`choice_ref`."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, pairs in _ENUMS.items():
        if name not in schemas:
            schemas[name] = {
                "type": "string",
                "enum": [value for value, _label in pairs],
                "description": "\n".join(f"* `{value}` - {label}" for value, label in pairs),
            }
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    for name, schema in schemas.items():
        if name in _DESCRIPTIONS:
            schema["description"] = str(_DESCRIPTIONS[name])
    return result


#: Answers of the transport in front of every operation, in the API's error shape: nginx's own
#: refusal of a request line over its 8 KiB buffer (deploy/nginx/kpi.conf) and the 503 of a
#: database that does not answer (cms.views.server_error). Reliability review §5: gunicorn's
#: undocumented HTML 414 is no longer possible (deploy/gunicorn.conf.py lifts its limits).
TRANSPORT_ERRORS = {
    "414": gettext_lazy(
        "Địa chỉ yêu cầu quá dài (trên 8.000 ký tự), do máy chủ web (nginx) trả lời."
    ),
    "503": gettext_lazy(
        "Dịch vụ tạm thời gián đoạn (cơ sở dữ liệu không trả lời); không có gì được ghi, hãy "
        "thử lại sau số giây ở Retry-After."
    ),
}


def add_transport_errors(result, generator, request, public):
    """Postprocessing hook: every operation documents :data:`TRANSPORT_ERRORS`."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in TRANSPORT_ERRORS.items():
                responses.setdefault(code, {"content": error, "description": str(description)})
    return result


def only_public_api(endpoints):
    """Keep our /api/ endpoints; Wagtail's internal admin API is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def json_number(value: Decimal) -> int | float:
    """A decimal as the schema writes it: an integer where it is whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


class PreciseDecimalFieldExtension(OpenApiSerializerFieldExtension):
    """``api.serializers.preview.PreciseDecimalField`` → number with bounds, ``multipleOf`` and
    ``enum``."""

    target_class = "api.serializers.preview.PreciseDecimalField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        schema["minimum"] = json_number(field.min_value)
        schema["maximum"] = json_number(field.max_value)
        schema["multipleOf"] = json_number(Decimal(1).scaleb(-field.decimal_places))
        if field.levels is not None:
            schema["enum"] = [json_number(level) for level in field.levels]
        return schema


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <token>`` or ``Bearer <token>`` (api.authentication)."""

    target_class = "api.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        from django.utils.translation import gettext

        return {
            "type": "http",
            "scheme": "bearer",
            "description": gettext(
                "Mã truy cập của hệ thống tích hợp: Authorization: Bearer <mã> (hoặc Token "
                "<mã>). Mã do Sở Nội vụ cấp bằng lệnh create_integration_token."
            ),
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """The browser session, once its second factor is proven (api.authentication)."""

    target_class = "api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        from django.conf import settings
        from django.utils.translation import gettext

        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": gettext(
                "Phiên đăng nhập trên trình duyệt, sau khi đã xác thực hai lớp (nếu vai trò của "
                "người dùng phải có)."
            ),
        }
