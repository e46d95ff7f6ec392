"""The checker's catalogue (``catalogue/bounds.yaml``): plausibility bounds with their source, read once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from xhht.core.yamlfile import line_of, read_yaml

PATH = Path(__file__).parent / "catalogue" / "bounds.yaml"


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Bound:
    code: str
    label: str
    value: Decimal
    unit: str
    source: str
    verified: bool
    margin: Decimal

    @property
    def limit(self) -> Decimal:
        return self.value * self.margin


@dataclass(frozen=True)
class Catalogue:
    bounds: dict[str, Bound]
    approximation_tolerance: Decimal
    partitions: tuple[tuple[str, ...], ...]


def load(path: Path = PATH) -> Catalogue:
    data, root = read_yaml(path)

    def fail(message: str, *where: object) -> CatalogueError:
        line = line_of(root, list(where)) if root is not None else 1
        return CatalogueError(f"{path.name}:{line}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("bounds"), dict):
        raise fail("thiếu mục «bounds».")
    bounds: dict[str, Bound] = {}
    for code, raw in data["bounds"].items():
        if not isinstance(raw, dict):
            raise fail("mỗi giới hạn là một bảng khóa–giá trị.", "bounds", code)
        for key in ("label", "value", "unit", "source", "verified"):
            if key not in raw:
                raise fail(f"giới hạn «{code}» thiếu «{key}».", "bounds", code)
        try:
            value, margin = Decimal(str(raw["value"])), Decimal(str(raw.get("margin", "1")))
        except ArithmeticError:
            raise fail(f"giới hạn «{code}»: giá trị không phải là số.", "bounds", code) from None
        bounds[code] = Bound(code, str(raw["label"]), value, str(raw["unit"]), " ".join(str(raw["source"]).split()),
                             bool(raw["verified"]), margin)
    for needed in ("country_population", "country_households", "share_percent"):
        if needed not in bounds:
            raise fail(f"thiếu giới hạn «{needed}».", "bounds")
    tolerance = Decimal(str((data.get("approximation") or {}).get("relative_tolerance", "0.05")))
    partitions = tuple(tuple(str(p).strip().lower() for p in pair) for pair in data.get("partitions") or [])
    return Catalogue(bounds, tolerance, partitions)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load()
