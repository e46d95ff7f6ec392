"""What the two formats share: a value as read from a file (before the mapping and the catalogue), and as written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class FormatError(ValueError):
    """A payload that is not a readable dataValueSet / ADX document at all (message in Vietnamese)."""


class Row(NamedTuple):
    """One value as the other system wrote it. ``where`` names it in messages ("dataValues[3]", "group 2, dataValue 5").
    A named tuple: a payload holds up to a million of them, and a tuple is made several times faster than a frozen
    dataclass."""

    where: str
    data_element: str
    period: str
    org_unit: str
    value: str | None
    coc: str | None = None  # DHIS2: categoryOptionCombo
    categories: dict[str, str] | None = None  # ADX: the dataValue's other attributes


@dataclass(frozen=True)
class OutRow:
    """One value to write, already in the other system's identifiers (period still an XHHT code)."""

    data_element: str
    period: str
    org_unit: str
    value: str
    coc: str | None = None
    categories: dict[str, str] = field(default_factory=dict)
