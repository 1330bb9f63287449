"""Fingerprint of scoring inputs, so the Django layer can skip recomputing unchanged inputs.

Canonical JSON: sorted keys, no whitespace, UTF-8; dataclasses become dicts; every number
(int, float via ``str()``, Decimal) becomes a normalised decimal string, so ``2``,
``2.0``, ``"2"``-as-Decimal and ``Decimal("2.00")`` hash the same; tuples/lists become
lists; sets are sorted. The engine version is included by default so an engine upgrade
invalidates stored results.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .constants import ENGINE_VERSION
from .decimals import fmt_plain, to_decimal
from .framework.rules import FrameworkRules


def canonical(value: Any) -> Any:
    """JSON-safe canonical form of ``value`` (see module docstring)."""
    if isinstance(value, FrameworkRules):
        return canonical(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        number = to_decimal(value)
        return fmt_plain(number) if number != 0 else "0"
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def sha256_hex(text: str) -> str:
    """The one hash of every stored fingerprint: sha256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class HashedPrefix:
    """A text that many digests of one run begin with, hashed once: :meth:`digest` is
    ``sha256_hex(text + rest)``, continued from a copy of the prefix's hash."""

    __slots__ = ("_hash",)

    def __init__(self, text: str) -> None:
        self._hash = hashlib.sha256(text.encode("utf-8"))

    def digest(self, rest: str) -> str:
        continued = self._hash.copy()
        continued.update(rest.encode("utf-8"))
        return continued.hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_fingerprint(
    inputs: Any,
    rules: FrameworkRules | None = None,
    *,
    include_engine_version: bool = True,
) -> str:
    """sha256 hex digest of the canonical JSON of ``inputs`` (and ``rules`` if given)."""
    document: dict[str, Any] = {"inputs": canonical(inputs)}
    if rules is not None:
        document["rules"] = canonical(rules)
    if include_engine_version:
        document["engine_version"] = ENGINE_VERSION
    return sha256_hex(canonical_json(document))
