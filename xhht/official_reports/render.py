"""A report made ready for output: every text split into runs, every placeholder resolved and traced.

The same rendering feeds the web page, the .docx, the .xlsx and the issued version's snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache

from xhht.indicators.periods import Period, parse_period
from xhht.official_reports.catalogue import ReportKind, report_kind
from xhht.official_reports.models import Report, ReportSection
from xhht.official_reports.placeholders import Figure, Run, render_runs
from xhht.official_reports.providers import PROVIDERS, SectionContext, TableSpec
from xhht.official_reports.resolver import Resolver, level_name


@dataclass
class RenderedTable:
    title: list[Run]
    header_rows: list[list[list[Run]]]
    rows: list[list[list[Run]]]
    total_rows: int = 0
    first_column_left: bool = True


@dataclass
class RenderedSection:
    key: str
    number: str
    level: int
    heading: list[Run]
    paragraphs: list[list[Run]]
    tables: list[RenderedTable]
    notices: list[str]
    section_id: int | None = None


@dataclass
class RenderedReport:
    report: Report
    period: Period
    title: str
    abstract: list[Run]
    intro: list[list[Run]]
    sections: list[RenderedSection]
    closing: list[Run]
    appendix_title: str
    appendix_subtitle: list[Run]
    appendix_tables: list[RenderedTable]
    appendix_notices: list[str]
    appendix_source: str = ""  # "indicators" (xhht.indicators.selectors.appendix_build) or "store"
    values_used: dict[int, dict[str, Any]] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    def texts(self) -> dict[str, str]:
        return {s.key: "\n\n".join("".join(r.text for r in p) for p in s.paragraphs) for s in self.sections}


def definitions_by_key(kind: ReportKind) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(sections: list[dict[str, Any]]) -> None:
        for s in sections:
            found[s["key"]] = s
            walk(s.get("sections", []))

    walk(kind.sections)
    return found


_BULLET = re.compile(r"^([-+*•]|[a-zđ]\)|\d+(\.\d+)*\.)\s")


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a line that starts a bullet ("- ", "+ ", "a) ", "1. ") starts
    a new one; other single line breaks are joined with a space."""
    out: list[str] = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        current: list[str] = []
        for line in (ln.strip() for ln in block.split("\n")):
            if not line:
                continue
            if current and _BULLET.match(line):
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return out


class Renderer:
    def __init__(self, report: Report, on: date | None = None) -> None:
        self.report = report
        self.period = parse_period(report.period)
        self.kind = report_kind(report.kind)
        self.resolver = Resolver(unit=report.unit, period=self.period, on=on)
        self.figures: list[Figure] = []
        # The store keys this report read when last rendered in this process: loaded in one query up front
        # (hundreds of one-key queries otherwise); the values themselves are always read afresh.
        self._keys_memo = f"xhht:report-keys:{report.pk}:{on}"
        self.resolver.prefetch(cache.get(self._keys_memo) or [])

    def runs(self, text: str) -> list[Run]:
        runs = render_runs(text, self.resolver)
        self.figures.extend(r.figure for r in runs if r.figure is not None)
        return runs

    def table(self, spec: TableSpec) -> RenderedTable:
        return RenderedTable(
            title=self.runs(spec.title) if spec.title else [],
            header_rows=[[self.runs(c) for c in row] for row in spec.header_rows],
            rows=[[self.runs(c) for c in row] for row in spec.rows],
            total_rows=spec.total_rows,
            first_column_left=spec.first_column_left,
        )

    def context(self, definition: dict[str, Any]) -> SectionContext:
        return SectionContext(unit=self.report.unit, period=self.period, level=level_name(self.report.unit), kind=self.report.kind,
                              definition=definition, resolver=self.resolver)

    def render(self, progress: Callable[[str], None] | None = None) -> RenderedReport:
        defs = definitions_by_key(self.kind)
        sections: list[RenderedSection] = []
        for section in self.report.sections.all().order_by("order"):
            if progress:
                progress(section.heading)
            sections.append(self.section(section, defs.get(section.key, {"key": section.key, "heading": section.heading})))
        appendix = self.kind.data["appendix"]
        spec = PROVIDERS[appendix["provider"]].func(self.context({"key": "appendix", "heading": appendix["title"], "params": appendix.get("params", {})}))
        cache.set(self._keys_memo, self.resolver.keys_read, timeout=24 * 3600)
        return RenderedReport(
            report=self.report,
            period=self.period,
            title=self.report.title,
            abstract=self.runs(self.report.abstract),
            intro=[self.runs(p) for p in paragraphs(self.report.intro)],
            sections=sections,
            closing=self.runs(" ".join(paragraphs(self.report.closing))),
            appendix_title=appendix["title"],
            appendix_subtitle=self.runs(appendix.get("subtitle", "")),
            appendix_tables=[self.table(t) for t in spec.tables],
            appendix_notices=spec.notices,
            appendix_source=spec.source,
            values_used=self.resolver.used,
            figures=self.figures,
        )

    def section(self, section: ReportSection, definition: dict[str, Any]) -> RenderedSection:
        tables: list[RenderedTable] = []
        notices: list[str] = []
        # The catalogue's current provider wins over the one stored when the report was drafted, so
        # that a report keeps working when a catalogue file changes its section's provider or params.
        name = definition.get("provider") or section.provider
        if name and name in PROVIDERS:
            draft = PROVIDERS[name].func(self.context(definition))
            tables = [self.table(t) for t in draft.tables]
            notices = draft.notices
        return RenderedSection(
            key=section.key,
            number=section.number,
            level=section.level,
            heading=self.runs(section.heading),
            paragraphs=[self.runs(p) for p in paragraphs(section.text)],
            tables=tables,
            notices=notices,
            section_id=section.pk,
        )


def report_render(report: Report, progress: Callable[[str], None] | None = None, on: date | None = None) -> RenderedReport:
    return Renderer(report, on=on).render(progress=progress)
