"""Placeholders for live figures in a report's narrative, and their safe rendering.

A narrative is user text. It is NEVER handed to Django's template engine: the only thing that is
interpreted in it is a placeholder of this small closed grammar, everything else stays text
(escaped in HTML, a plain run in the .docx)::

    [[value:ELEMENT|key=value|…]]        a count or amount from the store     → 7.844
    [[money:ELEMENT|…]]                   an amount in đồng                   → 40.552.000 đ
    [[rate:NUM/DEN|…]]                    NUM × 100 / DEN, two decimals       → 99,09%
    [[ratio:NUM/DEN|…]]                   "NUM/DEN"                           → 7.844/7.916
    [[count:organisations|kind=K]]        organisations in the unit's subtree (from the foundation)
    [[count:communes]]                    commune-level units below the report's unit
    [[count:committees]]                  steering committees of the units below the report's unit
    [[count:communes_meeting|element=E|min=N|period=P]]  commune-level units below whose own value of E is ≥ N
    [[names:communes_meeting|element=E|min=N|period=P]]  their names, "Nam Tuấn, Hồng Việt"
    [[money:ELEMENT|scale=million]]       an amount in triệu đồng             → 1.203 triệu đồng
    [[unit:name|title|committee|short_committee|children]]   words about the report's unit
    [[period:label|code|upper|next|next_upper]]             words about the report's period

Options: ``period=CODE`` (default: the report's period; ``2010+2011`` sums several), ``unit=CODE`` (default: the report's unit;
must lie in its subtree), ``over=years`` (sum of the calendar years inside the period when the
store holds no value for the period itself), ``places=N`` (rates); any other ``key=value`` selects a
disaggregation (e.g. ``age_band=15-25``). A placeholder that cannot be read or resolved renders as
a visible "[[lỗi: …]]" so that nobody signs a report with a silent gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

TOKEN = re.compile(r"\[\[([^\[\]\n]{0,300})\]\]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_OPTION_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_OPTION_VALUE = re.compile(r"^[^|\[\]=<>{}%]{1,120}$")

KINDS: dict[str, set[str] | None] = {
    "value": None,
    "money": None,
    "rate": None,
    "ratio": None,
    "count": {"organisations", "communes", "children", "committees", "communes_meeting"},
    "names": {"communes_meeting"},
    "unit": {"name", "title", "committee", "short_committee", "children"},
    "period": {"label", "code", "upper", "next", "next_upper"},
}
FIGURE_KINDS = {"value", "money", "rate", "ratio", "count"}
RESERVED_OPTIONS = {"period", "unit", "over", "places", "scale"}
COUNT_OPTIONS = {"kind", "element", "min"}  # options of [[count:…]]; on a value they are disaggregation keys (kind=news_item)


class PlaceholderError(ValueError):
    pass


@dataclass(frozen=True)
class Placeholder:
    kind: str
    arg: str
    options: tuple[tuple[str, str], ...]
    source: str  # the text between [[ and ]], normalised

    def option(self, key: str, default: str = "") -> str:
        for k, v in self.options:
            if k == key:
                return v
        return default

    @property
    def disaggregation(self) -> str:
        """Canonical disaggregation key (sorted ``k=v`` joined by ``;``) from the non-reserved options."""
        reserved = RESERVED_OPTIONS | COUNT_OPTIONS if self.kind == "count" else RESERVED_OPTIONS
        parts = sorted((k, v) for k, v in self.options if k not in reserved)
        return ";".join(f"{k}={v}" for k, v in parts)

    @property
    def elements(self) -> list[str]:
        if self.kind in {"rate", "ratio"}:
            return self.arg.split("/")
        if self.kind in {"value", "money"}:
            return [self.arg]
        return []


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Broken:
    source: str
    message: str


Segment = Text | Placeholder | Broken


def parse_one(source: str) -> Placeholder:
    """Parse the inside of one ``[[…]]``; raises PlaceholderError with a Vietnamese message."""
    body = source.strip()
    head, *opts = [p.strip() for p in body.split("|")]
    kind, sep, arg = head.partition(":")
    kind, arg = kind.strip(), arg.strip()
    if not sep or kind not in KINDS:
        raise PlaceholderError(f"Ô số liệu «[[{body}]]» không hợp lệ: phải bắt đầu bằng {', '.join(sorted(KINDS))} và dấu «:».")
    allowed = KINDS[kind]
    if allowed is not None:
        if arg not in allowed:
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: «{arg}» không hợp lệ (dùng {', '.join(sorted(allowed))}).")
    elif kind in {"rate", "ratio"}:
        parts = arg.split("/")
        if len(parts) != 2 or not all(_NAME.match(p) for p in parts):
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: cần «tử_số/mẫu_số» là hai mã phần tử dữ liệu.")
    elif not _NAME.match(arg):
        raise PlaceholderError(f"Ô số liệu «[[{body}]]»: «{arg}» không phải mã phần tử dữ liệu.")
    options: list[tuple[str, str]] = []
    for opt in opts:
        key, eq, value = opt.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not _OPTION_KEY.match(key) or not _OPTION_VALUE.match(value):
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: tùy chọn «{opt}» phải có dạng khoa=gia_tri.")
        if key == "over" and value != "years":
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: chỉ dùng over=years.")
        if key == "min" and not value.isdigit():
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: min phải là số.")
        if key == "element" and not _NAME.match(value):
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: «{value}» không phải mã phần tử dữ liệu.")
        if key == "scale" and value != "million":
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: chỉ dùng scale=million (triệu đồng).")
        if key == "places" and not value.isdigit():
            raise PlaceholderError(f"Ô số liệu «[[{body}]]»: places phải là số.")
        options.append((key, value))
    normal = f"{kind}:{arg}" + "".join(f"|{k}={v}" for k, v in options)
    return Placeholder(kind=kind, arg=arg, options=tuple(options), source=normal)


def parse(text: str, *, strict: bool = False) -> list[Segment]:
    """Split ``text`` into text and placeholders. Unreadable placeholders raise (strict) or become Broken."""
    segments: list[Segment] = []
    pos = 0
    for match in TOKEN.finditer(text or ""):
        if match.start() > pos:
            segments.append(Text(text[pos:match.start()]))
        try:
            segments.append(parse_one(match.group(1)))
        except PlaceholderError as exc:
            if strict:
                raise
            segments.append(Broken(match.group(0), str(exc)))
        pos = match.end()
    if pos < len(text or ""):
        segments.append(Text(text[pos:]))
    return segments


@dataclass
class Trace:
    """Where a figure came from: the rule that made it and the data values (or catalogue rows) it read."""

    rule: str
    values: list[dict[str, Any]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Figure:
    text: str
    value: int | Decimal | Fraction | None = None
    trace: Trace | None = None
    source: str = ""  # the placeholder, to link to its trace
    error: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None and self.trace is not None and not self.error


@dataclass
class Run:
    text: str
    figure: Figure | None = None


def render_runs(text: str, resolver: Any) -> list[Run]:
    """Text → runs: plain text as it is, each placeholder replaced by its resolved figure."""
    runs: list[Run] = []
    for seg in parse(text):
        if isinstance(seg, Text):
            runs.append(Run(seg.text))
        elif isinstance(seg, Broken):
            runs.append(Run(f"[[lỗi: {seg.message}]]", Figure(text="", error=seg.message, source=seg.source)))
        else:
            figure = resolver.resolve(seg)
            runs.append(Run(figure.text, figure if (seg.kind in FIGURE_KINDS or figure.error) else None))
    return runs


def plain(text: str, resolver: Any) -> str:
    return "".join(run.text for run in render_runs(text, resolver))


def escape_text(text: str) -> str:
    """Foreign text (a document title, an organisation name) put into a draft: its ``[[`` cannot open a placeholder."""
    return (text or "").replace("[[", "[\u200b[").replace("]]", "]\u200b]")
