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


def note_label(entry: object) -> str | None:
    """A data store write's note "computed activities.clc_topics" → "tính từ dữ liệu — Tính từ sổ hoạt động: …"."""
    from xhht.indicators.labels import rule_label
    from xhht.indicators.models import Source

    note = getattr(entry, "note", "") or ""
    source, _, rule = note.partition(" ")
    if getattr(entry, "action", "") != "data_values_write" or source not in Source.values:
        return None
    label = str(Source(source).label)
    return f"{label[:1].upper()}{label[1:]}" + (f" — {rule_label(rule)}" if rule else "")


def object_label(entry: object) -> str | None:
    """A data store write's object "05115/2020" (stored as "Số liệu 05115 kỳ 2020") → "Số liệu xã Nam Tuấn, năm 2020"."""
    from xhht.indicators.periods import parse_period
    from xhht.units.models import Unit

    if getattr(entry, "action", "") != "data_values_write":
        return None
    code, _, period = str(getattr(entry, "object_id", "")).partition("/")
    unit = Unit.objects.filter(code=code).only("code", "name", "kind").first()
    try:
        period_label = parse_period(period).label
    except ValueError:
        return None
    return f"Số liệu {unit.full_name if unit else code}, {period_label}"
