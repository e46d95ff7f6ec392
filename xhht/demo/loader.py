"""``xhht demo``: the foundation, then each capability's own ``demo.load``, in app order."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings

from xhht.demo import foundation


def demo_loaders() -> list[tuple[str, Callable[..., None]]]:
    loaders: list[tuple[str, Callable[..., None]]] = [("foundation", foundation.load)]
    for app in settings.XHHT_APPS:
        module_name = f"{app}.demo"
        if app == "xhht.demo" or find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        loaders.append((app.rsplit(".", 1)[-1], module.load))
    # Last: the 2020 merger and the 2025 reform (format 4), once every app's history of the old tree is in.
    loaders.append(("reforms", foundation.reforms_load))
    # After every app: 2021–2026 across the 2025 reform (synthetic figures, "số liệu minh họa"; issue 18).
    from xhht.demo import twolevel

    loaders.append(("twolevel", twolevel.load))
    return loaders


def demo_load(*, actor: Any = None, only: list[str] | None = None, progress: Callable[[str], None] | None = None) -> None:
    for name, load in demo_loaders():
        if only is not None and name not in only:
            continue
        if progress:
            progress(name)
        load(actor=actor)
