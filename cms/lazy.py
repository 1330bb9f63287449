"""Heavy libraries imported on first use, not when a web worker loads the URLconf.

pandas, numpy (and through them the importers' kinds) are needed only by a request or a task
that actually reads or writes a workbook. Modules that use them throughout write::

    from typing import TYPE_CHECKING

    from cms.lazy import lazy_module

    if TYPE_CHECKING:
        import numpy as np
    else:
        np = lazy_module("numpy")

and use ``np.…`` as before: the first attribute read imports the library (type checkers see the
real module). ``tests/importers/test_structure.py`` checks that routing the URLs loads none of
pandas, numpy, openpyxl and python-calamine.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """Stands for the module ``name`` until an attribute is read, then imports it once and
    keeps its attributes, so later reads cost what a module's do."""

    def __init__(self, name: str):
        self.__dict__["_lazy_name"] = name

    def _load(self) -> ModuleType:
        module = importlib.import_module(self.__dict__["_lazy_name"])
        self.__dict__.update(vars(module))
        return module

    def __getattr__(self, attribute: str):
        # Called only for names not copied yet: the first read, or a submodule or lazy name
        # the library gives through its own ``__getattr__``.
        return getattr(self._load(), attribute)

    def __setattr__(self, attribute: str, value) -> None:
        raise AttributeError(f"{self.__dict__['_lazy_name']} is read-only through its proxy")

    def __repr__(self) -> str:
        return f"<lazy module {self.__dict__['_lazy_name']!r}>"


def lazy_module(name: str) -> LazyModule:
    return LazyModule(name)
