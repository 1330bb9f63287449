"""``score_preview``: a JSON-in / JSON-out convenience for the API's live preview.

Input::

    {"role": "staff" | "head" | "deputy",
     "general": <0–30>,                       # total general-criteria marks
     "lines": [{"coefficient", "assigned", "completed", "failed_reviews", "delays",
                "exempt_reviews", "exempt_delays",       # counts default to 0
                "failed_by_product", "delays_by_product"}],  # optional: counted events of
                                                 # product 1, 2, … (Art. 14 b, c per product)
     "leader": {"unit_results", "organising", "cohesion"}}  # percents; leaders only

Optional: ``"position_group"`` and ``"marks": {component_code: total | {sub: mark}}`` for
frameworks with other mark-based components (e.g. Nghệ An). Numbers may be int, float
(converted via ``str()``) or strings.

Output: ``{"quantity", "quality", "timeliness", "task_points", "total", "rating",
"explanation"}`` — numbers as strings with exactly 2 decimals, ``rating`` a rating code,
``explanation`` the structured steps (put into words by the Django layer, ``scoring.explain``).
When nothing is assigned every number and ``rating`` are ``None`` and the explanation says the
period is not scored.

Bad input raises :class:`ScoringInputError` whose ``errors`` lists every bad field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .defaults import DECREE_335_DEFAULT
from .errors import ScoringInputError
from .framework.rules import FrameworkRules
from .period import score_period
from .types import LeaderMarks, Line, PeriodInput

_LINE_FIELDS = ("coefficient", "assigned", "completed")
_COUNT_FIELDS = ("failed_reviews", "exempt_reviews", "delays", "exempt_delays")
_LEADER_KEYS = ("unit_results", "organising", "cohesion")
_PRODUCT_FIELDS = ("failed_by_product", "delays_by_product")


def _breakdown(value: Any) -> Any:
    """A JSON list becomes the engine's tuple; anything else is left for validation."""
    return tuple(value) if isinstance(value, list) else value


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _parse(payload: Any, rules: FrameworkRules) -> tuple[PeriodInput, dict[str, str]]:
    errors: dict[str, str] = {}
    if not isinstance(payload, Mapping):
        raise ScoringInputError("Dữ liệu phải là một đối tượng JSON.")
    role = payload.get("role")
    if role is None:
        errors["role"] = "Thiếu thông tin bắt buộc."
    raw_lines = payload.get("lines", [])
    lines: list[Line] = []
    if not isinstance(raw_lines, list):
        errors["lines"] = "Phải là một danh sách."
        raw_lines = []
    for i, raw in enumerate(raw_lines):
        if not isinstance(raw, Mapping):
            errors[f"lines[{i}]"] = "Phải là một đối tượng."
            lines.append(Line(coefficient=1, assigned=0, completed=0))  # keeps indexes aligned
            continue
        ref = raw.get("ref")
        # Raw JSON on purpose: a missing or wrong value is named by the engine's validation.
        lines.append(
            Line(
                **{name: raw.get(name) for name in _LINE_FIELDS},  # type: ignore[arg-type]
                **{name: raw.get(name, 0) for name in _COUNT_FIELDS},
                ref=None if ref is None else str(ref),
                **{name: _breakdown(raw.get(name)) for name in _PRODUCT_FIELDS},
            )
        )
    marks: dict[str, Any] = {}
    extra = payload.get("marks") or {}
    if not isinstance(extra, Mapping):
        errors["marks"] = "Phải là một đối tượng."
    else:
        marks.update(extra)
    if "general" in payload or any(c.code == "general" for c in rules.marks_components):
        marks["general"] = payload.get("general")
    leader = None
    raw_leader = payload.get("leader")
    if raw_leader is not None:
        if isinstance(raw_leader, Mapping):
            # Raw JSON on purpose, as the lines above.
            leader = LeaderMarks(**{key: raw_leader.get(key) for key in _LEADER_KEYS})  # type: ignore[arg-type]
        else:
            errors["leader"] = "Phải là một đối tượng."
    inp = PeriodInput(
        role=role if isinstance(role, str) else str(role),
        lines=tuple(lines),
        marks=marks,
        leader=leader,
        position_group=payload.get("position_group"),
    )
    return inp, errors


def score_preview(
    payload: Mapping[str, Any], rules: FrameworkRules = DECREE_335_DEFAULT
) -> dict[str, Any]:
    """Score a period from a JSON payload (see module docstring)."""
    inp, errors = _parse(payload, rules)
    try:
        result = score_period(inp, rules)
    except ScoringInputError as exc:
        for path, message in exc.errors.items():
            key = path.removeprefix("marks.") if path.startswith("marks.general") else path
            errors.setdefault(key, message)
    if errors:
        raise ScoringInputError(errors)
    return {
        "quantity": _fmt(result.quantity),
        "quality": _fmt(result.quality),
        "timeliness": _fmt(result.timeliness),
        "task_points": _fmt(result.task_points),
        "total": _fmt(result.total),
        "rating": result.rating,
        "explanation": list(result.explanation),
    }
