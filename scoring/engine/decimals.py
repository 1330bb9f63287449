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


def _round2(value: Decimal) -> Decimal:
    with engine_context():
        snapped = value.quantize(_SNAP, rounding=ROUND_HALF_EVEN)
        return snapped.quantize(CENT, rounding=ROUND_HALF_UP)


#: round2 of values already seen. The result depends only on the numeric value (equal
#: Decimals such as 1.5 and 1.50 round alike), except the sign of zero, which never enters.
#: A batch rounds the same few thousand stored totals hundreds of thousands of times.
_ROUND2_SEEN: dict[Decimal, Decimal] = {}
_ROUND2_LIMIT = 1 << 16


def round2(value: Decimal) -> Decimal:
    """Round a full-precision value for reporting: ROUND_HALF_UP to 2 decimal places."""
    if type(value) is not Decimal or not value:
        return _round2(value)
    found = _ROUND2_SEEN.get(value)
    if found is None:
        found = _round2(value)
        if len(_ROUND2_SEEN) >= _ROUND2_LIMIT:
            _ROUND2_SEEN.clear()
        _ROUND2_SEEN[value] = found
    return found


_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


#: round_to of values already seen, per (value, places, mode); like ``_ROUND2_SEEN``.
_ROUND_TO_SEEN: dict[tuple[Decimal, int, str], Decimal] = {}


def round_to(value: Decimal, places: int = 2, mode: str = "half_up") -> Decimal:
    """Round like :func:`round2` to ``places`` decimals with a framework rounding mode
    (``half_up``, ``half_even`` or ``down``, see ``FrameworkRules.rounding``)."""
    if type(value) is not Decimal or not value:
        return _round_to(value, places, mode)
    key = (value, places, mode)
    found = _ROUND_TO_SEEN.get(key)
    if found is None:
        found = _round_to(value, places, mode)
        if len(_ROUND_TO_SEEN) >= _ROUND2_LIMIT:
            _ROUND_TO_SEEN.clear()
        _ROUND_TO_SEEN[key] = found
    return found


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


_FMT2_SEEN: dict[Decimal, str] = {}


def fmt2(value: Decimal) -> str:
    """Round with :func:`round2` and format with exactly two decimals (``"80.00"``)."""
    if type(value) is not Decimal or not value:
        return f"{round2(value):f}"
    found = _FMT2_SEEN.get(value)
    if found is None:
        found = f"{round2(value):f}"
        if len(_FMT2_SEEN) >= _ROUND2_LIMIT:
            _FMT2_SEEN.clear()
        _FMT2_SEEN[value] = found
    return found


#: fmt_plain of values already seen: the text depends only on the numeric value (``6.00``
#: and ``6`` both give ``"6"``), except the sign of zero, which is not cached.
_PLAIN_SEEN: dict[Decimal, str] = {}


def fmt_plain(value: Decimal) -> str:
    """Exact value as a plain string without exponent, trailing zeros removed.

    ``Decimal("6.00")`` → ``"6"``; ``Decimal("0.750")`` → ``"0.75"``; ``1E+1`` → ``"10"``.
    """
    if type(value) is not Decimal or not value:
        return _fmt_plain(value)
    found = _PLAIN_SEEN.get(value)
    if found is None:
        found = _fmt_plain(value)
        if len(_PLAIN_SEEN) >= _ROUND2_LIMIT:
            _PLAIN_SEEN.clear()
        _PLAIN_SEEN[value] = found
    return found


def _fmt_plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{value.quantize(ONE):f}"
    return f"{value.normalize():f}"


#: fmt_min2 of values already seen (like ``_PLAIN_SEEN``: the sign of zero is not cached).
_MIN2_SEEN: dict[Decimal, str] = {}


def fmt_min2(value: Decimal) -> str:
    """Exact value with at least two decimals (``"1.50"``, ``"0.375"``): nothing is rounded."""
    if type(value) is not Decimal or not value:
        return _fmt_min2(value)
    found = _MIN2_SEEN.get(value)
    if found is None:
        found = _fmt_min2(value)
        if len(_MIN2_SEEN) >= _ROUND2_LIMIT:
            _MIN2_SEEN.clear()
        _MIN2_SEEN[value] = found
    return found


def _fmt_min2(value: Decimal) -> str:
    text = fmt_plain(value)
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"
