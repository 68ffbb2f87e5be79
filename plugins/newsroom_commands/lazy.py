"""Modules the build's libraries import but the build never uses, loaded only if something uses them.

Beautiful Soup imports Soup Sieve (its CSS selectors) as it is imported itself, and Soup Sieve compiles
dozens of regular expressions as it loads: a noticeable part of a command's start-up. The build parses HTML
with Beautiful Soup but never selects by CSS. So the commands put a stand-in module in Soup Sieve's place
first; the first time anything asks it for a name (a selector, if any code ever uses one), it imports the
real module, takes its place in sys.modules and hands the name over, so selectors work as before.

(importlib.util.LazyLoader does not do here: `import soupsieve` asks the module for its __spec__, which
loads a lazy module at once.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

WHEN_USED = ("soupsieve",)


class _WhenUsed(types.ModuleType):
    def __getattr__(self, attribute):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update({k: v for k, v in real.__dict__.items() if k not in ("__spec__", "__loader__")})
        return getattr(real, attribute)


def import_when_used(name: str) -> bool:
    """Make `import name` give a stand-in that imports the module when it is first asked for a name; False
    where there is no such module, or it is imported already."""
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return False
    sys.modules[name] = _WhenUsed(name)
    return True
