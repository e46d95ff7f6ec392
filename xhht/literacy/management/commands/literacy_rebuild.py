"""``xhht literacy_rebuild --year YYYY``: recount every commune's aggregate from its persons (after a rules change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xhht.literacy.services import aggregates_rebuild


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp theo xã từ phiếu điều tra (sau khi sửa tệp quy tắc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        aggregates_rebuild(year=options["year"])
        self.stdout.write(f"Đã tính lại bảng tổng hợp năm {options['year']}.")
