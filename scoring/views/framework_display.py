"""A readable view of a framework's rules (for the inspect view and the preview)."""

import dataclasses

from django.utils.translation import gettext_lazy as _

from scoring.engine import FrameworkError, FrameworkRules
from scoring.models.framework import rules_errors

CONFIDENCE_LABELS = {
    "confirmed": _("đã xác nhận"),
    "secondary": _("nguồn thứ cấp"),
    "inferred": _("suy luận"),
    "unknown": _("chưa rõ"),
}


def confidence_label(code: str) -> str:
    return CONFIDENCE_LABELS.get(code, code)


def _labelled(value):
    """Plain dicts/lists of the rules, each rule object with a ``confidence_label``."""
    if isinstance(value, dict):
        result = {key: _labelled(item) for key, item in value.items()}
        if "confidence" in result:
            result["confidence_label"] = confidence_label(result["confidence"])
        return result
    if isinstance(value, (list, tuple)):
        return [_labelled(item) for item in value]
    return value


def rules_context(data) -> dict:
    """Template context: ``rules`` (plain data, or ``None``) and ``problems`` (Vietnamese)."""
    try:
        rules = _labelled(dataclasses.asdict(FrameworkRules.from_dict(data)))
    except (FrameworkError, TypeError, ValueError, AttributeError):
        rules = None
    return {"rules": rules, "problems": rules_errors(data)}
