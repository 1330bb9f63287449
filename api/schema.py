"""OpenAPI generation hooks and extensions (imported by :class:`api.apps.ApiConfig`)."""

from decimal import Decimal

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

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


def add_component_descriptions(result, generator, request, public):
    """Postprocessing hook: replace component descriptions by those given to :func:`describe`."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name in _DESCRIPTIONS:
            schema["description"] = str(_DESCRIPTIONS[name])
    return result


def leader_level_choices():
    """Choice set of the leader criteria d, đ, e, named ``LeaderLevelEnum`` via
    ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`` (the values as they appear in the schema)."""
    from .serializers import LEADER_LEVELS

    return [(_number(level), _number(level)) for level in LEADER_LEVELS]


def only_public_api(endpoints):
    """Keep our /api/ endpoints; Wagtail's internal admin API is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class PreciseDecimalFieldExtension(OpenApiSerializerFieldExtension):
    """``api.serializers.PreciseDecimalField`` → number with bounds, ``multipleOf`` and ``enum``."""

    target_class = "api.serializers.PreciseDecimalField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        schema["minimum"] = _number(field.min_value)
        schema["maximum"] = _number(field.max_value)
        schema["multipleOf"] = _number(Decimal(1).scaleb(-field.decimal_places))
        if field.levels is not None:
            schema["enum"] = [_number(level) for level in field.levels]
        return schema
