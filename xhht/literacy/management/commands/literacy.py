"""``xhht literacy --unit CODE --year YYYY --format json|table|xlsx``: results of a unit (format 3)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.literacy.exports import results_table, results_workbook
from xhht.literacy.selectors import UnitNotInPeriod, unit_results
from xhht.units.models import Unit


class Command(BaseCommand):
    help = "Kết quả xóa mù chữ và phổ cập giáo dục của một đơn vị trong một năm điều tra."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "table", "xlsx"], default="table")
        parser.add_argument("--output", help="tệp .xlsx (mặc định: xoa-mu-chu-<mã>-<năm>.xlsx)")
        parser.add_argument("--on", help="đọc số liệu của năm trên địa giới ngày YYYY-MM-DD (mặc định: cuối năm điều tra)")
        parser.add_argument("--publish", action="store_true", help="ghi số liệu của đơn vị và đơn vị trực thuộc vào kho chỉ tiêu")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        year = options["year"]
        if options["publish"]:
            from xhht.literacy.services import literacy_values_publish

            literacy_values_publish(actor=None, year=year, unit=unit)
        on = None
        if options.get("on"):
            try:
                on = date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"ngày «{options['on']}» không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2025-07-01).") from None
        try:
            result = unit_results(unit=unit, year=year, on=on)
        except (UnitNotInPeriod, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_format3(year=year), ensure_ascii=False, indent=2))
        elif options["format"] == "table":
            self.stdout.write(results_table(result, year), ending="")
        else:
            path = Path(options["output"] or f"xoa-mu-chu-{unit.code}-{year}.xlsx")
            results_workbook(result, year, path)
            self.stdout.write(f"Đã ghi {path}")
