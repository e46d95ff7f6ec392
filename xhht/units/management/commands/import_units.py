from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xhht.core.commands import rejected_as_command_error
from xhht.core.tabular import Rejected
from xhht.units.services import unit_import


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị hành chính (định dạng 1: code,name,kind,parent_code,valid_from,valid_to,special_difficulty)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp CSV hoặc XLSX")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = unit_import(actor=None, path=options["file"])
        except Rejected as exc:
            raise rejected_as_command_error(exc) from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập: {result.created} đơn vị mới, {result.updated} cập nhật, {result.unchanged} không đổi."))
