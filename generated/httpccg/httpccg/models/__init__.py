"""Data models of the httpCCG API, and the OAuth scopes it defines.

Each class is built on first use: importing this package builds none, and an operation's module builds
only the models that its operations use. The classes live in modules of this package grouped by the
operations that use them; import them from here, their modules' names may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pydantic


class _Model(pydantic.BaseModel):
    """The base of the models: they keep the fields the spec does not name, accept attribute names and
    wire names alike, and build their validator when first used rather than when defined."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True, defer_build=True)


if TYPE_CHECKING:
    from .._scopes import OAuthScopeEnum as OAuthScopeEnum

    # The modules define no other public names, and a star import re-exports them to type checkers.
    from ._item_status import *
    from ._service_status import *
else:
    import importlib as _importlib

    # Each module's class names in one string: a tuple would take a line per name.
    _MODULES = {
        ".._scopes": "OAuthScopeEnum",
        "._item_status": "ItemStatus Item NewItem Error",
        "._service_status": "ServiceStatus",
    }
    _MODULE_OF = {name: module for module, names in _MODULES.items() for name in names.split()}
    __all__ = list(_MODULE_OF)

    def __getattr__(name: str) -> object:
        """A class, imported from its module on first use (PEP 562)."""
        if name not in _MODULE_OF:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(_MODULE_OF[name], __name__), name)
        globals()[name] = value  # found directly from now on
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_MODULE_OF})
