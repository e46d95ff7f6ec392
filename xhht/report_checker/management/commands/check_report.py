"""``xhht check-report FILE [--format json|table] [--unit CODE]``: the findings of a report (format 5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.core.tabular import Rejected
from xhht.report_checker.services import report_check
from xhht.units.models import Unit

KIND_LABELS = {"rate": "tỷ lệ", "ratio": "phần > tổng", "sum": "tổng", "implausible": "bất hợp lý"}


class Command(BaseCommand):
    help = "Kiểm tra số liệu của một báo cáo (.docx, .pdf có lớp chữ, .txt): tỷ lệ, phân số, tổng, giá trị bất hợp lý."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--unit", default="", help="mã đơn vị của báo cáo (để so với số xã của đơn vị)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        path = Path(options["file"])
        try:
            result = report_check(path=path, name=path.name, unit=unit)
        except Rejected as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{result.file}: đã kiểm tra {result.statements_checked} số liệu, {len(result.findings)} chỗ không khớp.")
        rows = [("Loại", "Vị trí", "Ghi", "Tính lại", "Giải thích")]
        rows += [(KIND_LABELS[f.kind], f.where, f.stated, f.computed, f.message) for f in result.findings]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
