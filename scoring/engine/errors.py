"""Exceptions raised by the scoring engine.

Both carry messages in Vietnamese because they are shown to end users (civil servants,
evaluators, provincial administrators); field paths are language-neutral.
"""

from __future__ import annotations

from collections.abc import Mapping


class ScoringInputError(ValueError):
    """Invalid scoring input.

    ``errors`` maps a field path (``"lines[2].exempt_reviews"``, ``"leader.organising"``,
    ``"general"``) to a Vietnamese message. Every bad field is listed, not only the first,
    so the API layer can return one HTTP 400 with all field errors.
    """

    def __init__(self, errors: Mapping[str, str] | str, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "__all__": errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in self.errors.items()))


class FrameworkError(ValueError):
    """A framework dictionary cannot be parsed (wrong structure or types).

    Semantic problems (sums that do not add up, bands out of order) are *not* raised:
    they are reported by :meth:`FrameworkRules.validate`.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")
