"""Decimal helpers: conversion, the engine's arithmetic context and the rounding points.

Rounding policy (see docs/scoring.md, "Rounding"):

* every intermediate value is kept at full precision inside :data:`ENGINE_CONTEXT`
  (50 significant digits, far beyond any input precision);
* only *reported* numbers are rounded, ROUND_HALF_UP to 2 decimal places by default, by
  :func:`round2` (or :func:`round_to` with the framework's ``rounding`` places and mode; the
  framework also says whether each printed figure is rounded or only the total). Before
  rounding the value is snapped to 20 decimal places (ROUND_HALF_EVEN) so that
  representation error of repeating decimals such as 100/3
  (e.g. ``54.834999…9`` for an exact ``54.835``) cannot push a true half-way value down.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import TypeVar

ENGINE_CONTEXT = Context(prec=50, rounding=ROUND_HALF_EVEN)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_SNAP = Decimal("1e-20")


def engine_context() -> AbstractContextManager[Context]:
    """Context manager that runs a block in the engine's 50-digit Decimal context."""
    return localcontext(ENGINE_CONTEXT)


def to_decimal(value: object) -> Decimal:
    """Convert an int, str, float (via ``str()``) or Decimal to a finite Decimal.

    Raises ``TypeError``/``ValueError`` for booleans, ``None``, non-numeric strings,
    NaN and infinities. Callers turn these into :class:`ScoringInputError`.
    """
    if type(value) is Decimal and value.is_finite():
        return value  # the common case, first
    if isinstance(value, bool) or value is None:
        raise TypeError("not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError("not a number") from exc
    else:
        raise TypeError("not a number")
    if not result.is_finite():
        raise ValueError("not a finite number")
    return result


def to_count(value: object) -> int:
    """Convert a non-boolean integral value (``2``, ``"2"``, ``2.0``) to ``int``."""
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise ValueError("not an integer")
    return int(number)


_MEMO_LIMIT = 1 << 16

T = TypeVar("T")


def per_value(compute: Callable[[Decimal], T]) -> Callable[[Decimal], T]:
    """``compute`` remembered per Decimal value (the one memo of this module's rounding and
    formatting points): a batch rounds and formats the same few thousand stored figures
    hundreds of thousands of times. What is remembered depends only on the numeric value —
    equal Decimals such as ``1.5`` and ``1.50`` round and format alike — except the sign of
    zero, so zero (and anything not a Decimal) is computed every time. Each memo is emptied
    when it reaches ``_MEMO_LIMIT`` values."""
    seen: dict[Decimal, T] = {}
    get = seen.get

    @functools.wraps(compute)
    def remembered(value: Decimal) -> T:
        if type(value) is not Decimal or not value:
            return compute(value)
        found = get(value)
        if found is None:
            found = compute(value)
            if len(seen) >= _MEMO_LIMIT:
                seen.clear()
            seen[value] = found
        return found

    return remembered


@per_value
def round2(value: Decimal) -> Decimal:
    """Round a full-precision value for reporting: ROUND_HALF_UP to 2 decimal places."""
    with engine_context():
        snapped = value.quantize(_SNAP, rounding=ROUND_HALF_EVEN)
        return snapped.quantize(CENT, rounding=ROUND_HALF_UP)


_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}

#: One :func:`per_value` memo per (places, mode) of :func:`round_to`.
_ROUNDERS: dict[tuple[int, str], Callable[[Decimal], Decimal]] = {}


def round_to(value: Decimal, places: int = 2, mode: str = "half_up") -> Decimal:
    """Round like :func:`round2` to ``places`` decimals with a framework rounding mode
    (``half_up``, ``half_even`` or ``down``, see ``FrameworkRules.rounding``)."""
    rounder = _ROUNDERS.get((places, mode))
    if rounder is None:
        rounder = _ROUNDERS[(places, mode)] = per_value(
            functools.partial(_round_to, places=places, mode=mode)
        )
    return rounder(value)


#: The engine's context passed explicitly by the rounding points below instead of entered (the
#: same precision, rounding and traps; its flags are never read).
_EXPLICIT = ENGINE_CONTEXT.copy()


def rounding_function(places: int, mode: str) -> Callable[[Decimal], Decimal]:
    """``round_to(·, places, mode)`` for values computed afresh (a period's figures): the same
    two quantizations in the engine's context, passed explicitly, and no cache — hashing a new
    50-digit Decimal to look it up costs more than rounding it. An unknown mode fails where
    :func:`round_to` fails: when a figure is rounded."""
    rounding = _MODES.get(mode)
    if rounding is None:
        return lambda value: round_to(value, places, mode)
    with engine_context():
        quantum = Decimal(1).scaleb(-places)

    def rounded(value: Decimal) -> Decimal:
        if type(value) is Decimal:
            snapped = value.quantize(_SNAP, ROUND_HALF_EVEN, _EXPLICIT)
            return snapped.quantize(quantum, rounding, _EXPLICIT)
        return round_to(value, places, mode)

    return rounded


def fmt2_fresh(value: Decimal) -> str:
    """:func:`fmt2` for a value computed afresh: rounded in the engine's context passed
    explicitly, no cache (see :func:`rounding_function`)."""
    if type(value) is Decimal:
        snapped = value.quantize(_SNAP, ROUND_HALF_EVEN, _EXPLICIT)
        return f"{snapped.quantize(CENT, ROUND_HALF_UP, _EXPLICIT):f}"
    return fmt2(value)


def _round_to(value: Decimal, places: int, mode: str) -> Decimal:
    with engine_context():
        snapped = value.quantize(_SNAP, rounding=ROUND_HALF_EVEN)
        return snapped.quantize(Decimal(1).scaleb(-places), rounding=_MODES[mode])


@per_value
def fmt2(value: Decimal) -> str:
    """Round with :func:`round2` and format with exactly two decimals (``"80.00"``)."""
    return f"{round2(value):f}"


@per_value
def fmt_plain(value: Decimal) -> str:
    """Exact value as a plain string without exponent, trailing zeros removed.

    ``Decimal("6.00")`` → ``"6"``; ``Decimal("0.750")`` → ``"0.75"``; ``1E+1`` → ``"10"``.
    """
    if value == value.to_integral_value():
        return f"{value.quantize(ONE):f}"
    return f"{value.normalize():f}"


@per_value
def fmt_min2(value: Decimal) -> str:
    """Exact value with at least two decimals (``"1.50"``, ``"0.375"``): nothing is rounded."""
    text = fmt_plain(value)
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"
