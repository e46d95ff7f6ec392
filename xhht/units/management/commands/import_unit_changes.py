from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xhht.core.commands import rejected_as_command_error
from xhht.core.tabular import Rejected
from xhht.units.changes import unit_changes_import


class Command(BaseCommand):
    help = ("Nhập thay đổi địa giới: sáp nhập, chia tách, đổi tên, đổi cấp trên, giải thể (định dạng 4: "
            "effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp CSV hoặc XLSX")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = unit_changes_import(actor=None, path=options["file"])
        except Rejected as exc:
            raise rejected_as_command_error(exc) from None
        dates = ", ".join(d.strftime("%d/%m/%Y") for d in result.applied) or "không có"
        self.stdout.write(self.style.SUCCESS(
            f"Đã áp dụng các đợt: {dates}; {len(result.unchanged)} đợt đã có, không đổi. "
            f"{result.created} đơn vị mới, {result.changed} thay đổi, {result.ended} chấm dứt."))
