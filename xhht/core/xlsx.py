"""Spreadsheet exports: user text never becomes a formula.

openpyxl takes any string starting with "=" for a formula (data type "f"), so a topic, name or note
typed as ``=HYPERLINK("http://…")`` would be written as a live formula into a district's export
(CSV/formula injection). No XHHT export writes formulas on purpose: ``formulas_as_text`` turns every
such cell back into plain text just before the workbook is saved. ("+", "-" and "@" are already
written as text by openpyxl.)
"""

from __future__ import annotations

from typing import Any


def formulas_as_text(workbook: Any) -> Any:
    """Make every formula cell of ``workbook`` a text cell holding the same characters; returns it."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"
    return workbook
