"""Scoring frameworks as data, in three modules:

* :mod:`.rules` — the frozen dataclasses (:class:`FrameworkRules` and its parts) and
  :meth:`FrameworkRules.to_dict`, the JSON-safe dictionary stored by the Django side;
* :mod:`.parsing` — from that dictionary back to rules (:func:`parse_framework`,
  structure/type errors raise :class:`~scoring.engine.errors.FrameworkError`);
* :mod:`.checks` — the semantic checks (:func:`framework_problems`, empty = usable).

The public names are re-exported here (and, for the rest of the project, from
``scoring.engine``).
"""

from . import rules
from .checks import framework_problems
from .parsing import parse_framework
from .rules import *  # noqa: F403 (the rules' own __all__ is the one list)

__all__ = ["framework_problems", "parse_framework"]
__all__ += rules.__all__
