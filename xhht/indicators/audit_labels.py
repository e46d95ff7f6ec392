"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from functools import lru_cache

ACTIONS = {"data_values_write": "ghi số liệu chỉ tiêu"}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from xhht.indicators.selectors import element_names

    return element_names()


def field_label(key: str) -> str | None:
    """A data element's code → its name in the catalogue."""
    return _names().get(key)
