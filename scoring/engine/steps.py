"""Construction of explanation steps (JSON-safe dicts ``{"code": ..., **params}``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .decimals import fmt_plain

_PLAIN = frozenset({str, int, bool, float, type(None)})


def _safe(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Decimal):
        return fmt_plain(value)
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _safe(v) for k, v in value.items()}
    return value


def step(code: str, **params: Any) -> dict[str, Any]:
    """One explanation step. Pre-format Decimals (fmt2/fmt_min2) where the format matters;
    any remaining Decimal is rendered exactly with :func:`fmt_plain`."""
    out: dict[str, Any] = {"code": code}
    for key, value in params.items():
        out[key] = value if type(value) in _PLAIN else _safe(value)
    return out
